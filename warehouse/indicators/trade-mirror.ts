/** ind_mirror: what an exporter declares beside what its partner declares importing. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PERIOD_COLUMNS, PRODUCT_COLUMNS } from './trade-columns.ts';
import { COUNTRY_PARTNER, DECLARED_ONLY } from './trade-inputs.ts';

/** CIF/FOB ratios in this band are plausible freight and insurance margins (DOMAIN.md section 6). */
const CIF_FOB_LOW = 1;
const CIF_FOB_HIGH = 1.2;
/** |ln(M / X)| under which the two sides are treated as equal. */
const EQUAL_LOG_RATIO = 0.05;

export const tradeMirror: IndicatorDefinition = {
  table: 'ind_mirror',
  description: `Mirror statistics: an exporter's declared exports to an importer (FOB) beside the importer's declared imports from it (CIF), for the same period and product, whichever sources declare them (BACI, already reconciled, is left out). Both values are kept; neither side is preferred. Read from ind_trade_balance. A ratio M/X between ${CIF_FOB_LOW} and ${CIF_FOB_HIGH} is the usual freight margin; far outside it, look for routing through third countries, origin against consignment, timing, or transit counted on one side.`,
  formula:
    'r = M_ji^CIF / X_ij^FOB; gap = M_ji − X_ij; symmetric discrepancy d = |X_ij − M_ji| / (X_ij + M_ji), in [0, 1], NULL when both are 0.',
  family: 'trade',
  readsTables: ['ind_trade_balance'],
  acrossSources: true,
  lookback: 0,
  lookahead: 0,
  key: [
    'exporter_iso3',
    'importer_iso3',
    'freq',
    'period',
    'product_kind',
    'classification',
    'product',
    'export_source',
    'import_source',
  ],
  columns: [
    { name: 'exporter_iso3', type: 'text', description: 'i: the economy declaring the exports.' },
    { name: 'importer_iso3', type: 'text', description: 'j: the economy declaring the imports.' },
    ...PERIOD_COLUMNS,
    ...PRODUCT_COLUMNS,
    {
      name: 'exports_fob_usd',
      type: 'real',
      unit: 'USD',
      description: 'X_ij as the exporter declares it; NULL when it declared no exports to j.',
    },
    {
      name: 'export_source',
      type: 'text',
      description: "The source of the exporter's figure; '' when missing.",
    },
    {
      name: 'imports_cif_usd',
      type: 'real',
      unit: 'USD',
      description: 'M_ji as the importer declares it; NULL when it declared no imports from i.',
    },
    {
      name: 'import_source',
      type: 'text',
      description: "The source of the importer's figure; '' when missing.",
    },
    { name: 'gap_usd', type: 'real', unit: 'USD', description: 'M_ji − X_ij.' },
    {
      name: 'cif_fob_ratio',
      type: 'real',
      unit: 'ratio',
      description: 'M_ji / X_ij; NULL when X_ij is 0 or a side is missing.',
    },
    {
      name: 'symmetric_discrepancy',
      type: 'real',
      unit: 'ratio',
      description: '|X − M| / (X + M), 0 when the sides agree, 1 when one is 0.',
    },
    {
      name: 'ratio_plausible',
      type: 'integer',
      description: `1 when the CIF/FOB ratio lies between ${CIF_FOB_LOW} and ${CIF_FOB_HIGH}.`,
    },
    {
      name: 'sides_agree',
      type: 'integer',
      description: `1 when |ln(M / X)| < ${EQUAL_LOG_RATIO}: the two declarations are treated as equal (DOMAIN.md section 6).`,
    },
    {
      name: 'missing_side',
      type: 'text',
      description: 'exports or imports when only one side declared the flow; NULL when both did.',
    },
    {
      ...NULL_REASON,
      description: `Why cif_fob_ratio (and, when both sides are 0, the discrepancy) is NULL. ${NULL_REASON.description}`,
    },
    { ...SMALL_BASE, description: `1 when X + M is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  select: (scope) => `
    with declared_exports as (
      select source, reporter_iso3 as exporter, partner_iso3 as importer, freq, period, year, month,
             product_kind, classification, hs_level, product, exports_usd as x
      from ind_trade_balance
      where ${DECLARED_ONLY} and exports_usd is not null and ${COUNTRY_PARTNER('partner_iso3')} and ${scope.write('year')}
    ),
    declared_imports as (
      select source, partner_iso3 as exporter, reporter_iso3 as importer, freq, period, year, month,
             product_kind, classification, hs_level, product, imports_usd as m
      from ind_trade_balance
      where ${DECLARED_ONLY} and imports_usd is not null and ${COUNTRY_PARTNER('partner_iso3')} and ${scope.write('year')}
    ),
    paired as (
      select coalesce(e.exporter, i.exporter) as exporter, coalesce(e.importer, i.importer) as importer,
             coalesce(e.freq, i.freq) as freq, coalesce(e.period, i.period) as period,
             coalesce(e.year, i.year) as year, coalesce(e.month, i.month) as month,
             coalesce(e.product_kind, i.product_kind) as product_kind,
             coalesce(e.classification, i.classification) as classification,
             coalesce(e.hs_level, i.hs_level) as hs_level, coalesce(e.product, i.product) as product,
             e.x, coalesce(e.source, '') as export_source, i.m, coalesce(i.source, '') as import_source
      from declared_exports e
      full join declared_imports i
        on i.exporter = e.exporter and i.importer = e.importer and i.freq = e.freq and i.period = e.period
       and i.product_kind = e.product_kind and i.classification = e.classification and i.product = e.product
    )
    select exporter, importer, freq, period, year, month, product_kind, classification, hs_level, product,
           x, export_source, m, import_source,
           m - x,
           case when x > 0 then m / x end,
           case when x + m > 0 then abs(x - m) / (x + m) end,
           case when x > 0 and m is not null then m / x between ${CIF_FOB_LOW} and ${CIF_FOB_HIGH} end,
           case when x > 0 and m > 0 then abs(ln(m / x)) < ${EQUAL_LOG_RATIO} end,
           case when x is null then 'exports' when m is null then 'imports' end,
           case when x is null or m is null then 'missing_input' when x = 0 then 'zero_base' end,
           coalesce(x, 0) + coalesce(m, 0) < ${SMALL_TRADE_USD}
    from paired`,
};
