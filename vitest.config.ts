import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Suites of real processes sent signals and of seeded fuzzed files (issue 20): a minute of the
 * machine between them, so `npm test` leaves them to `npm run test:hostile`, which CI runs too.
 */
const HOSTILE = ['test/stop-signals.test.ts', 'test/fuzz-corpus.test.ts'];
const hostileOnly = process.env.CORRIDOR_TESTS === 'hostile';

export default defineConfig({
  test: {
    include: hostileOnly ? HOSTILE : ['test/**/*.test.ts'],
    exclude: hostileOnly ? [] : HOSTILE,
    // Each test file gets its own process: better-sqlite3 handles and temp folders never leak across files.
    pool: 'forks',
    // Many files wait on child processes, servers and leases rather than compute: one more
    // worker than cores keeps both cores busy (vitest's default leaves one idle).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
