/**
 * The bench's command line: the case groups `--only` chooses among, the options, and the runs
 * each case is measured against its floor (`--rounds`). Exits with a message on a bad value.
 */
import { parseArgs } from 'node:util';

export const GROUPS = [
  'baci1m',
  'baci5m',
  'reload5m',
  'revision5m',
  'comtrade1m',
  'preloaded',
  'xlsx',
  'slice',
  'derive1y',
  'derive',
] as const;
export type Group = (typeof GROUPS)[number];

/** The options as given, the groups selected (all by default) and the rounds. */
export function benchOptions() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      `usage: npm run bench -- [--quick] [--only ${GROUPS.join(',')}] [--keep] [--baseline <git ref>] [--db postgres://...] [--rounds N] [--json <file>]`,
    );
    process.exit(0);
  }
  const selected = new Set<Group>();
  for (const name of values.only?.split(',').map((s) => s.trim()) ?? GROUPS) {
    if (!(GROUPS as readonly string[]).includes(name)) {
      console.error(`Unknown case "${name}" in --only; choose among ${GROUPS.join(', ')}.`);
      process.exit(2);
    }
    selected.add(name as Group);
  }
  /** Issue 22: each ratio is the median of 3 alternating runs against its floor; --quick, 1. */
  const rounds = values.rounds === undefined ? (values.quick ? 1 : 3) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`--rounds ${values.rounds}: give a whole number of runs, 1 or more (3 is the default).`);
    process.exit(2);
  }
  return { values, selected, rounds };
}
