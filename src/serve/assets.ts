/**
 * The console's static files (src/serve/assets/: one style sheet, one small script), read once
 * at start and served from memory. Their addresses carry a hash of their bytes
 * (`/assets/console.css?v=3f2a…`), so a browser may keep them for a year: a changed file is a
 * new address.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { PROJECT_ROOT } from '../runtime.ts';

export const ASSETS_PREFIX = '/assets/';

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  /** The address pages link to, with the content's hash. */
  readonly href: string;
}

export type Assets = ReadonlyMap<string, Asset>;

/** Every file of src/serve/assets/ with a type the console serves, by file name. */
export function loadAssets(dir = join(PROJECT_ROOT, 'src', 'serve', 'assets')): Assets {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir).sort()) {
    const contentType = TYPES[extname(name)];
    if (contentType === undefined) continue;
    const body = readFileSync(join(dir, name));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets.set(name, { body, contentType, href: `${ASSETS_PREFIX}${name}?v=${hash}` });
  }
  return assets;
}

/** The asset a path under /assets/ names, or undefined. */
export const assetAt = (assets: Assets, path: string): Asset | undefined =>
  path.startsWith(ASSETS_PREFIX) ? assets.get(path.slice(ASSETS_PREFIX.length)) : undefined;
