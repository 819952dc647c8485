import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountryResolver } from '../../src/normalize/country-resolver.ts';
import { openReferenceWarehouse, type ReferenceWarehouse } from './support/reference-warehouse.ts';

let reference: ReferenceWarehouse;
let countries: CountryResolver;

beforeAll(async () => {
  reference = await openReferenceWarehouse();
  countries = reference.countries;
});

afterAll(async () => {
  await reference.dispose();
});

describe('CountryResolver, Comtrade area codes', () => {
  it.each([
    ['842', 'USA'],
    ['251', 'FRA'],
    ['699', 'IND'],
    ['757', 'CHE'],
    ['579', 'NOR'],
  ])('reads the Comtrade code %s, which differs from ISO numeric, as %s', (code, iso3) => {
    expect(countries.fromCode(code)).toBe(iso3);
  });

  it('reads both 586 Pakistan and 588 East and West Pakistan as PAK', () => {
    expect(countries.fromCode('586')).toBe('PAK');
    expect(countries.fromCode('588')).toBe('PAK');
  });

  it('reads 398 as Kazakhstan', () => {
    expect(countries.fromCode('398')).toBe('KAZ');
  });

  it.each([
    ['0', 'W00'],
    ['899', '_X'],
    ['837', 'X1'],
    ['838', 'X2'],
    ['839', 'XX'],
    ['490', 'S19'],
  ])('keeps the special partner %s as %s', (code, iso3) => {
    expect(countries.fromCode(code)).toBe(iso3);
  });

  it('reads an unpadded code (4) and a zero-padded one (004) as Afghanistan', () => {
    expect(countries.fromCode('4')).toBe('AFG');
    expect(countries.fromCode('004')).toBe('AFG');
  });

  it('falls back to ISO numeric for partners 840 and 250 that Comtrade also uses', () => {
    expect(countries.fromCode('840')).toBe('USA');
    expect(countries.fromCode('250')).toBe('FRA');
  });

  it('resolves ISO numeric codes directly in the iso_numeric scheme', () => {
    expect(countries.fromCode('586', 'iso_numeric')).toBe('PAK');
    expect(countries.fromCode('840', 'iso_numeric')).toBe('USA');
  });

  it('knows no country for unknown, over-long or non-numeric codes', () => {
    for (const code of ['999', '1000', '-1', 'abc', '']) expect(countries.fromCode(code), code).toBeNull();
  });
});

describe('CountryResolver, ISO codes', () => {
  it('reads ISO alpha-3 and alpha-2 codes in any case, trimmed', () => {
    expect(countries.fromIso('PAK')).toBe('PAK');
    expect(countries.fromIso('kaz')).toBe('KAZ');
    expect(countries.fromIso('PK')).toBe('PAK');
    expect(countries.fromIso(' kz ')).toBe('KAZ');
    expect(countries.fromIso('US')).toBe('USA');
  });

  it("keeps Namibia's alpha-2 NA as Namibia, never as a missing value", () => {
    expect(countries.fromIso('NA')).toBe('NAM');
    expect(countries.fromIso('NAM')).toBe('NAM');
  });

  it("reads Comtrade's special ISO codes, with their trailing spaces", () => {
    expect(countries.fromIso('W00')).toBe('W00');
    expect(countries.fromIso('_X ')).toBe('_X');
    expect(countries.fromIso('X1 ')).toBe('X1');
    expect(countries.fromIso('X2 ')).toBe('X2');
    expect(countries.fromIso('XX ')).toBe('XX');
    expect(countries.fromIso('S19')).toBe('S19');
  });

  it('knows no country for an unassigned ISO code', () => {
    expect(countries.fromIso('ZZ')).toBeNull();
    expect(countries.fromIso('ZZZ')).toBeNull();
    expect(countries.fromIso('PAKI')).toBeNull();
  });
});

describe('CountryResolver, names', () => {
  it('reads the Russian name "Пакистан" of the Kazakh bureau as Pakistan', () => {
    expect(countries.fromName('Пакистан')).toBe('PAK');
  });

  it('reads the alias "Kazakstan" and names in any case as Kazakhstan', () => {
    expect(countries.fromName('Kazakstan')).toBe('KAZ');
    expect(countries.fromName('KAZAKHSTAN')).toBe('KAZ');
  });

  it('reads "United States" from the alias list', () => {
    expect(countries.fromName('United States')).toBe('USA');
  });

  it('matches names folded, ignoring accents and punctuation', () => {
    expect(countries.fromName("Côte d'Ivoire")).toBe('CIV');
    expect(countries.fromName("cote-d'ivoire")).toBe('CIV');
  });

  it('knows no country for a name that is in neither the reference nor the aliases', () => {
    expect(countries.fromName('Atlantis')).toBeNull();
  });
});

describe('CountryResolver.resolve', () => {
  it('resolves a code and an ISO code that agree', () => {
    expect(countries.resolve({ code: '842', iso: 'USA' }, 'reporter')).toEqual({
      iso3: 'USA',
      kind: 'country',
    });
    expect(countries.resolve({ code: '842', iso: 'US' }, 'reporter')).toEqual({
      iso3: 'USA',
      kind: 'country',
    });
    expect(countries.resolve({ code: '0', iso: 'W00' }, 'partner')).toEqual({ iso3: 'W00', kind: 'special' });
    expect(countries.resolve({ code: '899', iso: '_X ' }, 'partner')).toEqual({
      iso3: '_X',
      kind: 'special',
    });
  });

  it('resolves Namibia given as code 516 and alpha-2 NA', () => {
    expect(countries.resolve({ code: '516', iso: 'NA' }, 'partner')).toEqual({
      iso3: 'NAM',
      kind: 'country',
    });
  });

  it('lets 588 and 586 both land on PAK whatever the year', () => {
    expect(countries.resolve({ code: '588', iso: 'PAK', year: 1970 }, 'reporter')).toEqual({
      iso3: 'PAK',
      kind: 'country',
    });
    expect(countries.resolve({ code: '586', iso: 'PAK', year: 2023 }, 'reporter')).toEqual({
      iso3: 'PAK',
      kind: 'country',
    });
  });

  it('answers a query that repeats the last one of its role as before, and one that differs in any field anew', () => {
    // The resolver remembers the last answer per role (a file sorted by reporter asks it row
    // after row): a change of code, ISO code, name, year or role must not get that answer.
    const usa1990 = { iso3: 'USA', kind: 'country' };
    const cases: [Parameters<CountryResolver['resolve']>[0], string, object][] = [
      [{ code: '586', iso: 'PAK' }, 'reporter', { iso3: 'PAK' }],
      [{ code: '586', iso: 'PAK' }, 'reporter', { iso3: 'PAK' }],
      [{ code: '586', iso: 'IND' }, 'reporter', { problem: 'inconsistent' }],
      [{ code: '586', iso: 'PAK' }, 'partner', { iso3: 'PAK' }],
      [{ code: '398', iso: 'PAK' }, 'partner', { problem: 'inconsistent' }],
      [{ code: '398', iso: 'KAZ' }, 'partner', { iso3: 'KAZ' }],
      [{ code: null, iso: null, name: 'Pakistan' }, 'partner', { iso3: 'PAK' }],
      [{ code: null, iso: null, name: 'Kazakhstan' }, 'partner', { iso3: 'KAZ' }],
      // 842 is the USA from 1981 on: the year alone changes the answer.
      [{ code: '842', year: 1990 }, 'reporter', usa1990],
      [
        { code: '842', year: 1975 },
        'reporter',
        { problem: 'unknown', message: expect.stringMatching(/^reporter code 842/) },
      ],
      [
        { code: '842', year: 1975 },
        'partner',
        { problem: 'unknown', message: expect.stringMatching(/^partner code 842/) },
      ],
      [{ code: '842', year: 1990 }, 'partner', usa1990],
      [{ code: '586', iso: 'PAK' }, 'reporter', { iso3: 'PAK' }],
    ];
    for (const [query, role, expected] of cases)
      expect(countries.resolve(query, role), JSON.stringify([query, role])).toMatchObject(expected);
  });

  it('falls back from a missing code to the ISO code, then to the name', () => {
    expect(countries.resolve({ code: null, iso: 'KAZ' }, 'partner')).toEqual({
      iso3: 'KAZ',
      kind: 'country',
    });
    expect(countries.resolve({ code: null, iso: null, name: 'Пакистан' }, 'partner')).toEqual({
      iso3: 'PAK',
      kind: 'country',
    });
  });

  it('calls a row inconsistent when the code and the ISO code name different countries', () => {
    const result = countries.resolve({ code: '586', iso: 'IND' }, 'reporter');
    expect(result).toMatchObject({ problem: 'inconsistent' });
    const message = (result as { message: string }).message;
    expect(message).toContain('reporter code 586');
    expect(message).toContain('Pakistan (PAK)');
    expect(message).toContain('"IND"');
  });

  it('points an unknown code to country-aliases.csv', () => {
    const result = countries.resolve({ code: '999' }, 'partner');
    expect(result).toMatchObject({ problem: 'unknown' });
    const message = (result as { message: string }).message;
    expect(message).toContain('partner code 999');
    expect(message).toContain('warehouse/reference/country-aliases.csv');
  });

  it('names everything it was given when nothing resolves', () => {
    const result = countries.resolve({ code: '999', iso: 'ZZ', name: 'Atlantis' }, 'partner');
    expect(result).toMatchObject({ problem: 'unknown' });
    expect((result as { message: string }).message).toContain('code 999, ISO "ZZ", name "Atlantis"');
  });

  it('says (empty) when the row gives no country at all', () => {
    const result = countries.resolve({ code: null, iso: null, name: null }, 'partner');
    expect(result).toMatchObject({ problem: 'unknown' });
    expect((result as { message: string }).message).toContain('partner (empty)');
  });

  it('shows country names for messages, and the code itself when unknown', () => {
    expect(countries.nameOf('PAK')).toBe('Pakistan');
    expect(countries.nameOf('QQQ')).toBe('QQQ');
  });
});

describe('CountryResolver, the names and codes of issue 4', () => {
  it.each([
    ['Kazakstan', 'KAZ'],
    ['Kazakhstan, Rep. of', 'KAZ'],
    ['Казахстан', 'KAZ'],
    ['Republic of Korea', 'KOR'],
    ['Korea, Rep.', 'KOR'],
  ])('reads the name %s as %s', (name, iso3) => {
    expect(countries.fromName(name)).toBe(iso3);
  });

  it.each([
    ['0', 'W00', 'World'],
    ['490', 'S19', 'Other Asia, nes'],
    ['588', 'PAK', 'Pakistan before 1972'],
    ['810', 'SUN', 'USSR'],
    ['280', 'DEU', 'Federal Republic of Germany'],
    ['899', '_X', 'Areas, nes'],
    ['837', 'X1', 'Bunkers'],
    ['838', 'X2', 'Free zones'],
    ['839', 'XX', 'Special categories'],
  ])('reads the historic or special Comtrade code %s as %s (%s)', (code, iso3) => {
    expect(countries.fromCode(code)).toBe(iso3);
  });

  it('reads the ISO alpha-2, alpha-3 and numeric codes and the M49 code of Pakistan alike', () => {
    expect(countries.fromIso('PK')).toBe('PAK');
    expect(countries.fromIso('PAK')).toBe('PAK');
    expect(countries.fromCode('586', 'iso_numeric')).toBe('PAK');
  });
});
