/**
 * `share_out_of_range`: every share or fraction column of the derived tables lies in [0, 1]:
 * shares (`share`, `…_share`), concentration indices (`hhi…`) and the mirror's symmetric
 * discrepancy. The columns are found from the indicator definitions, so a new share column is
 * checked without a change here. A value outside is a wrong formula or a wrong denominator,
 * never a fact about trade: an error.
 */
import { INDICATORS } from '../../warehouse/indicators/index.ts';
import type { Finding } from '../db/dq-findings.ts';
import { inSourceYears, inYears, type WarehouseCheck } from './warehouse-check.ts';

export const SHARE_OUT_OF_RANGE = 'share_out_of_range';

/** Most findings recorded per column: past it, one broken formula would flood the table. */
const MOST_PER_COLUMN = 1000;

const isFraction = (column: string) =>
  column === 'share' ||
  column.endsWith('_share') ||
  column.startsWith('hhi') ||
  column === 'symmetric_discrepancy';

/** [table, column, key columns] of every fraction column of the derived tables. */
export const FRACTION_COLUMNS = INDICATORS.flatMap((d) =>
  d.columns
    .filter((c) => c.type === 'real' && isFraction(c.name))
    .map((c) => [d.table, c.name, d.key] as const),
);

export const shareOutOfRange: WarehouseCheck = {
  name: SHARE_OUT_OF_RANGE,
  severities: ['error'],
  table: 'ind_*',
  recordedBy: 'check',
  byYear: true,
  description: `Every share or fraction column of the derived tables in [0, 1]: ${FRACTION_COLUMNS.map(([t, c]) => `${t}.${c}`).join(', ')}.`,
  async run(warehouse, _settings, years) {
    const existing = new Set(
      (await warehouse.sql.all<{ name: string }>(warehouse.flavor.tablesSql)).map((t) => t.name),
    );
    const findings: Finding[] = [];
    for (const [table, column, key] of FRACTION_COLUMNS) {
      if (!existing.has(table)) continue;
      const rows = await warehouse.sql.all<Record<string, string | number>>(
        `select ${key.join(', ')}, ${column} as value, year as finding_year from ${table}
         where (${column} < 0 or ${column} > 1) and ${key.includes('source') ? inSourceYears(table, years) : inYears('year', years)} order by ${key.join(', ')} limit ${MOST_PER_COLUMN}`,
      );
      for (const row of rows) {
        const value = Number(row.value);
        const keyText = key.map((k) => row[k]).join(' ');
        findings.push({
          check: SHARE_OUT_OF_RANGE,
          severity: 'error',
          table,
          key: `${column} ${keyText}`,
          expected: value < 0 ? 0 : 1,
          found: value,
          rows: Object.fromEntries(key.map((k) => [k, row[k]])),
          year: Number(row.finding_year),
          message: `${table}.${column} is ${value} for ${keyText}, outside [0, 1]: its denominator is not the whole of its parts. Run "corridor derive --full"; if it stays, report it with the rows (rows_involved) as a bug.`,
        });
      }
    }
    return findings;
  },
};
