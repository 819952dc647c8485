/**
 * Uzbekistan, Statistics Agency: the SDMX CSV export of dataset 1105, exports of goods by
 * country (stat.uz; DOMAIN.md §1.6). One row per partner, one column per year since 2010.
 *
 * The file says neither its flow nor its unit. Dataset 1105 is read as exports and its figures
 * as thousand US dollars, as its sister dataset 1176 (imports) is documented; both are
 * inferences, stated in every load's notes through the layout's default unit.
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
  value: { label: 'export value', aliases: ['value'] },
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  code: cells.integerCode({ label: 'country code', required: true, issue: 'unknown_country' }),
  nameEn: cells.code({ label: 'country (English)' }),
  nameRu: cells.code({ label: 'country (Russian)' }),
  period: cells.integerCode({ label: 'year', required: true }),
  value: cells.number({ label: 'export value', required: true, nonNegative: true }),
  unit: cells.code({ label: 'unit' }),
});

type UzRow = z.infer<typeof rowSchema>;

export const uzStatSource = defineTradeSource<Field, UzRow>({
  name: 'uz-stat',
  description: 'Uzbekistan Statistics Agency SDMX CSV (dataset 1105): exports by country, years as columns',
  target: 'trade_flows',
  revisesEarlierFiles: true,
  layout: {
    columns: {
      code: { labels: ['Code'] },
      nameUz: { labels: ['Klassifikator'], optional: true },
      nameRu: { labels: ['Klassifikator_ru'], optional: true },
      nameEn: { labels: ['Klassifikator_en'], optional: true },
    },
    wide: { kind: 'periods', into: 'period', value: 'value' },
    // Not stated in the file: inferred from dataset 1176 (see above).
    unit: { dimension: 'value', default: 'thousand US dollars' },
  },
  columns,
  required: [['code'], ['period'], ['value']],
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
        flow: 'X',
        year,
        valueUsd: row.value,
      });
    };
  },
});
