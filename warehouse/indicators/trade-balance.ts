/** ind_trade_balance: exports beside imports for each reporter and partner, in total, per HS code and per category. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PRODUCT_COLUMNS, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { DECLARED_ONLY } from './trade-inputs.ts';

export const tradeBalance: IndicatorDefinition = {
  table: 'ind_trade_balance',
  description:
    "A reporter's exports to and imports from a partner in one period, as that reporter declares them (exports FOB, imports CIF), with the balance and the normalised balance. Rows for the total, for each HS code and for each category. BACI is left out: its matrix holds each flow once, as the exporter's, so a BACI importer's side is its partners' exports (read them from trade_flows).",
  formula: 'TB_ij = X_ij − M_ij; normalised (X_ij − M_ij) / (X_ij + M_ij), in [−1, 1].',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: [
    'source',
    'reporter_iso3',
    'partner_iso3',
    'freq',
    'period',
    'product_kind',
    'classification',
    'product',
  ],
  columns: [
    ...TRADE_PAIR_COLUMNS,
    ...PRODUCT_COLUMNS,
    {
      name: 'exports_usd',
      type: 'real',
      unit: 'USD',
      description:
        "X_ij: the reporter's exports (FOB). 0 when the reporter reported exports to the partner that period but none of this product; NULL when it reported no exports to the partner at all.",
    },
    {
      name: 'imports_usd',
      type: 'real',
      unit: 'USD',
      description: "M_ij: the reporter's imports (CIF); 0 and NULL as for exports.",
    },
    {
      name: 'exports_reported',
      type: 'integer',
      description:
        "1 when the reporter's rows hold this product's exports (the code's own row, a code of the category, any row for the total); 0 when exports_usd is a 0 read from the row's absence; NULL when exports_usd is NULL. The mirror pairs reported figures only.",
    },
    {
      name: 'imports_reported',
      type: 'integer',
      description: 'The same for imports_usd.',
    },
    {
      name: 'balance_usd',
      type: 'real',
      unit: 'USD',
      description: 'X_ij − M_ij; NULL when a side is missing.',
    },
    {
      name: 'normalised_balance',
      type: 'real',
      unit: 'ratio',
      description:
        '(X − M) / (X + M), from −1 (imports only) to 1 (exports only); NULL when X + M = 0 or a side is missing.',
    },
    NULL_REASON,
    SMALL_BASE,
  ],
  select: (scope) => `
    with sides as (
      select source, reporter_iso3, partner_iso3, freq, period, year, month,
             product_kind, classification, max(hs_level) as hs_level, product,
             sum(case when flow = 'X' then value_usd end) as x, sum(case when flow = 'M' then value_usd end) as m,
             max(case when flow = 'X' then null_reason end) as x_reason,
             max(case when flow = 'M' then null_reason end) as m_reason
      from input_series
      where ${DECLARED_ONLY}
      group by source, reporter_iso3, partner_iso3, freq, period, year, month,
               product_kind, classification, product
    ),
    valued as (
      -- An HS code's side is 0 only when the pair reported that flow in the code's edition and
      -- at its level (an HS2-only export file says nothing of HS6 codes); a total's or a
      -- category's when it reported the flow at all.
      -- A category the file is coarser than is NULL, never 0 (x_reason, m_reason).
      select s.*,
             case when coalesce(ec.has_exports, c.has_exports) and s.x_reason is null then coalesce(s.x, 0) end
               as exports_usd,
             case when coalesce(ec.has_imports, c.has_imports) and s.m_reason is null then coalesce(s.m, 0) end
               as imports_usd
      from sides s
      join input_coverage c on c.source = s.source and c.reporter_iso3 = s.reporter_iso3
                     and c.partner_iso3 = s.partner_iso3 and c.freq = s.freq and c.period = s.period
      left join input_edition_coverage ec
        on s.product_kind = 'hs' and ec.source = s.source and ec.reporter_iso3 = s.reporter_iso3
       and ec.partner_iso3 = s.partner_iso3 and ec.freq = s.freq and ec.period = s.period
       and ec.hs_edition = s.classification and ec.hs_level = s.hs_level
    )
    select source, reporter_iso3, partner_iso3, freq, period, year, month,
           product_kind, classification, hs_level, product,
           exports_usd, imports_usd,
           case when exports_usd is not null then x is not null end as exports_reported,
           case when imports_usd is not null then m is not null end as imports_reported,
           exports_usd - imports_usd as balance_usd,
           case when exports_usd + imports_usd > 0
                then (exports_usd - imports_usd) / (exports_usd + imports_usd) end as normalised_balance,
           case when x_reason is not null or m_reason is not null then coalesce(x_reason, m_reason)
                when exports_usd is null or imports_usd is null then 'missing_input'
                when exports_usd + imports_usd = 0 then 'zero_base' end as null_reason,
           coalesce(exports_usd, 0) + coalesce(imports_usd, 0) < ${SMALL_TRADE_USD} as small_base
    from valued
    where ${scope.write('year')}`,
};
