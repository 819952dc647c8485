/**
 * Runs the warehouse checks (index.ts) and stores what they find in `dq_findings`: each check
 * reads the whole of its tables (or, given years, a check by year reads those years of them),
 * so an open finding it no longer finds there is resolved. A check
 * whose tables are missing (no derive yet, or a table not there in this version) is skipped
 * and resolves nothing. Called by `corridor check` and after each refresh of the indicator
 * tables (src/derive/refresh-indicators.ts), with the run that asked for it.
 */
import {
  type Finding,
  type FindingSeverity,
  type RecordedFindings,
  recordFindings,
} from '../db/dq-findings.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { WarehouseError } from '../errors.ts';
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { CHECKS } from './index.ts';
import type { CheckYears, WarehouseCheck } from './warehouse-check.ts';

export interface CheckRunResult {
  /** Checks run, by name. */
  readonly ran: readonly string[];
  /** Checks skipped because a table they read is missing, by name. */
  readonly skipped: readonly string[];
  readonly opened: number;
  readonly resolved: number;
}

export type OpenFindingCounts = Readonly<Record<FindingSeverity, number>>;

/**
 * Runs every warehouse check and records its findings. `years`: the calendar years a refresh
 * rewrote; checks by year read only those, the others every year (none when it rewrote no
 * year). Absent or null: every year.
 */
export async function runWarehouseChecks(
  warehouse: Warehouse,
  options: { runId?: number | null; settings?: CheckSettings; years?: CheckYears } = {},
): Promise<CheckRunResult> {
  // A refresh that rewrote no year changed nothing any check reads.
  if (options.years?.length === 0) return { ran: [], skipped: [], opened: 0, resolved: 0 };
  const settings = options.settings ?? DEFAULT_CHECK_SETTINGS;
  const tables = new Set(
    (await warehouse.sql.all<{ name: string }>(warehouse.flavor.tablesSql)).map((t) => t.name),
  );
  const ran: string[] = [];
  const skipped: string[] = [];
  let opened = 0;
  let resolved = 0;
  for (const check of CHECKS) {
    if (check.run === undefined && check.pages === undefined) continue;
    if (check.reads?.some((t) => !tables.has(t))) {
      skipped.push(check.name);
      continue;
    }
    // One transaction per check, from its reading to its writing: a load committing meanwhile
    // waits, so no finding is recorded of figures already replaced; thousands of findings are
    // written with one commit.
    const recorded = await warehouse.sql.transaction(
      () =>
        recordCheck(
          warehouse,
          check,
          settings,
          options.runId ?? null,
          check.byYear ? (options.years ?? null) : null,
        ),
      { writeLock: true },
    );
    opened += recorded.opened;
    resolved += recorded.resolved;
    ran.push(check.name);
  }
  return { ran, skipped, opened, resolved };
}

/** The check's failure, as the error `corridor check` reports. */
const checkFailed = (check: WarehouseCheck, cause: unknown) =>
  new WarehouseError(
    `The data-quality check ${check.name} failed (${(cause as Error).message}). No finding of it changed; fix the cause (a table changed by hand?) and run "corridor check".`,
    { code: 'check_failed', cause },
  );

/** The findings of a paged check, its failures reported as the check's. */
async function* pagesOf(
  check: WarehouseCheck,
  pages: AsyncIterable<readonly Finding[]>,
): AsyncIterable<readonly Finding[]> {
  try {
    yield* pages;
  } catch (cause) {
    throw checkFailed(check, cause);
  }
}

/** Runs one check and records its findings, resolving those it no longer finds. */
async function recordCheck(
  warehouse: Warehouse,
  check: WarehouseCheck,
  settings: CheckSettings,
  runId: number | null,
  years: CheckYears,
): Promise<RecordedFindings> {
  // The scopes to resolve: the check's table, and every table it has open findings in.
  const openIn = (
    await warehouse.sql.all<{ table_name: string }>(
      'select distinct table_name from dq_findings where check_name = ? and resolved_at is null',
      [check.name],
    )
  ).map((r) => r.table_name);
  const checked = [...new Set([check.table, ...openIn])].map((table) => ({
    check: check.name,
    table,
    ...(years === null ? {} : { years }),
  }));
  if (check.pages !== undefined)
    return recordFindings(warehouse, null, pagesOf(check, check.pages(warehouse, settings, years)), {
      runId,
      checked,
    });
  let findings: Finding[];
  try {
    findings = await check.run!(warehouse, settings, years);
  } catch (cause) {
    throw checkFailed(check, cause);
  }
  return recordFindings(warehouse, null, findings, { runId, checked });
}

/** Open findings of every check, by severity. */
export async function openFindingCounts(warehouse: Warehouse): Promise<OpenFindingCounts> {
  const rows = await warehouse.sql.all<{ severity: FindingSeverity; n: number }>(
    'select severity, count(*) as n from dq_findings where resolved_at is null group by severity',
  );
  const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of rows) counts[r.severity] = Number(r.n);
  return counts;
}
