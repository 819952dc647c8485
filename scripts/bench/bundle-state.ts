/**
 * Whether a checkout's `bin/corridor.js` will run its esbuild bundle: the rule of bin/launch.js
 * itself. Source files edited after the bench's build (others may be editing the same checkout)
 * make the CLI fall back to tsx: slower, and not the figure of the bundled CLI that users run.
 */
export { bundleIsFresh } from '../../bin/launch.js';

/** The note of a case whose CLI did not run the bundle. */
export const TSX_NOTE = 'ran through tsx, not the bundle: a source file is newer than the build';
