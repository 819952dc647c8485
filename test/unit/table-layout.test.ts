import { describe, expect, it } from 'vitest';
import {
  type HeaderLabel,
  matchesLabel,
  outputColumns,
  type SubtotalLabel,
  subtotalLevel,
  type TableLayout,
} from '../../src/layout/table-layout.ts';

describe('matchesLabel', () => {
  it.each<{ text: string; labels: HeaderLabel[] }>([
    { text: 'Экспорт › Всего', labels: ['экспорт всего'] },
    { text: 'ЭКСПОРТ  ›  ВСЕГО', labels: ['Экспорт › Всего'] },
    { text: 'Trade Value (US$)', labels: ['trade value us'] },
    { text: 'Commodity-Code', labels: ['commodity code'] },
    { text: "Côte d'Ivoire", labels: ['COTE D IVOIRE'] },
    { text: '  Наименование области ', labels: ['Страна', 'наименование области'] },
    { text: 'Экспорт › Всего', labels: [/^Экспорт › /] },
    { text: '  Total dry bulk ', labels: [/^Total .* bulk$/] },
    { text: 'Imports (tonnes)', labels: [/imports/i] },
  ])('matches "$text" to $labels', ({ text, labels }) => {
    expect(matchesLabel(text, labels)).toBe(true);
  });

  it.each<{ case: string; text: string; labels: HeaderLabel[] }>([
    { case: 'a longer label', text: 'Export', labels: ['Exports'] },
    { case: 'a different group', text: 'Импорт › Всего', labels: ['Экспорт › Всего'] },
    { case: 'a pattern, which is matched as written, not folded', text: 'Export', labels: [/^export$/] },
    { case: 'a pattern, against the path without its outer spaces', text: ' Total', labels: [/^ Total/] },
    { case: 'no labels', text: 'Export', labels: [] },
  ])('does not match $case', ({ text, labels }) => {
    expect(matchesLabel(text, labels)).toBe(false);
  });

  it.each<{ text: string; labels: HeaderLabel[] }>([
    { text: '', labels: [''] },
    { text: '   ', labels: ['', ' '] },
    { text: '\u00a0', labels: [/^\s*$/] },
    { text: '', labels: [/.*/] },
  ])('never matches a blank text ("$text") to $labels', ({ text, labels }) => {
    expect(matchesLabel(text, labels)).toBe(false);
  });
});

describe('subtotalLevel', () => {
  const kazakh: SubtotalLabel[] = [
    'Страны СНГ',
    'Страны ЕАЭС',
    // Indented in some years and not in others: the level is declared.
    { label: 'Страны вне ЕАЭС', level: 1 },
    { label: 'Остальные страны мира', level: 0 },
    /^Total .+ bulk$/,
  ];

  it.each([
    { label: 'Страны СНГ', level: 0 },
    { label: ' Страны ЕАЭС', level: 1 },
    { label: '   Страны ЕАЭС', level: 3 },
    { label: '\u00a0\u00a0Страны ЕАЭС', level: 2 },
    { label: '\tСТРАНЫ ЕАЭС', level: 1 },
    { label: 'Страны вне ЕАЭС', level: 1 },
    { label: '    Страны вне ЕАЭС', level: 1 },
    { label: '  Остальные страны мира', level: 0 },
    { label: '  Total dry bulk', level: 2 },
  ])('gives "$label" level $level', ({ label, level }) => {
    expect(subtotalLevel(label, kazakh)).toBe(level);
  });

  it.each(['Россия', '  Россия', '', 'Всего', 'Total grain'])(
    'gives "%s" no level: it is not a subtotal',
    (label) => {
      expect(subtotalLevel(label, kazakh)).toBeNull();
    },
  );

  it('takes the first entry that matches', () => {
    expect(subtotalLevel('  Europe', [{ label: 'Europe', level: 5 }, 'Europe'])).toBe(5);
    expect(subtotalLevel('  Europe', ['Europe', { label: 'Europe', level: 5 }])).toBe(2);
  });
});

describe('outputColumns', () => {
  it.each<{ case: string; layout: TableLayout; expected: string[] }>([
    {
      case: 'a long table: its columns, then unit and status',
      layout: {
        columns: {
          partner: { labels: ['Страна'] },
          hs: { labels: ['Код ТН ВЭД'] },
          value: { labels: ['Стоимость'] },
        },
        figures: ['value'],
      },
      expected: ['partner', 'hs', 'value', 'unit', 'status'],
    },
    {
      case: 'a wide table by period: its columns, the period, the value and its heading, then context, unit and status',
      layout: {
        columns: { region: { index: 0 } },
        wide: { kind: 'periods', into: 'period', value: 'value' },
        context: { flow: [{ from: 'sheet', pattern: /^(Экспорт|Импорт)/ }] },
      },
      expected: ['region', 'period', 'value', 'heading', 'flow', 'unit', 'status'],
    },
    {
      case: 'a wide table by named columns, with the unit column renamed',
      layout: {
        columns: { region: { labels: ['Наименование области'] } },
        wide: {
          kind: 'columns',
          into: 'flow',
          value: 'value_usd',
          columns: { X: ['экспорт › Всего'], M: ['импорт › Всего'] },
        },
        unit: { default: 'thousand US dollars', into: 'currency' },
      },
      expected: ['region', 'flow', 'value_usd', 'heading', 'currency', 'status'],
    },
    {
      case: 'a table with context values and a unit without its own column name',
      layout: {
        columns: { port: { labels: ['Port'] }, tonnes: { labels: ['Tonnes'] } },
        context: {
          year: [{ from: 'title', pattern: /(\d{4})/ }],
          flow: [{ from: 'sheet', pattern: /^(Imports|Exports)$/ }],
        },
        unit: { dimension: 'mass' },
      },
      expected: ['port', 'tonnes', 'year', 'flow', 'unit', 'status'],
    },
  ])('lists $case', ({ layout, expected }) => {
    expect(outputColumns(layout)).toEqual(expected);
  });
});
