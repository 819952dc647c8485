/**
 * The options of the `port-table` source, as a pipeline file declares them: the layout of a
 * port's published table (src/layout/table-layout.ts, the same options as the `table` source)
 * and how its columns fill `port_throughput`. Checked when the pipeline is read.
 */
import { z } from 'zod';
import { findUnit } from '../../src/layout/unit-phrase.ts';
import {
  checkLayoutOptions,
  fieldSource,
  layoutOptionFields,
  sourceNameField,
} from '../table/table-options.ts';

const portOptionsShape = z.strictObject({
  /** Name of these rows in `port_throughput.source` and the journal. @default 'port-table' */
  name: sourceNameField.default('port-table'),
  ...layoutOptionFields,
  /** How the layout's output columns fill `port_throughput`. */
  map: z.strictObject({
    /** The port's UN/LOCODE (PKKHI Karachi, PKBQM Port Qasim), usually a constant. */
    port: fieldSource,
    /** A month (2023-07, Jul 2023, a date), a calendar year, or a fiscal year (2022-23). */
    period: fieldSource,
    /** A month column beside a year column (Hong Kong's `Month`: Jan…Dec, or All for the year). */
    month: fieldSource.optional(),
    /**
     * import, export, transit, transshipment, or total. `{ column: 'heading' }` reads it from the
     * header levels above a wide table's figure ("Imports › Dry bulk › 2022-23 › Jul"). @default total
     */
    direction: fieldSource.optional(),
    /** dry bulk, liquid bulk, container, general, or all; may come from the heading too. @default all */
    cargoGroup: fieldSource.optional(),
    /** The commodity label as the port writes it (Wheat, POL products, Containers). */
    commodity: fieldSource,
    /** The figure, in t, TEU, boxes or calls once the unit is applied. */
    quantity: fieldSource,
  }),
});

export const portTableOptionsSchema = portOptionsShape.superRefine((options, ctx) =>
  checkLayoutOptions(options, ctx, (fallback) => {
    const unit = findUnit(fallback);
    if (unit === null || unit.dimension === 'value')
      return `"${fallback}" is not a unit of port throughput; use tonnes ('000 tonnes), TEU, boxes or ship calls`;
    return null;
  }),
);

export type PortTableOptions = z.output<typeof portTableOptionsSchema>;
