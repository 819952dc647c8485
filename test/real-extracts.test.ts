/**
 * The real UN Comtrade extracts in ../shared/data (via comtradr, see its PROVENANCE.md), each
 * loaded straight from there into its own fresh warehouse. They may not be redistributed: they
 * are read in place and never copied into this repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

if (!HAS_SHARED_DATA) console.info(`real-extracts.test.ts ${SKIP_REASON}`);

const TRADE = join(SHARED_DATA, 'fixtures/trade');
const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

/**
 * What each extract must give. Every row of every file is valid, so nothing is rejected: the
 * comtradr CSVs carry `cmd_code` as text with its zeros, known area codes (Thailand's partners
 * include `_X ` with Comtrade's trailing space, which is trimmed), and 0.0 for missing weights,
 * which is not a rejection but NULL.
 */
const EXPECTED: Readonly<Record<string, { rows: number; rejected: number }>> = {
  'comtrade_EU27_imports_from_World_HS44_4digit_2018_2022.csv': { rows: 5004, rejected: 0 },
  'comtrade_FRA_DEU_0306_World_2020_H5.csv': { rows: 4, rejected: 0 },
  'comtrade_THA_shrimp_HS6_all_partners_2007_2011.csv': { rows: 1586, rejected: 0 },
  'comtrade_USA_imports_from_FRA_DEU_JPN_MEX_2018_2022_TOTAL.csv': { rows: 20, rejected: 0 },
  'comtrade_v1_get_C_A_HS_CHN_with_ARG_DEU_2010_TOTAL.json': { rows: 4, rejected: 0 },
};

const THA = 'comtrade_THA_shrimp_HS6_all_partners_2007_2011.csv';
const USA = 'comtrade_USA_imports_from_FRA_DEU_JPN_MEX_2018_2022_TOTAL.csv';
const CHN = 'comtrade_v1_get_C_A_HS_CHN_with_ARG_DEU_2010_TOTAL.json';
const EU27 = 'comtrade_EU27_imports_from_World_HS44_4digit_2018_2022.csv';

const realFiles = () =>
  HAS_SHARED_DATA
    ? readdirSync(TRADE)
        .filter((f) => /^comtrade_.*\.(csv|json)$/.test(f))
        .sort()
    : [];

async function loadReal(name: string) {
  const run = await cli(['load', join(TRADE, name), '--source', 'comtrade', '--db', dbPath()]);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

type CsvRow = Record<string, string>;
const readCsv = (name: string) =>
  Papa.parse<CsvRow>(readFileSync(join(TRADE, name), 'utf8'), { header: true, skipEmptyLines: true }).data;

/** comtradr writes a missing amount as 0.0; on a row with trade value that is unknown, not zero. */
const amount = (cell: string | undefined, value: number): number | null => {
  if (cell === undefined || cell.trim() === '') return null;
  const n = Number(cell);
  return n === 0 && value > 0 ? null : n;
};

describe.skipIf(!HAS_SHARED_DATA)('real Comtrade extracts in ../shared/data', () => {
  it('has a pinned expectation for every comtrade_* extract there', () => {
    expect(realFiles()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))(
    'loads %s whole: rows read = rows loaded + rows rejected',
    async (name, want) => {
      const run = await loadReal(name);

      const [file] = query<{ status: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
        dbPath(),
        'select status, rows_read, rows_loaded, rows_rejected from load_files',
      );
      expect(file).toEqual({
        status: 'loaded',
        rows_read: want.rows,
        rows_loaded: want.rows - want.rejected,
        rows_rejected: want.rejected,
      });
      expect(file!.rows_read).toBe(file!.rows_loaded + file!.rows_rejected);
      expect(scalar(dbPath(), 'select count(*) from trade_flows')).toBe(want.rows - want.rejected);
      expect(scalar(dbPath(), 'select count(*) from rejects')).toBe(want.rejected);
      expect(run.stdout).toMatch(
        new RegExp(`^Loaded ${(want.rows - want.rejected).toLocaleString('en-US')} rows`, 'm'),
      );
    },
  );

  it.each(Object.keys(EXPECTED).filter((f) => f.endsWith('.csv')))(
    'stores every row of %s as the file has it: codes as text, values in dollars, 0.0 weights as NULL',
    async (name) => {
      await loadReal(name);
      const rows = readCsv(name);
      const stored = new Map(
        query<Record<string, string | number | null>>(
          dbPath(),
          'select source_row, reporter_iso3, reporter_code, partner_iso3, flow, period, hs_edition, hs_code, typeof(hs_code) as hs_type, value_usd, net_weight_kg from trade_flows',
        ).map((r) => [r.source_row as number, r]),
      );

      expect(stored.size).toBe(rows.length);
      rows.forEach((r, i) => {
        const value = Number(r.primary_value);
        expect(stored.get(i + 2), `row ${i + 2}`).toEqual({
          source_row: i + 2,
          reporter_iso3: r.reporter_iso,
          reporter_code: r.reporter_code,
          partner_iso3: r.partner_iso!.trim(),
          flow: r.flow_code,
          period: r.period,
          hs_edition: r.classification_code,
          hs_code: r.cmd_code,
          hs_type: 'text',
          value_usd: value,
          net_weight_kg: amount(r.net_wgt, value),
        });
      });
    },
  );

  it('gives China 2010 the published totals with Germany and Argentina (CIF imports, FOB exports)', async () => {
    await loadReal(CHN);

    expect(
      query(
        dbPath(),
        'select flow, partner_iso3, value_usd, cif_value_usd, fob_value_usd, hs_code, period from trade_flows order by flow, partner_iso3',
      ),
    ).toEqual([
      {
        flow: 'M',
        partner_iso3: 'ARG',
        value_usd: 6804128143,
        cif_value_usd: 6804128143,
        fob_value_usd: null,
        hs_code: 'TOTAL',
        period: '2010',
      },
      {
        flow: 'M',
        partner_iso3: 'DEU',
        value_usd: 74251272075,
        cif_value_usd: 74251272075,
        fob_value_usd: null,
        hs_code: 'TOTAL',
        period: '2010',
      },
      {
        flow: 'X',
        partner_iso3: 'ARG',
        value_usd: 6115764185,
        cif_value_usd: null,
        fob_value_usd: 6115764185,
        hs_code: 'TOTAL',
        period: '2010',
      },
      {
        flow: 'X',
        partner_iso3: 'DEU',
        value_usd: 68047133397,
        cif_value_usd: null,
        fob_value_usd: 68047133397,
        hs_code: 'TOTAL',
        period: '2010',
      },
    ]);
    expect(
      scalar(
        dbPath(),
        "select count(*) from trade_flows where reporter_iso3 = 'CHN' and reporter_code = '156'",
      ),
    ).toBe(4);
  });

  it("finds Thailand's 11 shrimp rows with Pakistan and the 2007 import of 030613 at $1,849,606", async () => {
    await loadReal(THA);

    expect(scalar(dbPath(), "select count(*) from trade_flows where partner_iso3 = 'PAK'")).toBe(11);
    expect(scalar(dbPath(), "select count(*) from trade_flows where partner_code = '586'")).toBe(11);
    expect(
      query(
        dbPath(),
        "select hs_code, typeof(hs_code) as t, value_usd, cif_value_usd from trade_flows where partner_iso3 = 'PAK' and flow = 'M' and period = '2007'",
      ),
    ).toEqual([{ hs_code: '030613', t: 'text', value_usd: 1849606, cif_value_usd: 1849606 }]);
    expect(query(dbPath(), 'select distinct hs_code from trade_flows order by 1')).toEqual([
      { hs_code: '030613' },
      { hs_code: '030623' },
      { hs_code: '160520' },
      { hs_code: '160540' },
    ]);
    expect(
      scalar(dbPath(), "select count(*) from trade_flows where hs_code like '3%' or length(hs_code) <> 6"),
    ).toBe(0);
    // "_X " (Areas, nes) with Comtrade's trailing space lands as _X.
    expect(scalar(dbPath(), "select count(*) from trade_flows where partner_iso3 like '% %'")).toBe(0);
    expect(scalar(dbPath(), "select count(*) from trade_flows where partner_iso3 = '_X'")).toBeGreaterThan(0);
  });

  it('stores the USA totals with NULL net weight (comtradr 0.0 means missing) and value_usd = primary_value', async () => {
    await loadReal(USA);
    const rows = readCsv(USA);

    expect(rows.every((r) => r.net_wgt === '0.0')).toBe(true);
    expect(
      query(
        dbPath(),
        'select count(*) as n, count(net_weight_kg) as weights, count(qty) as qty from trade_flows',
      ),
    ).toEqual([{ n: 20, weights: 0, qty: 0 }]);
    const values = query<{ source_row: number; value_usd: number; cif_value_usd: number }>(
      dbPath(),
      'select source_row, value_usd, cif_value_usd from trade_flows order by source_row',
    );
    expect(values.map((v) => v.value_usd)).toEqual(rows.map((r) => Number(r.primary_value)));
    expect(values.map((v) => v.cif_value_usd)).toEqual(rows.map((r) => Number(r.primary_value)));
    // The 2018 import from Germany, checked by hand against the file.
    expect(
      scalar(dbPath(), "select value_usd from trade_flows where partner_iso3 = 'DEU' and period = '2018'"),
    ).toBe(128345618454);
  });

  it('keeps the EU27 codes as text at their level (chapters, headings, subheadings) for 27 reporters, in both HS editions', async () => {
    await loadReal(EU27);

    expect(scalar(dbPath(), 'select count(distinct reporter_iso3) from trade_flows')).toBe(27);
    expect(query(dbPath(), 'select distinct partner_iso3, flow from trade_flows')).toEqual([
      { partner_iso3: 'W00', flow: 'M' },
    ]);
    expect(
      query(dbPath(), 'select hs_edition, count(*) as n from trade_flows group by 1 order by 1'),
    ).toEqual([
      { hs_edition: 'H5', n: 3979 },
      { hs_edition: 'H6', n: 1025 },
    ]);
    // Despite its name the extract also holds chapters 48/49 and some 47xx/94xx codes.
    expect(
      query(
        dbPath(),
        'select hs_level, substr(hs_code, 1, 2) as chapter, count(*) as n from trade_flows group by 1, 2 order by 1, 2',
      ),
    ).toEqual([
      { hs_level: 2, chapter: '48', n: 135 },
      { hs_level: 2, chapter: '49', n: 135 },
      { hs_level: 4, chapter: '44', n: 2815 },
      { hs_level: 4, chapter: '47', n: 621 },
      { hs_level: 4, chapter: '94', n: 135 },
      { hs_level: 6, chapter: '47', n: 464 },
      { hs_level: 6, chapter: '94', n: 699 },
    ]);
    expect(
      scalar(
        dbPath(),
        "select count(*) from trade_flows where hs_level <> length(hs_code) or typeof(hs_code) <> 'text'",
      ),
    ).toBe(0);
  });
});
