import { describe, expect, it } from 'vitest';
import {
  isBlank,
  isInvalid,
  parseBooleanCell,
  parseCodeCell,
  parseIntegerCodeCell,
  parseNumberCell,
} from '../../src/validate/cell-parsers.ts';

const invalidOf = (value: unknown): string => {
  expect(isInvalid(value)).toBe(true);
  return (value as { invalid: string }).invalid;
};

describe('isBlank', () => {
  it('counts empty, whitespace and the usual "no value" spellings as missing', () => {
    for (const cell of [null, undefined, '', '   ', 'NA', 'N/A', 'null', 'NULL', 'NaN', ' NA ']) {
      expect(isBlank(cell), String(cell)).toBe(true);
    }
  });

  it('counts zero, false and text as present', () => {
    for (const cell of [0, false, '0', '0.0', 'na', 'x']) expect(isBlank(cell), String(cell)).toBe(false);
  });
});

describe('parseNumberCell', () => {
  it('reads plain decimal text', () => {
    expect(parseNumberCell('1234.5')).toBe(1234.5);
    expect(parseNumberCell('0')).toBe(0);
    expect(parseNumberCell('0.0')).toBe(0);
    expect(parseNumberCell('.5')).toBe(0.5);
    expect(parseNumberCell('5.')).toBe(5);
    expect(parseNumberCell('-3.25')).toBe(-3.25);
    expect(parseNumberCell('+7')).toBe(7);
  });

  it('reads values padded with spaces to a fixed width, as BACI writes them', () => {
    expect(parseNumberCell(' 12.5 ')).toBe(12.5);
    expect(parseNumberCell('    225.063')).toBe(225.063);
  });

  it('reads exponent notation', () => {
    expect(parseNumberCell('1e6')).toBe(1_000_000);
    expect(parseNumberCell('2.5E-3')).toBe(0.0025);
    expect(parseNumberCell('1.2e+3')).toBe(1200);
  });

  it('reads JSON numbers as they are', () => {
    expect(parseNumberCell(1500000)).toBe(1500000);
    expect(parseNumberCell(0)).toBe(0);
    expect(parseNumberCell(-1.5)).toBe(-1.5);
  });

  it('reads NA, empty and whitespace-only cells as missing', () => {
    expect(parseNumberCell('NA')).toBeNull();
    expect(parseNumberCell('         NA')).toBeNull();
    expect(parseNumberCell('')).toBeNull();
    expect(parseNumberCell('  ')).toBeNull();
    expect(parseNumberCell(null)).toBeNull();
    expect(parseNumberCell(undefined)).toBeNull();
  });

  it('refuses thousands separators with a hint to export plain digits', () => {
    expect(invalidOf(parseNumberCell('1,234'))).toMatch(/thousands separators/);
    expect(invalidOf(parseNumberCell('1,234,567.89'))).toMatch(/plain digits/);
  });

  it('refuses a decimal comma unless the flag says the file uses one', () => {
    expect(invalidOf(parseNumberCell('1234,5'))).toMatch(/"\." as the decimal mark/);
    expect(parseNumberCell('1234,5', true)).toBe(1234.5);
    expect(parseNumberCell(' -0,75 ', true)).toBe(-0.75);
  });

  it('still reads a decimal point when the decimal-comma flag is on', () => {
    expect(parseNumberCell('1234.5', true)).toBe(1234.5);
  });

  it('refuses words, units, currency signs and spaces inside a number', () => {
    for (const cell of ['abc', '12 kg', '$12', '1 234', '1e', 'e5', '--1', '0x10', 'Infinity', '12..5']) {
      expect(isInvalid(parseNumberCell(cell)), cell).toBe(true);
    }
  });

  it('refuses non-finite JSON numbers and values of other types', () => {
    expect(invalidOf(parseNumberCell(Number.POSITIVE_INFINITY))).toMatch(/finite/);
    expect(invalidOf(parseNumberCell(Number.NaN))).toMatch(/finite/);
    expect(isInvalid(parseNumberCell(true))).toBe(true);
    expect(isInvalid(parseNumberCell({ value: 1 }))).toBe(true);
  });
});

describe('parseBooleanCell', () => {
  it("reads comtradr's True and False", () => {
    expect(parseBooleanCell('True')).toBe(true);
    expect(parseBooleanCell('False')).toBe(false);
  });

  it('reads true/false in any case and with spaces', () => {
    expect(parseBooleanCell('true')).toBe(true);
    expect(parseBooleanCell('FALSE')).toBe(false);
    expect(parseBooleanCell(' false ')).toBe(false);
  });

  it('reads 1 and 0 as text and as JSON numbers, and JSON booleans', () => {
    expect(parseBooleanCell('1')).toBe(true);
    expect(parseBooleanCell('0')).toBe(false);
    expect(parseBooleanCell(1)).toBe(true);
    expect(parseBooleanCell(0)).toBe(false);
    expect(parseBooleanCell(true)).toBe(true);
    expect(parseBooleanCell(false)).toBe(false);
  });

  it('reads an empty or NA flag as missing', () => {
    expect(parseBooleanCell('')).toBeNull();
    expect(parseBooleanCell('NA')).toBeNull();
    expect(parseBooleanCell(null)).toBeNull();
  });

  it('refuses junk', () => {
    for (const cell of ['maybe', 'T', 'F', 'Y', '2', '-1', 2, 0.5]) {
      expect(invalidOf(parseBooleanCell(cell))).toBe('is not true or false');
    }
  });
});

describe('parseCodeCell', () => {
  it('keeps codes as text, trimmed of the trailing spaces Comtrade writes', () => {
    expect(parseCodeCell('_X ')).toBe('_X');
    expect(parseCodeCell('030613')).toBe('030613');
    expect(parseCodeCell(2100)).toBe('2100');
  });

  it("keeps Namibia's NA as a code", () => {
    expect(parseCodeCell('NA')).toBe('NA');
  });

  it('reads empty cells and other no-value spellings as missing', () => {
    expect(parseCodeCell('')).toBeNull();
    expect(parseCodeCell('  ')).toBeNull();
    expect(parseCodeCell('N/A')).toBeNull();
    expect(parseCodeCell(null)).toBeNull();
  });
});

describe('parseIntegerCodeCell', () => {
  it('drops the float tail that R and pandas add: "586.0" is "586"', () => {
    expect(parseIntegerCodeCell('586.0')).toBe('586');
    expect(parseIntegerCodeCell('586.00')).toBe('586');
  });

  it('reads text, trimmed text and JSON numbers alike', () => {
    expect(parseIntegerCodeCell('586')).toBe('586');
    expect(parseIntegerCodeCell(' 586 ')).toBe('586');
    expect(parseIntegerCodeCell(586)).toBe('586');
  });

  it('drops leading zeros, so "004" and 4 are one code', () => {
    expect(parseIntegerCodeCell('004')).toBe('4');
    expect(parseIntegerCodeCell(4)).toBe('4');
  });

  it('keeps the negative code -1 (quantity unit N/A)', () => {
    expect(parseIntegerCodeCell('-1')).toBe('-1');
    expect(parseIntegerCodeCell(-1)).toBe('-1');
  });

  it('reads an empty cell as missing', () => {
    expect(parseIntegerCodeCell('')).toBeNull();
    expect(parseIntegerCodeCell(null)).toBeNull();
  });

  it('refuses fractions and words', () => {
    for (const cell of ['586.5', 586.5, 'PAK', '5e2', '58 6']) {
      expect(invalidOf(parseIntegerCodeCell(cell))).toBe('is not a numeric code');
    }
  });
});
