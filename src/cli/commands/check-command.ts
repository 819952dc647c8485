/**
 * `corridor check`: the data-quality report. Runs the warehouse checks (src/check/) now and
 * stores their findings, or with `--run N` lists what run N recorded without running anything;
 * then prints the open findings of every check. Exit code 3 while a finding of severity `error`
 * is open.
 */
import type { Selectable } from 'kysely';
import type { DqFindingsTable } from '../../../warehouse/schema/quality-tables.ts';
import { type CheckSettingsInput, checkSettingsOf } from '../../check/check-settings.ts';
import { CHECKS } from '../../check/index.ts';
import { runWarehouseChecks } from '../../check/run-checks.ts';
import { openWarehouse } from '../../db/warehouse.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { loadPipeline } from '../../pipeline/pipeline-loader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { openPreparedWarehouse, warehousePathOf } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { LISTING_FORMAT, numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

/** Threshold options: option name, setting, bounds, and what it is for help. */
const THRESHOLDS = [
  ['tolerance', 'tolerance', 0, 1, '0.005', 'a sum may miss its published figure by this share of it…'],
  ['tolerance-usd', 'toleranceUsd', 0, Number.MAX_SAFE_INTEGER, '1000', '…or by this many US dollars'],
  [
    'world-coverage',
    'worldUnderCoverage',
    0,
    1,
    '0.5',
    'partners below their World row by this share: a finding',
  ],
  ['uv-k', 'unitValueK', 0.1, 1000, '5', 'unit values this many MADs from the median: a finding'],
  [
    'uv-min-observations',
    'unitValueMinObservations',
    3,
    1_000_000,
    '5',
    'fewest observations of a code for a band',
  ],
  [
    'mirror-discrepancy',
    'mirrorDiscrepancy',
    0,
    1,
    '0.5',
    'mirror rows whose |X − M| / (X + M) reaches this…',
  ],
  [
    'mirror-min-gap',
    'mirrorMinGapUsd',
    0,
    Number.MAX_SAFE_INTEGER,
    '1000000',
    '…and whose gap is this many US dollars',
  ],
  [
    'shrink',
    'shrinkFraction',
    0,
    1,
    '0.2',
    "a reporter-period's total falling by this share between vintages",
  ],
] as const satisfies readonly (readonly [string, keyof CheckSettingsInput, number, number, string, string])[];

const SEVERITY_ORDER = "case severity when 'error' then 0 when 'warning' then 1 else 2 end";

/** The columns listed, as the warehouse's schema types them. */
type FindingRow = Pick<
  Selectable<DqFindingsTable>,
  | 'check_name'
  | 'severity'
  | 'table_name'
  | 'finding_key'
  | 'expected'
  | 'found'
  | 'message'
  | 'rows_involved'
  | 'run_id'
  | 'first_seen_at'
  | 'last_seen_at'
  | 'resolved_at'
>;

/** Six significant digits: a table cell, not the stored figure (--format json has it whole). */
const shortNumber = (value: number | null) => (value === null ? null : Number(value.toPrecision(6)));

const OPTIONS = {
  run: { type: 'string', value: '<id>', description: 'list what run N recorded, without running the checks' },
  pipeline: { type: 'string', value: '<name>', description: "use this pipeline's checks: thresholds" },
  format: LISTING_FORMAT,
  limit: { type: 'string', value: '<n>', default: '200', description: 'findings listed at most' },
  ...Object.fromEntries(
    THRESHOLDS.map(([option, , , , fallback, description]) => [
      option,
      { type: 'string', value: '<n>', default: fallback, description } as const,
    ]),
  ),
} as const satisfies OptionSpecs;

export const checkCommand: Command = {
  name: 'check',
  usage: `corridor check [--run <id>] [--pipeline <name>] [--format table|json] [--limit 200] [${THRESHOLDS.map(([o]) => `--${o} N`).join('] [')}]`,
  synopsis: 'corridor check [--run <id>] [--format table|json]',
  summary: 'run the data-quality checks and list open findings (exit 3 while one of severity error is open)',
  options: OPTIONS,
  examples: [
    'corridor check',
    'corridor check --pipeline nightly --tolerance 0.01',
    'corridor check --run 12 --format json',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    if (positionals.length > 0)
      throw new ConfigError(
        `corridor check takes no arguments (got "${positionals.join(' ')}").\nUsage: ${this.usage}`,
        {
          code: 'bad_arguments',
        },
      );
    const format = values.format ?? (ctx.out.json ? 'json' : 'table');
    if (format !== 'table' && format !== 'json')
      throw new ConfigError(`Invalid value for option "--format": "${format}". Use table or json.`, {
        code: 'bad_arguments',
      });
    const limit = Math.floor(numberOption('limit', values.limit, 1, 10_000_000) ?? 200);
    const runId = numberOption('run', values.run, 1, Number.MAX_SAFE_INTEGER);
    const overrides: Record<string, number> = {};
    for (const [option, setting, min, max] of THRESHOLDS) {
      const value = numberOption(option, (values as Record<string, string | undefined>)[option], min, max);
      if (value !== undefined) overrides[setting] = value;
    }
    if (runId !== undefined && (Object.keys(overrides).length > 0 || values.pipeline !== undefined))
      throw new ConfigError(
        `--run lists what run ${runId} recorded and runs no check: drop --pipeline and the threshold options, or --run.`,
        { code: 'bad_arguments' },
      );

    if (runId === undefined) {
      // A pipeline's `checks:` thresholds, as its runs use them; options override them.
      const base =
        values.pipeline === undefined ? {} : ((await loadPipeline(values.pipeline, ctx.cwd)).checks ?? {});
      const settings = checkSettingsOf(overrides, base);
      const warehouse = await openPreparedWarehouse(ctx);
      try {
        const result = await runWarehouseChecks(warehouse, { settings });
        ctx.out.progress(
          `Ran ${result.ran.length} checks: ${result.opened} findings new, ${result.resolved} resolved${result.skipped.length > 0 ? `; skipped ${result.skipped.join(', ')} (its table is not in the warehouse yet: run corridor derive)` : ''}.`,
        );
      } finally {
        await warehouse.close();
      }
    }

    // Listing opens the warehouse read-only: `--run N` works on a warehouse being loaded.
    const reader = await openWarehouse(warehousePathOf(ctx), { readonly: true });
    let findings: FindingRow[];
    let counts: { check_name: string; severity: string; open: number }[];
    let total: number;
    try {
      const where = runId === undefined ? 'resolved_at is null' : `run_id = ${Math.floor(runId)}`;
      // The table shows `limit` findings: only those are read (a BACI history has hundreds of
      // thousands open); JSON lists them all.
      findings = await reader.sql.all<FindingRow>(
        `select check_name, severity, table_name, finding_key, expected, found, message, rows_involved, run_id,
                first_seen_at, last_seen_at, resolved_at
         from dq_findings where ${where} order by ${SEVERITY_ORDER}, check_name, table_name, finding_key
         ${format === 'json' ? '' : `limit ${limit}`}`,
      );
      counts = await reader.sql.all(
        `select check_name, severity, count(*) as open from dq_findings
         where ${where} and resolved_at is null group by check_name, severity`,
      );
      total = Number(await reader.sql.value(`select count(*) from dq_findings where ${where}`));
    } finally {
      await reader.close();
    }
    const exitCode = counts.some((c) => c.severity === 'error' && Number(c.open) > 0)
      ? ExitCode.DataQualityErrors
      : ExitCode.Success;
    const countOf = (check: string, severity: string) =>
      Number(counts.find((c) => c.check_name === check && c.severity === severity)?.open ?? 0);

    if (format === 'json') {
      ctx.out.document({
        run: runId ?? null,
        checks: CHECKS.map((c) => ({
          name: c.name,
          severities: c.severities,
          recordedBy: c.recordedBy,
          description: c.description,
          open: {
            error: countOf(c.name, 'error'),
            warning: countOf(c.name, 'warning'),
            info: countOf(c.name, 'info'),
          },
        })),
        findings: findings.map((f) => ({
          ...f,
          rows_involved: f.rows_involved === null ? null : JSON.parse(f.rows_involved),
        })),
      });
      return exitCode;
    }
    ctx.out.table(
      ['check', 'severity', 'recorded by', 'errors', 'warnings', 'info'],
      CHECKS.map((c) => [
        c.name,
        c.severities.join('/'),
        c.recordedBy === 'check' ? 'check, derive' : c.recordedBy,
        countOf(c.name, 'error'),
        countOf(c.name, 'warning'),
        countOf(c.name, 'info'),
      ]),
    );
    ctx.out.line();
    if (findings.length === 0) {
      ctx.out.line(runId === undefined ? 'No open findings.' : `Run ${runId} recorded no findings.`);
      return exitCode;
    }
    const shown = findings.slice(0, limit);
    ctx.out.table(
      [
        'check',
        'severity',
        'table',
        'key',
        'expected',
        'found',
        ...(runId === undefined ? [] : ['status']),
        'message',
      ],
      shown.map((f) => [
        f.check_name,
        f.severity,
        f.table_name,
        f.finding_key,
        shortNumber(f.expected),
        shortNumber(f.found),
        ...(runId === undefined ? [] : [f.resolved_at === null ? 'open' : 'resolved']),
        f.message,
      ]),
      100,
    );
    ctx.out.progress(
      `(${formatCount(shown.length)} of ${formatCount(total)} findings shown${shown.length < total ? '; raise --limit, or --format json for all' : ''}; the whole message and rows: corridor check --format json)`,
    );
    return exitCode;
  },
};
