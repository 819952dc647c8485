/**
 * Kyrgyzstan, National Statistical Committee, tables 4.03.00.18 "Geographic distribution of
 * exports of goods" and its imports twin (stat.gov.kg; DOMAIN.md §1.6): Kyrgyz trade by partner
 * country, in thousand US dollars, one column per year since 1994 (or per month, "2023 1").
 *
 * The flow is read from the title ("…of exports of goods", "…импорта товаров"), never assumed:
 * a table that does not name it is refused until `--flow` declares it. So is the unit: a table
 * in thousand soms is refused by name.
 *
 * The layout, as the toolkit reads it: titles in Kyrgyz, Russian and English with the flow and
 * the unit ("(thousand US dollars)"); a header row of periods whose label cells are blank; three label
 * columns (Kyrgyz, Russian, English); "-" for no value; groups first ("Total", "The EU", "CIS",
 * "SCO", "EAEU"), then continents each followed by its countries. The table lists main
 * partners only, so a continent or the total may exceed its rows (only the opposite is a
 * warning). Groups and continents are checked where their members follow them, and stored
 * under their group codes (EUR, _CIS, _SCO, _EAEU, _EUROPE…), which partner sums leave out;
 * the total loads as partner W00 (World), since the countries do not add up to it.
 *
 * Countries resolve by their English label, else their Russian one. "Undefined country" is
 * exports whose destination the committee could not determine: it loads as `_X` (areas not
 * elsewhere specified), as UN Comtrade files it, so the countries still sum to the total.
 */
import { z } from 'zod';
import { matchesLabel } from '../../src/layout/table-layout.ts';
import { normalizePeriod } from '../../src/normalize/period.ts';
import { TOTAL_OF_ALL_GOODS, valueOnlyTradeFlow } from '../../src/normalize/value-only-trade-flow.ts';
import { defineTradeSource, type FieldIssue, type TradeFlowRow } from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

// The layout's output columns, by the names the layout gives them.
const columns = {
  nameEn: { label: 'country (English)', aliases: ['nameEn'] },
  nameRu: { label: 'country (Russian)', aliases: ['nameRu'] },
  period: { label: 'period', aliases: ['period'] },
  flow: { label: 'trade flow', aliases: ['flow'] },
  value: { label: 'trade value', aliases: ['value'] },
  unit: { label: 'unit', aliases: ['unit'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  nameEn: cells.code({ label: 'country (English)' }),
  nameRu: cells.code({ label: 'country (Russian)' }),
  period: cells.code({ label: 'period', required: true }),
  flow: cells.code({ label: 'trade flow', required: true }),
  value: cells.number({ label: 'trade value', required: true, nonNegative: true }),
  unit: cells.code({ label: 'unit' }),
});

type KgRow = z.infer<typeof rowSchema>;

/** Exports the committee could not place: a partner of its own, not a group of other rows. */
const UNDEFINED_COUNTRY = ['Undefined country', 'Неопределенная страна'];

export const kgNscSource = defineTradeSource<Field, KgRow>({
  name: 'kg-nsc',
  about: {
    dataset:
      'Kyrgyzstan National Statistical Committee, tables 4.03.00.18 and 4.03.00.19 (exports, imports by country)',
    publisher: 'Kyrgyzstan National Statistical Committee',
    url: 'https://stat.gov.kg',
    licence: {
      id: 'LicenseRef-unstated',
      title:
        'Government statistics; the publisher states no licence on the files: cite Kyrgyzstan National Statistical Committee (stat.gov.kg)',
      url: null,
      redistribution: 'unknown',
      attribution: 'Source: Kyrgyzstan National Statistical Committee, stat.gov.kg',
    },
    illustrative: false,
    fileCovers:
      'every year of its columns for its main partners and the total; a later table revises the years an earlier one loaded',
    flows: ['X', 'M'],
    units: ['thousand US dollars'],
    periods: ['annual', 'monthly'],
  },
  description:
    'Kyrgyzstan National Statistical Committee tables 4.03.00.18/19: exports or imports by country (as the title says), years or months as columns',
  target: 'trade_flows',
  revisesEarlierFiles: true,
  layout: {
    columns: {
      nameKy: { index: 0 },
      nameRu: { index: 1 },
      nameEn: { index: 2 },
    },
    // Every sheet with the table, each with its own title: covers and notes are passed over.
    sheets: { every: true },
    wide: { kind: 'periods', into: 'period', value: 'value' },
    unit: { dimension: 'value' },
    facts: { flow: { into: 'flow' } },
    aggregates: {
      column: 'nameEn',
      totals: ['Total'],
      // The table lists main partners only: continents and the total exceed their rows, and
      // the total, loaded as World (W00), is the only place the rest survives.
      selection: true,
      loadTotalsAs: 'World',
      // Groupings are stored under their group codes (EUR, _CIS, _EUROPE…), out of partner sums.
      loadSubtotals: true,
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
  required: [['nameEn', 'nameRu'], ['period'], ['flow'], ['value']],
  rowSchema,
  begin: ({ countries }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const period = normalizePeriod(row.period, null, null, null);
      if ('problem' in period) return [{ code: 'bad_period', field: 'period', message: period.problem }];
      const year = period.year;
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
      return valueOnlyTradeFlow({
        reporterIso3: 'KGZ',
        reporterCode: '417',
        partnerIso3: partner,
        partnerCode: null,
        flow: row.flow,
        period,
        hs: TOTAL_OF_ALL_GOODS,
        valueUsd: row.value,
      });
    };
  },
});
