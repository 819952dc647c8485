import type { Generated } from 'kysely';
import type { ClosedColumns, SeenColumns } from './trade-tables.ts';
/** Ports, their commodity aliases, and the published port figures. Part of the warehouse schema (../schema.ts). */
/** A port (migration 0005; warehouse/reference/ports.csv). */
export interface PortsTable {
  /** UN/LOCODE: PKKHI Karachi, PKBQM Port Qasim, PKGWD Gwadar. */
  locode: string;
  name: string;
  country_iso3: string;
  /** Month the port's fiscal year starts: 7 in Pakistan (July), 4 in India, 1 for calendar years. */
  fiscal_year_start: number;
  /** `reference` (warehouse/reference/ports.csv) or `user` (added with `corridor ports add`; migration 0010). */
  origin: Generated<string>;
}

/** Another name of a port: "KPT", "Bin Qasim" (migration 0010; warehouse/reference/port-aliases.csv). */
export interface PortAliasesTable {
  /** The alias folded: lower case, letters and digits only. */
  alias_key: string;
  alias: string;
  /** The port it names: `ports.locode`. */
  locode: string;
  /** `reference` (warehouse/reference/port-aliases.csv) or `user` (added with `corridor ports alias`). */
  origin: Generated<string>;
}

/** A port commodity label and what it means (warehouse/reference/port-commodities.csv). */
export interface PortCommoditiesTable {
  /** The label folded: lower case, letters and digits only. */
  label_key: string;
  label: string;
  /** Canonical commodity: `wheat`, `petroleum_products`, `containers`. */
  commodity: string;
  /** `dry_bulk`, `liquid_bulk`, `container`, `general`. */
  cargo_group: string | null;
  /** HS heading where defensible (`1001` wheat); NULL for containers and general cargo. */
  hs_heading: string | null;
  /** A category of categories.csv (`grain`, `potash`) where one fits. */
  category: string | null;
  /** Version of the alias table that added the label. */
  version: string;
}

/** One published port figure (migration 0005); read `port_throughput`, the view over it. */
export interface PortThroughputRowsTable {
  source: string;
  port_locode: string;
  /** `YYYY-MM` for a month, `YYYY` for a calendar year, `FY2023-24` for a fiscal year given only whole. */
  period: string;
  /** `M`, `A` (calendar year) or `FY`. */
  freq: string;
  year: number;
  month: number | null;
  /** `import`, `export`, `transit`, `transshipment` or `total` (not split). */
  direction: string;
  /** `dry_bulk`, `liquid_bulk`, `container`, `general`, or `all`. */
  cargo_group: string;
  /** The commodity label as the port wrote it. */
  commodity_raw: string;
  /** commodity_raw folded, the key into `port_commodities`. */
  commodity_key: string;
  /** `t` (tonnes), `TEU`, `boxes` or `calls`: never summed across. */
  unit: string;
  quantity: number;
  /** 1 when the port marked the figure provisional (P). */
  is_provisional: number;
  /** 1 when the port marked the figure revised (R). */
  is_revised: number;
  source_row: number;
  load_id: number;
  /** The last load that carried this figure, changed or not; NULL when it is `load_id`. */
  seen_load: number | null;
  /** The figure's row in the file of `seen_load`; NULL when it is `source_row`. */
  seen_row: number | null;
}

/** Superseded versions of `port_throughput_rows`. */
export interface PortThroughputRowsClosedTable
  extends Omit<PortThroughputRowsTable, keyof SeenColumns>,
    ClosedColumns {}
