/** ind_grubel_lloyd: intra-industry trade per HS code and over all codes of a level. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { TRADE_PAIR_COLUMNS } from './trade-columns.ts';

export const tradeGrubelLloyd: IndicatorDefinition = {
  table: 'ind_grubel_lloyd',
  description:
    'The Grubel–Lloyd index of intra-industry trade between a reporter and a partner: per HS code, and aggregated over every code of one edition and level (product ALL). Read from ind_trade_balance, so a code exported but not imported counts as 0 imports only when the reporter reported imports that period.',
  formula: 'GL_k = 1 − |X_k − M_k| / (X_k + M_k); aggregate Σ_k (X_k + M_k − |X_k − M_k|) / Σ_k (X_k + M_k).',
  family: 'trade',
  readsTables: ['ind_trade_balance'],
  lookback: 0,
  lookahead: 0,
  key: ['source', 'reporter_iso3', 'partner_iso3', 'freq', 'period', 'classification', 'hs_level', 'product'],
  columns: [
    ...TRADE_PAIR_COLUMNS,
    { name: 'classification', type: 'text', description: 'The HS edition of the codes.' },
    { name: 'hs_level', type: 'integer', description: 'Digits of the HS codes: 2, 4 or 6.' },
    {
      name: 'product',
      type: 'text',
      description: 'The HS code, or ALL for the aggregate over the codes of the level.',
    },
    { name: 'exports_usd', type: 'real', unit: 'USD', description: 'X_k (for ALL, the sum over the codes).' },
    { name: 'imports_usd', type: 'real', unit: 'USD', description: 'M_k (for ALL, the sum over the codes).' },
    {
      name: 'grubel_lloyd',
      type: 'real',
      unit: 'ratio',
      description: 'From 0 (one-way trade) to 1 (exports equal imports).',
    },
    NULL_REASON,
    { ...SMALL_BASE, description: `1 when X + M is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  select: (scope) => `
    with codes as (
      select * from ind_trade_balance where product_kind = 'hs' and ${scope.write('year')}
    )
    select source, reporter_iso3, partner_iso3, freq, period, year, month, classification, hs_level, product,
           exports_usd, imports_usd,
           case when exports_usd + imports_usd > 0
                then 1 - abs(exports_usd - imports_usd) / (exports_usd + imports_usd) end,
           case when exports_usd is null or imports_usd is null then 'missing_input'
                when exports_usd + imports_usd = 0 then 'zero_base' end,
           coalesce(exports_usd, 0) + coalesce(imports_usd, 0) < ${SMALL_TRADE_USD}
    from codes
    union all
    select source, reporter_iso3, partner_iso3, freq, period, year, month, classification, hs_level, 'ALL',
           sum(exports_usd), sum(imports_usd),
           case when sum(exports_usd + imports_usd) > 0
                then sum(exports_usd + imports_usd - abs(exports_usd - imports_usd)) / sum(exports_usd + imports_usd) end,
           case when count(exports_usd) = 0 or count(imports_usd) = 0 then 'missing_input'
                when sum(exports_usd + imports_usd) = 0 then 'zero_base' end,
           coalesce(sum(exports_usd), 0) + coalesce(sum(imports_usd), 0) < ${SMALL_TRADE_USD}
    from codes
    group by source, reporter_iso3, partner_iso3, freq, period, year, month, classification, hs_level`,
};
