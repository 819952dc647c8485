import { describe, expect, it } from 'vitest';
import { normalizeHsCode, normalizeHsEdition } from '../../src/normalize/hs-code.ts';

describe('normalizeHsCode', () => {
  it('reads TOTAL in any case as the level-0 aggregate', () => {
    expect(normalizeHsCode('TOTAL')).toEqual({ code: 'TOTAL', level: 0 });
    expect(normalizeHsCode('total')).toEqual({ code: 'TOTAL', level: 0 });
    expect(normalizeHsCode(' Total ')).toEqual({ code: 'TOTAL', level: 0 });
  });

  it('keeps chapters, headings and subheadings as text with their leading zeros', () => {
    expect(normalizeHsCode('03')).toEqual({ code: '03', level: 2 });
    expect(normalizeHsCode('0306')).toEqual({ code: '0306', level: 4 });
    expect(normalizeHsCode('030613')).toEqual({ code: '030613', level: 6 });
    expect(normalizeHsCode('870323')).toEqual({ code: '870323', level: 6 });
  });

  it('trims the spaces around a code', () => {
    expect(normalizeHsCode('  520100 ')).toEqual({ code: '520100', level: 6 });
  });

  it('restores a leading zero lost to Excel', () => {
    expect(normalizeHsCode('30613')).toEqual({ code: '030613', level: 6 });
    expect(normalizeHsCode('306')).toEqual({ code: '0306', level: 4 });
    expect(normalizeHsCode('3')).toEqual({ code: '03', level: 2 });
  });

  it('reads heading.subheading notation "0306.13" as 030613', () => {
    expect(normalizeHsCode('0306.13')).toEqual({ code: '030613', level: 6 });
  });

  it('drops the float tail that pandas and R add: "030613.0", "30613.0", "10.00"', () => {
    expect(normalizeHsCode('030613.0')).toEqual({ code: '030613', level: 6 });
    expect(normalizeHsCode('30613.0')).toEqual({ code: '030613', level: 6 });
    expect(normalizeHsCode('10.00')).toEqual({ code: '10', level: 2 });
  });

  it('refuses "8703.2", whose lost digit cannot be told, with a hint about Excel', () => {
    const result = normalizeHsCode('8703.2');
    expect(result).toHaveProperty('problem');
    expect((result as { problem: string }).problem).toMatch(/"8703\.2" is not an HS code/);
    expect((result as { problem: string }).problem).toMatch(/Excel/);
  });

  it('refuses other decimal notations rather than guess', () => {
    expect(normalizeHsCode('0306.1')).toHaveProperty('problem');
    expect(normalizeHsCode('030.613')).toHaveProperty('problem');
    expect(normalizeHsCode('8703.21')).toEqual({ code: '870321', level: 6 });
  });

  it('refuses national tariff lines of 8 or more digits, pointing to aggregation to 6 digits', () => {
    for (const line of ['87032310', '870323100', '8703231000']) {
      const result = normalizeHsCode(line);
      expect(result).toHaveProperty('problem');
      expect((result as { problem: string }).problem).toMatch(
        new RegExp(`has ${line.length} digits.*Aggregate national tariff lines to 6 digits`),
      );
    }
  });

  it('refuses 7 digits instead of padding them to 8', () => {
    expect(normalizeHsCode('8703231')).toHaveProperty('problem');
  });

  it('refuses empty cells, words, signs and spaces inside the code', () => {
    for (const bad of ['', '   ', 'cotton', '-0306', '+0306', '03 06', '0306a', 'N/A']) {
      expect(normalizeHsCode(bad), bad).toHaveProperty('problem');
    }
  });
});

describe('normalizeHsEdition', () => {
  it('accepts HS as reported and the editions H0 to H6, in any case, trimmed', () => {
    for (const edition of ['HS', 'H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']) {
      expect(normalizeHsEdition(edition)).toEqual({ edition });
    }
    expect(normalizeHsEdition('h5')).toEqual({ edition: 'H5' });
    expect(normalizeHsEdition(' H6 ')).toEqual({ edition: 'H6' });
  });

  it('takes a missing classification as HS (edition not stated)', () => {
    expect(normalizeHsEdition(null)).toEqual({ edition: 'HS' });
  });

  it('refuses SITC S1–S4 as not HS', () => {
    for (const sitc of ['S1', 'S2', 'S3', 'S4', 's3']) {
      const result = normalizeHsEdition(sitc);
      expect(result).toHaveProperty('problem');
      expect((result as { problem: string }).problem).toMatch(/is not HS/);
    }
  });

  it('refuses BEC B4 and B5 and the EBOPS services lists as not HS', () => {
    for (const other of ['B4', 'B5', 'EB', 'EB02', 'EB10']) {
      expect((normalizeHsEdition(other) as { problem: string }).problem).toMatch(/is not HS/);
    }
  });

  it('refuses an edition that does not exist yet', () => {
    for (const unknown of ['H7', 'HS2028', 'SITC', '']) {
      const result = normalizeHsEdition(unknown);
      expect(result, unknown).toHaveProperty('problem');
      expect((result as { problem: string }).problem).toMatch(/H0 to H6/);
    }
  });
});
