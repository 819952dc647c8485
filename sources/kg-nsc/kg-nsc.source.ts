/**
 * Kyrgyzstan, National Statistical Committee, table 4.03.00.18 "Geographic distribution of
 * exports of goods" (stat.gov.kg; DOMAIN.md §1.6): Kyrgyz exports by partner country, in
 * thousand US dollars, one column per year since 1994.
 *
 * The layout, as the toolkit reads it: titles in Kyrgyz, Russian and English with the unit
 * ("(thousand US dollars)"); a header row of years whose label cells are blank; three label
 * columns (Kyrgyz, Russian, English); "-" for no value; groups first ("Total", "The EU", "CIS",
 * "SCO", "EAEU"), then continents each followed by its countries. The table lists main
 * partners only, so a continent or the total may exceed its rows (only the opposite is a
 * warning). Groups and continents are checked where their members follow them and never
 * loaded; the total loads as partner W00 (World), since the countries do not add up to it.
 *
 * Countries resolve by their English label, else their Russian one. "Undefined country" is
 * exports whose destination the committee could not determine: it loads as `_X` (areas not
 * elsewhere specified), as UN Comtrade files it, so the countries still sum to the total.
 */
import { z } from 'zod';
import { matchesLabel } from '../../src/layout/table-layout.ts';
import { totalTradeFlow } from '../../src/normalize/value-only-trade-flow.ts';
import { defineTradeSource, type FieldIssue, type TradeFlowRow } from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

// The layout's output columns, by the names the layout gives them.
const columns = {
  nameEn: { label: 'country (English)', aliases: ['nameEn'] },
  nameRu: { label: 'country (Russian)', aliases: ['nameRu'] },
  period: { label: 'year', aliases: ['period'] },
  value: { label: 'export value', aliases: ['value'] },
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  nameEn: cells.code({ label: 'country (English)' }),
  nameRu: cells.code({ label: 'country (Russian)' }),
  period: cells.integerCode({ label: 'year', required: true }),
  value: cells.number({ label: 'export value', required: true, nonNegative: true }),
  unit: cells.code({ label: 'unit' }),
});

type KgRow = z.infer<typeof rowSchema>;

/** Exports the committee could not place: a partner of its own, not a group of other rows. */
const UNDEFINED_COUNTRY = ['Undefined country', 'Неопределенная страна'];

export const kgNscSource = defineTradeSource<Field, KgRow>({
  name: 'kg-nsc',
  description:
    'Kyrgyzstan National Statistical Committee table 4.03.00.18: exports by country, years as columns',
  target: 'trade_flows',
  revisesEarlierFiles: true,
  layout: {
    columns: {
      nameKy: { index: 0 },
      nameRu: { index: 1 },
      nameEn: { index: 2 },
    },
    wide: { kind: 'periods', into: 'period', value: 'value' },
    unit: { dimension: 'value' },
    aggregates: {
      column: 'nameEn',
      totals: ['Total'],
      // The table lists main partners only: continents and the total exceed their rows, and
      // the total, loaded as World (W00), is the only place the rest survives.
      selection: true,
      loadTotalsAs: 'World',
      labels: [
        'The EU',
        'EU',
        'CIS',
        'SCO',
        'EAEU',
        'Europe',
        'Asia',
        'America',
        'Africa',
        'Australia and Oceania',
        'Oceania',
      ],
    },
  },
  columns,
  required: [['nameEn', 'nameRu'], ['period'], ['value']],
  rowSchema,
  begin: ({ countries }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const year = Number(row.period);
      if (row.unit !== 'USD') {
        return [
          { code: 'bad_number', field: 'unit', message: `figures are in ${row.unit}, not US dollars.` },
        ];
      }
      const label = row.nameEn ?? row.nameRu ?? '';
      let partner: string | null = null;
      if (matchesLabel(label, UNDEFINED_COUNTRY) || matchesLabel(row.nameRu ?? '', UNDEFINED_COUNTRY))
        partner = '_X';
      else {
        const byEnglish =
          row.nameEn === null ? null : countries.resolve({ name: row.nameEn, year }, 'partner');
        const found =
          byEnglish !== null && 'iso3' in byEnglish
            ? byEnglish
            : countries.resolve({ name: row.nameRu, year }, 'partner');
        if (!('iso3' in found)) {
          return [
            {
              code: 'unknown_country',
              field: row.nameEn === null ? 'nameRu' : 'nameEn',
              message: byEnglish !== null && !('iso3' in byEnglish) ? byEnglish.message : found.message,
            },
          ];
        }
        partner = found.iso3;
      }
      return totalTradeFlow({
        reporterIso3: 'KGZ',
        reporterCode: '417',
        partnerIso3: partner,
        partnerCode: null,
        flow: 'X',
        year,
        valueUsd: row.value,
      });
    };
  },
});
