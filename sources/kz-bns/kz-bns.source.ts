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
 * - countries in Russian (or Kazakh), interleaved with totals and groups ("Всего", " Страны
 *   ЕАЭС", "Европа", "  Страны ЕС"…), which are checked against their members and stored: the
 *   total as World (W00), each group under its group code, which partner sums leave out.
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
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  partner: cells.code({ label: 'country', required: true }),
  flow: cells.code({ label: 'trade flow', required: true }),
  value: cells.number({ label: 'trade value', required: true, nonNegative: true }),
  year: cells.integerCode({ label: 'year', required: true }),
  unit: cells.code({ label: 'unit' }),
});

type KzRow = z.infer<typeof rowSchema>;

export const kzBnsSource = defineTradeSource<Field, KzRow>({
  name: 'kz-bns',
  about: {
    dataset: 'Kazakhstan Bureau of National Statistics, main foreign-trade indicators by country',
    publisher: 'Kazakhstan Bureau of National Statistics',
    url: 'https://stat.gov.kz',
    licence: {
      id: 'LicenseRef-unstated',
      title:
        'Government statistics; the publisher states no licence on the files: cite Kazakhstan Bureau of National Statistics (stat.gov.kz)',
      url: null,
      redistribution: 'unknown',
      attribution: 'Source: Kazakhstan Bureau of National Statistics, stat.gov.kz',
    },
    illustrative: false,
    fileCovers:
      "every partner of the year of each of its sheets; the previous year's sheet revises what an earlier file loaded",
    flows: ['X', 'M'],
    units: ['thousand US dollars'],
    periods: ['annual'],
  },
  description:
    "Kazakhstan Bureau of National Statistics: main foreign-trade indicators by country (.xls, both of a file's years)",
  target: 'trade_flows',
  revisesEarlierFiles: true,
  // A file covers every partner of a year, both flows: a partner missing from a revised sheet no longer traded.
  coverage: ['reporter', 'period', 'flow'],
  layout: {
    sheets: { every: true },
    headerRows: 2,
    columns: {
      // "Наименование области" (sic) in most years, "…страны" in 2020.
      // Kazakh editions: "Елдің атауы" (name of the country), "Елдер" (countries).
      partner: {
        labels: [
          'Наименование страны',
          'Наименование области',
          'Страна',
          'Страны',
          'Елдің атауы',
          'Елдер',
          'Ел',
          'Country',
          'Countries',
        ],
      },
    },
    wide: {
      kind: 'columns',
      into: 'flow',
      value: 'value',
      // Russian "Всего", Kazakh "Барлығы", English "Total": the value, beside its share.
      columns: {
        X: ['Экспорт › Всего', 'Экспорт › Барлығы', 'Exports › Total', 'Export › Total'],
        M: ['Импорт › Всего', 'Импорт › Барлығы', 'Imports › Total', 'Import › Total'],
      },
    },
    unit: { dimension: 'value' },
    aggregates: {
      column: 'partner',
      totals: ['Всего', 'Итого', 'Барлығы', 'Total'],
      // Stored, after their check: the total as World (W00, the published total) and each
      // grouping under its group code (_CIS, EUR, _EUROPE…), kept out of partner sums.
      loadTotalsAs: 'World',
      loadSubtotals: true,
      // Levels as the bureau means them; its indentation varies from year to year. Russian,
      // then the Kazakh edition's labels.
      labels: [
        ...['Страны СНГ', 'ТМД елдері', 'CIS countries'].map((label) => ({ label, level: 0 })),
        ...['Страны ЕАЭС', 'ЕАЭО елдері', 'EAEU countries'].map((label) => ({ label, level: 1 })),
        ...['Страны вне ЕАЭС', 'ЕАЭО-ға кірмейтін елдер'].map((label) => ({ label, level: 1 })),
        ...['Остальные страны мира', 'Әлемнің басқа елдері', 'Other countries of the world'].map((label) => ({
          label,
          level: 0,
        })),
        ...['Европа', 'Еуропа', 'Europe'].map((label) => ({ label, level: 1 })),
        ...['Страны ЕС', 'ЕО елдері', 'EU countries'].map((label) => ({ label, level: 2 })),
        ...['Страны вне ЕС', 'ЕО-ға кірмейтін елдер'].map((label) => ({ label, level: 2 })),
        ...['Азия', 'Asia', 'Америка', 'America', 'Африка', 'Africa'].map((label) => ({ label, level: 1 })),
        ...['Австралия и Океания', 'Аустралия және Океания', 'Australia and Oceania'].map((label) => ({
          label,
          level: 1,
        })),
        ...['Океания', 'Oceania'].map((label) => ({ label, level: 1 })),
      ],
    },
    // "за январь-декабрь 2021 года", "за 2022 год", "2023 жыл", or the sheet "12_2021": a table
    // of part of a year ("январь-июнь") is refused whole, in one message.
    facts: { period: { into: 'year', wholeYears: true } },
  },
  columns,
  required: [['partner'], ['flow'], ['value'], ['year']],
  rowSchema,
  begin: ({ countries }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const year = Number(row.year);
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
        flow: row.flow,
        year,
        valueUsd: row.value,
      });
    };
  },
});
