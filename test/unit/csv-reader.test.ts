import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from '../../src/read/csv-reader.ts';

describe('sniffDelimiter', () => {
  it('finds the comma', () => {
    expect(sniffDelimiter('reporterCode,partnerCode,cmdCode\n586,398,520100\n')).toBe(',');
  });

  it('finds the semicolon of European exports', () => {
    expect(sniffDelimiter('Reporter;Partner;Value\nPakistan;Kazakhstan;1234,5\n')).toBe(';');
  });

  it('finds the tab', () => {
    expect(sniffDelimiter('t\ti\tj\tk\tv\tq\n2021\t586\t398\t520100\t1.5\t2\n')).toBe('\t');
  });

  it('finds the pipe', () => {
    expect(sniffDelimiter('rtCode|ptCode|cmdCode|TradeValue\r\n586|398|5201|1500\r\n')).toBe('|');
  });

  it('ignores delimiters inside quoted column names', () => {
    expect(sniffDelimiter('"Trade Value (US$), total";"Partner, name";Year\n1;2;3\n')).toBe(';');
    expect(sniffDelimiter('"a;b;c;d",e,f\n')).toBe(',');
  });

  it('decides from the header line, not from commas in the data', () => {
    expect(sniffDelimiter('Reporter;Partner\n"1,234,567,890";"Pakistan, Islamic Republic of"\n')).toBe(';');
  });

  it('skips blank lines before the header', () => {
    expect(sniffDelimiter('\n   \r\nrtCode\tptCode\tcmdCode\n')).toBe('\t');
  });

  it('prefers the delimiter that splits the header most', () => {
    expect(sniffDelimiter('a,b;c;d\n')).toBe(';');
    expect(sniffDelimiter('Trade Value (US$)|Period Desc.,Year|Reporter|Partner\n')).toBe('|');
  });

  it('falls back to the comma for a single column or an empty file', () => {
    expect(sniffDelimiter('value\n1\n')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });
});
