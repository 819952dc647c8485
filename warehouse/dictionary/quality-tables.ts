/**
 * The data dictionary's data-quality findings (`dq_findings`), in its journal area after the
 * operations tables. Column words repeat the JSDoc of warehouse/schema/quality-tables.ts (the
 * data dictionary test checks that each starts with it) and add what an analyst needs beyond it.
 */
import type { DqFindingsTable } from '../schema/quality-tables.ts';
import { schemaColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';

export const QUALITY_TABLES: readonly TableDoc[] = [
  {
    name: 'dq_findings',
    kind: 'table',
    area: 'journal',
    description:
      "What a check found wrong with the data (migration 0009): one row per check, table and key (`check_name`, `table_name`, `finding_key` are unique together), so a finding found again updates `last_seen_at` instead of adding a row, and one no longer found when the check runs again on the same table gets `resolved_at`. Loads store a bureau table's printed totals and subtotals that differ from the sum of their rows (`printed_subtotal`) when the file's load commits.",
    key: ['finding_id'],
    columns: schemaColumns<DqFindingsTable>({
      finding_id: { type: 'integer', description: "The finding's number." },
      check_name: {
        type: 'text',
        description:
          "The check that found it: `printed_subtotal` (a table's printed total or subtotal against the sum of its rows, recorded by loads), `total_below_parts` (recorded at each derive), or one of the warehouse checks `corridor check` runs (src/check/, docs/data-quality.md): `total_vs_chapters`, `world_vs_partners`, `category_within_chapter_within_total`, `share_out_of_range`, `unit_value_outlier`, `mirror_gap`, `shrinking_vintage`.",
      },
      severity: {
        type: 'text',
        description:
          "`info`, `warning` or `error`. A printed subtotal that does not match its rows is a `warning`: the publisher's table disagrees with itself, and the rows were loaded as printed.",
      },
      table_name: {
        type: 'text',
        description:
          'What was checked: a file and its sheet (`exports.xlsx › 2023`), or a warehouse table. The file is named without its folder.',
      },
      finding_key: {
        type: 'text',
        description:
          "Which item of it: for a printed subtotal, the row's label and the column (`Europe › 2023`). A label printed twice in a sheet gets its row number (`Total › 2023 (row 40)`).",
      },
      expected: {
        type: 'real',
        description:
          "The figure expected: for a printed subtotal, the figure printed, in the table's unit. `rows_involved` names the unit; the figure is as printed, before any scaling to US dollars.",
      },
      found: {
        type: 'real',
        description:
          "The figure found: for a printed subtotal, the sum of the rows it stands for, in the table's unit.",
      },
      rows_involved: {
        type: 'text',
        description:
          'The rows involved, as JSON. For a printed subtotal: `{"row": 18, "part_rows": "19-23, 25", "parts": 6, "unit": "thousand US dollars"}`, the row numbers as the spreadsheet shows them.',
      },
      message: {
        type: 'text',
        description: 'What is wrong, in words: where, by how much, and what may explain it.',
      },
      first_seen_at: { type: 'text', description: 'When a check first found it, ISO 8601 UTC.' },
      last_seen_at: { type: 'text', description: 'When a check last found it, ISO 8601 UTC.' },
      resolved_at: {
        type: 'text',
        description:
          'When the same check, run again on the same table, no longer found it, ISO 8601 UTC; NULL while it stands. Found again later, it is open again.',
      },
      first_load_id: {
        type: 'integer',
        description:
          'The load that first found it (`load_files.load_id`); NULL for a check not tied to a load.',
      },
      load_id: {
        type: 'integer',
        description:
          'The load that last found it (`load_files.load_id`); NULL for a check not tied to a load.',
      },
      run_id: { type: 'integer', description: 'The run of that load (`load_runs.run_id`).' },
      file: {
        type: 'text',
        description:
          'The file it was last found in, as the pipeline names it (path or URL); NULL for a check on warehouse tables.',
      },
      sheet: { type: 'text', description: 'The sheet, for a spreadsheet; NULL otherwise.' },
      year: {
        type: 'integer',
        description:
          'The calendar year of the figures, for a warehouse check a refresh runs over the years it rewrote (migration 0015); NULL otherwise. After a load, `corridor derive` runs `total_vs_chapters`, `world_vs_partners`, `category_within_chapter_within_total`, `share_out_of_range`, `mirror_gap` and `shrinking_vintage` over the years the refresh rewrote and resolves only their findings of those years; `corridor check` runs every check over every year. A finding recorded before migration 0015 has no year until a check finds it again.',
      },
    }),
  },
];
