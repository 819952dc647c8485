/**
 * Issue 21, point 4: the statements `corridor init --citus` issues, run where Citus is absent.
 * A scratch schema `citus_stub` holds functions with Citus's signatures (Citus 12:
 * create_distributed_table(table_name regclass, distribution_column text, distribution_type
 * citus.distribution_type default 'hash', colocate_with text default 'default', shard_count int
 * default null) and create_reference_table(table_name regclass); the enum is text here). They
 * check what Citus checks before it lays a table out, and record each call, so the test sees
 * every table named once, with arguments Citus would take.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../helpers/backends.ts';
import { cli } from '../helpers/run-cli.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tmp = useTempDir();
let database: Awaited<ReturnType<typeof createPgDatabase>>;
let client: pg.Client;

/** Citus's rules, as far as one server can check them. */
const STUBS = `
create schema citus_stub;
create table citus_stub.calls (
  n serial primary key, fn text not null, table_name text not null, distribution_column text,
  distribution_type text, colocate_with text, shard_count int);

-- A table's foreign keys may point only at tables laid out before it, as reference tables or
-- (from a distributed table) at a table colocated with it.
create function citus_stub.check_references(t regclass, distributed_by text) returns void
language plpgsql as $$
declare target regclass; laid citus_stub.calls;
begin
  for target in select confrelid::regclass from pg_constraint where contype = 'f' and conrelid = t and confrelid <> t loop
    select * into laid from citus_stub.calls c where c.table_name = target::text;
    if not found then raise exception '% points at %, which is not laid out yet', t, target; end if;
    if laid.fn = 'create_distributed_table' and distributed_by is null then
      raise exception 'reference table % points at distributed table %', t, target;
    end if;
  end loop;
end $$;

create function citus_stub.create_reference_table(table_name regclass) returns void
language plpgsql as $$
begin
  if exists (select 1 from citus_stub.calls c where c.table_name = $1::text) then
    raise exception '% is laid out twice', $1;
  end if;
  perform citus_stub.check_references($1, null);
  insert into citus_stub.calls (fn, table_name) values ('create_reference_table', $1::text);
end $$;

create function citus_stub.create_distributed_table(
  table_name regclass, distribution_column text, distribution_type text default 'hash',
  colocate_with text default 'default', shard_count int default null) returns void
language plpgsql as $$
#variable_conflict use_variable
declare col record; anchor citus_stub.calls; anchor_type text;
begin
  if exists (select 1 from citus_stub.calls c where c.table_name = $1::text) then
    raise exception '% is laid out twice', $1;
  end if;
  if distribution_type not in ('hash', 'append', 'range') then
    raise exception 'invalid distribution type %', distribution_type;
  end if;
  select a.attnotnull, format_type(a.atttypid, a.atttypmod) as type into col
    from pg_attribute a where a.attrelid = $1 and a.attname = distribution_column and not a.attisdropped;
  if not found then raise exception 'column % of relation % does not exist', distribution_column, $1; end if;
  if not col.attnotnull then raise exception 'distribution column %.% may be NULL', $1, distribution_column; end if;
  if exists (select 1 from pg_index i where i.indrelid = $1 and i.indisunique and not exists (
       select 1 from unnest(i.indkey) k join pg_attribute a on a.attrelid = $1 and a.attnum = k
        where a.attname = distribution_column)) then
    raise exception 'cannot create constraint on "%": unique constraints must include the distribution column', $1;
  end if;
  if colocate_with not in ('default', 'none') then
    select * into anchor from citus_stub.calls c where c.table_name = colocate_with;
    if not found or anchor.fn <> 'create_distributed_table' then
      raise exception 'cannot colocate % with %: not a distributed table', $1, colocate_with;
    end if;
    select format_type(a.atttypid, a.atttypmod) into anchor_type from pg_attribute a
     where a.attrelid = colocate_with::regclass and a.attname = anchor.distribution_column;
    if anchor_type <> col.type then
      raise exception 'cannot colocate % (%) with % (%)', $1, col.type, colocate_with, anchor_type;
    end if;
  end if;
  perform citus_stub.check_references($1, distribution_column);
  insert into citus_stub.calls (fn, table_name, distribution_column, distribution_type, colocate_with, shard_count)
  values ('create_distributed_table', $1::text, distribution_column, distribution_type, colocate_with, shard_count);
end $$;
`;

beforeAll(async () => {
  database = await createPgDatabase();
  const init = await cli(['init', '--db', database.url]);
  expect(init.code, init.stderr).toBe(0);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('corridor init --citus', () => {
  it('refuses a database without Citus, and a SQLite file, saying so', async () => {
    const plain = await cli(['init', '--citus', '--db', database.url]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/not a Citus coordinator.*create extension citus/);
    const file = await cli(['init', '--citus', '--db', `${tmp()}/corridor.db`]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('SQLite file');
    // citus_missing is the code both give.
    const json = await cli(['--json', 'init', '--citus', '--db', database.url]);
    expect(json.stderr + json.stdout).toContain('citus_missing');
  });

  it('names every table once, fact and indicator tables by reporter, the rest as reference tables', async () => {
    await client.query(STUBS);
    // The stubs are found where Citus's functions would be: on the search path.
    await client.query(`alter database ${database.name} set search_path = "$user", public, citus_stub`);
    const run = await cli(['init', '--citus', '--db', database.url]);
    expect(run.code, run.stderr).toBe(0);

    const tables = (
      await client.query<{ relname: string }>(
        `select relname from pg_class where relnamespace = 'public'::regnamespace
          and relkind in ('r', 'p') and not relispartition order by relname`,
      )
    ).rows.map((r) => r.relname);
    const calls = (
      await client.query<{
        fn: string;
        table_name: string;
        distribution_column: string | null;
        distribution_type: string | null;
        colocate_with: string | null;
      }>('select * from citus_stub.calls order by n')
    ).rows;
    expect(calls.map((c) => c.table_name).sort()).toEqual(tables);
    const by = new Map(calls.map((c) => [c.table_name, c]));
    expect(by.get('trade_flow_rows')).toMatchObject({
      fn: 'create_distributed_table',
      distribution_column: 'reporter_iso3',
      distribution_type: 'hash',
      colocate_with: 'none',
    });
    expect(by.get('trade_flow_rows_closed')).toMatchObject({
      distribution_column: 'reporter_iso3',
      colocate_with: 'trade_flow_rows',
    });
    expect(by.get('baci_flows')).toMatchObject({
      distribution_column: 'reporter_code',
      colocate_with: 'none',
    });
    expect(by.get('port_throughput_rows')).toMatchObject({ distribution_column: 'port_locode' });
    for (const reference of [
      'countries',
      'country_codes',
      'hs_codes',
      'hs_sections',
      'hs_categories',
      'ports',
      'settings',
      'load_runs',
      'load_files',
    ])
      expect(by.get(reference)?.fn, reference).toBe('create_reference_table');
    // What it issued, it printed.
    expect(run.stderr + run.stdout).toContain(
      "select create_distributed_table('trade_flow_rows', 'reporter_iso3', colocate_with => 'none');",
    );
  });

  it('on a second run, lays out only a table made since (an indicator table), colocated with the fact rows', async () => {
    // A table derive makes when it first runs, after the first init --citus: its key NOT NULL.
    await client.query(
      `create table ind_trade_later (source text not null, reporter_iso3 text not null, year bigint not null,
         value_usd double precision, derive_id bigint not null, primary key (source, year, reporter_iso3))`,
    );
    // Citus keeps what it laid out in pg_dist_partition; the stub's record stands in for it.
    await client.query(
      `create view citus_stub.pg_dist_partition as select table_name::regclass as logicalrelid from citus_stub.calls`,
    );
    const before = Number((await client.query('select max(n) as n from citus_stub.calls')).rows[0].n);
    // Every table laid out before is left alone (the stub refuses a table laid out twice).
    const again = await cli(['init', '--citus', '--db', database.url]);
    expect(again.code, again.stderr).toBe(0);
    const fresh = (
      await client.query<{ table_name: string; colocate_with: string; distribution_column: string }>(
        `select table_name, colocate_with, distribution_column from citus_stub.calls where n > ${before}`,
      )
    ).rows;
    expect(fresh).toEqual([
      {
        table_name: 'ind_trade_later',
        colocate_with: 'trade_flow_rows',
        distribution_column: 'reporter_iso3',
      },
    ]);
  });
});
