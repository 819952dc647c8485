/**
 * Kazakhstan, Bureau of National Statistics: "Основные показатели внешней торговли" (main
 * foreign-trade indicators) by country, as published on stat.gov.kz (DOMAIN.md §1.6).
 *
 * The layout, as the toolkit reads it:
 * - every sheet with the table: `12_2021` (the year) and `12_2020` (the previous year, revised
 *   and with more decimals), so each file revises the year before; a cover or methodology
 *   sheet added later is passed over;
 * - title rows with the period ("за январь-декабрь 2021 года") and the unit ("тыс. долларов
 *   США", thousand US dollars);
 * - a two-row merged header: "Наименование области" (sic; "…страны" in 2020), then
 *   Товарооборот / Экспорт / Импорт, each split into "Всего" (the value) and "удельный вес"
 *   (a rounded share, not loaded: recompute it);
 * - countries in Russian, interleaved with totals and groups ("Всего", " Страны ЕАЭС",
 *   "Европа", "  Страны ЕС"…), which are checked against their members and not loaded.
 *
 * Export means Kazakhstan's exports to the partner; the bureau values exports FOB and imports
 * CIF, as customs statistics do, but the table does not say so: only value_usd is filled.
 */
import { z } from 'zod';
import { totalTradeFlow } from '../../src/normalize/value-only-trade-flow.ts';
import { defineTradeSource, type FieldIssue, type TradeFlowRow } from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

const columns = {
  partner: { label: 'country', aliases: ['partner'] },
  flow: { label: 'trade flow', aliases: ['flow'] },
  value: { label: 'trade value', aliases: ['value'] },
  year: { label: 'year', aliases: ['year'] },
  months: { label: 'months covered', aliases: ['months'] },
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  partner: cells.code({ label: 'country', required: true }),
  flow: cells.code({ label: 'trade flow', required: true }),
  value: cells.number({ label: 'trade value', required: true, nonNegative: true }),
  year: cells.integerCode({ label: 'year', required: true }),
  months: cells.code({ label: 'months covered' }),
  unit: cells.code({ label: 'unit' }),
});

type KzRow = z.infer<typeof rowSchema>;

/** "январь-декабрь", however it is dashed or spaced. */
const WHOLE_YEAR = /^январь\s*[-–—]\s*декабрь$/i;

export const kzBnsSource = defineTradeSource<Field, KzRow>({
  name: 'kz-bns',
  description:
    "Kazakhstan Bureau of National Statistics: main foreign-trade indicators by country (.xls, both of a file's years)",
  target: 'trade_flows',
  revisesEarlierFiles: true,
  layout: {
    sheets: { every: true },
    headerRows: 2,
    columns: {
      // "Наименование области" (sic) in most years, "…страны" in 2020.
      partner: { labels: ['Наименование страны', 'Наименование области', 'Страна', 'Страны'] },
    },
    wide: {
      kind: 'columns',
      into: 'flow',
      value: 'value',
      columns: { X: ['Экспорт › Всего'], M: ['Импорт › Всего'] },
    },
    unit: { dimension: 'value' },
    aggregates: {
      column: 'partner',
      totals: ['Всего', 'Итого'],
      // Levels as the bureau means them; its indentation varies from year to year.
      labels: [
        { label: 'Страны СНГ', level: 0 },
        { label: 'Страны ЕАЭС', level: 1 },
        { label: 'Страны вне ЕАЭС', level: 1 },
        { label: 'Остальные страны мира', level: 0 },
        { label: 'Европа', level: 1 },
        { label: 'Страны ЕС', level: 2 },
        { label: 'Страны вне ЕС', level: 2 },
        { label: 'Азия', level: 1 },
        { label: 'Америка', level: 1 },
        { label: 'Африка', level: 1 },
        { label: 'Австралия и Океания', level: 1 },
        { label: 'Океания', level: 1 },
      ],
    },
    context: {
      year: [
        { from: 'title', pattern: /\b(\d{4})\s*год/i },
        { from: 'sheet', pattern: /(\d{4})\s*$/ },
      ],
      months: [{ from: 'title', pattern: /за\s+([а-яё]+(?:\s*[-–—]\s*[а-яё]+)?)\s+\d{4}/i }],
    },
  },
  columns,
  required: [['partner'], ['flow'], ['value'], ['year']],
  rowSchema,
  begin: ({ countries }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const year = Number(row.year);
      if (row.months !== null && !WHOLE_YEAR.test(row.months)) {
        return [
          {
            code: 'bad_period',
            field: 'months',
            message: `the table covers ${row.months} ${year}, part of a year; kz-bns loads the bureau's January–December tables (январь-декабрь) only.`,
          },
        ];
      }
      if (row.unit !== 'USD') {
        return [
          {
            code: 'bad_number',
            field: 'unit',
            message: `figures are in ${row.unit ?? 'no unit'}, not US dollars; check the unit line above the table.`,
          },
        ];
      }
      const partner = countries.resolve({ name: row.partner, year }, 'partner');
      if (!('iso3' in partner)) {
        return [{ code: 'unknown_country', field: 'partner', message: partner.message }];
      }
      return totalTradeFlow({
        reporterIso3: 'KAZ',
        reporterCode: '398',
        partnerIso3: partner.iso3,
        partnerCode: null,
        flow: row.flow === 'X' ? 'X' : 'M',
        year,
        valueUsd: row.value,
      });
    };
  },
});
