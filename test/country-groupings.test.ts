/**
 * Country groupings and special partners: the names bureaus print for groupings (the EU, the
 * CIS, the EAEU, the far abroad, continents, the SCO), residuals ("other countries"),
 * international organisations and the territories trade files name in many ways (Macao, Hong
 * Kong, Taiwan, Kosovo, Palestine ...) resolve through CountryResolver over a real warehouse
 * built from the shipped reference, each with its kind; a grouping is a `group`, never a
 * country. Group rows stored in the warehouse stay out of every partner share and count
 * (loaded through the CLI, the indicators refreshed as after any load).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AreaKind, CountryResolver } from '../src/normalize/country-resolver.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';
import { openReferenceWarehouse, type ReferenceWarehouse } from './unit/support/reference-warehouse.ts';

let reference: ReferenceWarehouse;
let countries: CountryResolver;

beforeAll(async () => {
  reference = await openReferenceWarehouse();
  countries = reference.countries;
});

afterAll(async () => {
  await reference?.dispose();
});

const answer = (name: string) => countries.resolve({ name }, 'partner');

/** [name as printed, code, kind]. */
type Expected = readonly [string, string, AreaKind];

const GROUPINGS: readonly Expected[] = [
  ['The EU', 'EUR', 'group'],
  ['EU', 'EUR', 'group'],
  ['European Union', 'EUR', 'group'],
  ['  Страны ЕС', 'EUR', 'group'],
  ['ЕС', 'EUR', 'group'],
  ['Евросоюз', 'EUR', 'group'],
  ['Еуропалық Одақ', 'EUR', 'group'],
  ['Yevropa Ittifoqi', 'EUR', 'group'],
  ['Страны СНГ', 'CIS', 'group'],
  ['СНГ', 'CIS', 'group'],
  ['CIS', 'CIS', 'group'],
  ['КМШ', 'CIS', 'group'],
  ['ТМД елдері', 'CIS', 'group'],
  ['MDH mamlakatlari', 'CIS', 'group'],
  [' Страны ЕАЭС', 'EAEU', 'group'],
  ['ЕАЭС', 'EAEU', 'group'],
  ['EAEU', 'EAEU', 'group'],
  ['ЕАЭБ', 'EAEU', 'group'],
  [' Страны вне ЕАЭС', 'NON_EAEU', 'group'],
  ['  Страны вне ЕС', 'NON_EU', 'group'],
  ['Non-EU countries', 'NON_EU', 'group'],
  ['дальнее зарубежье', 'FAR', 'group'],
  ['Страны дальнего зарубежья', 'FAR', 'group'],
  ['Остальные страны мира', 'FAR', 'group'],
  ['Other countries of the world', 'FAR', 'group'],
  ['Алыс шетел елдері', 'FAR', 'group'],
  ['Uzoq xorij mamlakatlari', 'FAR', 'group'],
  ['ШОС', 'SCO', 'group'],
  ['SCO', 'SCO', 'group'],
  ['Европа', 'EUROPE', 'group'],
  ['Europe', 'EUROPE', 'group'],
  ['Yevropa', 'EUROPE', 'group'],
  ['Азия', 'ASIA', 'group'],
  ['Asia', 'ASIA', 'group'],
  ['Америка', 'AMERICA', 'group'],
  ['Americas', 'AMERICA', 'group'],
  ['Африка', 'AFRICA', 'group'],
  ['Africa', 'AFRICA', 'group'],
  ['Австралия и Океания', 'OCEANIA', 'group'],
  ['Australia and Oceania', 'OCEANIA', 'group'],
  ['Австралия жана Океания', 'OCEANIA', 'group'],
  ['Океания', 'OCEANIA', 'group'],
  ['Oceania', 'OCEANIA', 'group'],
].map(([name, code, kind]) => [name, code === 'EUR' ? code : `_${code}`, kind] as Expected);

/** Parts of the world that are not countries: counted in the world, never a partner of their own in shares. */
const SPECIAL: readonly Expected[] = [
  ['International organisations', '_INTORG', 'special'],
  ['Международные организации', '_INTORG', 'special'],
  ['Организации ООН', '_INTORG', 'special'],
  ['UN organizations', '_INTORG', 'special'],
  ['Другие страны', '_X', 'special'],
  ['Прочие страны', '_X', 'special'],
  ['Other countries', '_X', 'special'],
  ['Boshqa mamlakatlar', '_X', 'special'],
  ['Неопределенная страна', '_X', 'special'],
  ['Undefined country', '_X', 'special'],
  ['Other Asia, nes', 'S19', 'special'],
  ['Kosovo', '_KS', 'special'],
  ['Косово', '_KS', 'special'],
  ['Republic of Kosovo', '_KS', 'special'],
  ['Республика Косово', '_KS', 'special'],
];

const TERRITORIES: readonly Expected[] = [
  ['Macao', 'MAC', 'country'],
  ['Macau', 'MAC', 'country'],
  ['Macao SAR', 'MAC', 'country'],
  ['Макао', 'MAC', 'country'],
  ['Аомынь', 'MAC', 'country'],
  ['Makao', 'MAC', 'country'],
  ['Hong Kong', 'HKG', 'country'],
  ['Hong Kong SAR', 'HKG', 'country'],
  ['Гонконг', 'HKG', 'country'],
  ['Китай (САР Гонконг)', 'HKG', 'country'],
  ['Gonkong', 'HKG', 'country'],
  ['Taiwan, Province of China', 'TWN', 'country'],
  ['Taiwan (China)', 'TWN', 'country'],
  ['Taiwan, China', 'TWN', 'country'],
  ['Тайвань', 'TWN', 'country'],
  ['Тайвань (Китай)', 'TWN', 'country'],
  ['Китайский Тайбэй', 'TWN', 'country'],
  ['Tayvan', 'TWN', 'country'],
  ['State of Palestine', 'PSE', 'country'],
  ['Палестина', 'PSE', 'country'],
  ['Occupied Palestinian Territory', 'PSE', 'country'],
  ['Оккупированная палестинская территория', 'PSE', 'country'],
  ['Falastin', 'PSE', 'country'],
  ['Корея, Республика', 'KOR', 'country'],
  ['Республика Корея', 'KOR', 'country'],
  ['Koreya Respublikasi', 'KOR', 'country'],
  ['КНДР', 'PRK', 'country'],
  ['Вьетнам', 'VNM', 'country'],
  ['Viet Nam', 'VNM', 'country'],
  ['Vyetnam', 'VNM', 'country'],
  ["Кот-д'Ивуар", 'CIV', 'country'],
  ['Côte d’Ivoire', 'CIV', 'country'],
  ["Kot D'ivuar", 'CIV', 'country'],
  ['Гуам (Сша)', 'GUM', 'country'],
  ['Виргинские острова (Британские)', 'VGB', 'country'],
  ['Виргинские острова (США)', 'VIR', 'country'],
  ['Майотта', 'MYT', 'country'],
  ['Конго (Киншаса)', 'COD', 'country'],
  ['Конго (Браззавиль)', 'COG', 'country'],
  ['Qozog‘iston', 'KAZ', 'country'], // U+2018, as typed
  ['Qozogʻiston', 'KAZ', 'country'], // U+02BB, the Uzbek letter
  ["Qirg'iziston", 'KGZ', 'country'],
  ['Pokiston', 'PAK', 'country'],
  ['СССР', 'SUN', 'historical'],
];

describe('CountryResolver: what bureaus print', () => {
  it.each(GROUPINGS)('takes %j for the grouping %s, not a country', (name, iso3, kind) => {
    expect(answer(name)).toEqual({ iso3, kind });
    expect(countries.isGroup(iso3)).toBe(true);
  });

  it.each(SPECIAL)('takes %j for the special partner %s', (name, iso3, kind) => {
    expect(answer(name)).toEqual({ iso3, kind });
  });

  it.each(TERRITORIES)('resolves %j to %s', (name, iso3, kind) => {
    expect(answer(name)).toEqual({ iso3, kind });
  });

  it.each(['Всего', 'Всего\nв том числе', 'Total'])('leaves the table total %j unresolved', (name) => {
    expect(answer(name)).toMatchObject({ problem: 'unknown' });
  });

  it("says a Comtrade group code (97, the EU) is a group, and knows every code's kind", () => {
    expect(countries.resolve({ code: '97', iso: 'EUR' }, 'partner')).toEqual({ iso3: 'EUR', kind: 'group' });
    expect(countries.kindOf('R4')).toBe('group');
    expect(countries.kindOf('W00')).toBe('special');
    expect(countries.kindOf('PAK')).toBe('country');
    expect(countries.kindOf('DDR')).toBe('historical');
    expect(countries.kindOf('QQQ')).toBeNull();
    expect(countries.isGroup('PAK')).toBe(false);
  });

  it('keeps the kinds in the snapshot a worker thread rebuilds the resolver from', () => {
    const copy = CountryResolver.fromSnapshot(structuredClone(countries.toSnapshot()));
    expect(copy.resolve({ name: 'Страны СНГ' }, 'partner')).toEqual({ iso3: '_CIS', kind: 'group' });
    expect(copy.resolve({ name: 'Macao' }, 'partner')).toEqual({ iso3: 'MAC', kind: 'country' });
  });
});

describe('group partners in the indicators', () => {
  const tmp = useTempDir();
  const db = () => join(tmp(), 'w.db');

  /** Pakistan's exports in 2023, as Comtrade TOTAL rows: [partner code, ISO, name, US dollars]. */
  const comtradeFile = (name: string, partners: readonly (readonly [number, string, string, number])[]) => {
    const rows = partners.map(([partnerCode, partnerISO, partnerDesc, value]) =>
      plusRow({
        refYear: 2023,
        period: '2023',
        partnerCode,
        partnerISO,
        partnerDesc,
        fobvalue: value,
        primaryValue: value,
      }),
    );
    const path = join(tmp(), name);
    writeFileSync(path, csvText(PLUS_HEADER, rows));
    return path;
  };

  const partnerShares = (source: string) =>
    query(
      db(),
      `select partner_iso3, value_usd, denominator_usd, share, denominator_basis from ind_shares
       where share_kind = 'partner' and source = ? and reporter_iso3 = 'PAK' and period = '2023' order by partner_iso3`,
      source,
    );
  const partnerConcentration = (source: string) =>
    query(
      db(),
      `select items, total_usd, hhi from ind_concentration
       where dimension = 'partners' and source = ? and reporter_iso3 = 'PAK' and period = '2023'`,
      source,
    );

  it('stores a group row (Comtrade 97, the EU) that changes no partner share and no partner count', async () => {
    const countriesOnly = comtradeFile('pak-countries.csv', [
      [398, 'KAZ', 'Kazakhstan', 6_000_000],
      [156, 'CHN', 'China', 4_000_000],
    ]);
    expect((await cli(['load', countriesOnly, '--source', 'comtrade', '--db', db()])).code).toBe(0);
    const shares = partnerShares('comtrade');
    const concentration = partnerConcentration('comtrade');
    // Without a World row the whole is the sum of the partners loaded: 6 M / 10 M.
    expect(shares).toEqual([
      {
        partner_iso3: 'CHN',
        value_usd: 4_000_000,
        denominator_usd: 10_000_000,
        share: 0.4,
        denominator_basis: 'sum_of_partners_loaded',
      },
      {
        partner_iso3: 'KAZ',
        value_usd: 6_000_000,
        denominator_usd: 10_000_000,
        share: 0.6,
        denominator_basis: 'sum_of_partners_loaded',
      },
    ]);
    expect(concentration).toEqual([{ items: 2, total_usd: 10_000_000, hhi: 0.52 }]);

    const withGroup = comtradeFile('pak-eu.csv', [[97, 'EUR', 'European Union', 50_000_000]]);
    expect((await cli(['load', withGroup, '--source', 'comtrade', '--db', db()])).code).toBe(0);

    expect(query(db(), "select partner_iso3, value_usd from trade_flows where partner_iso3 = 'EUR'")).toEqual(
      [{ partner_iso3: 'EUR', value_usd: 50_000_000 }],
    );
    expect(partnerShares('comtrade')).toEqual(shares);
    expect(partnerConcentration('comtrade')).toEqual(concentration);
    // The pair table keeps the group's own total, as a row of its own.
    expect(
      scalar(db(), "select count(*) from ind_shares where share_kind = 'partner' and partner_iso3 = 'EUR'"),
    ).toBe(0);
  });

  it('stores a bureau grouping a table prints as a row ("Страны СНГ") under its group code, outside the partner shares', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('2023').addRows([
      ['Exports of Pakistan by destination, thousand US dollars'],
      [],
      ['Destination', '2023'],
      ['Kazakhstan', 6_000],
      ['China', 4_000],
      ['Страны СНГ', 6_500],
    ]);
    await wb.xlsx.writeFile(join(tmp(), 'by-destination.xlsx'));
    mkdirSync(join(tmp(), 'pipelines'), { recursive: true });
    writeFileSync(
      join(tmp(), 'pipelines', 'pak.pipeline.ts'),
      `export default { name: 'pak', sources: [{ source: 'table', files: ['by-destination.xlsx'], table: {
        name: 'pak-exports',
        columns: { destination: { labels: ['Destination'] } },
        wide: { kind: 'periods', into: 'year', value: 'value' },
        map: {
          reporter: { value: 'PAK' }, partner: { column: 'destination' }, flow: { value: 'X' },
          period: { column: 'year' }, value: { column: 'value' },
        },
      } }] };\n`,
    );

    const run = await cli(['run', 'pak', '--db', db()], tmp());

    expect(run.code, run.stderr).toBe(0);
    expect(
      query(
        db(),
        `select f.partner_iso3, k.kind, f.value_usd from trade_flows f join countries k on k.iso3 = f.partner_iso3
         where f.source = 'pak-exports' order by f.partner_iso3`,
      ),
    ).toEqual([
      { partner_iso3: 'CHN', kind: 'country', value_usd: 4_000_000 },
      { partner_iso3: 'KAZ', kind: 'country', value_usd: 6_000_000 },
      { partner_iso3: '_CIS', kind: 'group', value_usd: 6_500_000 },
    ]);
    expect(partnerShares('pak-exports').map((s) => [s.partner_iso3, s.share])).toEqual([
      ['CHN', 0.4],
      ['KAZ', 0.6],
    ]);
    expect(partnerConcentration('pak-exports')).toMatchObject([{ items: 2, total_usd: 10_000_000 }]);
  });
});

describe('a country reference with a kind it does not know', () => {
  const tmp = useTempDir();
  let saved: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
    else process.env.CORRIDOR_REFERENCE_DIR = saved;
  });

  it('is refused at init, naming the row and the kinds it may have', async () => {
    saved = process.env.CORRIDOR_REFERENCE_DIR;
    const own = join(tmp(), 'reference');
    cpSync(join(PROJECT_ROOT, 'warehouse', 'reference'), own, { recursive: true });
    const file = join(own, 'countries.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(_CIS,.*),group$/m, '$1,groupe'));
    process.env.CORRIDOR_REFERENCE_DIR = own;

    const init = await cli(['init', '--db', join(tmp(), 'w.db')]);

    expect(init.code).not.toBe(0);
    expect(init.stderr).toContain('countries.csv: _CIS has kind "groupe"');
    expect(init.stderr).toContain('country, special, group, historical');
  });
});
