#!/usr/bin/env node
// `npm start`: the main job with zero set-up. Runs the nightly and ports pipelines over the
// bundled samples into warehouse/corridor.db, then shows what landed, from the derived indicator
// tables: the Pakistan–Kazakhstan balance by year as each side reports it, the top categories,
// the mirror gap, and the tonnage and TEU of Karachi and Port Qasim by fiscal year (the samples
// are illustrative; see sources/*/samples/README.md).
import { loadCli } from '../bin/launch.js';

const runCli = await loadCli();

const PAIR = `((reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ') or (reporter_iso3 = 'KAZ' and partner_iso3 = 'PAK'))`;

// From ind_trade_balance: each side's own declaration of its trade with the other.
const BALANCE_BY_YEAR = `
select period as year,
  round(max(case when reporter_iso3 = 'PAK' then exports_usd end) / 1e6, 2) as pak_exports_musd,
  round(max(case when reporter_iso3 = 'PAK' then imports_usd end) / 1e6, 2) as pak_imports_musd,
  round(max(case when reporter_iso3 = 'PAK' then balance_usd end) / 1e6, 2) as pak_balance_musd,
  round(max(case when reporter_iso3 = 'KAZ' then exports_usd end) / 1e6, 2) as kaz_exports_musd,
  round(max(case when reporter_iso3 = 'KAZ' then imports_usd end) / 1e6, 2) as kaz_imports_musd,
  round(max(case when reporter_iso3 = 'KAZ' then balance_usd end) / 1e6, 2) as kaz_balance_musd
from ind_trade_balance
where source = 'sample-comtrade' and product_kind = 'total' and freq = 'A' and ${PAIR}
group by period order by period`;

// From ind_trade_sums: the top-level categories of the latest year, each flow with the basis of
// its figure (which HS rows it was summed from, and whether they add up).
const TOP_CATEGORIES = `
select s.period as year, s.product as category, case s.flow when 'X' then 'exports' else 'imports' end as flow,
  round(s.value_usd / 1e6, 2) as musd,
  case when s.value_usd is null then 'no figure: the file is coarser than the category'
  else case s.hs_levels when '2' then 'chapter' when '4' then 'heading' when '6' then 'subheading' else 'HS code' end
    || case when s.row_count > 1 then 's ' else ' ' end
    || coalesce(replace(s.codes_drawn_on, ' ', ', '), s.row_count || ' codes')
    || case s.sum_basis when 'exact' then ' (complete)' when 'from_coarser' then ' as published'
         when 'partial' then ' as published; a lower bound' end
  end as basis
from ind_trade_sums s
join hs_categories c on c.scheme = s.classification and c.category = s.product and c.parent is null
where s.source = 'sample-comtrade' and s.reporter_iso3 = 'PAK' and s.partner_iso3 = 'KAZ' and s.product_kind = 'category'
  and s.classification = 'corridor' and s.freq = 'A'
  and s.period = (select max(period) from ind_trade_sums where source = 'sample-comtrade' and reporter_iso3 = 'PAK'
                  and partner_iso3 = 'KAZ' and freq = 'A')
order by s.value_usd desc limit 6`;

// From ind_mirror: what the exporter declares beside what the importer declares.
const MIRROR_GAP = `
select period as year, exporter_iso3 || ' → ' || importer_iso3 as flow,
  round(exports_fob_usd / 1e6, 2) as exporter_says_musd, round(imports_cif_usd / 1e6, 2) as importer_says_musd,
  round(gap_usd / 1e6, 2) as gap_musd, round(cif_fob_ratio, 2) as m_over_x,
  round(symmetric_discrepancy, 2) as discrepancy
from ind_mirror
where product_kind = 'total' and freq = 'A'
  and ((exporter_iso3 = 'PAK' and importer_iso3 = 'KAZ') or (exporter_iso3 = 'KAZ' and importer_iso3 = 'PAK'))
order by period, flow`;

const PORTS_BY_FISCAL_YEAR = `
select port_name as port, fiscal_year,
  round(sum(case when unit = 't' then quantity end) / 1e6, 2) as million_tonnes,
  round(sum(case when unit = 'TEU' then quantity end) / 1e6, 2) as million_teu,
  count(distinct period) as months
from port_throughput
where port_locode in ('PKKHI', 'PKBQM') and freq = 'M'
group by port_name, fiscal_year order by port_name, fiscal_year`;

const trade = await runCli(['run', 'nightly', ...process.argv.slice(2)]);
const ports = await runCli(['run', 'ports', ...process.argv.slice(2)]);
const ok = (code) => code === 0 || code === 3;
if (ok(trade)) {
  console.log(
    '\nPakistan–Kazakhstan balance as each side reports it (US$ million, illustrative samples; totals as published in each TOTAL row):',
  );
  await runCli(['sql', BALANCE_BY_YEAR, '--quiet']);
  console.log(
    "\nPakistan's trade with Kazakhstan by top-level category, latest year loaded (US$ million), and what each figure is summed from:",
  );
  await runCli(['sql', TOP_CATEGORIES, '--quiet']);
  console.log(
    'complete: the finest rows, adding up to the rows above them · as published: a coarser row whose finer rows fall short of it · a lower bound: the rows above the category are not all broken down, so it may hold more (docs/hierarchy-sums.md)',
  );
  console.log('\nMirror gap: what the exporter declares beside what the importer declares (US$ million):');
  await runCli(['sql', MIRROR_GAP, '--quiet']);
}
if (ok(ports)) {
  console.log(
    '\nKarachi and Port Qasim by fiscal year (Jul–Jun; year totals as published, splits illustrative):',
  );
  await runCli(['sql', PORTS_BY_FISCAL_YEAR, '--quiet']);
}
if (ok(trade) || ok(ports)) {
  console.log('\nNext: npx corridor runs · npx corridor rejects · npx corridor sql "select ..."');
  console.log(
    '\nSee it in the browser: npx corridor serve   (then open http://127.0.0.1:8080/; Ctrl-C stops it)',
  );
  console.log('A chart for a report: npx corridor chart trade-by-category --out corridor.svg');
}
process.exitCode = Math.max(trade, ports);
