/**
 * Port throughput samples, loaded by `npm start` after the trade samples:
 * - Karachi (KPT) and Port Qasim (PQA) workbooks in the shape the two authorities publish
 *   (scripts/make-port-samples.ts): the fiscal year over its months, one row per commodity and
 *   direction, closing subtotals and a grand total, tonnes and TEU on separate sheets; PQA's as
 *   year-to-date figures. Year totals as published where known, the rest illustrative.
 * - Hong Kong's container throughput as the Marine Department publishes it (real data,
 *   DATA.GOV.HK; credit in sources/port-table/samples/README.md): Year and Month columns ("All"
 *   for the year's total), the unit only in the header ("Total ( '000 TEUs)").
 */
import { definePipeline } from '../src/pipeline/define-pipeline.ts';

/**
 * KPT's and PQA's tables share a layout; PQA's figures are year-to-date. Their splits are
 * illustrative, so they load as `sample-kpt` and `sample-pqa`, apart from real port tables.
 */
const pakistaniPortTable = (name: string, port: string, cumulative: boolean) => ({
  name,
  sheets: { every: true },
  headerRows: 2,
  columns: { commodity: { labels: ['Commodity'] }, direction: { labels: ['Direction'] } },
  wide: { kind: 'periods' as const, into: 'period', value: 'quantity', cumulative },
  aggregates: {
    column: 'commodity',
    labels: ['Total dry cargo', 'Total liquid cargo', 'Total containerised cargo', 'Total containers'],
    totals: ['Grand total'],
    position: 'after' as const,
  },
  map: {
    port: { value: port },
    period: { column: 'period' },
    direction: { column: 'direction' },
    commodity: { column: 'commodity' },
    quantity: { column: 'quantity' },
  },
});

export default definePipeline({
  name: 'ports',
  description:
    'Port throughput samples: Karachi and Port Qasim (illustrative splits), Hong Kong (Marine Department)',
  sources: [
    {
      source: 'port-table',
      files: ['sources/port-table/samples/kpt_*.xlsx'],
      portTable: pakistaniPortTable('sample-kpt', 'PKKHI', false),
      about: { publisher: 'Karachi Port Trust', illustrative: true },
    },
    {
      source: 'port-table',
      files: ['sources/port-table/samples/pqa_*.xlsx'],
      portTable: pakistaniPortTable('sample-pqa', 'PKBQM', true),
      about: { publisher: 'Port Qasim Authority', illustrative: true },
    },
    {
      source: 'port-table',
      files: ['sources/port-table/samples/hk_total_container_throughput_by_mode_of_transport_EN.csv'],
      about: {
        publisher: 'Marine Department, HKSAR Government',
        dataset: 'Total container throughput by mode of transport (DATA.GOV.HK)',
        url: 'https://data.gov.hk',
        licence: {
          id: 'LicenseRef-DATA.GOV.HK-terms',
          title:
            'DATA.GOV.HK terms and conditions: free reuse, commercial included, with the attribution "Source: Marine Department, HKSAR Government (DATA.GOV.HK)"',
          url: 'https://data.gov.hk',
          redistribution: 'allowed',
          attribution: 'Source: Marine Department, HKSAR Government (DATA.GOV.HK)',
        },
      },
      portTable: {
        name: 'hk-marine-department',
        columns: {
          year: { labels: ['Year'] },
          month: { labels: ['Month'] },
          total: { labels: ["Total ( '000 TEUs)"] },
        },
        figures: ['total'],
        map: {
          port: { value: 'HKHKG' },
          period: { column: 'year' },
          month: { column: 'month' },
          cargoGroup: { value: 'container' },
          commodity: { value: 'Containers' },
          quantity: { column: 'total' },
        },
      },
    },
  ],
  schedule: '0 3 * * *',
  timezone: 'Asia/Karachi',
});
