/**
 * The contract between the engine and a trade source (sources/<name>/<name>.source.ts).
 * A source says which columns it reads and how they may be spelled, validates a row with a zod
 * schema, and maps a valid row to a canonical trade flow. It never touches the database or
 * the file system except through `begin`, which may read companion files beside the data
 * file (BACI's country list).
 */
import type { z } from 'zod';
import type { FactTarget } from '../../warehouse/fact-tables.ts';
import type {
  PortThroughputRowsTable,
  TradeFlowsTable,
  WorldTradeTotalsFigure,
} from '../../warehouse/schema.ts';
import type { TableLayout } from '../layout/table-layout.ts';
import type { BaciRowPacker, StorageName } from '../load/trade-flow-storage.ts';
import type { CountryResolver } from '../normalize/country-resolver.ts';
import type { HsCodeBook } from '../normalize/hs-code-book.ts';
import type { ColumnSpecs } from '../validate/header-matcher.ts';
import type { RowIssueCode } from '../validate/row-issue.ts';
import type { ReplyRecogniser } from './publisher-reply.ts';
import type { SourceAbout } from './source-about.ts';

/** A canonical row for `trade_flows`, before the engine adds source, source_row and load_id. */
export type TradeFlowRow = Omit<TradeFlowsTable, 'source' | 'source_row' | 'load_id'>;

/** A canonical row for `port_throughput`, before the engine adds source, the label's key, source_row and load_id. */
export type PortThroughputRow = Omit<
  PortThroughputRowsTable,
  'source' | 'source_row' | 'load_id' | 'commodity_key' | 'seen_load' | 'seen_row'
>;

/** A canonical row for `world_trade_totals`, before the engine adds source, source_row and load_id. */
export type WorldTotalRow = Omit<WorldTradeTotalsFigure, 'source' | 'source_row' | 'load_id'>;

/** The rows a source may produce, one kind per target table. */
export type TargetRow = TradeFlowRow | PortThroughputRow | WorldTotalRow;

/** A problem found while mapping a valid row, tied to a source field rather than a column. */
export interface FieldIssue<F extends string = string> {
  readonly code: RowIssueCode;
  readonly field: F | null;
  readonly message: string;
}

export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  /** The name shown in messages. */
  readonly name: string;
  readonly countries: CountryResolver;
  /** Which HS codes exist in which edition. */
  readonly hsCodes: HsCodeBook;
}

export type RowMapper<P, F extends string, R extends TargetRow = TradeFlowRow> = (
  row: P,
) => R | readonly FieldIssue<F>[];

/**
 * Reads one line of a plain CSV file, `text.slice(start, end)`, without the general path
 * (papaparse, zod, an object per row): it packs the line's row and returns true, or returns
 * false for any line it does not accept as plainly valid. Such a line then goes through the
 * general path, so every problem is described exactly as it would be otherwise.
 */
export type FastLineReader = (
  text: string,
  start: number,
  end: number,
  row: number,
  packer: BaciRowPacker,
) => boolean;

export interface TradeSource<F extends string = string, P = unknown, R extends TargetRow = TradeFlowRow> {
  readonly name: string;
  /** One line for `corridor sources` and the README. */
  readonly description: string;
  /** The fact table the rows go to: `trade_flows`, `port_throughput` for a port's figures, `world_trade_totals` for the world's. */
  readonly target: FactTarget;
  /**
   * Who publishes the data, under which licence, where, what one file covers, and the flows,
   * units and periods this reader reads (src/validate/source-about.ts). `corridor sources`, the
   * README, the dictionary, the journal's provenance and datapackage.json are written from it.
   */
  readonly about: SourceAbout;
  /**
   * Which table behind `trade_flows` keeps the rows (trade-flow-storage.ts): `trade_flow_rows`
   * (every column; the default) or a narrow table for a source whose rows fit it.
   */
  readonly storage?: StorageName;
  /**
   * How a table made for people is laid out (src/layout/table-layout.ts): the file is then read
   * through the layout toolkit, and `columns` name the layout's output columns.
   */
  readonly layout?: TableLayout;
  /**
   * Later files of this source revise periods that earlier files loaded (a bureau's table of the
   * previous year, revised): replacing those rows is expected, a note rather than a warning.
   * @default false
   */
  readonly revisesEarlierFiles?: boolean;
  /**
   * What one file of this source covers completely, as dimensions of its fact table
   * (src/db/fact-tables.ts, `scopeDimensions`): rows of an earlier load inside a scope the file
   * holds, that the file no longer holds, are retired. BACI: `['edition', 'period']` (every
   * pair and product of an edition-year). Leave it out when a file cannot know (an extract is
   * the answer to a query the loader did not see): loads then merge only, unless the user
   * declares `--replace-scope`.
   */
  readonly coverage?: readonly string[];
  /**
   * The publisher's release a file belongs to, read from its name (BACI `..._V202401b.csv`:
   * `V202401b`); null when the name does not say. Stored with the load; `--as-of` accepts it.
   */
  releaseOf?(fileName: string): string | null;
  /**
   * Recognises the publisher's replies that are not tables of rows (src/validate/publisher-reply.ts):
   * an answer that nothing matched loads as 0 rows with the publisher's words as a note; another
   * output of the publisher (a code list, a metadata listing) is refused as such. Asked only
   * about files without records, with few, or whose header is not this source's.
   */
  readonly recognise?: ReplyRecogniser;
  readonly columns: ColumnSpecs<F>;
  /** Groups of fields; each group needs one present column. */
  readonly required: readonly (readonly F[])[];
  /** Validates one row given as `{ field: cell }`. */
  readonly rowSchema: z.ZodType<P>;
  /** Called once per file before its rows; returns the row mapper. */
  begin(file: SourceFile): Promise<RowMapper<P, F, R>> | RowMapper<P, F, R>;
  /**
   * For a source whose files are millions of lines of plain numbers (BACI, storage
   * `baci_flows`): called once per plain comma-separated file, with the column of each field,
   * it returns a reader of lines that bypasses the general path (src/validate/fast-line-stage.ts).
   */
  fastLines?(
    file: SourceFile,
    columnOf: Readonly<Record<F, number>>,
  ): Promise<FastLineReader> | FastLineReader;
}

/** Identity helper that keeps a source's field names and row type checked together. */
export function defineTradeSource<F extends string, P, R extends TargetRow = TradeFlowRow>(
  source: TradeSource<F, P, R>,
): TradeSource<F, P, R> {
  return Object.freeze(source);
}

/** True when the mapper returned issues rather than a row. */
export function isFieldIssues<F extends string>(
  result: TargetRow | readonly FieldIssue<F>[],
): result is readonly FieldIssue<F>[] {
  return Array.isArray(result);
}
