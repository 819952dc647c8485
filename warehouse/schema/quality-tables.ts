/** Data-quality findings (migration 0009). Part of the warehouse schema (../schema.ts). */
import type { Generated } from 'kysely';

/** What a check found wrong with the data: one row per check, table and key, followed from first seen to resolved. */
export interface DqFindingsTable {
  finding_id: Generated<number>;
  /**
   * The check that found it: `printed_subtotal` (a table's printed total or subtotal against the sum of its rows, recorded by loads), `total_below_parts` (recorded at each derive), or one of the warehouse checks `corridor check` runs (src/check/, docs/data-quality.md): `total_vs_chapters`, `world_vs_partners`, `category_within_chapter_within_total`, `share_out_of_range`, `unit_value_outlier`, `mirror_gap`, `shrinking_vintage`.
   */
  check_name: string;
  /** `info`, `warning` or `error`. */
  severity: string;
  /** What was checked: a file and its sheet (`exports.xlsx › 2023`), or a warehouse table. */
  table_name: string;
  /** Which item of it: for a printed subtotal, the row's label and the column (`Europe › 2023`). */
  finding_key: string;
  /** The figure expected: for a printed subtotal, the figure printed, in the table's unit. */
  expected: number | null;
  /** The figure found: for a printed subtotal, the sum of the rows it stands for, in the table's unit. */
  found: number | null;
  /** The rows involved, as JSON. */
  rows_involved: string | null;
  /** What is wrong, in words: where, by how much, and what may explain it. */
  message: string;
  /** When a check first found it, ISO 8601 UTC. */
  first_seen_at: string;
  /** When a check last found it, ISO 8601 UTC. */
  last_seen_at: string;
  /** When the same check, run again on the same table, no longer found it, ISO 8601 UTC; NULL while it stands. */
  resolved_at: string | null;
  /** The load that first found it (`load_files.load_id`); NULL for a check not tied to a load. */
  first_load_id: number | null;
  /** The load that last found it (`load_files.load_id`); NULL for a check not tied to a load. */
  load_id: number | null;
  /** The run of that load (`load_runs.run_id`). */
  run_id: number | null;
  /** The file it was last found in, as the pipeline names it (path or URL); NULL for a check on warehouse tables. */
  file: string | null;
  /** The sheet, for a spreadsheet; NULL otherwise. */
  sheet: string | null;
  /** The calendar year of the figures, for a warehouse check a refresh runs over the years it rewrote (migration 0015); NULL otherwise. */
  year: number | null;
}
