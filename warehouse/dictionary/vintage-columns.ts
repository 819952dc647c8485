/**
 * The dictionary's words for the columns that keep every version of a figure (migration 0008):
 * the merge's bookkeeping on the current tables, how a superseded version was closed, and the
 * validity columns of the history views. Shared by the trade and port areas.
 */
import type { ClosedColumns, HistoryColumns, SeenColumns } from '../schema/trade-tables.ts';
import type { ColumnSpecs } from './schema-columns.ts';

export const SEEN: ColumnSpecs<SeenColumns> = {
  seen_load: {
    type: 'integer',
    description:
      'The last load that carried this figure, changed or not; NULL when it is `load_id`. A load that covers a scope completely retires the rows of that scope it did not carry.',
  },
  seen_row: {
    type: 'integer',
    description: "The figure's row in the file of `seen_load`; NULL when it is `source_row`.",
  },
};

export const CLOSED: ColumnSpecs<ClosedColumns> = {
  valid_to_load: {
    type: 'integer',
    description:
      'The load that closed this version: `load_files.load_id`. The version was current from `load_id` up to (not including) this load.',
  },
  closed_by: {
    type: 'text',
    description:
      'Why: `changed` (a later load gave the key a new value), `retired` (a later file covering it no longer held it), `reverted` (its load was reverted with `corridor revert`).',
  },
};

export const HISTORY: ColumnSpecs<HistoryColumns> = {
  valid_from_load: {
    type: 'integer',
    description: 'The load that gave this version its value (`load_id`): `load_files.load_id`.',
  },
  valid_to_load: {
    type: 'integer',
    description:
      'The load that closed this version; NULL while it is current. As of load N, the versions with `valid_from_load <= N` and (`valid_to_load` NULL or `> N`) were current.',
  },
  closed_by: {
    type: 'text',
    description:
      '`changed`, `retired` or `reverted` (see the `*_closed` tables); NULL while the version is current.',
  },
};
