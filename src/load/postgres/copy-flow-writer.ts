/**
 * The bulk row path of every fact table on PostgreSQL: rows go to the server by COPY (text
 * format, copy-text.ts) and merge there set by set (fact-merge.ts), inside the file's
 * transaction on the warehouse's one connection. It never commits; the loader owns atomicity.
 *
 * Rows are gathered into windows (windowRows) and each window goes in by one COPY, so memory
 * holds one window, and the connection is free between batches for the loader's own statements
 * (rejects, journal). The first batch decides the route:
 *
 * - A new year: when the file's first year has no partition yet, its rows go into a table of
 *   the partition's shape without indexes, which becomes the year's partition at the end
 *   (copy-fresh-year.ts). Rows of other years move to staging then.
 * - Straight in: when the table holds nothing where the file starts, each window is copied
 *   into the fact table itself under a savepoint.
 * - Staged: otherwise, or as soon as a window copied straight in breaks the table's key (a row
 *   of an earlier load, or a key repeated within the file): the savepoint rolls that window
 *   back, and it and every later one go into a temporary staging table, merged by natural key
 *   at the end. Rows copied straight in before then stay: they were new.
 *
 * A window's savepoint is a subtransaction; windows are large so that a file of ten million
 * rows stays well under the 64 subtransactions a backend tracks before readers slow down.
 */
import type { FactTable } from '../../../warehouse/fact-tables.ts';
import { BINARY_HEADER, BINARY_TRAILER } from '../../db/postgres/copy-binary.ts';
import { attachYearTable, createYearTable, isFreshYear } from '../../db/postgres/copy-fresh-year.ts';
import { copyIn } from '../../db/postgres/copy-text.ts';
import {
  changedRows,
  closedLoads,
  mergeStaged,
  type StagedDuplicate,
  stagedRowsHeldByLoad,
  takeStagedDuplicates,
} from '../../db/postgres/fact-merge.ts';
import { PgScopeRetirer } from '../../db/postgres/fact-merge-coverage.ts';
import { connectionLost, isConnectionLoss } from '../../db/postgres/pg-session.ts';
import type { Warehouse } from '../../db/warehouse.ts';
import type { MappedBatch } from '../../validate/map-stage.ts';
import type { Duplicate, FlowWriter, FlowWriterKind, FlowWriterOutcome } from '../flow-writer.ts';
import { TouchedSlices } from '../touched-slices.ts';
import type { CopyRows, RowNotes } from './copy-rows.ts';

/**
 * Rows per COPY: about 12 MB of BACI. CORRIDOR_COPY_WINDOW_ROWS sets it lower, for tests that
 * need a file to span several windows. Read per file.
 */
const windowRows = () => Number(process.env.CORRIDOR_COPY_WINDOW_ROWS ?? 262_144);
/**
 * A window also ends at this much encoded data: a Comtrade row is five times a BACI row as
 * text, and a window is held twice (one in flight while the next fills), so counting rows alone
 * took a 1M-row Comtrade load to 560 MB. At 16 MB a 1M-row BACI load still peaked at 237 to
 * 259 MiB RSS (the target is under 256); at 8 MB, 221 to 224 MiB, in the same time (issue 22).
 */
const WINDOW_CHARS = 8 * 2 ** 20;

const UNIQUE_VIOLATION = '23505';

/** Creates the partitions of `table` (a fact table or its `_closed`) for these years if missing (partitions.ts). */
export type EnsureYears = (table: string, years: readonly number[]) => Promise<void>;

export class CopyFlowWriter implements FlowWriter {
  readonly kind: FlowWriterKind;
  readonly #warehouse: Warehouse;
  readonly #rows: CopyRows;
  readonly #table: FactTable;
  readonly #loadId: number;
  readonly #ensureYears: EnsureYears;
  readonly #touched = new TouchedSlices();
  readonly #retirer: PgScopeRetirer | null;
  readonly #years = new Set<number>();
  readonly #yearsReady = new Set<number>();
  readonly #notes: RowNotes;
  #route: 'undecided' | 'fresh' | 'direct' | 'staged' = 'undecided';
  /** The new year's table, on the `fresh` route. */
  #fresh: { readonly name: string; readonly year: number } | null = null;
  readonly #windowLimit = windowRows();
  #window: (string | Buffer)[] = [];
  #windowRows = 0;
  #windowChars = 0;
  #copied = 0;
  #staged = 0;
  #stage: string | null = null;
  #written: number | null = null;
  /** The COPY the server may still be taking (see #pipeline). */
  #inFlight: Promise<void> = Promise.resolve();
  #failure: unknown = null;

  constructor(warehouse: Warehouse, rows: CopyRows, loadId: number, ensureYears: EnsureYears) {
    this.#warehouse = warehouse;
    this.#rows = rows;
    this.#table = rows.table;
    this.kind = rows.table.name;
    this.#loadId = loadId;
    this.#ensureYears = ensureYears;
    this.#retirer =
      rows.scopeColumns === null
        ? null
        : new PgScopeRetirer(warehouse.sql, rows.table, loadId, rows.scopeColumns);
    const touched = this.#touched;
    const years = this.#years;
    const retirer = this.#retirer;
    this.#notes = {
      slice: (slice, key) => touched.note(slice, key),
      scope: (values) => retirer?.note(values),
      year: (year) => years.add(year),
    };
  }

  get rowsWritten(): number {
    return this.#written ?? this.#copied + this.#staged + this.#windowRows;
  }

  get slices() {
    return this.#touched.slices;
  }

  async write(batch: MappedBatch): Promise<Duplicate[]> {
    // A window that failed in flight fails the file here, before more rows are read.
    if (this.#failure !== null) throw this.#failure;
    await this.#rows.prepare(batch, this.#warehouse.sql);
    const firstYear = this.#years.size === 0;
    const { data, rows } = this.#rows.encode(batch, this.#notes);
    await this.#retirer?.check();
    if (rows === 0) return [];
    if (this.#route === 'undecided' && firstYear)
      await this.#chooseRoute(batch, this.#years.values().next().value);
    this.#window.push(data);
    this.#windowRows += rows;
    this.#windowChars += data.length;
    if (this.#windowRows >= this.#windowLimit || this.#windowChars >= WINDOW_CHARS) await this.#flush();
    // Duplicates within the file show only once its rows are on the server: see finish().
    return [];
  }

  async #chooseRoute(batch: MappedBatch, year: number | undefined): Promise<void> {
    const { sql } = this.#warehouse;
    if (year !== undefined && (await isFreshYear(sql, this.#table, year))) {
      this.#fresh = { name: await createYearTable(sql, this.#table, year), year };
      this.#route = 'fresh';
      return;
    }
    const probe = this.#rows.probe(batch);
    const held =
      probe === null
        ? 1
        : await sql.value(`select 1 from ${this.#table.name} where ${probe.where} limit 1`, probe.params);
    this.#route = held === undefined ? 'direct' : 'staged';
  }

  async #flush(): Promise<void> {
    if (this.#windowRows === 0) return;
    const window = this.#window;
    const rows = this.#windowRows;
    this.#window = [];
    this.#windowRows = 0;
    this.#windowChars = 0;
    // One COPY at a time: the next waits for the one in flight, and reports its failure.
    await this.#inFlight;
    if (this.#fresh !== null) {
      this.#pipeline(this.#fresh.name, window);
      this.#copied += rows;
      return;
    }
    await this.#ensureSeenYears();
    const { sql } = this.#warehouse;
    if (this.#route === 'direct') {
      await sql.exec('savepoint corridor_copy');
      try {
        await this.#copy(this.#table.name, window);
        await sql.exec('release savepoint corridor_copy');
        this.#copied += rows;
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        await sql.exec('rollback to savepoint corridor_copy; release savepoint corridor_copy');
        this.#route = 'staged';
      }
    }
    this.#pipeline(await this.#stageTable(), window);
    this.#staged += rows;
  }

  /**
   * Starts a COPY without waiting for the server to take it, so the next window is read and
   * encoded meanwhile; statements the loader issues in between queue behind it on the
   * connection. Only for COPYs whose failure fails the file (a new year's table, staging): a
   * COPY straight into the table may fail on a key and must be rolled back before anything else.
   */
  #pipeline(target: string, window: readonly (string | Buffer)[]): void {
    const copy = this.#copy(target, window);
    copy.catch((error: unknown) => {
      this.#failure ??= error;
    });
    this.#inFlight = copy;
  }

  async #ensureSeenYears(): Promise<void> {
    const years = [...this.#years].filter((y) => !this.#yearsReady.has(y));
    if (years.length === 0) return;
    await this.#ensureYears(this.#table.name, years);
    for (const y of years) this.#yearsReady.add(y);
  }

  async #stageTable(): Promise<string> {
    if (this.#stage === null) {
      this.#stage = `corridor_stage_${this.#loadId}`;
      await this.#warehouse.sql.exec(
        `create temporary table ${this.#stage} (like ${this.#table.name}) on commit drop`,
      );
    }
    return this.#stage;
  }

  async #copy(target: string, window: readonly (string | Buffer)[]): Promise<void> {
    const columns = this.#table.columns.join(', ');
    const binary = this.#rows.format === 'binary';
    const statement = `copy ${target} (${columns}) from stdin${binary ? ' (format binary)' : ''}`;
    try {
      await copyIn(
        this.#warehouse.pg,
        statement,
        binary ? [BINARY_HEADER, ...window, BINARY_TRAILER] : window,
      );
    } catch (error) {
      if (isConnectionLoss(error)) throw connectionLost(error, this.#warehouse.path);
      throw error;
    }
  }

  /** The new year's table becomes its partition; rows of other years move to staging first. */
  async #attachFresh(fresh: { readonly name: string; readonly year: number }): Promise<StagedDuplicate[]> {
    const { sql } = this.#warehouse;
    const column = this.#table.partitionColumn!;
    if (this.#years.size > 1) {
      const { changes } = await sql.run(
        `with moved as (delete from ${fresh.name} where ${column} <> ? returning *)
         insert into ${await this.#stageTable()} select * from moved`,
        [fresh.year],
      );
      this.#copied -= changes;
      this.#staged += changes;
    }
    const duplicates = await attachYearTable(sql, this.#table, fresh.name, fresh.year);
    this.#copied -= duplicates.length;
    this.#yearsReady.add(fresh.year);
    await this.#ensureYears(this.#table.closed, [fresh.year]);
    await this.#ensureSeenYears();
    return duplicates;
  }

  async finish(): Promise<FlowWriterOutcome> {
    await this.#flush();
    await this.#inFlight;
    const { sql } = this.#warehouse;
    const table = this.#table;
    let duplicates: StagedDuplicate[] = this.#fresh === null ? [] : await this.#attachFresh(this.#fresh);
    let inserted = this.#copied;
    let merged = 0;
    if (this.#stage !== null) {
      const staged = await takeStagedDuplicates(sql, this.#stage, table);
      const outcome = await mergeStaged(sql, this.#stage, table, this.#loadId);
      inserted += outcome.inserted;
      merged = outcome.merged;
      duplicates = [...duplicates, ...staged];
      if (this.#staged - staged.length > outcome.inserted + outcome.merged) {
        const held = await stagedRowsHeldByLoad(sql, this.#stage, table, this.#loadId);
        // A repeat of a row that itself repeated a row copied straight in names that first row.
        const firstOf = new Map(held.map((d) => [d.sourceRow, d.firstRow]));
        duplicates = [
          ...held,
          ...duplicates.map((d) => ({ ...d, firstRow: firstOf.get(d.firstRow) ?? d.firstRow })),
        ];
      }
      await sql.exec(`drop table ${this.#stage}`);
      this.#stage = null;
    }
    const retired = (await this.#retirer?.retire()) ?? 0;
    const changed = merged === 0 ? 0 : await changedRows(sql, table, this.#loadId);
    this.#written = inserted + merged;
    return {
      inserted,
      changed,
      unchanged: merged - changed,
      retired,
      scopes: this.#retirer?.scopes ?? 0,
      changedLoads: changed === 0 ? new Map() : await closedLoads(sql, table, this.#loadId, 'changed'),
      retiredLoads: retired === 0 ? new Map() : await closedLoads(sql, table, this.#loadId, 'retired'),
      lateDuplicates: duplicates
        .sort((a, b) => a.sourceRow - b.sourceRow)
        .map((d) => ({
          sourceRow: d.sourceRow,
          firstRow: d.firstRow,
          row: () => this.#rows.canonical(d.row),
        })),
    };
  }
}
