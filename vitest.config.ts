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
    // Test files run in forked processes: better-sqlite3 handles never cross a worker thread.
    pool: 'forks',
    // `npm test` lets the files of one worker share loaded modules: each file re-importing the
    // CLI's module graph cost 2.1 s a file, 250 s summed over the files (the suite took 290 s on
    // 2 cores, 200 s without). Files keep their state in temp folders and close what they open,
    // so the order does not matter (checked with --sequence.shuffle.files). A library that keeps
    // state of its own for the process breaks that: SheetJS's number formats once made one
    // file's workbook depend on another's (src/read/sheetjs-workbook.ts). The other suites keep
    // one module graph per file: they start signals, servers and browsers whose handlers must
    // not outlive a file.
    isolate: suite !== 'default',
    // Many files wait on child processes, servers and leases rather than compute: one more
    // worker than cores keeps both cores busy (vitest's default leaves one idle).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
