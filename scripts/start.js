#!/usr/bin/env node
// `npm start`: the main job with zero set-up. Runs the nightly pipeline over the bundled
// samples into warehouse/corridor.db, then shows what landed: Pakistan–Kazakhstan trade by
// year as each side reports it (the samples are illustrative; see sources/*/samples/README.md).
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

const code = await runCli(['run', 'nightly', ...process.argv.slice(2)]);
if (code === 0 || code === 3) {
  console.log('\nPakistan–Kazakhstan trade as each side reports it (US$ million, illustrative samples):');
  await runCli(['sql', MIRROR_BY_YEAR, '--quiet']);
  console.log('\nNext: npx corridor runs · npx corridor rejects · npx corridor sql "select ..."');
}
process.exitCode = code;
