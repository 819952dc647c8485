import { describe, expect, it } from 'vitest';
import { SchemaDriftError } from '../../src/errors.ts';
import { bindColumns, type ColumnSpecs } from '../../src/validate/header-matcher.ts';

const specs = {
  reporterCode: { label: 'reporter code', aliases: ['reporterCode', 'rtCode', 'Reporter Code'] },
  reporterIso: { label: 'reporter ISO code', aliases: ['reporterISO', 'rt3ISO'] },
  cmdCode: { label: 'commodity code', aliases: ['cmdCode', 'Commodity Code'] },
  primaryValue: { label: 'trade value', aliases: ['primaryValue', 'TradeValue', 'Trade Value (US$)'] },
  netWgt: { label: 'net weight', aliases: ['netWgt', 'NetWeight'] },
} as const satisfies ColumnSpecs<string>;
type Field = keyof typeof specs;

const required: readonly (readonly Field[])[] = [
  ['reporterCode', 'reporterIso'],
  ['cmdCode'],
  ['primaryValue'],
];

const bind = (header: readonly string[], req: readonly (readonly Field[])[] = required) =>
  bindColumns<Field>('pak_2023.csv', header, specs, req);

const driftOf = (header: readonly string[], req: readonly (readonly Field[])[] = required) => {
  try {
    bind(header, req);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaDriftError);
    return error as SchemaDriftError;
  }
  throw new Error('expected a SchemaDriftError');
};

describe('bindColumns', () => {
  it.each([['primaryValue'], ['primary_value'], ['PrimaryValue'], ['PRIMARY VALUE'], ['Trade Value (US$)']])(
    'finds the trade value spelled %s',
    (spelling) => {
      const binding = bind(['reporterCode', 'cmdCode', spelling]);
      expect(binding.index.primaryValue).toBe(2);
      expect(binding.headerOf('primaryValue')).toBe(spelling);
    },
  );

  it('binds the legacy bulk-download headers', () => {
    const binding = bind(['Reporter Code', 'Commodity Code', 'Trade Value (US$)', 'Netweight (kg)']);
    expect(binding.index).toEqual({
      reporterCode: 0,
      reporterIso: -1,
      cmdCode: 1,
      primaryValue: 2,
      netWgt: -1,
    });
    expect(binding.unused).toEqual(['Netweight (kg)']);
  });

  it('prefers the first alias listed, wherever its column stands', () => {
    const binding = bind(['TradeValue', 'cmdCode', 'rtCode', 'primaryValue', 'reporterCode']);
    expect(binding.index.primaryValue).toBe(3);
    expect(binding.index.reporterCode).toBe(4);
    expect(binding.unused).toEqual(['TradeValue', 'rtCode']);
  });

  it('falls back to a later alias when the preferred one is absent', () => {
    const binding = bind(['rtCode', 'cmdCode', 'TradeValue']);
    expect(binding.headerOf('reporterCode')).toBe('rtCode');
    expect(binding.headerOf('primaryValue')).toBe('TradeValue');
  });

  it('marks an optional field the file lacks with -1 and no header', () => {
    const binding = bind(['reporterCode', 'cmdCode', 'primaryValue']);
    expect(binding.index.netWgt).toBe(-1);
    expect(binding.headerOf('netWgt')).toBeNull();
    expect(binding.headerOf('noSuchField')).toBeNull();
  });

  it('lists the columns no field uses', () => {
    const binding = bind(['reporterCode', 'cmdCode', 'primaryValue', 'cmdDesc', 'isLeaf']);
    expect(binding.unused).toEqual(['cmdDesc', 'isLeaf']);
  });

  it('is satisfied by any one member of a required group', () => {
    expect(bind(['rt3ISO', 'cmdCode', 'primaryValue']).index.reporterIso).toBe(0);
    expect(bind(['reporterCode', 'cmdCode', 'primaryValue']).index.reporterCode).toBe(0);
  });

  it('binds the first of two columns with the same folded name', () => {
    const binding = bind(['reporterCode', 'cmd_code', 'cmdCode', 'primaryValue']);
    expect(binding.index.cmdCode).toBe(1);
    expect(binding.unused).toEqual(['cmdCode']);
  });

  it('refuses a file without the commodity code with a SchemaDriftError', () => {
    const error = driftOf(['reporterCode', 'primaryValue', 'cmdDesc']);
    expect(error.code).toBe('missing_column');
    expect(error.file).toBe('pak_2023.csv');
    expect(error.missing).toEqual(['cmdCode']);
    expect(error.message).toMatch(/^pak_2023\.csv: no column for the commodity code/);
    expect(error.message).toContain('expected one of "cmdCode", "Commodity Code"');
  });

  it('names the closest column and lists the columns it found', () => {
    const error = driftOf(['reporterCode', 'cmd_cde', 'primaryValue']);
    expect(error.message).toContain('the closest is "cmd_cde", rename it if that is the one');
    expect(error.message).toContain('Found 3 columns: "reporterCode", "cmd_cde", "primaryValue"');
    expect(error.message).toContain('--source');
  });

  it('names no closest column when nothing is near', () => {
    const error = driftOf(['reporterCode', 'primaryValue', 'quantity']);
    expect(error.message).not.toContain('closest');
  });

  it('never offers a column already bound to another field as the closest match', () => {
    const near = {
      value: { label: 'value', aliases: ['value'] },
      values: { label: 'values', aliases: ['values'] },
    } as const satisfies ColumnSpecs<string>;
    let error: unknown = null;
    try {
      bindColumns('f.csv', ['value'], near, [['values']]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaDriftError);
    expect((error as SchemaDriftError).message).not.toContain('closest');
  });

  it('reports every missing group, joining a group\'s fields with "or"', () => {
    const error = driftOf(['cmdCode']);
    expect(error.missing).toEqual(['reporterCode|reporterIso', 'primaryValue']);
    expect(error.message).toContain('no column for the reporter code or reporter ISO code');
    expect(error.message).toContain('no column for the trade value');
    expect(error.message).toContain('Found 1 column: "cmdCode"');
  });

  it('shortens a long list of found columns', () => {
    const header = Array.from({ length: 15 }, (_, i) => `col${i + 1}`);
    const error = driftOf(header);
    expect(error.message).toContain('Found 15 columns:');
    expect(error.message).toContain('"col12" and 3 more');
    expect(error.message).not.toContain('"col13"');
  });

  it('accepts a file when no group is required', () => {
    expect(bind([], []).index.cmdCode).toBe(-1);
  });
});
