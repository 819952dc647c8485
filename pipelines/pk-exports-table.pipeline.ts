/**
 * A worked example of the generic `table` source (docs/adding-a-source.md, "Loading a new table layout"): a
 * table made for people, with a title, its unit in a title line, years as columns, figures
 * written with a decimal comma, "-" and "…" for no value, and a total row at the bottom that
 * is checked against the rows above it instead of being loaded. The figures are illustrative.
 */
import { definePipeline } from '../src/pipeline/define-pipeline.ts';

export default definePipeline({
  name: 'pk-exports-table',
  description:
    'Worked example of the table source: an illustrative exports-by-destination table, years as columns',
  sources: [
    {
      source: 'table',
      files: ['sources/table/samples/pk_exports_by_country_illustrative.csv'],
      // Who publishes the files and on which terms (corridor sources, datapackage.json): here
      // Corridor's own invented figures.
      about: {
        publisher: 'Corridor',
        dataset: 'a table made for people (worked example)',
        illustrative: true,
      },
      table: {
        // The rows' name in trade_flows.source and in the journal.
        name: 'pk-exports-example',
        // Kept columns, found by their header label; the header row is found below the titles.
        columns: { country: { labels: ['Country', 'Destination'] } },
        // Every column headed by a year becomes one record: (country, period, value).
        wide: { kind: 'periods', into: 'period', value: 'value' },
        // "Total listed" sums the rows above it: checked, not loaded.
        aggregates: { column: 'country', totals: ['Total listed'], position: 'after' },
        // The unit comes from the title line "(thousand US dollars)"; figures become US dollars.
        map: {
          reporter: { value: 'PAK' },
          partner: { column: 'country' },
          flow: { value: 'X' },
          period: { column: 'period' },
          value: { column: 'value' },
        },
      },
    },
  ],
});
