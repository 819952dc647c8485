/**
 * Nightly operations (issue 8): what a scheduled, unattended load needs the warehouse to remember.
 *
 * - `pipeline_locks`: one lease per pipeline while a run holds it (holder token, host, pid,
 *   heartbeat, expiry), so two runs of one pipeline never overlap, on one machine or several
 *   sharing a warehouse. A crashed holder stops renewing and its lease expires.
 * - `remote_files`: per URL, the validators (ETag, Last-Modified) and landing copy of its last
 *   download, so an unchanged remote file is asked about, not fetched again, and a load can be
 *   replayed offline from the landing area.
 * - `run_alerts`: each alert a run sent (command or webhook) and whether it was delivered.
 * - `load_runs.trigger`: who started the run: `manual`, `schedule` or `catch_up`.
 * - `load_files.origin`: what the pipeline named: the URL a file was downloaded from, or the
 *   local path; `--only-failed` retries by it.
 */
import { type Kysely, sql } from 'kysely';
import { runDdl } from './postgres/schema-ddl.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runDdl(
    db,
    `
    create table pipeline_locks (
      pipeline text primary key,
      holder text not null,
      host text not null,
      pid integer not null,
      process_stamp text,
      purpose text not null,
      acquired_at text not null,
      heartbeat_at text not null,
      expires_at text not null
    )`,
  );
  await runDdl(
    db,
    `
    create table remote_files (
      url text primary key,
      etag text,
      last_modified text,
      sha256 text not null,
      landing_path text not null,
      size_bytes integer not null,
      fetched_at text not null,
      checked_at text not null,
      last_status text not null check (last_status in ('fetched', 'not_modified'))
    )`,
  );
  await runDdl(
    db,
    `
    create table run_alerts (
      run_id integer not null,
      event text not null,
      channel text not null check (channel in ('command', 'webhook')),
      target text not null,
      delivered integer not null check (delivered in (0, 1)),
      detail text not null,
      sent_at text not null,
      duration_ms integer not null
    )`,
  );
  await sql`create index run_alerts_by_run on run_alerts (run_id)`.execute(db);
  await sql`alter table load_runs add column trigger text not null default 'manual'`.execute(db);
  await sql`alter table load_files add column origin text`.execute(db);
  await sql`create index load_runs_by_pipeline on load_runs (pipeline, run_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index load_runs_by_pipeline`.execute(db);
  await sql`alter table load_files drop column origin`.execute(db);
  await sql`alter table load_runs drop column trigger`.execute(db);
  await sql`drop table run_alerts`.execute(db);
  await sql`drop table remote_files`.execute(db);
  await sql`drop table pipeline_locks`.execute(db);
}
