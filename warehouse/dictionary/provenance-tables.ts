/**
 * The data dictionary's words for provenance (migration 0012): the columns each `load_files`
 * row keeps about who published its file and on which terms, and `row_provenance`, which says
 * which rows of the fact tables came from which load. Column words repeat the JSDoc of
 * warehouse/schema/journal-tables.ts.
 */
import type { LoadFilesTable } from '../schema/journal-tables.ts';
import { type ColumnSpecs, viewColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';

type ProvenanceColumn =
  | 'dataset'
  | 'publisher'
  | 'source_url'
  | 'licence_id'
  | 'licence'
  | 'licence_url'
  | 'redistribution'
  | 'attribution'
  | 'illustrative'
  | 'provenance_by';

/** The provenance columns of `load_files`, in the order migration 0012 adds them. */
export const PROVENANCE_COLUMNS: ColumnSpecs<Pick<LoadFilesTable, ProvenanceColumn>> = {
  dataset: {
    type: 'text',
    description:
      'The data set the file belongs to, as its source or pipeline declared it when it loaded (migration 0012); NULL for loads before it. `corridor sources` lists what each source declares.',
  },
  publisher: {
    type: 'text',
    description:
      "The organisation that publishes the file; NULL when nobody declared it, or before migration 0012. `Corridor` for the bundled samples. A pipeline's `table` or `port-table` entry declares it with `about:`.",
  },
  source_url: { type: 'text', description: "The publisher's page for the data set." },
  licence_id: {
    type: 'text',
    description:
      "The licence's SPDX or Open Definition identifier, or `LicenseRef-…`; NULL when nobody declared one. `LicenseRef-unstated`: the publisher states no licence.",
  },
  licence: { type: 'text', description: 'The terms the file comes under, in one sentence.' },
  licence_url: { type: 'text', description: 'Where the terms are written.' },
  redistribution: {
    type: 'text',
    description:
      'May the data be passed on: `allowed`, `not allowed` or `unknown`. Check it before sharing an export (UN Comtrade: not allowed).',
  },
  attribution: {
    type: 'text',
    description: 'The credit the terms ask for, word for word; NULL when none is asked.',
  },
  illustrative: {
    type: 'integer',
    description:
      "1 for Corridor's illustrative samples (invented figures in a publisher's layout), 0 for the publisher's data.",
  },
  provenance_by: {
    type: 'text',
    description:
      "Who declared the provenance: `source` (its `about`), `pipeline` (the entry's `about:`) or `nobody`; NULL before migration 0012.",
  },
};

/** Words shared with `load_files` for the columns `row_provenance` shows from it. */
const fromLoad = (column: ProvenanceColumn) => PROVENANCE_COLUMNS[column];

export const PROVENANCE_TABLES: readonly TableDoc[] = [
  {
    name: 'row_provenance',
    kind: 'view',
    area: 'journal',
    description:
      "Which rows came from which load: per fact table (`trade_flows`, `port_throughput`), load and period, the current rows the load gave and the load's file, source, publisher and licence. A warehouse holding the bundled samples and a real extract tells them apart here (`illustrative`, `publisher`). For one row, join its `load_id` with `load_files`: `select t.*, f.publisher, f.licence from trade_flows t join load_files f using (load_id)`.",
    key: ['fact_table', 'load_id', 'period'],
    columns: viewColumns({
      fact_table: { type: 'text', description: '`trade_flows` or `port_throughput`.' },
      source: { type: 'text', description: 'The source that read the file (`load_files.source`).' },
      period: { type: 'text', description: 'The period of the rows, as the fact table writes it.' },
      load_id: {
        type: 'integer',
        description: 'The load that gave these rows their current values (`load_files.load_id`).',
      },
      row_count: {
        type: 'integer',
        description: 'How many current rows of the fact table, in this period, this load gave.',
      },
      run_id: { type: 'integer', description: 'The run of the load (`load_runs.run_id`).' },
      file_name: { type: 'text', description: 'The file the rows were read from, by its name.' },
      origin: {
        type: 'text',
        description: 'What the pipeline named: the URL a downloaded file came from, or the local path.',
      },
      release: {
        type: 'text',
        description: "The source's own release label, when the file or the user gave one.",
      },
      dataset: fromLoad('dataset'),
      publisher: fromLoad('publisher'),
      source_url: fromLoad('source_url'),
      licence_id: fromLoad('licence_id'),
      licence: fromLoad('licence'),
      licence_url: fromLoad('licence_url'),
      redistribution: fromLoad('redistribution'),
      attribution: fromLoad('attribution'),
      illustrative: fromLoad('illustrative'),
      provenance_by: fromLoad('provenance_by'),
    }),
  },
];
