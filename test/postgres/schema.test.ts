/**
 * Issue 21, point 1: one migration history makes the same warehouse on both backends.
 * A SQLite file and a PostgreSQL database are each migrated and given the reference data as
 * `corridor init` does; then the test compares what they hold (tables, views, columns in order,
 * reference rows) and checks that the versioning triggers behave alike on both. The yearly
 * partitions PostgreSQL adds are in partitions.test.ts.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../src/db/warehouse.ts';
import { prepareWarehouse } from '../../src/load/prepare-warehouse.ts';
import { referenceDir } from '../../src/load/reference-files.ts';
import { loadReferenceData } from '../../src/load/reference-loader.ts';
import { migrations } from '../../warehouse/migrations/index.ts';
import { createPgDatabase } from '../helpers/backends.ts';

/** The folder of this file's SQLite warehouses, for all its tests (useTempDir empties it after each). */
let dir: string;
const tmp = () => dir;
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let pg: Warehouse;
let sqlite: Warehouse;
let initMs = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-schema-'));
  database = await createPgDatabase('corridor_schema');
  pg = await openWarehouse(database.url);
  const started = performance.now();
  await prepareWarehouse(pg);
  initMs = performance.now() - started;
  sqlite = await openWarehouse(join(tmp(), 'corridor.db'));
  await prepareWarehouse(sqlite);
}, 120_000);

afterAll(async () => {
  await pg?.close();
  await sqlite?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const backends = () => [sqlite, pg] as const;

/** Tables and views with their columns in order (and tables' declared types), per backend. */
async function schemaOf(warehouse: Warehouse): Promise<Map<string, { kind: string; columns: string[][] }>> {
  const schema = new Map<string, { kind: string; columns: string[][] }>();
  if (warehouse.backend === 'sqlite') {
    const objects = await warehouse.sql.all<{ name: string; type: string }>(
      "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%'",
    );
    for (const { name, type } of objects) {
      const columns = await warehouse.sql.all<{ name: string; type: string }>(
        'select name, type from pragma_table_info(?) order by cid',
        [name],
      );
      schema.set(name, { kind: type, columns: columns.map((c) => [c.name, c.type.toLowerCase()]) });
    }
    return schema;
  }
  const objects = await warehouse.sql.all<{ name: string; type: string }>(
    `select table_name as name, table_type as type from information_schema.tables
     where table_schema = current_schema()`,
  );
  for (const { name, type } of objects) {
    const columns = await warehouse.sql.all<{ name: string; type: string }>(
      `select column_name as name, data_type as type from information_schema.columns
       where table_schema = current_schema() and table_name = ? order by ordinal_position`,
      [name],
    );
    schema.set(name, {
      kind: type === 'VIEW' ? 'view' : 'table',
      columns: columns.map((c) => [c.name, c.type]),
    });
  }
  return schema;
}

/** SQLite's declared column types as the PostgreSQL types they are created as. */
const PG_TYPE: Record<string, string> = {
  integer: 'bigint',
  real: 'double precision',
  text: 'text',
  'varchar(255)': 'character varying',
};

describe('one schema on both backends', () => {
  it('creates every table and view of the SQLite warehouse on PostgreSQL, with the same columns in the same order', async () => {
    const [onSqlite, onPg] = await Promise.all([schemaOf(sqlite), schemaOf(pg)]);
    expect(onSqlite.size).toBeGreaterThan(40);
    for (const [name, { kind, columns }] of onSqlite) {
      const there = onPg.get(name);
      expect(there, `${kind} ${name} on PostgreSQL`).toBeDefined();
      expect(there!.kind, name).toBe(kind);
      expect(
        there!.columns.map(([c]) => c),
        `columns of ${name}`,
      ).toEqual(columns.map(([c]) => c));
      if (kind === 'table') {
        expect(
          there!.columns.map(([, type]) => type),
          `types of ${name}`,
        ).toEqual(columns.map(([, type]) => PG_TYPE[type!] ?? type));
      }
    }
    // What PostgreSQL has beyond that: the partitions of the partitioned tables, nothing else.
    const extra = [...onPg.keys()].filter((name) => !onSqlite.has(name)).sort();
    expect(extra).toEqual([
      'baci_flows_closed_default',
      'baci_flows_default',
      'trade_flow_rows_closed_default',
      'trade_flow_rows_default',
    ]);
    console.log(`PostgreSQL init (migrations and reference data): ${Math.round(initMs)} ms`);
  });

  it('numbers rows alike: each AUTOINCREMENT key of SQLite is an identity on PostgreSQL', async () => {
    const autoincrement = await sqlite.sql.all<{ name: string; pk: string }>(
      `select m.name, c.name as pk from sqlite_master m join pragma_table_info(m.name) c on c.pk = 1
       where m.type = 'table' and m.sql like '%autoincrement%' order by m.name`,
    );
    const identity = await pg.sql.all<{ name: string; pk: string }>(
      `select table_name as name, column_name as pk from information_schema.columns
       where table_schema = current_schema() and is_identity = 'YES' order by table_name`,
    );
    expect(autoincrement.length).toBeGreaterThan(4);
    expect(identity).toEqual(autoincrement);
  });

  it('leaves the SQLite schema byte for byte what the released migrations made before PostgreSQL', async () => {
    // SQLite keeps each CREATE statement as written: the PostgreSQL branches of the released
    // migrations (0001–0014) must not change a character of it. The digest is of the schema
    // those migrations made at commit 3b17953, before they had PostgreSQL branches.
    const released = await openWarehouse(join(tmp(), 'released.db'));
    try {
      const migrator = new Migrator({
        db: released.db,
        provider: { getMigrations: async () => ({ ...migrations }) },
      });
      expect((await migrator.migrateTo('0014-category-sums-view')).error).toBeUndefined();
      const objects = await released.sql.all<{ type: string; name: string; sql: string | null }>(
        "select type, name, sql from sqlite_master where name not like 'kysely%' order by type, name",
      );
      const digest = createHash('sha256')
        .update(objects.map((o) => `${o.type} ${o.name}\n${o.sql}`).join('\n'))
        .digest('hex');
      expect(objects).toHaveLength(88);
      expect(digest).toBe('068bccf00b699db3356abb9cb86523ca5adf64f0965a1e814c736f2d80cf320e');
    } finally {
      await released.close();
    }
  });

  it('loads the same reference data on both, stamped alike', async () => {
    const tables = [
      'countries',
      'country_codes',
      'country_names',
      'hs_sections',
      'hs_codes',
      'hs_concordance',
      'hs_conversion',
      'hs_categories',
      'hs_category_rules',
      'hs_code_categories',
      'ports',
      'port_aliases',
      'port_commodities',
      'settings',
    ];
    const counts: Record<string, number[]> = {};
    for (const table of tables) {
      counts[table] = await Promise.all(
        backends().map(async (w) => Number(await w.sql.value(`select count(*) from ${table}`))),
      );
      expect(counts[table]![1], table).toBe(counts[table]![0]);
    }
    expect(counts.hs_codes![0]).toBeGreaterThan(10_000);
    console.log(`reference rows (SQLite = PostgreSQL): ${JSON.stringify(counts)}`);
    const stamps = await Promise.all(
      backends().map((w) => w.sql.all('select file, sha256, rows from reference_files order by file')),
    );
    expect(stamps[1]).toEqual(stamps[0]);
    // The HS conversion weights, exactly: a code's weights sum to 1 on both.
    const weights = await Promise.all(
      backends().map((w) =>
        w.sql.value<number>('select round(sum(weight) * 1000) from hs_conversion where to_edition = ?', [
          'H6',
        ]),
      ),
    );
    expect(Number(weights[1])).toBe(Number(weights[0]));
  });

  it('does nothing the second time: the reference is current', async () => {
    for (const w of backends()) {
      const again = await prepareWarehouse(w);
      expect(again.migrations.applied, w.backend).toEqual([]);
      expect(again.reference.loaded, w.backend).toEqual([]);
    }
  });
});

/** A load run and a file of it, for the journal's triggers; returns the file's load_id. */
async function journalFile(w: Warehouse, counts: { loaded: number; inserted: number; changed: number }) {
  await w.sql.run(
    `insert into load_runs (pipeline, status, started_at, reject_threshold, host, pid, options)
     values ('schema-test', 'running', '2026-01-01T00:00:00Z', 0, 'host', 1, '{}')`,
  );
  const runId = Number(await w.sql.value('select max(run_id) from load_runs'));
  await w.sql.run(
    `insert into load_files (run_id, source, target_table, path, file_name, status, started_at,
       rows_read, rows_loaded, rows_inserted, rows_changed, rows_unchanged)
     values (?, 'comtrade', 'trade_flows', '/x.csv', 'x.csv', 'running', '2026-01-01T00:00:00Z', ?, ?, ?, ?, 0)`,
    [runId, counts.loaded, counts.loaded, counts.inserted, counts.changed],
  );
  return Number(await w.sql.value('select max(load_id) from load_files'));
}

const TRADE_ROW = `insert into trade_flow_rows (source, reporter_iso3, partner_iso3, flow, freq, period, year,
  hs_edition, hs_code, hs_level, value_usd, source_row, load_id)
  values ('comtrade', 'KAZ', 'CHN', 'X', 'A', ?, ?, 'H6', '010121', 6, ?, 1, ?)`;

describe('two processes preparing one new server warehouse', () => {
  it('migrates and loads the reference once; the other waits and finds it current', async () => {
    const shared = await createPgDatabase('corridor_schema_race');
    const [a, b] = await Promise.all([openWarehouse(shared.url), openWarehouse(shared.url)]);
    try {
      const results = await Promise.all([prepareWarehouse(a), prepareWarehouse(b)]);
      expect(results.map((r) => r.migrations.applied.length).sort()).toEqual([0, 15]);
      expect(results.map((r) => r.reference.loaded.length).sort((x, y) => x - y)).toEqual([0, 12]);
      expect(Number(await a.sql.value('select count(*) from hs_codes'))).toBe(
        Number(await sqlite.sql.value('select count(*) from hs_codes')),
      );
    } finally {
      await a.close();
      await b.close();
      await shared.drop();
    }
  }, 60_000);
});

describe('the triggers behave alike', () => {
  it('closes the old version when an update gives a row a new load_id, and only then', async () => {
    for (const w of backends()) {
      await w.sql.run(TRADE_ROW, ['2022', 2022, 100, 1]);
      await w.sql.run("update trade_flow_rows set value_usd = 101 where period = '2022'");
      expect(await w.sql.value('select count(*) from trade_flow_rows_closed'), w.backend).toBe(0);
      await w.sql.run("update trade_flow_rows set load_id = 2, value_usd = 150 where period = '2022'");
      expect(
        await w.sql.all(
          'select period, year, value_usd, load_id, valid_to_load, closed_by from trade_flow_rows_closed',
        ),
        w.backend,
      ).toEqual([
        { period: '2022', year: 2022, value_usd: 101, load_id: 1, valid_to_load: 2, closed_by: 'changed' },
      ]);
      // The history view shows both versions.
      expect(
        await w.sql.all(
          "select value_usd, valid_from_load, valid_to_load from trade_flows_history where period = '2022' order by valid_from_load",
        ),
        w.backend,
      ).toEqual([
        { value_usd: 101, valid_from_load: 1, valid_to_load: 2 },
        { value_usd: 150, valid_from_load: 2, valid_to_load: null },
      ]);

      await w.sql.run(
        `insert into world_trade_totals (source, year, hs_edition, flow, hs_code, hs_level, value_usd, source_row, load_id)
         values ('world', 2022, 'H6', 'X', '01', 2, 5, 1, 1)`,
      );
      await w.sql.run('update world_trade_totals set load_id = 3');
      expect(
        await w.sql.all('select load_id, valid_to_load, closed_by from world_trade_totals_closed'),
        w.backend,
      ).toEqual([{ load_id: 1, valid_to_load: 3, closed_by: 'changed' }]);
    }
  });

  it('refuses to mark a file loaded when its counts do not add up', async () => {
    for (const w of backends()) {
      const unbalanced = await journalFile(w, { loaded: 5, inserted: 3, changed: 1 });
      await expect(
        w.sql.run("update load_files set status = 'loaded' where load_id = ?", [unbalanced]),
        w.backend,
      ).rejects.toThrow(/rows_loaded must equal rows_inserted \+ rows_changed \+ rows_unchanged/);
      expect(await w.sql.value('select status from load_files where load_id = ?', [unbalanced])).toBe(
        'running',
      );
      const balanced = await journalFile(w, { loaded: 5, inserted: 4, changed: 1 });
      await w.sql.run("update load_files set status = 'loaded' where load_id = ?", [balanced]);
      expect(await w.sql.value('select status from load_files where load_id = ?', [balanced])).toBe('loaded');
      // Ids go on from the largest, also after migration 0004 rebuilt load_files.
      expect(balanced, w.backend).toBe(unbalanced + 1);
    }
  });
});

describe('a changed country reference on PostgreSQL', () => {
  it('replaces the countries while loaded BACI codes point at them, and refuses to drop one they use', async () => {
    const dir = join(tmp(), 'reference');
    cpSync(join(referenceDir()), dir, { recursive: true });
    const countries = join(dir, 'countries.csv');
    const original = readFileSync(countries, 'utf8');
    await pg.sql.run(
      "insert into baci_country_codes (code, iso3) values (398, 'KAZ'), (156, 'CHN') on conflict do nothing",
    );
    const previous = process.env.CORRIDOR_REFERENCE_DIR;
    process.env.CORRIDOR_REFERENCE_DIR = dir;
    try {
      // Replaced whole while baci_country_codes points at KAZ: the foreign key waits for commit.
      writeFileSync(
        countries,
        original.replace(',Kazakhstan,Kazakhstan,', ',Kazakhstan,Republic of Kazakhstan,'),
      );
      expect((await loadReferenceData(pg)).loaded.map((f) => f.file)).toContain('countries.csv');
      expect(await pg.sql.value("select official_name from countries where iso3 = 'KAZ'")).toBe(
        'Republic of Kazakhstan',
      );

      writeFileSync(countries, original.replace(/^KAZ,.*\n/m, ''));
      const refused = loadReferenceData(pg);
      await expect(refused).rejects.toThrow(/no longer lists KAZ \(BACI code 398\)/);
      await expect(refused).rejects.toMatchObject({ code: 'reference_conflict' });
      expect(await pg.sql.value("select count(*) from countries where iso3 = 'KAZ'")).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
      else process.env.CORRIDOR_REFERENCE_DIR = previous;
    }
  });
});
