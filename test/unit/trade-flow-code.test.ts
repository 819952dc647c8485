import { describe, expect, it } from 'vitest';
import { normalizeFlow } from '../../src/normalize/trade-flow-code.ts';

describe('normalizeFlow', () => {
  it.each(['M', 'X', 'RM', 'RX', 'DX', 'FM', 'MIP', 'MOP', 'XIP', 'XOP'])(
    'keeps the Comtrade flow code %s',
    (code) => {
      expect(normalizeFlow(code)).toBe(code);
    },
  );

  it('reads flow codes in lower case and with spaces around them', () => {
    expect(normalizeFlow('x')).toBe('X');
    expect(normalizeFlow(' m ')).toBe('M');
    expect(normalizeFlow('rx')).toBe('RX');
    expect(normalizeFlow('Mip')).toBe('MIP');
  });

  it.each([
    ['1', 'M'],
    ['2', 'X'],
    ['3', 'RX'],
    ['4', 'RM'],
  ])('reads the legacy numeric rgCode %s as %s', (rgCode, flow) => {
    expect(normalizeFlow(rgCode)).toBe(flow);
  });

  it.each([
    ['Import', 'M'],
    ['IMPORTS', 'M'],
    ['export', 'X'],
    ['Exports', 'X'],
    ['Re-Export', 'RX'],
    ['re-exports', 'RX'],
    ['Re-import', 'RM'],
    ['RE-IMPORTS', 'RM'],
    ['Reexport', 'RX'],
    ['Domestic Export', 'DX'],
    ['domestic-export', 'DX'],
    ['Foreign Import', 'FM'],
  ])('reads the flow name "%s" as %s', (name, flow) => {
    expect(normalizeFlow(name)).toBe(flow);
  });

  it('never folds a re-export into exports', () => {
    expect(normalizeFlow('Re-Export')).not.toBe('X');
    expect(normalizeFlow('3')).not.toBe('X');
  });

  it.each(['', '  ', '0', '5', 'Transit', 'T', 'XX', 'Imp', 'Q'])('does not know the flow "%s"', (text) => {
    expect(normalizeFlow(text)).toBeNull();
  });
});
