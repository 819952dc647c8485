/**
 * The data dictionary cannot drift from the warehouse: a real warehouse is migrated
 * (`corridor init`), loaded and refreshed (`corridor run nightly`, `corridor run ports`, which
 * create the `ind_*` tables), and every table and view in it must have its entry in
 * warehouse/dictionary/, with the same columns in the same order and the same types, a key that
 * holds, and words for every column. The words repeat the kysely interfaces' JSDoc in
 * warehouse/schema/, so neither can say something the other does not.
 *
 * Each check collects what is wrong as sentences that say what to add where, and expects none.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARY, tableDoc } from '../warehouse/dictionary/index.ts';
import { OPERATIONS_TABLES } from '../warehouse/dictionary/operations-tables.ts';
import { QUALITY_TABLES } from '../warehouse/dictionary/quality-tables.ts';
import type { ColumnType, TableDoc } from '../warehouse/dictionary/table-doc.ts';
import { WORLD_TABLES } from '../warehouse/dictionary/world-tables.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';

interface WarehouseColumn {
  readonly name: string;
  /** As declared: `TEXT`, `INTEGER`, `INT`; empty for a view column computed by an expression. */
  readonly declared: string;
  /** Place in the primary key, from 1; 0 when not in it. */
  readonly pk: number;
}

interface WarehouseTable {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly columns: readonly WarehouseColumn[];
  /** Columns of the first unique index, for a table without a primary key. */
  readonly uniqueIndex: readonly string[] | null;
}

let dir = '';
let sqlite: Database.Database;
let tables: WarehouseTable[] = [];

/** SQLite's own tables and kysely's migration bookkeeping are not the warehouse's. */
const isInternal = (name: string) => name.startsWith('sqlite_') || name.startsWith('kysely_');

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function readTables(db: Database.Database): WarehouseTable[] {
  const listed = db
    .prepare("select name, type from sqlite_master where type in ('table', 'view') order by name")
    .all() as { name: string; type: 'table' | 'view' }[];
  return listed
    .filter((t) => !isInternal(t.name))
    .map((t) => {
      const columns = (
        db.prepare('select name, type, pk from pragma_table_info(?) order by cid').all(t.name) as {
          name: string;
          type: string;
          pk: number;
        }[]
      ).map((c) => ({ name: c.name, declared: c.type, pk: c.pk }));
      const unique = (
        db.prepare('select name, "unique", origin from pragma_index_list(?)').all(t.name) as {
          name: string;
          unique: number;
          origin: string;
        }[]
      ).find((i) => i.unique === 1 && i.origin === 'c');
      const uniqueIndex = unique
        ? (db
            .prepare('select name from pragma_index_info(?) order by seqno')
            .pluck()
            .all(unique.name) as string[])
        : null;
      return { name: t.name, kind: t.type, columns, uniqueIndex };
    });
}

/** A declared type as SQLite reads it (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
function affinity(declared: string): ColumnType | 'none' | 'numeric' {
  const d = declared.toUpperCase();
  if (d.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(d)) return 'text';
  if (d === '' || d.includes('BLOB')) return 'none';
  if (/REAL|FLOA|DOUB/.test(d)) return 'real';
  return 'numeric';
}

/** Where an undocumented table's entry belongs. */
function whereToDocument(name: string): string {
  if (name.startsWith('ind_'))
    return 'define it in warehouse/indicators/ and list it in INDICATORS (warehouse/indicators/index.ts)';
  return 'add a TableDoc to the array of its area in warehouse/dictionary/ (trade-tables.ts, port-tables.ts, reference-tables.ts, journal-tables.ts or operations-tables.ts)';
}

/** Which file holds a dictionary entry's words. */
const fileOf = (doc: TableDoc) =>
  doc.area === 'indicator'
    ? `warehouse/indicators/ (the definition of ${doc.name})`
    : OPERATIONS_TABLES.some((t) => t.name === doc.name)
      ? 'warehouse/dictionary/operations-tables.ts'
      : QUALITY_TABLES.some((t) => t.name === doc.name)
        ? 'warehouse/dictionary/quality-tables.ts'
        : WORLD_TABLES.some((t) => t.name === doc.name)
          ? 'warehouse/dictionary/world-tables.ts'
          : `warehouse/dictionary/${doc.area}-tables.ts`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-dictionary-'));
  const db = join(dir, 'w.db');
  for (const args of [['init'], ['run', 'nightly'], ['run', 'ports']]) {
    const run = await cli([...args, '--db', db, '--quiet'], PROJECT_ROOT);
    expect(run.code, `corridor ${args.join(' ')}: ${run.stderr}`).toBe(0);
  }
  // No pipeline loads world totals (a user's own file): one, so that their views hold rows.
  const worldTotals = join(dir, 'world-2021.csv');
  writeFileSync(worldTotals, 'year,hs_edition,hs_code,flow,value_usd\n2021,H5,TOTAL,X,1000\n');
  const loaded = await cli(
    ['load', worldTotals, '--source', 'world-totals', '--db', db, '--quiet'],
    PROJECT_ROOT,
  );
  expect(loaded.code, loaded.stderr).toBe(0);
  sqlite = new Database(db, { readonly: true });
  tables = readTables(sqlite);
}, 60_000);

afterAll(() => {
  sqlite?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the data dictionary, against a migrated and refreshed warehouse', () => {
  it('documents every table and view the warehouse has, as what it is', () => {
    expect(tables.filter((t) => t.name.startsWith('ind_')).length).toBeGreaterThan(0);
    const problems = tables.flatMap((t) => {
      const doc = tableDoc(t.name);
      if (doc === undefined) return [`${t.kind} ${t.name} is not documented: ${whereToDocument(t.name)}.`];
      if (doc.kind !== t.kind) return [`${t.name} is a ${t.kind}; ${fileOf(doc)} says ${doc.kind}.`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('names no table or view the warehouse does not have, and none twice', () => {
    const names = new Set(tables.map((t) => t.name));
    const problems = DICTIONARY.flatMap((doc, i) => [
      ...(names.has(doc.name)
        ? []
        : [
            `${doc.name} is documented in ${fileOf(doc)} but no migration or refresh creates it: remove its entry, or add the migration.`,
          ]),
      ...(DICTIONARY.findIndex((d) => d.name === doc.name) < i ? [`${doc.name} is documented twice.`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it("lists each table's columns in the warehouse's order, with their types", () => {
    const problems = tables.flatMap((t) => {
      const doc = tableDoc(t.name);
      if (doc === undefined) return [];
      const actual = t.columns.map((c) => c.name);
      const documented = doc.columns.map((c) => c.name);
      if (actual.join() !== documented.join()) {
        const missing = actual.filter((c) => !documented.includes(c));
        const extra = documented.filter((c) => !actual.includes(c));
        return [
          `${t.name} in ${fileOf(doc)}: columns must be, in this order, ${actual.join(', ')}` +
            (missing.length > 0 ? `; document ${missing.join(', ')}` : '') +
            (extra.length > 0 ? `; remove ${extra.join(', ')}` : '') +
            (missing.length + extra.length === 0 ? '; reorder them' : '') +
            '.',
        ];
      }
      return t.columns.flatMap((column, i) => {
        const documentedType = doc.columns[i]!.type;
        const stored = affinity(column.declared);
        if (stored === 'none' && t.kind === 'view') {
          // A view column computed by an expression has no declared type: what it holds says.
          const held = sqlite
            .prepare(`select distinct typeof(${quoted(column.name)}) from ${quoted(t.name)}`)
            .pluck()
            .all() as string[];
          const wrong = held.filter((h) => h !== 'null' && h !== documentedType);
          return wrong.length === 0
            ? []
            : [
                `${t.name}.${column.name} holds ${wrong.join(', ')} values; ${fileOf(doc)} says ${documentedType}.`,
              ];
        }
        return stored === documentedType
          ? []
          : [
              `${t.name}.${column.name} is declared ${column.declared || 'without a type'} (${stored}); ${fileOf(doc)} says ${documentedType}.`,
            ];
      });
    });
    expect(problems).toEqual([]);
  });

  it('checks the types of computed view columns on views that hold rows', () => {
    const empty = tables
      .filter((t) => t.kind === 'view')
      .filter(
        (t) =>
          sqlite
            .prepare(`select count(*) from ${quoted(t.name)}`)
            .pluck()
            .get() === 0,
      )
      .map((t) => t.name);
    expect(empty).toEqual([]);
  });

  it('describes every table and column, and gives every indicator its formula', () => {
    const problems = DICTIONARY.flatMap((doc) => [
      ...(doc.description.trim() === '' ? [`${doc.name} has no description in ${fileOf(doc)}.`] : []),
      ...doc.columns
        .filter((c) => c.description.trim() === '')
        .map((c) => `${doc.name}.${c.name} has no description in ${fileOf(doc)}.`),
      ...(doc.area === 'indicator' && (doc.formula ?? '').trim() === ''
        ? [`${doc.name} has no formula: give its definition in warehouse/indicators/ one.`]
        : []),
    ]);
    expect(problems).toEqual([]);
  });

  it('gives a unit to every column whose name says it is a measure', () => {
    const suffixes: Record<string, string> = {
      _usd: 'USD',
      _kg: 'kg',
      _t: 't',
      _pct: 'percent',
      _ms: 'ms',
      _bytes: 'bytes',
    };
    const problems = DICTIONARY.flatMap((doc) =>
      doc.columns.flatMap((c) => {
        // usd_per_kg and the like are rates, with a unit of their own.
        if (c.name.includes('_per_')) return [];
        const suffix = Object.keys(suffixes).find((s) => c.name.endsWith(s));
        return suffix === undefined || c.unit === suffixes[suffix]
          ? []
          : [
              `${doc.name}.${c.name} is in ${suffixes[suffix]}: give it unit '${suffixes[suffix]}' in ${fileOf(doc)}.`,
            ];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('keys every table by its primary key or unique index, and every view by a grain its rows respect', () => {
    const problems = tables.flatMap((t) => {
      const doc = tableDoc(t.name);
      if (doc === undefined) return [];
      const where = `${t.name} in ${fileOf(doc)}`;
      const unknown = doc.key.filter((k) => !t.columns.some((c) => c.name === k));
      if (doc.key.length === 0) return [`${where} has no key: name the columns that identify a row.`];
      if (unknown.length > 0) return [`${where}: key names ${unknown.join(', ')}, which it does not have.`];
      const primaryKey = t.columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      if (primaryKey.length > 0 && doc.area === 'indicator') {
        // The derive stage clusters indicator rows by year as well (indicator-table.ts); the
        // year follows from the period, so the definition's key is still the key.
        const expected = new Set([...doc.key, 'year']);
        return primaryKey.length === expected.size && primaryKey.every((c) => expected.has(c))
          ? []
          : [
              `${where}: key ${doc.key.join(', ')} is not the primary key (${primaryKey.join(', ')}) less year.`,
            ];
      }
      if (primaryKey.length > 0)
        return doc.key.join() === primaryKey.join()
          ? []
          : [`${where}: key must be the primary key, ${primaryKey.join(', ')}.`];
      if (t.uniqueIndex !== null)
        return doc.key.join() === t.uniqueIndex.join()
          ? []
          : [`${where}: key must be the unique index, ${t.uniqueIndex.join(', ')}.`];
      // A view, or a table SQLite enforces no key on: the loaded rows must respect it.
      const columns = doc.key.map(quoted).join(', ');
      const repeated = sqlite
        .prepare(
          `select count(*) from (select 1 from ${quoted(t.name)} group by ${columns} having count(*) > 1)`,
        )
        .pluck()
        .get() as number;
      return repeated === 0 ? [] : [`${where}: ${repeated} values of the key ${doc.key.join(', ')} repeat.`];
    });
    expect(problems).toEqual([]);
  });

  it("starts each column's words with the JSDoc of its kysely interface in warehouse/schema/", () => {
    const problems = schemaJsDoc().flatMap(({ table, column, file, words }) => {
      const doc = tableDoc(table);
      const described = doc?.columns.find((c) => c.name === column)?.description;
      if (doc === undefined || described === undefined) return [];
      return oneLine(described).startsWith(words)
        ? []
        : [
            `${table}.${column}: ${file} says "${words}"; the description in ${fileOf(doc)} must begin with the same words (change both together).`,
          ];
    });
    expect(problems).toEqual([]);
  });
});

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every column JSDoc of the kysely interfaces, with the table(s) the DB interface gives them. */
function schemaJsDoc(): { table: string; column: string; file: string; words: string }[] {
  const parse = (file: string) =>
    ts.createSourceFile(file, readFileSync(join(PROJECT_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = (source: ts.SourceFile) => source.statements.filter(ts.isInterfaceDeclaration);
  const commentOf = (node: ts.Node): string | undefined => {
    const doc = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).at(-1);
    const text = doc === undefined ? undefined : ts.getTextOfJSDocComment(doc.comment);
    return text === undefined ? undefined : oneLine(text);
  };

  // DB names each table and the interface that describes it.
  const db = interfaces(parse('warehouse/schema.ts')).find((i) => i.name.text === 'DB');
  const tablesOf = new Map<string, string[]>();
  for (const member of db?.members ?? []) {
    if (!ts.isPropertySignature(member) || member.type === undefined || !ts.isTypeReferenceNode(member.type))
      continue;
    const shape = member.type.typeName.getText();
    tablesOf.set(shape, [...(tablesOf.get(shape) ?? []), member.name.getText()]);
  }

  const found: { table: string; column: string; file: string; words: string }[] = [];
  for (const area of ['trade', 'reference', 'port', 'journal', 'quality']) {
    const file = `warehouse/schema/${area}-tables.ts`;
    for (const shape of interfaces(parse(file))) {
      for (const member of shape.members) {
        const words = ts.isPropertySignature(member) ? commentOf(member) : undefined;
        if (words === undefined) continue;
        for (const table of tablesOf.get(shape.name.text) ?? [])
          found.push({ table, column: member.name!.getText(), file: `${file} (${shape.name.text})`, words });
      }
    }
  }
  expect(found.length).toBeGreaterThan(100);
  return found;
}
