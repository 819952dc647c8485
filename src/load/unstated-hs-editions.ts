/**
 * Gives an HS edition to a file's rows whose edition is not stated (`HS`), inside the file's
 * transaction, before they are written (docs/hs-editions.md).
 *
 * The edition is part of a row's natural key, so it must be known before the merge. Declared
 * (`--edition H5`, `edition:` in a pipeline), rows get it as they pass, and the codes are
 * checked against it at the end. Otherwise inference needs every code of the file: rows without
 * an edition are held in a temporary table of the warehouse connection (on disk past SQLite's
 * page cache) while only their distinct (year, code) pairs stay in memory; after the last batch
 * the edition of each year is inferred (src/normalize/hs-edition-inference.ts) and the held rows
 * come back with it, to be written like any other.
 *
 * Rows an earlier load stored with edition `HS` whose flows this load gives an edition (loaded
 * before Corridor inferred editions, or from a file it could not infer) take that edition, so
 * each flow stays one figure, versioned by the merge; where the flow is held under that edition
 * already, the `HS` row is retired. The converted views never count a flow twice.
 */
import { TRADE_FLOW_ROWS } from '../../warehouse/fact-tables.ts';
import type { SqlSession } from '../db/sql-session.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { SourceFormatError } from '../errors.ts';
import { formatCount } from '../human-format.ts';
import {
  declaredEditionConflict,
  type EditionBook,
  type EditionChoice,
  inferHsEditions,
} from '../normalize/hs-edition-inference.ts';
import { UNSTATED_EDITION } from '../reference/hs-model.ts';
import type { MappedBatch } from '../validate/map-stage.ts';
import { AT, type RowValues } from './trade-flow-values.ts';

/** The key columns a row names its flow by, but the source (the writer's) and the edition. */
const RELABEL_KEY = TRADE_FLOW_ROWS.key.filter(
  (c) => c !== 'source' && c !== 'hs_edition',
) as (keyof typeof AT)[];
/** A temporary table of the connection: gone with it, or with the file's transaction on a rollback. */
const HELD_TABLE = 'corridor_unstated_hs_rows';

export interface UnstatedEditionOptions {
  /** The edition the user declares for rows that do not state one; null to infer it. */
  readonly declared: string | null;
  /** The file, for messages. */
  readonly fileName: string;
  readonly source: string;
  readonly loadId: number;
}

export class UnstatedHsEditions {
  readonly #sql: SqlSession;
  /** The temporary table, named so that it can never mean a permanent one. */
  readonly #heldRows: string;
  readonly #book: EditionBook;
  readonly #options: UnstatedEditionOptions;
  /** year → code → first row: the evidence, distinct codes only. */
  readonly #codes = new Map<number, Map<string, number>>();
  /** The (reporter, period) slices of rows without an edition, with their year. */
  readonly #slices = new Map<string, { reporter: string; period: string; year: number }>();
  /** Editions other rows of the file state. */
  readonly #stated = new Set<string>();
  #holding = false;
  /** Per (reporter, period) slice: whether earlier loads of the source hold rows there with edition HS. */
  readonly #earlierSlices = new Map<string, boolean>();
  #heldBefore: string | null = null;
  #relabel: string | null = null;
  /** Rows of earlier loads given this file's edition, by load. */
  readonly #relabelled = new Map<number, number>();
  #held = 0;
  #batchesHeld = 0;
  #choices: ReadonlyMap<number, EditionChoice> = new Map();
  /** Lines for load_files.notes: what was inferred or declared, and why. */
  readonly notes: string[] = [];
  /** Lines the user should see at once (the run summary): rows that kept `HS`. */
  readonly warnings: string[] = [];

  constructor(
    warehouse: Pick<Warehouse, 'sql' | 'flavor'>,
    book: EditionBook,
    options: UnstatedEditionOptions,
  ) {
    this.#sql = warehouse.sql;
    this.#heldRows = warehouse.flavor.tempTable(HELD_TABLE);
    this.#book = book;
    this.#options = options;
  }

  /**
   * The file's batches as the writer takes them: rows without an edition given the declared one,
   * or held back and given, after the last batch, in batches of their own with the inferred one.
   */
  async *around(batches: AsyncIterable<MappedBatch>): AsyncGenerator<MappedBatch> {
    for await (const batch of batches) {
      const rows = await this.take(batch.rows);
      yield rows === batch.rows ? batch : { ...batch, rows };
    }
    for await (const rows of this.settle())
      yield { rows, packed: null, portRows: null, rejected: [], read: 0 };
  }

  /** The rows of a batch to write now. Rows without an edition get the declared one, or are held. */
  async take(rows: RowValues[]): Promise<RowValues[]> {
    const declared = this.#options.declared;
    let ready: RowValues[] | null = null;
    const held: RowValues[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const edition = row[AT.hs_edition] as string;
      if (edition !== UNSTATED_EDITION) {
        if (declared !== null && edition !== declared)
          throw new SourceFormatError(
            this.#options.fileName,
            'hs_edition_contradicted',
            `${this.#options.fileName} row ${row[AT.source_row]} states the HS edition ${edition}, but ${declared} was declared (--edition, or edition: in the pipeline). Leave the declaration out for files that state their edition.`,
          );
        this.#stated.add(edition);
        ready?.push(row);
        continue;
      }
      this.#note(row);
      if (declared !== null) {
        row[AT.hs_edition] = declared;
        await this.#relabelEarlier(row);
        continue;
      }
      // The first row held: the rows before it are ready as they are.
      ready ??= rows.slice(0, i);
      held.push(row);
    }
    if (held.length > 0) await this.#holdRows(held);
    return ready ?? rows;
  }

  #note(row: RowValues): void {
    const year = row[AT.year] as number;
    const code = row[AT.hs_code] as string;
    let codes = this.#codes.get(year);
    if (codes === undefined) {
      codes = new Map();
      this.#codes.set(year, codes);
    }
    if (!codes.has(code)) codes.set(code, row[AT.source_row] as number);
    const reporter = row[AT.reporter_iso3] as string;
    const period = row[AT.period] as string;
    const slice = `${reporter}\u0000${period}`;
    if (!this.#slices.has(slice)) this.#slices.set(slice, { reporter, period, year });
  }

  /**
   * Gives the row's flow, as an earlier load of the source stored it with edition `HS`, the
   * edition this row now has, before the row is written: the merge then sees one flow, and
   * versions a changed figure (or leaves an unchanged one) instead of keeping both. Only slices
   * that hold such rows pay for the lookup; a first load pays one query per slice.
   */
  async #relabelEarlier(row: RowValues): Promise<void> {
    const slice = `${row[AT.reporter_iso3]}\u0000${row[AT.period]}`;
    let earlier = this.#earlierSlices.get(slice);
    if (earlier === undefined) {
      this.#heldBefore ??= `select 1 from ${TRADE_FLOW_ROWS.name} where source = ? and reporter_iso3 = ? and period = ? and hs_edition = '${UNSTATED_EDITION}' and load_id <> ${this.#options.loadId} limit 1`;
      earlier =
        (await this.#sql.value(this.#heldBefore, [
          this.#options.source,
          row[AT.reporter_iso3],
          row[AT.period],
        ])) !== undefined;
      this.#earlierSlices.set(slice, earlier);
    }
    if (!earlier) return;
    if (this.#relabel === null) {
      const t = TRADE_FLOW_ROWS.name;
      const others = RELABEL_KEY.map((c) => `${c} = ?`).join(' and ');
      const twin = RELABEL_KEY.map((c) => `n.${c} = ${t}.${c}`).join(' and ');
      this.#relabel = `update ${t} set hs_edition = ? where source = ? and ${others} and hs_edition = '${UNSTATED_EDITION}'
           and load_id <> ${this.#options.loadId}
           and not exists (select 1 from ${t} n where n.source = ${t}.source and ${twin} and n.hs_edition = ?)
         returning load_id`;
    }
    const edition = row[AT.hs_edition];
    const found = await this.#sql.all<{ load_id: number }>(this.#relabel, [
      edition,
      this.#options.source,
      ...RELABEL_KEY.map((c) => row[AT[c]]),
      edition,
    ]);
    for (const { load_id } of found) this.#relabelled.set(load_id, (this.#relabelled.get(load_id) ?? 0) + 1);
  }

  /** Holds a batch's rows without an edition as one record of the temporary table. */
  async #holdRows(rows: readonly RowValues[]): Promise<void> {
    if (!this.#holding) {
      await this.#sql.exec(
        `create temp table if not exists ${HELD_TABLE} (seq integer primary key, held_rows text not null); delete from ${this.#heldRows}`,
      );
      this.#holding = true;
    }
    await this.#sql.run(`insert into ${this.#heldRows} (seq, held_rows) values (?, ?)`, [
      ++this.#batchesHeld,
      JSON.stringify(rows),
    ]);
    this.#held += rows.length;
  }

  /**
   * After the last batch: decides each year's edition (or checks the declared one against the
   * codes) and gives back the held rows, batch by batch, with their edition. Throws when the
   * declared edition contradicts the codes.
   */
  async *settle(): AsyncGenerator<RowValues[]> {
    const { declared, fileName } = this.#options;
    if (this.#codes.size === 0) return;
    if (declared !== null) {
      const conflict = declaredEditionConflict(declared, this.#codes, this.#book);
      if (conflict !== null)
        throw new SourceFormatError(
          fileName,
          'hs_edition_contradicted',
          `${fileName}: ${declared} was declared as its HS edition (--edition, or edition: in the pipeline), but ${conflict}`,
        );
      this.notes.push(`HS edition ${declared} declared; every code of the file is valid in it`);
      return;
    }
    if (this.#stated.size > 0) {
      // An extract that holds the same trade as reported (HS) and in a stated edition would
      // count it twice once both were converted: the unstated rows keep HS.
      const text = `HS edition not inferred: ${formatCount(this.#held)} rows say only HS while others state ${[...this.#stated].sort().join(', ')}; they keep the edition HS (reported as is) and stay out of the converted views. Declare --edition to give them one.`;
      this.notes.push(text);
      this.warnings.push(text);
      this.#choices = new Map();
    } else {
      const choices = inferHsEditions(this.#codes, this.#book);
      this.#choices = new Map(choices.map((c) => [c.year, c]));
      for (const text of mergedNotes(choices)) this.notes.push(text);
      for (const c of choices) if (c.edition === null) this.warnings.push(c.note);
    }
    // One held batch at a time, in the order read; each is written before the next is read.
    if (!this.#holding) return;
    for (let after = 0; ; ) {
      const record = await this.#sql.get<{ seq: number; held_rows: string }>(
        `select seq, held_rows from ${this.#heldRows} where seq > ? order by seq limit 1`,
        [after],
      );
      if (record === undefined) break;
      after = record.seq;
      const rows = JSON.parse(record.held_rows) as RowValues[];
      for (const values of rows) {
        const edition = this.#choices.get(values[AT.year] as number)?.edition;
        if (edition != null) {
          values[AT.hs_edition] = edition;
          await this.#relabelEarlier(values);
        }
      }
      yield rows;
    }
    await this.#sql.exec(`drop table ${this.#heldRows}`);
    this.#holding = false;
  }

  /**
   * Retires rows of earlier loads of the same source stored with edition `HS` whose flow this
   * load now holds under the edition it gave them, and that could not take that edition (an
   * earlier load holds the flow under it already). Call after every row is written; returns
   * the rows retired by earlier load. Notes the rows relabelled and retired.
   */
  async supersede(): Promise<ReadonlyMap<number, number>> {
    const byLoad = new Map<number, number>();
    const { source, loadId, declared } = this.#options;
    const t = TRADE_FLOW_ROWS;
    const matched = t.key
      .filter((c) => !['source', 'reporter_iso3', 'period', 'hs_edition'].includes(c))
      .map((c) => `n.${c} = ${t.name}.${c}`)
      .join(' and ');
    const where = `${t.name}.source = ? and ${t.name}.reporter_iso3 = ? and ${t.name}.period = ?
      and ${t.name}.hs_edition = '${UNSTATED_EDITION}' and ${t.name}.load_id <> ${loadId}
      and exists (select 1 from ${t.name} n where n.source = ${t.name}.source and n.reporter_iso3 = ${t.name}.reporter_iso3
        and n.period = ${t.name}.period and n.hs_edition = ? and ${matched}
        and (n.load_id = ${loadId} or n.seen_load = ${loadId}))`;
    const count = `select load_id, count(*) as n from ${t.name} where ${where} group by load_id`;
    const close = `insert into ${t.closed} (${t.columns.join(',')}, valid_to_load, closed_by)
       select ${t.columns.join(',')}, ${loadId}, 'retired' from ${t.name} where ${where}`;
    const remove = `delete from ${t.name} where ${where}`;
    for (const [slice, { reporter, period, year }] of this.#slices) {
      if (this.#earlierSlices.get(slice) !== true) continue;
      const edition = declared ?? this.#choices.get(year)?.edition ?? null;
      if (edition === null) continue;
      const params = [source, reporter, period, edition];
      const found = await this.#sql.all<{ load_id: number; n: number }>(count, params);
      if (found.length === 0) continue;
      await this.#sql.run(close, params);
      await this.#sql.run(remove, params);
      for (const { load_id, n } of found) byLoad.set(load_id, (byLoad.get(load_id) ?? 0) + n);
    }
    for (const [load, n] of this.#relabelled)
      this.notes.push(
        `gave ${formatCount(n)} row${n === 1 ? '' : 's'} of load ${load}, stored with the edition not stated (HS), the edition this file's rows of the same flows have, so that each flow is one figure`,
      );
    for (const [load, n] of byLoad)
      this.notes.push(
        `retired ${formatCount(n)} row${n === 1 ? '' : 's'} of load ${load} stored with the edition not stated (HS): this file holds them under the edition it now has`,
      );
    return byLoad;
  }
}

/** One note per run of consecutive years with the same choice: "… for 2015–2017: …". */
function mergedNotes(choices: readonly EditionChoice[]): string[] {
  const groups: EditionChoice[][] = [];
  for (const c of choices) {
    const last = groups.at(-1);
    const prev = last?.at(-1);
    const same =
      prev !== undefined &&
      prev.year + 1 === c.year &&
      c.basis !== 'none' &&
      prev.note.replaceAll(String(prev.year), '\u0000') === c.note.replaceAll(String(c.year), '\u0000');
    if (same) last!.push(c);
    else groups.push([c]);
  }
  return groups.map((g) => {
    if (g.length === 1) return g[0]!.note;
    const first = g[0]!.year;
    const last = g.at(-1)!.year;
    // The notes of a group differ only by their year: keep the first, name the span.
    return g[0]!.note.replaceAll(String(first), `${first}–${last}`);
  });
}
