import { describe, expect, it } from 'vitest';
import { type CellReading, readCellNumber, type StatusFlag } from '../../src/layout/cell-number.ts';

const num = (
  value: number,
  decimals: number,
  extra: { flags?: StatusFlag[]; footnote?: string } = {},
): CellReading => ({
  kind: 'number',
  value,
  decimals,
  flags: extra.flags ?? [],
  footnote: extra.footnote ?? null,
});
const nil = (marker: string): CellReading => ({ kind: 'nil', marker });
const text = (written: string): CellReading => ({ kind: 'text', text: written });

describe('readCellNumber', () => {
  describe('thousands separators and the decimal mark, decided per cell', () => {
    it.each([
      { cell: '1234.5', expected: num(1234.5, 1) },
      { cell: '1 234,5', expected: num(1234.5, 1) },
      { cell: '1\u00a0234,5', expected: num(1234.5, 1) },
      { cell: '1\u202f234,5', expected: num(1234.5, 1) },
      { cell: '1\u2009234\u2009567', expected: num(1234567, 0) },
      { cell: '1,234.5', expected: num(1234.5, 1) },
      { cell: '1.234,5', expected: num(1234.5, 1) },
      { cell: '12,345,678.90', expected: num(12345678.9, 2) },
      { cell: '1,234,567', expected: num(1234567, 0) },
      { cell: '1.234.567', expected: num(1234567, 0) },
      { cell: "1'234.5", expected: num(1234.5, 1) },
      { cell: '1’234', expected: num(1234, 0) },
      { cell: '1234,5', expected: num(1234.5, 1) },
      { cell: '0,5', expected: num(0.5, 1) },
      { cell: ',5', expected: num(0.5, 1) },
      { cell: '.5', expected: num(0.5, 1) },
      { cell: '1,50', expected: num(1.5, 2) },
      { cell: '0.0', expected: num(0, 1) },
      { cell: '1,2345', expected: num(1.2345, 4) },
      { cell: '1234,567', expected: num(1234.567, 3) },
      { cell: '0,500', expected: num(0.5, 3) },
      { cell: '1.234', expected: num(1.234, 3) },
      { cell: '1 234,567', expected: num(1234.567, 3) },
      { cell: '1 234.5', expected: num(1234.5, 1) },
      { cell: '  42  ', expected: num(42, 0) },
      { cell: '1e6', expected: num(1_000_000, 0) },
      { cell: '2.5E-3', expected: num(0.0025, 4) },
      { cell: '1,5E3', expected: num(1500, 0) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });

    it.each([
      // English tables group thousands with commas; comma-decimal tables group with spaces and
      // seldom show exactly three decimals, so a lone comma before three digits groups thousands.
      { cell: '1,234', expected: num(1234, 0) },
      { cell: '12,500', expected: num(12500, 0) },
      { cell: '-123,456', expected: num(-123456, 0) },
    ])('reads the ambiguous $cell as thousands', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });
  });

  describe('a decimal mark forced by the file', () => {
    it.each([
      { cell: '1,234', decimal: ',' as const, expected: num(1.234, 3) },
      { cell: '1.234', decimal: ',' as const, expected: num(1234, 0) },
      { cell: '1.234,5', decimal: ',' as const, expected: num(1234.5, 1) },
      { cell: '1 234,5', decimal: ',' as const, expected: num(1234.5, 1) },
      { cell: '1234.5', decimal: ',' as const, expected: text('1234.5') },
      { cell: '1,234', decimal: '.' as const, expected: num(1234, 0) },
      { cell: '1.234', decimal: '.' as const, expected: num(1.234, 3) },
      { cell: '1,234.5', decimal: '.' as const, expected: num(1234.5, 1) },
      { cell: '1234,5', decimal: '.' as const, expected: text('1234,5') },
      { cell: '1.234,5', decimal: '.' as const, expected: text('1.234,5') },
      { cell: '1,5E3', decimal: '.' as const, expected: text('1,5E3') },
    ])('reads $cell with decimal $decimal', ({ cell, decimal, expected }) => {
      expect(readCellNumber(cell, { decimal })).toEqual(expected);
    });
  });

  describe('signs, parentheses and currency', () => {
    it.each([
      { cell: '-5', expected: num(-5, 0) },
      { cell: '+7', expected: num(7, 0) },
      { cell: '−5,5', expected: num(-5.5, 1) },
      // Word turns a typed hyphen into an en dash: "–5" in tables pasted from a report.
      { cell: '–5', expected: num(-5, 0) },
      { cell: '(123)', expected: num(-123, 0) },
      { cell: '(1 234,5)', expected: num(-1234.5, 1) },
      { cell: '($1,234.50)', expected: num(-1234.5, 2) },
      { cell: '(0)', expected: num(0, 0) },
      { cell: '$1,234', expected: num(1234, 0) },
      { cell: 'US$ 1,234', expected: num(1234, 0) },
      { cell: 'US $5', expected: num(5, 0) },
      { cell: '-$5', expected: num(-5, 0) },
      { cell: '$-5', expected: num(-5, 0) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });
  });

  describe('status flags', () => {
    it.each([
      { cell: '123.4 (p)', expected: num(123.4, 1, { flags: ['provisional'] }) },
      { cell: '123.4(p)', expected: num(123.4, 1, { flags: ['provisional'] }) },
      { cell: '1,234.5 (r)', expected: num(1234.5, 1, { flags: ['revised'] }) },
      { cell: '1 234 (e)', expected: num(1234, 0, { flags: ['estimated'] }) },
      { cell: '123 (R)', expected: num(123, 0, { flags: ['revised'] }) },
      { cell: '123.4 p', expected: num(123.4, 1, { flags: ['provisional'] }) },
      { cell: '5 r', expected: num(5, 0, { flags: ['revised'] }) },
      { cell: '1.5 e', expected: num(1.5, 1, { flags: ['estimated'] }) },
      { cell: '(123) p', expected: num(-123, 0, { flags: ['provisional'] }) },
      { cell: '0.5 (e)(p)', expected: num(0.5, 1, { flags: ['estimated', 'provisional'] }) },
      { cell: '12 (p) (p)', expected: num(12, 0, { flags: ['provisional'] }) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });
  });

  describe('footnote markers', () => {
    it.each([
      { cell: '456*', expected: num(456, 0, { footnote: '*' }) },
      { cell: '456 **', expected: num(456, 0, { footnote: '**' }) },
      { cell: '7†', expected: num(7, 0, { footnote: '†' }) },
      { cell: '123 ‡', expected: num(123, 0, { footnote: '‡' }) },
      { cell: '1 234,5¹', expected: num(1234.5, 1, { footnote: '¹' }) },
      { cell: '1 234 ²³', expected: num(1234, 0, { footnote: '²³' }) },
      { cell: '1 234 1)', expected: num(1234, 0, { footnote: '1)' }) },
      { cell: '(123) 2)', expected: num(-123, 0, { footnote: '2)' }) },
      { cell: '123[2]', expected: num(123, 0, { footnote: '[2]' }) },
      { cell: '(1,234)*', expected: num(-1234, 0, { footnote: '*' }) },
      { cell: '5* (p)', expected: num(5, 0, { flags: ['provisional'], footnote: '*' }) },
      { cell: '5 (p)*', expected: num(5, 0, { flags: ['provisional'], footnote: '*' }) },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });
  });

  describe('"no value" markers', () => {
    it.each([
      { cell: null, marker: '' },
      { cell: undefined, marker: '' },
      { cell: '', marker: '' },
      { cell: ' \u00a0\u202f ', marker: '' },
      { cell: '-', marker: '-' },
      { cell: '–', marker: '–' },
      { cell: '—', marker: '—' },
      { cell: '…', marker: '…' },
      { cell: '...', marker: '...' },
      { cell: '..', marker: '..' },
      { cell: ':', marker: ':' },
      { cell: 'x', marker: 'x' },
      { cell: 'X', marker: 'X' },
      { cell: 'n.a.', marker: 'n.a.' },
      { cell: 'N/A', marker: 'N/A' },
      { cell: 'na', marker: 'na' },
      { cell: 'nil', marker: 'nil' },
      { cell: 'н/д', marker: 'н/д' },
      { cell: '*', marker: '*' },
      { cell: '**', marker: '**' },
      { cell: ' - ', marker: '-' },
      { cell: '..¹', marker: '..¹' },
      { cell: '–*', marker: '–*' },
      { cell: 'x 1)', marker: 'x 1)' },
    ])('reads $cell as no value', ({ cell, marker }) => {
      expect(readCellNumber(cell)).toEqual(nil(marker));
    });

    it('takes extra markers from the style, trimmed and in any case', () => {
      expect(readCellNumber('conf.', { nilMarkers: [' CONF. '] })).toEqual(nil('conf.'));
      expect(readCellNumber('conf.')).toEqual(text('conf.'));
    });
  });

  describe('cells that arrive as JS values', () => {
    it.each([
      { cell: 1234.5, expected: num(1234.5, 1) },
      { cell: 42, expected: num(42, 0) },
      { cell: -0.25, expected: num(-0.25, 2) },
      { cell: 1.5e-7, expected: num(1.5e-7, 8) },
      { cell: 1e21, expected: num(1e21, 0) },
      // Float noise is not what anyone typed: decimals stop at 10.
      { cell: 0.1 + 0.2, expected: num(0.1 + 0.2, 10) },
      { cell: -0, expected: num(0, 0) },
      { cell: Number.NaN, expected: text('NaN') },
      { cell: Number.POSITIVE_INFINITY, expected: text('Infinity') },
      { cell: true, expected: text('true') },
      { cell: new Date(Date.UTC(2021, 6, 1)), expected: text('2021-07-01T00:00:00.000Z') },
    ])('reads $cell', ({ cell, expected }) => {
      expect(readCellNumber(cell)).toEqual(expected);
    });

    it('gives -0 as 0, so equality holds', () => {
      const reading = readCellNumber(-0);
      expect(reading.kind === 'number' && Object.is(reading.value, 0)).toBe(true);
    });
  });

  describe('text that is not a number', () => {
    it.each([
      'Total',
      '12%',
      '12,5 %',
      // No space before the letter: "123.4p" is a code or a typo, not a flag.
      '123.4p',
      '123 E',
      '(p)',
      '2021-07-01',
      '12 34',
      '1,23,456',
      '1 234.567,5',
      '5.',
      '(-5)',
      '-(5)',
      '−(5)',
      '- 5',
      '(1 234 5)',
      'EUR 5',
      '€5',
      '5 kg',
      '1/2',
      '1e',
      'Infinity',
      '$',
    ])('keeps %j as text', (cell) => {
      expect(readCellNumber(cell)).toEqual(text(cell));
    });
  });
});
