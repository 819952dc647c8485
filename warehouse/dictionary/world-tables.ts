/**
 * The data dictionary's world totals: `world_trade_totals`, the world's exports a user supplies
 * (sources/world-totals/, docs/world-basis.md), with its closed versions and history. Column
 * words repeat the JSDoc of warehouse/schema/world-tables.ts (the data dictionary test checks
 * that each starts with it) and add what an analyst needs beyond it.
 */

import { WORLD_TRADE_TOTALS } from '../fact-tables.ts';
import type { SeenColumns } from '../schema/trade-tables.ts';
import type {
  WorldTradeTotalsClosedTable,
  WorldTradeTotalsFigure,
  WorldTradeTotalsTable,
} from '../schema/world-tables.ts';
import { type ColumnSpecs, schemaColumns, viewColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';
import { CLOSED, HISTORY, SEEN } from './vintage-columns.ts';

const FIGURE: ColumnSpecs<Omit<WorldTradeTotalsFigure, keyof SeenColumns>> = {
  source: { type: 'text', description: '`world-totals`.' },
  year: { type: 'integer', description: 'The calendar year.' },
  hs_edition: {
    type: 'text',
    description:
      'The HS edition of the code: `H0` … `H6`. RCA compares a reporter only with world totals of its own edition.',
  },
  flow: { type: 'text', description: "`X`: the world's exports (the only flow RCA reads)." },
  hs_code: {
    type: 'text',
    description: 'The HS code (text, leading zeros kept), or `TOTAL` for every product. TOTAL is X_w of RCA.',
  },
  hs_level: { type: 'integer', description: 'Digits of the code: 2, 4 or 6; 0 for `TOTAL`.' },
  value_usd: { type: 'real', unit: 'USD', description: 'The value in US dollars.' },
  source_note: {
    type: 'text',
    description:
      "Where the figure comes from, as the file says (`source_note`); NULL when it does not. RCA's `world_basis` names it.",
  },
  source_row: { type: 'integer', description: 'The row of the figure in its file (header = row 1).' },
  load_id: { type: 'integer', description: 'The file load that wrote this row: `load_files.load_id`.' },
};

export const WORLD_TABLES: readonly TableDoc[] = [
  {
    name: 'world_trade_totals',
    kind: 'table',
    area: 'trade',
    description:
      "The world's trade by year, HS edition and code, from a file the user supplies (`corridor load FILE --source world-totals`, migration 0013; layout in docs/world-basis.md): the first world basis of RCA for the years and editions it holds. A file covers its years and editions: a corrected file retires the codes it no longer holds into `world_trade_totals_closed`.",
    key: WORLD_TRADE_TOTALS.key,
    columns: schemaColumns<WorldTradeTotalsTable>({ ...FIGURE, ...SEEN }),
  },
  {
    name: 'world_trade_totals_closed',
    kind: 'table',
    area: 'trade',
    description:
      'Superseded versions of `world_trade_totals`: each figure a later load changed, retired or reverted, as it was, with the load that closed it.',
    key: [...WORLD_TRADE_TOTALS.key, 'load_id'],
    columns: schemaColumns<WorldTradeTotalsClosedTable>({ ...FIGURE, ...CLOSED }),
  },
  {
    name: 'world_trade_totals_history',
    kind: 'view',
    area: 'trade',
    description: 'Every version of every world total, current and superseded.',
    key: [...WORLD_TRADE_TOTALS.key, 'valid_from_load'],
    columns: viewColumns({ ...FIGURE, ...HISTORY }),
  },
];
