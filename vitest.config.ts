import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file gets its own process: better-sqlite3 handles and temp folders never leak across files.
    pool: 'forks',
    // Many files wait on child processes, servers and leases rather than compute: one more
    // worker than cores keeps both cores busy (vitest's default leaves one idle).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
