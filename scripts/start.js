#!/usr/bin/env node
// `npm start`: the main job with zero set-up. Runs the nightly and ports pipelines over the
// bundled samples into warehouse/corridor.db, then shows what landed: Pakistan–Kazakhstan trade
// by year as each side reports it, and the tonnage and TEU of Karachi and Port Qasim by fiscal
// year (the samples are illustrative; see sources/*/samples/README.md).
import { loadCli } from '../bin/launch.js';

const runCli = await loadCli();

const MIRROR_BY_YEAR = `
select period as year,
  round(sum(case when reporter_iso3 = 'PAK' and flow = 'X' then value_usd end) / 1e6, 2) as pak_exports_to_kaz_musd,
  round(sum(case when reporter_iso3 = 'PAK' and flow = 'M' then value_usd end) / 1e6, 2) as pak_imports_from_kaz_musd,
  round(sum(case when reporter_iso3 = 'KAZ' and flow = 'X' then value_usd end) / 1e6, 2) as kaz_exports_to_pak_musd,
  round(sum(case when reporter_iso3 = 'KAZ' and flow = 'M' then value_usd end) / 1e6, 2) as kaz_imports_from_pak_musd
from trade_flows
where source = 'comtrade' and hs_code = 'TOTAL' and freq = 'A'
  and ((reporter_iso3 = 'PAK' and partner_iso3 = 'KAZ') or (reporter_iso3 = 'KAZ' and partner_iso3 = 'PAK'))
group by period order by period`;

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
  console.log('\nPakistan–Kazakhstan trade as each side reports it (US$ million, illustrative samples):');
  await runCli(['sql', MIRROR_BY_YEAR, '--quiet']);
}
if (ok(ports)) {
  console.log(
    '\nKarachi and Port Qasim by fiscal year (Jul–Jun; year totals as published, splits illustrative):',
  );
  await runCli(['sql', PORTS_BY_FISCAL_YEAR, '--quiet']);
}
if (ok(trade) || ok(ports))
  console.log('\nNext: npx corridor runs · npx corridor rejects · npx corridor sql "select ..."');
process.exitCode = Math.max(trade, ports);
