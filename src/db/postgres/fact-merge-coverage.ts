/**
 * Coverage on PostgreSQL (the semantics are src/db/coverage.ts's): rows of earlier loads inside
 * the scopes a file covers that the file no longer holds are closed as `retired`. Scopes are
 * noted as rows are encoded; those the table held rows of before are found with one query per
 * batch of new scopes, and only those are searched at the end, so a first load pays nothing.
 * Scope values go into the statements as literals (a VALUES list): they compare with columns
 * of several types, which untyped parameters in a VALUES list would not.
 */
import type { FactTable } from '../../../warehouse/fact-tables.ts';
import type { SqlSession } from '../sql-session.ts';

/** Scopes per statement: a VALUES list this long stays a small statement. */
const SCOPES_PER_STATEMENT = 500;

/** A value as an SQL literal: numbers as they are, text quoted. */
export function sqlLiteral(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

export class PgScopeRetirer {
  readonly #sql: SqlSession;
  readonly #table: FactTable;
  readonly #loadId: number;
  readonly #columns: readonly string[];
  readonly #seen = new Set<string>();
  #pending: (readonly unknown[])[] = [];
  readonly #toSearch: (readonly unknown[])[] = [];

  constructor(sql: SqlSession, table: FactTable, loadId: number, columns: readonly string[]) {
    this.#sql = sql;
    this.#table = table;
    this.#loadId = loadId;
    this.#columns = columns;
  }

  /** Notes a row's scope (values of the columns); cheap, called for every row. */
  note(values: readonly unknown[]): void {
    const key = values.join('\u0000');
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    // A NULL matches no stored value (`=`), as on SQLite: the scope counts but holds nothing.
    if (values.every((v) => v !== null && v !== undefined)) this.#pending.push(values);
  }

  /** Scopes the file covered. */
  get scopes(): number {
    return this.#seen.size;
  }

  /** Finds which of the scopes noted since the last call the table held rows of from other loads. */
  async check(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    const t = this.#table.name;
    for (let start = 0; start < pending.length; start += SCOPES_PER_STATEMENT) {
      const chunk = pending.slice(start, start + SCOPES_PER_STATEMENT);
      const held = await this.#sql.all<{ i: number }>(
        `select v.i from ${this.#values(chunk, true)}
         where exists (select 1 from ${t} where ${this.#columns.map((c) => `${t}.${c} = v.${c}`).join(' and ')} and ${t}.load_id <> ${this.#loadId})`,
      );
      for (const { i } of held) this.#toSearch.push(chunk[Number(i)]!);
    }
  }

  /** Closes the rows of the held scopes that this load did not carry; returns how many. */
  async retire(): Promise<number> {
    await this.check();
    const t = this.#table;
    const columns = t.columns.join(', ');
    let retired = 0;
    for (let start = 0; start < this.#toSearch.length; start += SCOPES_PER_STATEMENT) {
      const chunk = this.#toSearch.slice(start, start + SCOPES_PER_STATEMENT);
      const { changes } = await this.#sql.run(
        `with gone as (
           delete from ${t.name}
           where (${this.#columns.join(', ')}) in (select ${this.#columns.join(', ')} from ${this.#values(chunk, false)})
             and coalesce(seen_load, load_id) <> ${this.#loadId}
           returning ${columns})
         insert into ${t.closed} (${columns}, valid_to_load, closed_by)
         select ${columns}, ${this.#loadId}, 'retired' from gone`,
      );
      retired += changes;
    }
    return retired;
  }

  /** `(values ...) as v(i?, columns)`: the scopes as a relation. */
  #values(scopes: readonly (readonly unknown[])[], numbered: boolean): string {
    const rows = scopes.map((s, i) => `(${numbered ? `${i}, ` : ''}${s.map(sqlLiteral).join(', ')})`);
    return `(values ${rows.join(', ')}) as v(${numbered ? 'i, ' : ''}${this.#columns.join(', ')})`;
  }
}
