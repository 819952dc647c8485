/** ind_unit_values: US dollars per kilogram and per quantity unit, with outliers flagged. */
import { type IndicatorDefinition, NULL_REASON } from './indicator.ts';
import { FLOW, TRADE_PAIR_COLUMNS } from './trade-columns.ts';
import { COUNTRY_PARTNER } from './trade-inputs.ts';

/** |z| of ln(unit value) at or past which Comtrade drops a unit value. */
const OUTLIER_Z = 3;

export const tradeUnitValues: IndicatorDefinition = {
  table: 'ind_unit_values',
  description:
    'Unit values of each reported flow of an HS code: US dollars per kilogram of net weight and per unit of the reported quantity. A unit value is compared with those of the same code, flow, period and source across all reporters and partners loaded; one whose log lies 3 standard deviations or more from their mean is flagged as an outlier (Comtrade drops such values).',
  formula: `UV = value_usd / net_weight_kg (USD/kg), value_usd / qty (USD per qty_unit); z = (ln UV − mean ln UV) / sd ln UV over the code's observations; outlier when |z| ≥ ${OUTLIER_Z}.`,
  family: 'trade',
  readsTradeInputs: true,
  sortBeforeInsert: true,
  lookback: 0,
  lookahead: 0,
  key: ['source', 'reporter_iso3', 'partner_iso3', 'flow', 'freq', 'period', 'classification', 'product'],
  columns: [
    ...TRADE_PAIR_COLUMNS,
    FLOW,
    { name: 'classification', type: 'text', description: 'The HS edition of the code.' },
    { name: 'hs_level', type: 'integer', description: 'Digits of the HS code: 2, 4 or 6.' },
    { name: 'product', type: 'text', description: 'The HS code.' },
    { name: 'value_usd', type: 'real', unit: 'USD', description: 'The value of the flow.' },
    {
      name: 'net_weight_kg',
      type: 'real',
      unit: 'kg',
      description: 'Its net weight as reported; NULL when not reported.',
    },
    {
      name: 'net_weight_estimated',
      type: 'integer',
      description:
        '1 when the source estimated the weight (Comtrade isNetWgtEstimated): the unit value is as good as the estimate.',
    },
    {
      name: 'usd_per_kg',
      type: 'real',
      unit: 'USD/kg',
      description: 'value_usd / net_weight_kg; NULL with null_reason.',
    },
    { name: 'qty', type: 'real', description: 'The quantity in qty_unit.' },
    { name: 'qty_unit', type: 'text', description: 'The unit of qty as the source names it.' },
    {
      name: 'usd_per_unit',
      type: 'real',
      unit: 'USD per qty_unit',
      description: 'value_usd / qty; NULL without a quantity.',
    },
    {
      ...NULL_REASON,
      description: `Why usd_per_kg is NULL. ${NULL_REASON.description} zero_value: the value is 0 (Comtrade drops unit values ≤ 0).`,
    },
    {
      name: 'observations',
      type: 'integer',
      description:
        'Unit values per kg of the same code, flow, period and source the z-score is taken over: flows with single partner economies (World rows and groups would count each flow twice).',
    },
    {
      name: 'ln_uv_z',
      type: 'real',
      unit: 'standard deviations',
      description: 'z-score of ln(usd_per_kg); NULL under 3 observations.',
    },
    { name: 'outlier', type: 'integer', description: `1 when |ln_uv_z| ≥ ${OUTLIER_Z}.` },
  ],
  select: (scope) => `
    with valued as (
      select source, reporter_iso3, partner_iso3, freq, period, year, month, flow, hs_edition, hs_level, hs_code,
             value_usd, net_weight_kg, net_weight_estimated, qty, qty_unit, uv,
             case when ${COUNTRY_PARTNER('partner_iso3')} then ln(uv) end as country_ln_uv, ln(uv) as ln_uv
      from (
        select *, case when net_weight_kg > 0 and value_usd > 0 then value_usd / net_weight_kg end as uv
        from input_flows where hs_level > 0 and ${scope.write('year')}
      ) as flows
    ),
    spread as (
      -- The spread of the code's unit values with single economies, beside each of its flows:
      -- one pass over the flows sorted by code.
      select v.*, count(country_ln_uv) over code as n, avg(country_ln_uv) over code as mean_ln,
             avg(country_ln_uv * country_ln_uv) over code - avg(country_ln_uv) over code * avg(country_ln_uv) over code
               as var_ln
      from valued v
      window code as (partition by source, flow, freq, period, hs_edition, hs_code)
    ),
    scored as (
      select s.*, case when s.uv is not null and s.n >= 3 and s.var_ln > 1e-12
                       then (s.ln_uv - s.mean_ln) / sqrt(s.var_ln) end as z
      from spread s
    )
    select source, reporter_iso3, partner_iso3, freq, period, year, month, flow, hs_edition, hs_level, hs_code,
           value_usd, net_weight_kg, net_weight_estimated, uv,
           qty, qty_unit, case when qty > 0 then value_usd / qty end,
           case when net_weight_kg is null then 'missing_input'
                when net_weight_kg = 0 then 'zero_base'
                when net_weight_kg < 0 or value_usd < 0 then 'negative_base'
                when value_usd = 0 then 'zero_value' end,
           n, z, coalesce(abs(z) >= ${OUTLIER_Z}, false)
    from scored`,
};
