// Types of bin/launch.js, for the TypeScript that imports it (scripts/bench/bundle-state.ts).
export function bundleIsFresh(checkout?: string): boolean;
export function loadCliModule(): Promise<typeof import('../src/cli/main.ts')>;
export function loadCli(): Promise<typeof import('../src/cli/main.ts')['runCli']>;
