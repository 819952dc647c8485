/**
 * Where Corridor runs from: the TypeScript sources through tsx, or the esbuild bundle in dist/
 * (scripts/build.js). Both sit one folder below the project root, so paths to shipped files
 * (warehouse/reference/) resolve the same way in either.
 */
import { fileURLToPath } from 'node:url';

// Replaced by `true` in the bundle (esbuild's define); undeclared when run through tsx.
declare const CORRIDOR_BUNDLED: boolean | undefined;

export const isBundled: boolean = typeof CORRIDOR_BUNDLED !== 'undefined' && CORRIDOR_BUNDLED === true;

/** The project folder, with a trailing separator. */
export const PROJECT_ROOT: string = fileURLToPath(new URL('../', import.meta.url));

/** The reader thread's entry: the bundled one, or the one that registers tsx first. */
export const mapWorkerUrl = (): URL =>
  isBundled
    ? new URL('./map-worker.mjs', import.meta.url)
    : new URL('./validate/map-worker.js', import.meta.url);
