/**
 * Uzbekistan, Statistics Agency: the SDMX CSV exports of datasets 1105 (exports of goods by
 * country) and 1176 (imports of goods by country) (stat.uz; DOMAIN.md §1.6). One row per
 * partner, one column per year since 2010.
 *
 * The file's content says neither its flow nor its unit; the agency names its downloads by
 * dataset (`sdmx_data_1176.csv`), and documents 1105 as exports and 1176 as imports, both in
 * thousand US dollars. So the flow and unit come from the dataset code in the file's name, as
 * the journal records (`load_facts`); a file renamed without it is refused until `--flow` and
 * `--unit` declare them, and a declaration that contradicts the code needs `--override`.
 *
 * `Code` is the ISO 3166 numeric code, not always zero padded ("4" Afghanistan), or a retired
 * UN code (736, Sudan); it is checked against the English name. Code 0, "Other countries", is a large residual of exports
 * not attributed to a country: it loads as `_X` (areas not elsewhere specified), not dropped.
 */
import { z } from 'zod';
import { totalTradeFlow } from '../../src/normalize/value-only-trade-flow.ts';
import { defineTradeSource, type FieldIssue, type TradeFlowRow } from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

// The layout's output columns, by the names the layout gives them.
const columns = {
  code: { label: 'country code', aliases: ['code'] },
  nameEn: { label: 'country (English)', aliases: ['nameEn'] },
  nameRu: { label: 'country (Russian)', aliases: ['nameRu'] },
  period: { label: 'year', aliases: ['period'] },
  flow: { label: 'trade flow', aliases: ['flow'] },
  value: { label: 'trade value', aliases: ['value'] },
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  code: cells.integerCode({ label: 'country code', required: true, issue: 'unknown_country' }),
  nameEn: cells.code({ label: 'country (English)' }),
  nameRu: cells.code({ label: 'country (Russian)' }),
  period: cells.integerCode({ label: 'year', required: true }),
  flow: cells.code({ label: 'trade flow', required: true }),
  value: cells.number({ label: 'trade value', required: true, nonNegative: true }),
  unit: cells.code({ label: 'unit' }),
});

type UzRow = z.infer<typeof rowSchema>;

export const uzStatSource = defineTradeSource<Field, UzRow>({
  name: 'uz-stat',
  about: {
    dataset: 'Uzbekistan Statistics Agency, SDMX datasets 1105 (exports) and 1176 (imports) by country',
    publisher: 'Uzbekistan Statistics Agency',
    url: 'https://stat.uz',
    licence: {
      id: 'LicenseRef-unstated',
      title:
        'Government statistics; the publisher states no licence on the files: cite Uzbekistan Statistics Agency (stat.uz)',
      url: null,
      redistribution: 'unknown',
      attribution: 'Source: Uzbekistan Statistics Agency, stat.uz',
    },
    illustrative: false,
    fileCovers:
      'every year of its columns for every partner; a later file revises the years an earlier one loaded',
    flows: ['X', 'M'],
    units: ['thousand US dollars'],
    periods: ['annual'],
  },
  description:
    'Uzbekistan Statistics Agency SDMX CSV (datasets 1105 exports, 1176 imports): trade by country, years as columns',
  target: 'trade_flows',
  revisesEarlierFiles: true,
  // A file covers every partner of each year column, for the dataset's flow.
  coverage: ['reporter', 'period', 'flow'],
  layout: {
    columns: {
      code: { labels: ['Code'] },
      nameUz: { labels: ['Klassifikator'], optional: true },
      nameRu: { labels: ['Klassifikator_ru'], optional: true },
      nameEn: { labels: ['Klassifikator_en'], optional: true },
    },
    wide: { kind: 'periods', into: 'period', value: 'value' },
    unit: { dimension: 'value' },
    facts: {
      flow: { into: 'flow' },
      datasets: [
        {
          pattern: /(?:^|\D)1105(?:\D|$)/,
          says: 'dataset 1105, which the agency documents as exports of goods by country in thousand US dollars',
          flow: 'X',
          unit: 'thousand US dollars',
        },
        {
          pattern: /(?:^|\D)1176(?:\D|$)/,
          says: 'dataset 1176, which the agency documents as imports of goods by country in thousand US dollars',
          flow: 'M',
          unit: 'thousand US dollars',
        },
      ],
    },
  },
  columns,
  required: [['code'], ['period'], ['flow'], ['value']],
  rowSchema,
  begin: ({ countries }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const year = Number(row.period);
      if (row.unit !== 'USD') {
        return [
          { code: 'bad_number', field: 'unit', message: `figures are in ${row.unit}, not US dollars.` },
        ];
      }
      let partner: string;
      if (row.code === '0') partner = '_X';
      else {
        // ISO numeric first; then UN Comtrade's codes, which keep retired ones (736, Sudan
        // before South Sudan's secession) that the agency's classifier still uses.
        const byCode =
          countries.fromCode(row.code, 'iso_numeric') ?? countries.fromCode(row.code, 'comtrade');
        if (byCode === null) {
          return [
            {
              code: 'unknown_country',
              field: 'code',
              message: `${row.code} is not an ISO 3166 numeric country code${row.nameEn === null ? '' : ` (the row names ${row.nameEn})`}; check the code.`,
            },
          ];
        }
        const byName = row.nameEn === null ? null : countries.resolve({ name: row.nameEn, year }, 'partner');
        if (byName !== null && 'iso3' in byName && byName.iso3 !== byCode) {
          return [
            {
              code: 'inconsistent_country',
              field: 'code',
              message: `code ${row.code} is ${countries.nameOf(byCode)} (${byCode}) but the row is named ${JSON.stringify(row.nameEn)} (${byName.iso3}); fix whichever is wrong.`,
            },
          ];
        }
        partner = byCode;
      }
      return totalTradeFlow({
        reporterIso3: 'UZB',
        reporterCode: '860',
        partnerIso3: partner,
        partnerCode: row.code,
        flow: row.flow,
        year,
        valueUsd: row.value,
      });
    };
  },
});
