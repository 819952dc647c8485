/** ind_mirror: what an exporter declares beside what its partner declares importing. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PERIOD_COLUMNS, PRODUCT_COLUMNS } from './trade-columns.ts';
import { COUNTRY_PARTNER, DECLARED_ONLY } from './trade-inputs.ts';

/** CIF/FOB ratios in this band are plausible freight and insurance margins (DOMAIN.md section 6). */
const CIF_FOB_LOW = 1;
const CIF_FOB_HIGH = 1.2;
/** |ln(M / X)| under which the two sides are treated as equal. */
const EQUAL_LOG_RATIO = 0.05;

/**
 * The edition and level whose coverage says whether a side's silence on a product is its own
 * (it reported the flow there) or a gap in what is loaded: an HS code's own; the total's for a
 * total or a category.
 */
const COVERAGE_CLASS = (kind: string, classification: string) =>
  `case when ${kind} = 'hs' then ${classification} else '' end`;
const COVERAGE_LEVEL = (kind: string, level: string) => `case when ${kind} = 'hs' then ${level} else 0 end`;

export const tradeMirror: IndicatorDefinition = {
  table: 'ind_mirror',
  description: `Mirror statistics: an exporter's declared exports to an importer (FOB) beside the importer's declared imports from it (CIF), for the same period and product, whichever sources declare them (BACI, already reconciled, is left out). A product either side reports has a row, whichever side it is: the other side NULL with the reason, and no gap, ratio or discrepancy; a 0 read from a product's absence is not a declaration. Both countries must be single economies. Both values are kept; neither side is preferred. Read from ind_trade_balance. A ratio M/X between ${CIF_FOB_LOW} and ${CIF_FOB_HIGH} is the usual freight margin; far outside it, look for routing through third countries, origin against consignment, timing, or transit counted on one side.`,
  formula:
    'r = M_ji^CIF / X_ij^FOB; gap = M_ji − X_ij; symmetric discrepancy d = |X_ij − M_ji| / (X_ij + M_ji), in [0, 1], NULL when both are 0 or a side is missing.',
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
      description:
        "X_ij as the exporter's rows state it; NULL when they hold no row for this product (null_reason says whether the exporter reported its exports to j at all).",
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
      description:
        "M_ji as the importer's rows state it; NULL when they hold no row for this product (null_reason says whether the importer reported its imports from i at all).",
    },
    {
      name: 'import_source',
      type: 'text',
      description: "The source of the importer's figure; '' when missing.",
    },
    { name: 'gap_usd', type: 'real', unit: 'USD', description: 'M_ji − X_ij; NULL when a side is missing.' },
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
      description: '|X − M| / (X + M), 0 when the sides agree, 1 when one is 0; NULL when a side is missing.',
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
      description:
        'exports or imports: the side without a row for this product, whichever country was loaded first; NULL when both sides have one.',
    },
    {
      ...NULL_REASON,
      description:
        "Why cif_fob_ratio (and, with a side missing or both sides 0, the gap and the discrepancy) is NULL: not_reported_by_exporter or not_reported_by_importer (that side's declarations of the flow with the other country, in the period and, for an HS code, in its edition and at its level, are loaded but hold no row for the product: Comtrade leaves zeros out, and suppressed figures are absent too), missing_input (that side's declarations of the flow with the other country are not loaded for the period, or, for an HS code, not in its edition and at its level: a file of chapters says nothing of HS6 codes), zero_base (X is 0); NULL when the ratio has a value.",
    },
    { ...SMALL_BASE, description: `1 when X + M is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  select: (scope, flavor) => `
    with sides as (
      select source, reporter_iso3, partner_iso3, freq, period, year, month,
             product_kind, classification, hs_level, product,
             exports_usd, exports_reported, imports_usd, imports_reported
      from ind_trade_balance
      where ${DECLARED_ONLY} and ${COUNTRY_PARTNER('reporter_iso3')} and ${COUNTRY_PARTNER('partner_iso3')}
        and ${scope.write('year')}
    ),
    -- Only figures a reporter's rows hold: the balance's 0 for a product absent from a reported
    -- flow would make one side's silence a 0 or a NULL depending on the other flow's rows.
    declared_exports as (
      select source, reporter_iso3 as exporter, partner_iso3 as importer, freq, period, year, month,
             product_kind, classification, hs_level, product, exports_usd as x
      from sides where exports_reported = 1
    ),
    declared_imports as (
      select source, partner_iso3 as exporter, reporter_iso3 as importer, freq, period, year, month,
             product_kind, classification, hs_level, product, imports_usd as m
      from sides where imports_reported = 1
    ),
    -- Which flows each reporter declared with each partner, in any declared source: per HS
    -- edition and level for codes (a file of chapters says nothing of HS6 codes), at all for
    -- the total and the categories.
    coverage as (
      select reporter_iso3, partner_iso3, freq, period, ${COVERAGE_CLASS('product_kind', 'classification')} as classification,
             ${COVERAGE_LEVEL('product_kind', 'hs_level')} as level,
             ${flavor.anyTrue('exports_usd is not null')} as has_exports,
             ${flavor.anyTrue('imports_usd is not null')} as has_imports
      from sides where product_kind in ('hs', 'total')
      group by reporter_iso3, partner_iso3, freq, period, 5, 6
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
    select p.exporter, p.importer, p.freq, p.period, p.year, p.month, p.product_kind, p.classification,
           p.hs_level, p.product, x, export_source, m, import_source,
           m - x,
           case when x > 0 then m / x end,
           case when x + m > 0 then abs(x - m) / (x + m) end,
           case when x > 0 and m is not null then m / x between ${CIF_FOB_LOW} and ${CIF_FOB_HIGH} end,
           case when x > 0 and m > 0 then abs(ln(m / x)) < ${EQUAL_LOG_RATIO} end,
           case when x is null then 'exports' when m is null then 'imports' end,
           case when x is null then case when ce.has_exports then 'not_reported_by_exporter' else 'missing_input' end
                when m is null then case when ci.has_imports then 'not_reported_by_importer' else 'missing_input' end
                when x = 0 then 'zero_base' end,
           coalesce(x, 0) + coalesce(m, 0) < ${SMALL_TRADE_USD}
    from paired p
    left join coverage ce
      on ce.reporter_iso3 = p.exporter and ce.partner_iso3 = p.importer and ce.freq = p.freq and ce.period = p.period
     and ce.classification = ${COVERAGE_CLASS('p.product_kind', 'p.classification')}
     and ce.level = ${COVERAGE_LEVEL('p.product_kind', 'p.hs_level')}
    left join coverage ci
      on ci.reporter_iso3 = p.importer and ci.partner_iso3 = p.exporter and ci.freq = p.freq and ci.period = p.period
     and ci.classification = ${COVERAGE_CLASS('p.product_kind', 'p.classification')}
     and ci.level = ${COVERAGE_LEVEL('p.product_kind', 'p.hs_level')}`,
};
