/**
 * `mirror_gap`: ind_mirror rows where the two sides of one trade disagree by more than the
 * usual freight margin and timing can explain: a symmetric discrepancy |X − M| / (X + M) at or
 * above the threshold and a gap of at least the minimum in US dollars. Only pair totals and
 * chapters are looked at: at HS6, declarations classified under different codes by the two
 * sides make large gaps ordinary. A warning: mirror gaps are a fact about trade statistics
 * (routing through third countries, origin against consignment), not always an error in a file.
 */
import type { Finding } from '../db/dq-findings.ts';
import { flowWord, inYears, usd, type WarehouseCheck } from './warehouse-check.ts';

export const MIRROR_GAP = 'mirror_gap';
const TABLE = 'ind_mirror';

interface Gap {
  year: number;
  exporter_iso3: string;
  importer_iso3: string;
  freq: string;
  period: string;
  product_kind: string;
  classification: string;
  product: string;
  export_source: string;
  import_source: string;
  exports_fob_usd: number;
  imports_cif_usd: number;
  gap_usd: number;
  symmetric_discrepancy: number;
}

export const mirrorGap: WarehouseCheck = {
  name: MIRROR_GAP,
  severities: ['warning'],
  table: TABLE,
  recordedBy: 'check',
  reads: [TABLE],
  byYear: true,
  description:
    'Mirror rows (pair totals and chapters) whose symmetric discrepancy reaches mirrorDiscrepancy with a gap of at least mirrorMinGapUsd.',
  async run(warehouse, settings, years) {
    const gaps = await warehouse.sql.all<Gap>(
      `select exporter_iso3, importer_iso3, freq, period, product_kind, classification, product,
                export_source, import_source, exports_fob_usd, imports_cif_usd, gap_usd, symmetric_discrepancy, year
         from ${TABLE}
         where ${inYears('year', years)} and (product_kind = 'total' or (product_kind = 'hs' and hs_level = 2))
           and symmetric_discrepancy >= ? and abs(gap_usd) >= ?
         order by exporter_iso3, importer_iso3, freq, period, product_kind, classification, product,
                  export_source, import_source`,
      [settings.mirrorDiscrepancy, settings.mirrorMinGapUsd],
    );
    return gaps.map((g): Finding => {
      const product = g.product_kind === 'total' ? 'all products' : `HS ${g.product} (${g.classification})`;
      return {
        check: MIRROR_GAP,
        severity: 'warning',
        table: TABLE,
        key: `${g.exporter_iso3} ${g.importer_iso3} ${g.freq} ${g.period} ${g.classification}:${g.product} ${g.export_source}/${g.import_source}`,
        expected: g.exports_fob_usd,
        found: g.imports_cif_usd,
        rows: { gap_usd: g.gap_usd, symmetric_discrepancy: g.symmetric_discrepancy },
        year: Number(g.year),
        message: `${g.exporter_iso3} declares ${flowWord('X')} of ${product} to ${g.importer_iso3} in ${g.period} of ${usd(g.exports_fob_usd)} (${g.export_source}); ${g.importer_iso3} declares ${flowWord('M')} from it of ${usd(g.imports_cif_usd)} (${g.import_source}): a discrepancy of ${g.symmetric_discrepancy.toFixed(2)}. Look for trade routed through third countries, origin against consignment, or a file of the wrong flow or period.`,
      };
    });
  },
};
