/**
 * The data dictionary's port area: the `port_throughput` view, the published figures behind it,
 * the ports and the commodity alias table. Column words repeat the JSDoc of
 * warehouse/schema/port-tables.ts (the data dictionary test checks that each starts with it)
 * and add what an analyst needs beyond it.
 */

import { PORT_THROUGHPUT_ROWS } from '../fact-tables.ts';
import type {
  PortAliasesTable,
  PortCommoditiesTable,
  PortsTable,
  PortThroughputRowsClosedTable,
  PortThroughputRowsTable,
} from '../schema/port-tables.ts';
import type { SeenColumns } from '../schema/trade-tables.ts';
import { type ColumnSpec, type ColumnSpecs, schemaColumns, viewColumns } from './schema-columns.ts';
import type { TableDoc } from './table-doc.ts';
import { CLOSED, HISTORY, SEEN } from './vintage-columns.ts';

/**
 * A figure's identity: the unique index `port_throughput_key` (migration 0005). The unit is part
 * of it because tonnes, TEU, boxes and calls of one port and month are separate figures.
 */
const PORT_FIGURE_KEY = PORT_THROUGHPUT_ROWS.key;

/** The columns of `port_throughput_rows`; the view reuses their words. */
const FIGURE: ColumnSpecs<Omit<PortThroughputRowsTable, keyof SeenColumns>> = {
  source: {
    type: 'text',
    description:
      'The source of the figures: the name its layout gives the port table (`kpt`, `pqa`, `hk-marine-department`). A port loaded under two source names is two series, never added together.',
  },
  port_locode: { type: 'text', description: 'The port, UN/LOCODE (`PKKHI` Karachi): `ports.locode`.' },
  period: {
    type: 'text',
    description:
      '`YYYY-MM` for a month, `YYYY` for a calendar year, `FY2023-24` for a fiscal year given only whole.',
  },
  freq: {
    type: 'text',
    description:
      '`M`, `A` (calendar year) or `FY`. A port may publish months and years side by side: never add rows of different `freq`.',
  },
  year: {
    type: 'integer',
    description:
      'The calendar year of a month or a year; for a fiscal year, the year it ends in (`FY2022-23` is 2023, which Pakistan calls FY23).',
  },
  month: { type: 'integer', description: '1–12 for a month; NULL for a year.' },
  direction: {
    type: 'text',
    description: '`import`, `export`, `transit`, `transshipment` or `total` (not split).',
  },
  cargo_group: {
    type: 'text',
    description:
      '`dry_bulk`, `liquid_bulk`, `container`, `general`, or `all`. `all` when the table did not place the figure in a group.',
  },
  commodity_raw: {
    type: 'text',
    description: 'The commodity label as the port wrote it. Kept as published, whether or not it is mapped.',
  },
  commodity_key: {
    type: 'text',
    description:
      'commodity_raw folded, the key into `port_commodities`. Lower case, letters and digits only.',
  },
  unit: {
    type: 'text',
    description:
      "`t` (tonnes), `TEU`, `boxes` or `calls`: never summed across. Published multiples ('000 tonnes) are converted on load.",
  },
  quantity: {
    type: 'real',
    description:
      "The figure, in the row's `unit` (tonnes, TEU, boxes or calls): compare and add only within one unit.",
  },
  is_provisional: {
    type: 'integer',
    description: '1 when the port marked the figure provisional (P). 0 otherwise.',
  },
  is_revised: { type: 'integer', description: '1 when the port marked the figure revised (R). 0 otherwise.' },
  source_row: {
    type: 'integer',
    description: 'Row number in the source file as a spreadsheet shows it (header = row 1), on its sheet.',
  },
  load_id: { type: 'integer', description: 'The file load that wrote this row: `load_files.load_id`.' },
};

/** The columns of `port_throughput`; its history view adds the validity columns. */
const PORT_VIEW_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  source: FIGURE.source,
  port_locode: FIGURE.port_locode,
  port_name: { type: 'text', description: "The port's name (`Karachi`), from `ports`." },
  period: FIGURE.period,
  freq: FIGURE.freq,
  year: FIGURE.year,
  month: FIGURE.month,
  fiscal_year: {
    type: 'text',
    description:
      "The fiscal year a month falls in, by its port's `fiscal_year_start`: `2023-24` for a port whose year starts in July (July 2023 to June 2024) or April, the calendar year (`2024`) for one whose year is the calendar year. A fiscal-year row's own label without `FY`; NULL for a calendar-year row.",
  },
  direction: FIGURE.direction,
  cargo_group: {
    type: 'text',
    description:
      "`dry_bulk`, `liquid_bulk`, `container`, `general`, or `all`. A figure the table did not place in a cargo group takes its commodity's (from `port_commodities`); `all` when that is unknown too.",
  },
  commodity_raw: FIGURE.commodity_raw,
  commodity: {
    type: 'text',
    description:
      'The canonical commodity the alias table maps the label to (`wheat`, `petroleum_products`); NULL when the label is not mapped yet (`corridor unmapped` lists them).',
  },
  category: {
    type: 'text',
    description:
      'The category of categories.csv the commodity belongs to (`grain`, `potash`), where one fits.',
  },
  hs_heading: {
    type: 'text',
    description:
      'The HS heading of the commodity where defensible (`1001` wheat); NULL for containers and general cargo.',
  },
  unit: FIGURE.unit,
  quantity: FIGURE.quantity,
  is_provisional: FIGURE.is_provisional,
  is_revised: FIGURE.is_revised,
  source_row: FIGURE.source_row,
  load_id: FIGURE.load_id,
};

export const PORT_TABLES: readonly TableDoc[] = [
  {
    name: 'port_throughput',
    kind: 'view',
    area: 'port',
    description:
      'What ports handle, one published figure a row: port, period and fiscal year, direction, cargo group, the raw commodity label and the commodity, category and HS heading the alias table gives it today (a label added to warehouse/reference/port-commodities.csv applies without reloading), unit and quantity. The table to query for ports. Units are never summed across; months and years (`freq`) are never mixed.',
    key: PORT_FIGURE_KEY,
    columns: viewColumns(PORT_VIEW_COLUMNS),
  },
  {
    name: 'port_throughput_history',
    kind: 'view',
    area: 'port',
    description:
      'Every version of every port figure, current and superseded, with the columns of `port_throughput` and when each version was current (`valid_from_load`, `valid_to_load`). `corridor sql --as-of` reads `port_throughput` from it as the warehouse stood then.',
    key: [...PORT_FIGURE_KEY, 'valid_from_load'],
    columns: viewColumns({ ...PORT_VIEW_COLUMNS, ...HISTORY }),
  },
  {
    name: 'port_throughput_rows',
    kind: 'table',
    area: 'port',
    description:
      'One published port figure, its current version (migrations 0005, 0008); read `port_throughput`, the view over it. Loads merge by the key; a revised table retires the figures it no longer holds for its ports, periods, directions and units, into `port_throughput_rows_closed`.',
    key: PORT_FIGURE_KEY,
    columns: schemaColumns<PortThroughputRowsTable>({ ...FIGURE, ...SEEN }),
  },
  {
    name: 'port_throughput_rows_closed',
    kind: 'table',
    area: 'port',
    description:
      'Superseded versions of `port_throughput_rows`: each figure a later load changed, retired or reverted, as it was, with the load that closed it. Read `port_throughput_history`.',
    key: [...PORT_FIGURE_KEY, 'load_id'],
    columns: schemaColumns<PortThroughputRowsClosedTable>({ ...FIGURE, ...CLOSED }),
  },
  {
    name: 'ports',
    kind: 'table',
    area: 'port',
    description:
      'A port (migrations 0005, 0010): its UN/LOCODE, name, country and the month its fiscal year starts; from warehouse/reference/ports.csv, or added with `corridor ports add` (docs/ports.md). Added ports survive reference reloads and upgrades.',
    key: ['locode'],
    columns: schemaColumns<PortsTable>({
      locode: { type: 'text', description: 'UN/LOCODE: PKKHI Karachi, PKBQM Port Qasim, PKGWD Gwadar.' },
      name: { type: 'text', description: "The port's name." },
      country_iso3: {
        type: 'text',
        description: 'The country the port is in, ISO alpha-3 (`countries.iso3`).',
      },
      fiscal_year_start: {
        type: 'integer',
        description:
          "Month the port's fiscal year starts: 7 in Pakistan (July), 4 in India, 1 for calendar years.",
      },
      origin: {
        type: 'text',
        description:
          '`reference` (warehouse/reference/ports.csv) or `user` (added with `corridor ports add`; migration 0010). A reload of the reference replaces `reference` rows only; a `user` row wins over a reference row of the same LOCODE.',
      },
    }),
  },
  {
    name: 'port_aliases',
    kind: 'table',
    area: 'port',
    description:
      'Other names of a port ("KPT", "Bin Qasim"), by which a port table may name it (migration 0010): from warehouse/reference/port-aliases.csv, or added with `corridor ports alias` (docs/ports.md). A port cell resolves as a UN/LOCODE first, then as an alias or a port name, case, spaces and punctuation ignored; an alias wins over a port name.',
    key: ['alias_key'],
    columns: schemaColumns<PortAliasesTable>({
      alias_key: { type: 'text', description: 'The alias folded: lower case, letters and digits only.' },
      alias: { type: 'text', description: 'The alias as written.' },
      locode: { type: 'text', description: 'The port it names: `ports.locode`.' },
      origin: {
        type: 'text',
        description:
          '`reference` (warehouse/reference/port-aliases.csv) or `user` (added with `corridor ports alias`). A user alias survives reference reloads and wins over a reference alias of the same name.',
      },
    }),
  },
  {
    name: 'port_commodities',
    kind: 'table',
    area: 'port',
    description:
      'A port commodity label and what it means (warehouse/reference/port-commodities.csv): labels are matched ignoring case, spacing and punctuation, so `WHEAT GRAIN` and `Wheat grain` are one.',
    key: ['label_key'],
    columns: schemaColumns<PortCommoditiesTable>({
      label_key: { type: 'text', description: 'The label folded: lower case, letters and digits only.' },
      label: { type: 'text', description: 'The label as port-commodities.csv writes it.' },
      commodity: {
        type: 'text',
        description: 'Canonical commodity: `wheat`, `petroleum_products`, `containers`.',
      },
      cargo_group: { type: 'text', description: '`dry_bulk`, `liquid_bulk`, `container`, `general`.' },
      hs_heading: {
        type: 'text',
        description: 'HS heading where defensible (`1001` wheat); NULL for containers and general cargo.',
      },
      category: {
        type: 'text',
        description: 'A category of categories.csv (`grain`, `potash`) where one fits.',
      },
      version: {
        type: 'text',
        description: 'Version of the alias table that added the label. A year and month: `2026-11`.',
      },
    }),
  },
];
