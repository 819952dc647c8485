/** ind_rca: Balassa's revealed comparative advantage against a loaded world basis (trade-world-basis.ts). */
import { type IndicatorDefinition, NULL_REASON, SMALL_BASE, SMALL_TRADE_USD } from './indicator.ts';
import { PERIOD_COLUMNS, REPORTER, SOURCE } from './trade-columns.ts';
import { NO_WORLD_BASIS } from './trade-world-basis.ts';

export const tradeRca: IndicatorDefinition = {
  table: 'ind_rca',
  description:
    "Balassa's revealed comparative advantage of a reporter in an HS code: its share of the reporter's exports against the code's share of the world's exports in the same year, HS edition and level. The world is, per year and HS edition, a world-totals file the user loaded, else a loaded BACI year, else a Comtrade extract of all reporters, else the bundled BACI sample (docs/world-basis.md); never the reporters loaded nor a reporter's World row: without one (two Comtrade reporters only, a monthly period, another HS edition) the index is NULL with no_world_basis.",
  formula:
    'RCA_ik = (x_ik / X_i) / (x_wk / X_w), w = the world of the world basis (world-totals file, BACI, or Comtrade all reporters); > 1 reveals an advantage.',
  family: 'trade',
  readsTradeInputs: true,
  // A world-totals, BACI or Comtrade load changes the world of every source's rows of its year.
  acrossSources: true,
  lookback: 0,
  lookahead: 0,
  key: ['source', 'reporter_iso3', 'freq', 'period', 'classification', 'product'],
  columns: [
    SOURCE,
    REPORTER,
    ...PERIOD_COLUMNS,
    { name: 'classification', type: 'text', description: 'The HS edition of the codes (H5…).' },
    { name: 'hs_level', type: 'integer', description: 'Digits of the HS code: 2, 4 or 6.' },
    { name: 'product', type: 'text', description: 'The HS code (text, leading zeros kept).' },
    {
      name: 'exports_usd',
      type: 'real',
      unit: 'USD',
      description: "x_ik: the reporter's exports of the code to the world.",
    },
    {
      name: 'reporter_exports_usd',
      type: 'real',
      unit: 'USD',
      description: "X_i: the reporter's exports of every code at that level (same edition).",
    },
    {
      name: 'world_product_exports_usd',
      type: 'real',
      unit: 'USD',
      description:
        "x_wk: the world's exports of the code in the world basis: the world-totals file's figure, the sum over every BACI exporter (HS6 summed to headings and chapters), or the sum over the Comtrade reporters of their World exports of it; 0 when the basis has no such code; NULL without a basis.",
    },
    {
      name: 'world_exports_usd',
      type: 'real',
      unit: 'USD',
      description:
        "X_w: the world's exports in the basis: a world-totals file's TOTAL row, else the sum over the codes of that level and edition; NULL without a basis.",
    },
    { name: 'rca', type: 'real', unit: 'ratio', description: 'The index; NULL with null_reason.' },
    {
      name: 'world_reporters',
      type: 'integer',
      description:
        'How many exporters the world basis holds for the year and edition (BACI: every exporter; Comtrade: the reporters counted); NULL for a world-totals file and without a basis.',
    },
    {
      name: 'world_basis',
      type: 'text',
      description:
        'The world the row was compared with: `world-totals:<source note or file name>`, `baci:<release>` (`baci:V202401b`), `comtrade:all-reporters(<n>)`, `sample-baci:…` for the bundled invented sample, or `none` (null_reason no_world_basis). Never the reporters loaded, never a World partner row.',
    },
    {
      name: 'partner_basis',
      type: 'text',
      description:
        "How the reporter's exports to the world were taken: world_row (its World partner rows) or sum_of_partners_loaded (only the partners loaded).",
    },
    {
      ...NULL_REASON,
      description: `${NULL_REASON.description} Here also no_world_basis: no world basis covers the year and HS edition (a monthly period has none).`,
    },
    {
      ...SMALL_BASE,
      description: `1 when the reporter's exports of the code are under ${SMALL_TRADE_USD.toLocaleString('en')} USD.`,
    },
  ],
  select: (scope) => `
    with exports as (
      select *,
             sum(value_usd) over (partition by source, reporter_iso3, freq, period, hs_edition, hs_level) as reporter_total
      from input_world_products where flow = 'X' and value_usd is not null and ${scope.write('year')}
    )
    select e.source, e.reporter_iso3, e.freq, e.period, e.year, e.month, e.hs_edition, e.hs_level, e.hs_code,
           e.value_usd, e.reporter_total,
           case when t.value_usd is not null then coalesce(w.value_usd, 0) end, t.value_usd,
           case when t.value_usd > 0 and e.reporter_total > 0 and w.value_usd > 0
                then (e.value_usd / e.reporter_total) / (w.value_usd / t.value_usd) end,
           case when t.value_usd is not null then b.exporters end,
           case when t.value_usd is not null then b.world_basis else '${NO_WORLD_BASIS}' end,
           e.world_basis,
           case when t.value_usd is null then 'no_world_basis'
                when e.reporter_total = 0 or coalesce(w.value_usd, 0) = 0 or t.value_usd = 0 then 'zero_base'
                when e.reporter_total < 0 or w.value_usd < 0 then 'negative_base' end,
           e.value_usd < ${SMALL_TRADE_USD}
    from exports e
    left join input_world_basis b on e.freq = 'A' and b.basis_for = 'products' and b.year = e.year
                                 and b.hs_edition = e.hs_edition
    left join input_world_basis_totals t on b.year is not null and t.year = e.year and t.hs_edition = e.hs_edition
                                        and t.hs_level = e.hs_level
    left join input_world_basis_products w on b.year is not null and w.year = e.year and w.hs_edition = e.hs_edition
                                          and w.hs_level = e.hs_level and w.hs_code = e.hs_code`,
};
