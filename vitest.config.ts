import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Four suites, each its own npm script that CI runs:
 * - `npm test`: everything on SQLite, the contract suite (test/contract/) included;
 * - `npm run test:hostile`: real processes sent signals and seeded fuzzed files (issue 20), a
 *   minute of the machine between them;
 * - `npm run test:pg`: the contract suite again on PostgreSQL, and the PostgreSQL-only tests
 *   (test/postgres/: COPY, advisory locks, roles, partitions, Citus statements);
 * - `npm run test:browser`: the console (`corridor serve`) driven in headless Chromium (test/browser/).
 */
const HOSTILE = ['test/stop-signals.test.ts', 'test/fuzz-corpus.test.ts'];
const POSTGRES = ['test/contract/**/*.test.ts', 'test/postgres/**/*.test.ts'];
const BROWSER = ['test/browser/**/*.test.ts'];
const suite = process.env.CORRIDOR_TESTS ?? 'default';

const SUITES: Record<string, string[]> = { hostile: HOSTILE, postgres: POSTGRES, browser: BROWSER };
const include = SUITES[suite] ?? ['test/**/*.test.ts'];
const exclude = suite === 'default' ? [...HOSTILE, 'test/postgres/**', ...BROWSER] : [];

export default defineConfig({
  test: {
    include,
    exclude,
    env: suite === 'postgres' ? { CORRIDOR_TEST_BACKEND: 'postgres' } : {},
    // Each test file gets its own process: better-sqlite3 handles and temp folders never leak across files.
    pool: 'forks',
    // Many files wait on child processes, servers and leases rather than compute: one more
    // worker than cores keeps both cores busy (vitest's default leaves one idle).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
