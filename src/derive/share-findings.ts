/**
 * Published totals below their parts, as data-quality findings (`dq_findings`, check
 * `total_below_parts`): a pair's TOTAL row below the sum of its HS rows, or a reporter's World
 * row below its trade with one partner. ind_shares gives no shares against such a whole
 * (null_reason `total_below_parts`); this records why, once per pair, flow and period, after
 * each refresh. The years the refresh rewrote are read (every year after a full one), so a
 * finding of those years no longer there (a corrected file loaded) is resolved, and findings of
 * other years stand as they are.
 */
import { sql } from 'kysely';
import { type CheckYears, inYears } from '../check/warehouse-check.ts';
import { type Finding, recordFindings } from '../db/dq-findings.ts';
import type { Warehouse } from '../db/warehouse.ts';

export const TOTAL_BELOW_PARTS = 'total_below_parts';

/** The table the wholes and parts come from. */
const TABLE = 'trade_flows';

interface BelowParts {
  share_kind: 'product' | 'partner';
  source: string;
  reporter_iso3: string;
  partner_iso3: string;
  flow: string;
  period: string;
  year: number;
  whole: number;
  parts: number;
  shares: number;
}

/**
 * Records (and resolves) the `total_below_parts` findings of the warehouse's ind_shares in
 * `years` (null: every year; none: nothing to do).
 */
export async function recordShareFindings(
  warehouse: Warehouse,
  runId: number | null = null,
  years: CheckYears = null,
): Promise<void> {
  if (years?.length === 0) return;
  // A partner share's whole is the World row: one finding per reporter, flow and period, its
  // `expected` the largest partner's trade.
  const { rows } = await sql<BelowParts>`
    select share_kind, source, reporter_iso3,
           case share_kind when 'product' then partner_iso3 else 'W00' end as partner_iso3,
           flow, period, year, max(denominator_usd) as whole,
           max(case share_kind when 'product' then parts_usd else value_usd end) as parts,
           count(*) as shares
    from ind_shares where null_reason = ${TOTAL_BELOW_PARTS} and ${sql.raw(inYears('year', years))}
    group by share_kind, source, reporter_iso3, case share_kind when 'product' then partner_iso3 else 'W00' end,
             flow, period, year
    order by source, reporter_iso3, partner_iso3, flow, period`.execute(warehouse.db);
  const findings: Finding[] = rows.map((r) => {
    const slice = `${r.source} ${r.reporter_iso3} → ${r.partner_iso3} ${r.flow === 'X' ? 'exports' : 'imports'} ${r.period}`;
    const message =
      r.share_kind === 'product'
        ? `The published TOTAL of ${slice} (${r.whole} USD) is below the sum of its HS rows (${r.parts} USD): no product shares are given against it. Check the file for a TOTAL row of another edition or vintage, or load a corrected extract.`
        : `The World row of ${slice} (${r.whole} USD) is below the trade with one partner alone (${r.parts} USD): no partner shares are given against it. Check that the World and partner rows come from the same extract and vintage.`;
    return {
      check: TOTAL_BELOW_PARTS,
      severity: 'warning',
      table: TABLE,
      key: `${r.source} ${r.reporter_iso3} ${r.partner_iso3} ${r.flow} ${r.period}`,
      expected: r.parts,
      found: r.whole,
      rows: { share_kind: r.share_kind, shares: r.shares },
      message,
      year: Number(r.year),
    };
  });
  await recordFindings(warehouse, null, findings, {
    runId,
    checked: [{ check: TOTAL_BELOW_PARTS, table: TABLE, ...(years === null ? {} : { years }) }],
  });
}
