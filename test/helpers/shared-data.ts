import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the project: present in CI, absent in a user's fresh clone. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);
export const SKIP_REASON =
  'skipped: ../shared/data is not beside this clone (CI has it; the real extracts may not be redistributed)';
