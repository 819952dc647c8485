/** ind_trade_intensity: whether a reporter exports to a partner more than the world does. */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PARTNER, PERIOD_COLUMNS, REPORTER, SOURCE } from './trade-columns.ts';
import { COUNTRY_PARTNER } from './trade-inputs.ts';
import { NO_WORLD_BASIS, SINGLE_ECONOMY } from './trade-world-basis.ts';

export const tradeIntensity: IndicatorDefinition = {
  table: 'ind_trade_intensity',
  description:
    "The trade intensity index: the partner's share of the reporter's exports against its share of the world's exports in the year, the world being a loaded BACI year (every exporter), else a Comtrade extract of all reporters, else the bundled BACI sample (docs/world-basis.md; a world-totals file has no partners), never the reporters loaded nor a reporter's World row; without one the index is NULL with no_world_basis. Total trade only.",
  formula:
    'TII_ij = (X_ij / X_i) / (X_wj / X_w), w = the world of the world basis (BACI or Comtrade all reporters); > 1 = more intense than the world.',
  family: 'trade',
  readsTradeInputs: true,
  // A BACI or Comtrade load changes the world of every source's rows of its year.
  acrossSources: true,
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
      description:
        "X_wj: the world's exports to the partner: the sum over every exporter in the world basis; NULL without a basis.",
    },
    {
      name: 'world_exports_usd',
      type: 'real',
      unit: 'USD',
      description:
        "X_w: the world's exports: every exporter's total in the world basis; NULL without a basis.",
    },
    { name: 'intensity', type: 'real', unit: 'ratio', description: 'TII_ij; NULL with null_reason.' },
    {
      name: 'world_reporters',
      type: 'integer',
      description: 'Exporters in the world basis for the year; NULL without a basis.',
    },
    {
      name: 'partner_reporters',
      type: 'integer',
      description: 'Exporters in the world basis that export to the partner; NULL without a basis.',
    },
    {
      name: 'world_basis',
      type: 'text',
      description:
        'The world the row was compared with: `baci:<release>` (`baci:V202401b`), `comtrade:all-reporters(<n>)`, `sample-baci:…`, or `none` (null_reason no_world_basis).',
    },
    {
      ...NULL_REASON,
      description: `${NULL_REASON.description} Here also no_world_basis: no world basis with partners covers the year (a monthly period has none).`,
    },
    { ...SMALL_BASE, description: `1 when X_ij is under ${SMALL_TRADE_USD.toLocaleString('en')} USD.` },
  ],
  select: (scope) => `
    with bilateral as (
      select p.* from input_pair_totals p
      where p.flow = 'X' and ${COUNTRY_PARTNER('p.partner_iso3')} and ${scope.write('p.year')}
    ),
    basis as (select * from input_world_basis where basis_for = 'partners'),
    world as (
      select b.year, b.world_basis, sum(t.value_usd) as total, count(*) as reporters
      from basis b
      join input_reporter_totals t on t.source = b.source and t.year = b.year and t.flow = 'X' and t.freq = 'A'
                                  and ${SINGLE_ECONOMY('t.reporter_iso3')}
      group by b.year, b.world_basis
    ),
    to_partner as (
      select b.year, p.partner_iso3, sum(p.value_usd) as value_usd, count(*) as reporters
      from basis b
      join input_pair_totals p on p.source = b.source and p.year = b.year and p.flow = 'X' and p.freq = 'A'
                              and ${SINGLE_ECONOMY('p.reporter_iso3')}
      group by b.year, p.partner_iso3
    )
    select b.source, b.reporter_iso3, b.partner_iso3, b.freq, b.period, b.year, b.month,
           b.value_usd, r.value_usd,
           case when w.total is not null then coalesce(tp.value_usd, 0) end, w.total,
           case when w.total > 0 and r.value_usd > 0 and tp.value_usd > 0
                then (b.value_usd / r.value_usd) / (tp.value_usd / w.total) end,
           w.reporters, case when w.total is not null then coalesce(tp.reporters, 0) end,
           coalesce(w.world_basis, '${NO_WORLD_BASIS}'),
           case when w.total is null then 'no_world_basis'
                when r.value_usd is null then 'missing_input'
                when r.value_usd = 0 or coalesce(tp.value_usd, 0) = 0 or w.total = 0 then 'zero_base' end,
           b.value_usd < ${SMALL_TRADE_USD}
    from bilateral b
    left join world w on b.freq = 'A' and w.year = b.year
    left join to_partner tp on w.year is not null and tp.year = b.year and tp.partner_iso3 = b.partner_iso3
    left join input_reporter_totals r on r.source = b.source and r.reporter_iso3 = b.reporter_iso3
                               and r.flow = 'X' and r.freq = b.freq and r.period = b.period`,
};
