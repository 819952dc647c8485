/** ind_trade_intensity: whether a reporter exports to a partner more than the world does. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PARTNER, PERIOD_COLUMNS, REPORTER, SOURCE } from './trade-columns.ts';
import { COUNTRY_PARTNER } from './trade-inputs.ts';

export const tradeIntensity: IndicatorDefinition = {
  table: 'ind_trade_intensity',
  description:
    "The trade intensity index: the partner's share of the reporter's exports against its share of the exports of every reporter loaded from the same source (the world as loaded, as for RCA). Total trade only.",
  formula:
    'TII_ij = (X_ij / X_i) / (X_wj / X_w), w = the reporters loaded; > 1 = more intense than the world.',
  family: 'trade',
  readsTradeInputs: true,
  lookback: 0,
  lookahead: 0,
  key: ['source', 'reporter_iso3', 'partner_iso3', 'freq', 'period'],
  columns: [
    SOURCE,
    REPORTER,
    PARTNER,
    ...PERIOD_COLUMNS,
    {
      name: 'exports_usd',
      type: 'real',
      unit: 'USD',
      description: "X_ij: the reporter's exports to the partner.",
    },
    {
      name: 'reporter_exports_usd',
      type: 'real',
      unit: 'USD',
      description: "X_i: the reporter's exports to the world.",
    },
    {
      name: 'world_exports_to_partner_usd',
      type: 'real',
      unit: 'USD',
      description: 'X_wj: exports to the partner by every reporter loaded.',
    },
    {
      name: 'world_exports_usd',
      type: 'real',
      unit: 'USD',
      description: 'X_w: exports of every reporter loaded.',
    },
    { name: 'intensity', type: 'real', unit: 'ratio', description: 'TII_ij; NULL with null_reason.' },
    {
      name: 'world_reporters',
      type: 'integer',
      description: 'Reporters making up the "world"; with 1 the index is NULL (single_item).',
    },
    {
      name: 'partner_reporters',
      type: 'integer',
      description:
        'Reporters loaded that export to the partner. With 1, X_wj is X_ij and the index reduces to X_w / X_i, the same for every partner: NULL (single_item).',
    },
    NULL_REASON,
    { ...SMALL_BASE, description: `1 when X_ij is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  select: (scope) => `
    with bilateral as (
      select p.*, sum(p.value_usd) over (partition by p.source, p.partner_iso3, p.freq, p.period) as to_partner,
             count(*) over (partition by p.source, p.partner_iso3, p.freq, p.period) as partner_reporters
      from input_pair_totals p
      where p.flow = 'X' and ${COUNTRY_PARTNER('p.partner_iso3')} and ${scope.write('p.year')}
    ),
    world as (
      select source, freq, period, sum(value_usd) as total, count(*) as reporters
      from input_reporter_totals where flow = 'X' and ${scope.write('year')}
      group by source, freq, period
    )
    select b.source, b.reporter_iso3, b.partner_iso3, b.freq, b.period, b.year, b.month,
           b.value_usd, r.value_usd, b.to_partner, w.total,
           case when w.reporters > 1 and b.partner_reporters > 1 and r.value_usd > 0 and b.to_partner > 0
                 and w.total > 0
                then (b.value_usd / r.value_usd) / (b.to_partner / w.total) end,
           w.reporters, b.partner_reporters,
           case when w.reporters = 1 or b.partner_reporters = 1 then 'single_item'
                when r.value_usd is null then 'missing_input'
                when r.value_usd = 0 or b.to_partner = 0 or w.total = 0 then 'zero_base' end,
           b.value_usd < ${SMALL_TRADE_USD}
    from bilateral b
    join world w on w.source = b.source and w.freq = b.freq and w.period = b.period
    left join input_reporter_totals r on r.source = b.source and r.reporter_iso3 = b.reporter_iso3
                               and r.flow = 'X' and r.freq = b.freq and r.period = b.period`,
};
