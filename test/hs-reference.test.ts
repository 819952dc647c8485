/**
 * The HS reference in a real warehouse (migration 0003, warehouse/reference/hs/ and
 * categories.csv): every edition's codes, sections and named categories as DOMAIN.md defines
 * them, conversion into the target edition through the correlation tables, the views over
 * trade rows, and the commands around them (derive, unmapped, add-correlation).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');

if (!HAS_SHARED_DATA) console.info(`hs-reference.test.ts: comparisons with UN lists ${SKIP_REASON}`);

/** One warehouse with the reference, shared by the read-only checks below. */
let referenceDir: string;
let referenceDb: string;
beforeAll(async () => {
  referenceDir = mkdtempSync(join(tmpdir(), 'corridor-hs-reference-'));
  referenceDb = join(referenceDir, 'w.db');
  const run = await cli(['init', '--db', referenceDb]);
  expect(run.code).toBe(0);
});
afterAll(() => rmSync(referenceDir, { recursive: true, force: true }));

const codesOf = (edition: string, where = 'level = 6') =>
  query<{ code: string }>(
    referenceDb,
    `select code from hs_codes where edition = ? and ${where} order by code`,
    edition,
  ).map((r) => r.code);
const categoryCodes = (category: string, edition: string, level = 6) =>
  query<{ code: string }>(
    referenceDb,
    `select c.code from hs_code_categories c join hs_codes h on h.edition = c.edition and h.code = c.code
     where c.category = ? and c.edition = ? and h.level = ? order by c.code`,
    category,
    edition,
    level,
  ).map((r) => r.code);

describe('the HS nomenclature of every edition', () => {
  it('has the chapters, headings and subheadings DOMAIN.md counts for HS 2022 and HS 2017', () => {
    const counts = (edition: string) =>
      Object.fromEntries(
        query<{ level: number; n: number }>(
          referenceDb,
          'select level, count(*) as n from hs_codes where edition = ? group by level',
          edition,
        ).map((r) => [r.level, r.n]),
      );
    expect(counts('H6')).toEqual({ 0: 1, 2: 97, 4: 1229, 6: 5613 });
    expect(counts('H5')).toEqual({ 0: 1, 2: 97, 4: 1223, 6: 5388 });
    for (const edition of ['H0', 'H1', 'H2', 'H3', 'H4'])
      expect(codesOf(edition).length, edition).toBeGreaterThan(5000);
  });

  it('puts every code of every edition in exactly one HS section (special codes in "special"), and TOTAL in none', () => {
    const misplaced = query(
      referenceDb,
      `select h.edition, h.code, count(c.category) as sections from hs_codes h
       left join hs_code_categories c on c.edition = h.edition and c.code = h.code and c.scheme = 'section'
       where h.code <> 'TOTAL'
       group by h.edition, h.code having count(c.category) <> 1 limit 5`,
    );
    expect(misplaced).toEqual([]);
    expect(scalar(referenceDb, "select count(*) from hs_code_categories where code = 'TOTAL'")).toBe(0);
    expect(
      scalar(referenceDb, "select count(distinct category) from hs_code_categories where scheme = 'section'"),
    ).toBe(22);
    expect(
      scalar(
        referenceDb,
        "select category from hs_code_categories where scheme = 'section' and edition = 'H3' and code = '100190'",
      ),
    ).toBe('II');
  });

  it('keeps TOTAL, 99, 9999 and 999999 in every edition as special codes', () => {
    const specials = query<{ edition: string; n: number }>(
      referenceDb,
      "select edition, count(*) as n from hs_codes where code in ('TOTAL', '99', '9999', '999999') and special is not null group by edition",
    );
    expect(specials).toHaveLength(8); // H0–H6 and HS (edition not stated)
    expect(specials.every((s) => s.n === 4)).toBe(true);
  });

  it.skipIf(!HAS_SHARED_DATA)(
    'derives the H0–H4 subheadings that UN Comtrade lists, less its own additions (amended 2710 codes, 9999AA)',
    () => {
      const files = {
        H0: 'H0_HS1992',
        H1: 'H1_HS1996',
        H2: 'H2_HS2002',
        H3: 'H3_HS2007',
        H4: 'H4_HS2012',
        H5: 'H5_HS2017',
        H6: 'H6_HS2022',
      };
      for (const [edition, file] of Object.entries(files)) {
        const text = readFileSync(join(SHARED_DATA, 'hs', `comtrade_classification_${file}.csv`), 'utf8');
        const un = new Set(
          Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
            .data.filter((r) => r.aggrlevel === '6')
            .map((r) => r.id!),
        );
        const ours = codesOf(edition);
        expect(
          ours.filter((c) => !un.has(c)),
          `${edition}: codes UN Comtrade does not list`,
        ).toEqual([]);
        const onlyUn = [...un].filter((c) => !ours.includes(c));
        expect(
          onlyUn.every((c) => c.startsWith('2710') || c === '9999AA'),
          `${edition}: ${onlyUn.join(' ')}`,
        ).toBe(true);
      }
    },
  );
});

describe('categories as DOMAIN.md §3 defines them', () => {
  it('potash is heading 3104 (310410 only until HS 2002) and the potassic mixtures NPK 310520 and PK 310560', () => {
    expect(categoryCodes('potash', 'H6')).toEqual(['310420', '310430', '310490', '310520', '310560']);
    expect(categoryCodes('potash', 'H5')).toEqual(['310420', '310430', '310490', '310520', '310560']);
    expect(categoryCodes('potash', 'H0')).toEqual([
      '310410',
      '310420',
      '310430',
      '310490',
      '310520',
      '310560',
    ]);
    expect(categoryCodes('fertilizers', 'H6')).toContain('310520');
    expect(categoryCodes('potash', 'H6')).not.toContain('310590');
    expect(categoryCodes('fertilizers', 'H6', 4)).not.toContain('2510');
    expect(categoryCodes('fertilizers', 'H6', 4)).not.toContain('2814');
  });

  it('grain is wheat, barley, maize and rice, with the HS 2012 wheat split', () => {
    expect(categoryCodes('grain', 'H6', 4)).toEqual(['1001', '1003', '1005', '1006']);
    expect(categoryCodes('wheat', 'H3')).toEqual(['100110', '100190']);
    expect(categoryCodes('wheat', 'H4')).toEqual(['100111', '100119', '100191', '100199']);
  });

  it('mandarins follow the HS 2017 citrus split', () => {
    expect(categoryCodes('mandarins', 'H4')).toEqual(['080520']);
    expect(categoryCodes('mandarins', 'H5')).toEqual(['080521', '080522', '080529']);
  });

  it('does not put a chapter or heading in a category that excludes part of it', () => {
    expect(categoryCodes('yarn_fabric', 'H6', 2)).toEqual(['54', '55', '56', '57', '58', '59', '60']);
    expect(categoryCodes('yarn_fabric', 'H6', 4)).toContain('5205');
    expect(categoryCodes('yarn_fabric', 'H6', 4)).not.toContain('5201');
    expect(categoryCodes('textiles', 'H6', 2)).toContain('50');
  });

  it('textiles are chapters 50–63, split exhaustively into fibres, yarn and fabric, apparel and made-ups', () => {
    expect(categoryCodes('textiles', 'H6', 2)).toEqual([
      '50',
      '51',
      '52',
      '53',
      '54',
      '55',
      '56',
      '57',
      '58',
      '59',
      '60',
      '61',
      '62',
      '63',
    ]);
    const textiles = categoryCodes('textiles', 'H6');
    const parts = ['textile_fibres', 'yarn_fabric', 'apparel', 'made_up_textiles'].flatMap((c) =>
      categoryCodes(c, 'H6'),
    );
    expect([...parts].sort()).toEqual(textiles);
    expect(categoryCodes('textile_fibres', 'H6')).toContain('520100');
    expect(categoryCodes('yarn_fabric', 'H6')).not.toContain('520100');
  });

  it('has every category the issue names', () => {
    const named = query<{ category: string }>(
      referenceDb,
      "select category from hs_categories where scheme = 'corridor' order by category",
    ).map((r) => r.category);
    for (const c of [
      'potash',
      'fertilizers',
      'grain',
      'wheat',
      'rice',
      'maize',
      'barley',
      'textiles',
      'textile_fibres',
      'yarn_fabric',
      'apparel',
      'made_up_textiles',
      'oil_petroleum',
      'crude_oil',
      'petroleum_products',
      'petroleum_gas',
      'coal',
      'sugar',
      'pharmaceuticals',
      'metals',
      'ores',
      'iron_steel',
      'copper',
      'aluminium',
      'zinc',
      'machinery',
      'vehicles',
      'pulses',
      'fruit',
    ])
      expect(named, c).toContain(c);
  });
});

describe('conversion into HS 2022 through the correlation tables', () => {
  const conversion = (edition: string, code: string) =>
    query<{ to_code: string; weight: number; approximate: number }>(
      referenceDb,
      "select to_code, weight, approximate from hs_conversion where from_edition = ? and from_code = ? and to_edition = 'H6' order by to_code",
      edition,
      code,
    );

  it('splits HS 2007 wheat 100190 equally into the two HS 2012 codes it became, marked approximate', () => {
    expect(conversion('H3', '100190')).toEqual([
      { to_code: '100191', weight: 0.5, approximate: 1 },
      { to_code: '100199', weight: 0.5, approximate: 1 },
    ]);
  });

  it('splits HS 2012 mandarins 080520 into 080521, 080522 and 080529, a third each', () => {
    const links = conversion('H4', '080520');
    expect(links.map((l) => l.to_code)).toEqual(['080521', '080522', '080529']);
    for (const l of links) expect(l.weight).toBeCloseTo(1 / 3, 10);
    expect(links.every((l) => l.approximate === 1)).toBe(true);
  });

  it('converts unchanged codes, whole headings and special codes exactly', () => {
    expect(conversion('H5', '310420')).toEqual([{ to_code: '310420', weight: 1, approximate: 0 }]);
    expect(conversion('H0', '520100')).toEqual([{ to_code: '520100', weight: 1, approximate: 0 }]);
    expect(conversion('H4', '1001')).toEqual([{ to_code: '1001', weight: 1, approximate: 0 }]);
    expect(conversion('H3', 'TOTAL')).toEqual([{ to_code: 'TOTAL', weight: 1, approximate: 0 }]);
    expect(conversion('H6', '854911')).toEqual([{ to_code: '854911', weight: 1, approximate: 0 }]);
  });

  it('keeps HS 2017 codes out of the HS 2022 e-waste catch-all 8549 when they continue elsewhere', () => {
    // Each 8549 subheading is linked to about 1,019 HS 2017 codes; an equal split would send
    // 6/7 of laptops' value there.
    expect(conversion('H5', '847130')).toEqual([{ to_code: '847130', weight: 1, approximate: 1 }]);
    const chapter84 = conversion('H5', '84');
    expect(chapter84.find((l) => l.to_code === '84')!.weight).toBeGreaterThan(0.95);
    const eWaste = query<{ n: number }>(
      referenceDb,
      "select count(distinct from_code) as n from hs_conversion where from_edition = 'H5' and to_code like '8549%'",
    );
    expect(eWaste[0]!.n).toBeLessThan(50);
  });

  it('sends every code its whole value: the weights of each code sum to 1', () => {
    const off = query(
      referenceDb,
      "select from_edition, from_code, sum(weight) as total from hs_conversion where to_edition = 'H6' group by 1, 2 having abs(sum(weight) - 1) > 1e-9 limit 5",
    );
    expect(off).toEqual([]);
  });
});

/** A Comtrade+ CSV of annual PAK imports from KAZ in one edition. */
function comtradeFile(name: string, edition: string, rows: readonly [string, number][]): string {
  const header =
    'freqCode,refYear,period,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,classificationCode,cmdCode,primaryValue,netWgt';
  const lines = rows.map(
    ([code, value]) => `A,2021,2021,586,PAK,398,KAZ,M,${edition},${code},${value},${value * 10}`,
  );
  const path = join(tmp(), name);
  writeFileSync(path, `${header}\n${lines.join('\n')}\n`);
  return path;
}
const load = (...files: string[]) => cli(['load', ...files, '--source', 'comtrade', '--db', dbPath()]);

describe('trade in the target edition and by category (views over trade_flows)', () => {
  it('shows HS 2012 rows in HS 2022 codes, split by weight, the total unchanged', async () => {
    expect(
      (
        await load(
          comtradeFile('h4.csv', 'H4', [
            ['080520', 300],
            ['310420', 50],
          ]),
        )
      ).code,
    ).toBe(0);
    const converted = query(
      dbPath(),
      'select reported_hs_code, hs_edition, hs_code, value_usd, converted_approximately from trade_flows_converted order by hs_code',
    );
    expect(converted).toEqual([
      {
        reported_hs_code: '080520',
        hs_edition: 'H6',
        hs_code: '080521',
        value_usd: 100,
        converted_approximately: 1,
      },
      {
        reported_hs_code: '080520',
        hs_edition: 'H6',
        hs_code: '080522',
        value_usd: 100,
        converted_approximately: 1,
      },
      {
        reported_hs_code: '080520',
        hs_edition: 'H6',
        hs_code: '080529',
        value_usd: 100,
        converted_approximately: 1,
      },
      {
        reported_hs_code: '310420',
        hs_edition: 'H6',
        hs_code: '310420',
        value_usd: 50,
        converted_approximately: 0,
      },
    ]);
    expect(scalar(dbPath(), 'select sum(value_usd) from trade_flows_converted')).toBeCloseTo(350, 9);
  });

  it('sums a category at the finest level a file reports, never twice across levels', async () => {
    const file = comtradeFile('levels.csv', 'H5', [
      ['TOTAL', 1000],
      ['31', 180],
      ['3104', 150],
      ['310420', 100],
      ['310490', 50],
      ['310210', 30],
    ]);
    expect((await load(file)).code).toBe(0);
    const byCategory = Object.fromEntries(
      query<{ category: string; value_usd: number; hs_level: number }>(
        dbPath(),
        "select category, value_usd, hs_level from trade_by_category where scheme = 'corridor' order by category",
      ).map((r) => [r.category, [r.value_usd, r.hs_level]]),
    );
    expect(byCategory).toEqual({
      fertilizers: [180, 6],
      nitrogenous_fertilizers: [30, 6],
      potash: [150, 6],
    });
    // TOTAL is in no category, so summing the sections does not count it again.
    expect(
      query(dbPath(), "select category, value_usd from trade_by_category where scheme = 'section'"),
    ).toEqual([{ category: 'VI', value_usd: 180 }]);
  });

  it('switches the target edition with derive --target-edition, without reloading', async () => {
    expect((await load(comtradeFile('h6.csv', 'H6', [['080521', 70]]))).code).toBe(0);
    const derive = await cli(['derive', '--target-edition', 'H4', '--db', dbPath()]);
    expect(derive.code).toBe(0);
    expect(derive.stdout).toMatch(/target HS edition H4 \(was H6\)/);
    expect(query(dbPath(), 'select hs_edition, hs_code, value_usd from trade_flows_converted')).toEqual([
      { hs_edition: 'H4', hs_code: '080520', value_usd: 70 },
    ]);
    const bad = await cli(['derive', '--target-edition', 'H9', '--db', dbPath()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an HS edition/);
  });
});

describe('corridor unmapped', () => {
  it('lists the codes rows were rejected for, with counts and the file', async () => {
    const file = comtradeFile('bad.csv', 'H5', [
      ['100190', 1],
      ['100190', 2],
      ['310420', 3],
      ['TOTAL', 6],
    ]);
    await load(file);
    const run = await cli(['unmapped', '--db', dbPath(), '--json']);
    expect(run.code).toBe(0);
    const found = JSON.parse(run.stdout) as {
      rejected: Record<string, unknown>[];
      unconverted: unknown[];
      uncategorised: unknown[];
    };
    expect(found.rejected).toEqual([
      expect.objectContaining({ problem: 'unknown_hs_code', value: '100190', rows: 2, files: 1 }),
    ]);
    expect(String(found.rejected[0]!.example_file)).toMatch(/bad\.csv$/);
    expect(found.unconverted).toEqual([]);
    expect(found.uncategorised).toEqual([]); // TOTAL is in no category by design
    const text = await cli(['unmapped', '--db', dbPath()]);
    expect(text.stdout).toMatch(/unknown_hs_code\s+cmdCode\s+100190\s+2\s+1\s+bad\.csv/);
  });
});

describe('reference additions without a code change', () => {
  let savedReference: string | undefined;
  afterEach(() => {
    if (savedReference === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
    else process.env.CORRIDOR_REFERENCE_DIR = savedReference;
  });
  const useOwnReference = () => {
    savedReference = process.env.CORRIDOR_REFERENCE_DIR;
    const dir = join(tmp(), 'reference');
    cpSync(join(PROJECT_ROOT, 'warehouse', 'reference'), dir, { recursive: true });
    process.env.CORRIDOR_REFERENCE_DIR = dir;
    return dir;
  };

  it('adds a category to categories.csv and derive shows trade in it, without reloading the file', async () => {
    const dir = useOwnReference();
    expect((await load(comtradeFile('urea.csv', 'H5', [['310210', 40]]))).code).toBe(0);
    writeFileSync(
      join(dir, 'categories.csv'),
      `${readFileSync(join(dir, 'categories.csv'), 'utf8')}corridor,urea,Urea,nitrogenous_fertilizers,,310210,,A test category\n`,
    );
    const loadsBefore = scalar(dbPath(), 'select count(*) from load_files');
    const derive = await cli(['derive', '--db', dbPath()]);
    expect(derive.code).toBe(0);
    expect(derive.stdout).toMatch(/reloaded .*categories\.csv/);
    expect(scalar(dbPath(), "select value_usd from trade_by_category where category = 'urea'")).toBe(40);
    expect(scalar(dbPath(), 'select count(*) from load_files')).toBe(loadsBefore);
  });

  it('splits by trade-based weights a user supplies in hs/conversion-weights.csv instead of equally', async () => {
    const dir = useOwnReference();
    writeFileSync(
      join(dir, 'hs', 'conversion-weights.csv'),
      'from_edition,from_code,to_edition,to_code,weight\nH4,080520,H5,080521,6\nH4,080520,H5,080522,3\nH4,080520,H5,080529,1\n',
    );
    expect((await load(comtradeFile('h4.csv', 'H4', [['080520', 300]]))).code).toBe(0);
    const rows = query<{ hs_code: string; value_usd: number; converted_approximately: number }>(
      dbPath(),
      'select hs_code, value_usd, converted_approximately from trade_flows_converted order by hs_code',
    );
    expect(
      rows.map((r) => [r.hs_code, Math.round(r.value_usd * 1e6) / 1e6, r.converted_approximately]),
    ).toEqual([
      ['080521', 180, 1],
      ['080522', 90, 1],
      ['080529', 30, 1],
    ]);
  });

  it('adds an HS 2027 correlation table written as the UN publishes them, and converts into it', async () => {
    useOwnReference();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Conversions').addRow(['From HS2027', 'To HS2022']);
    const sheet = workbook.addWorksheet('Correlation Tables');
    sheet.addRow([]);
    sheet.addRow(['HS2027', ' HS2022', 'Relationship']);
    sheet.addRow(['080521', '080521', '1:1']);
    sheet.addRow(['310421', '310420', 'n:1']);
    sheet.addRow(['310422', '310420', 'n:1']);
    const path = join(tmp(), 'HS2027_to_HS2022.xlsx');
    await workbook.xlsx.writeFile(path);

    const add = await cli(['add-correlation', path, '--db', dbPath()]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Added 3 links from HS edition H7 to HS 2022 \(H6\)/);
    expect((await load(comtradeFile('h6.csv', 'H6', [['310420', 80]]))).code).toBe(0);
    expect((await cli(['derive', '--target-edition', 'H7', '--db', dbPath()])).code).toBe(0);
    expect(
      query(dbPath(), 'select hs_edition, hs_code, value_usd from trade_flows_converted order by hs_code'),
    ).toEqual([
      { hs_edition: 'H7', hs_code: '310421', value_usd: 40 },
      { hs_edition: 'H7', hs_code: '310422', value_usd: 40 },
    ]);
  });

  it('refuses a table between editions that are not adjacent, and leaves the reference unchanged', async () => {
    const dir = useOwnReference();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Correlation Tables');
    sheet.addRow(['HS2022', 'HS2012', 'Relationship']);
    sheet.addRow(['080521', '080520', 'n:1']);
    const path = join(tmp(), 'HS2022_to_HS2012.xlsx');
    await workbook.xlsx.writeFile(path);

    const add = await cli(['add-correlation', path, '--db', dbPath()]);

    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/H6 and H4 are not adjacent editions/);
    expect(readdirSync(join(dir, 'hs')).filter((f) => f.startsWith('hs-correlations'))).toEqual([
      'hs-correlations.csv',
    ]);
  });

  it.skipIf(!HAS_SHARED_DATA)(
    'reads the UN HS 2022–2017 (.xlsx) and 2012–2007 (.xls) tables into the same links the shipped reference holds',
    async () => {
      const dir = useOwnReference();
      for (const [file, name] of [
        ['HS2022_to_HS2017_ConversionAndCorrelationTables.xlsx', 'hs-correlations-H6-H5.csv'],
        ['HS2012_to_HS2007_CorrelationAndConversionTables.xls', 'hs-correlations-H4-H3.csv'],
      ] as const) {
        const add = await cli([
          'add-correlation',
          join(SHARED_DATA, 'hs-concordance', file),
          '--db',
          dbPath(),
        ]);
        expect(add.code, add.stderr).toBe(0);
        const parse = (f: string) =>
          Papa.parse<Record<string, string>>(readFileSync(join(dir, 'hs', f), 'utf8'), {
            header: true,
            skipEmptyLines: true,
          }).data.map(
            (r) => `${r.newer_edition} ${r.newer_code} ${r.older_edition} ${r.older_code} ${r.relationship}`,
          );
        const added = new Set(parse(name));
        const [newer] = name.match(/H\d/)!;
        const shipped = parse('hs-correlations.csv').filter((l) => l.startsWith(`${newer} `));
        expect(added.size).toBe(shipped.length);
        expect(shipped.every((l) => added.has(l))).toBe(true);
      }
    },
  );
});
