/**
 * Alerts from `corridor run`, end to end: the pipeline downloads from a real HTTP server on
 * 127.0.0.1, and the same server takes the webhook's POST on /hook; the command alert is a real
 * node process that writes what it reads on stdin to a file. What was sent is read back from the
 * server's records, the file and the warehouse's `run_alerts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { type FlakyServer, startFlakyServer } from './helpers/flaky-http-server.ts';
import { usePreparedWarehouse, writePipelineProject } from './helpers/pipeline-project.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');

const warehouseAt = usePreparedWarehouse();

let server: FlakyServer;
beforeEach(async () => {
  warehouseAt(db());
  server = await startFlakyServer();
  server.route('/hook', { status: 200, body: 'ok' });
});
afterEach(async () => {
  await server.close();
});

const FAST_FETCH = { timeoutSeconds: 0.5, backoffSeconds: 0.02, retries: 2 };

function writePipeline(name: string, files: readonly string[], extra: Record<string, unknown>): void {
  writePipelineProject(tmp(), {
    name,
    sources: [{ source: 'comtrade', files }],
    fetch: FAST_FETCH,
    ...extra,
  });
}

const run = (name: string) => cli(['run', name, '--db', db()], tmp());

const csv2021 = (...rows: Parameters<typeof plusRow>[0][]) =>
  csvText(
    PLUS_HEADER,
    rows.map((over) => plusRow(over)),
  );

/** The alert payloads the webhook received, parsed. */
const hookPayloads = () =>
  server.requestsTo('/hook').map((q) => {
    expect(q.method).toBe('POST');
    expect(q.headers['content-type']).toBe('application/json');
    return JSON.parse(q.body) as Record<string, unknown>;
  });

interface RunAlertRow {
  run_id: number;
  event: string;
  channel: string;
  target: string;
  delivered: number;
  detail: string;
}
const runAlerts = () =>
  query<RunAlertRow>(
    db(),
    'select run_id, event, channel, target, delivered, detail from run_alerts order by rowid',
  );
const lastRunId = () => scalar<number>(db(), 'select max(run_id) from load_runs');

describe('corridor run: alerts to a webhook', () => {
  it('posts the failed run to the webhook: its id, status, counts and first error', async () => {
    server.route('/pak_2021.csv', { body: csv2021({}) });
    server.route('/pak_2022.csv', { status: 500, body: 'down for maintenance' });
    writePipeline('pak', [server.url('/pak_2021.csv'), server.url('/pak_2022.csv')], {
      alerts: { webhook: server.url('/hook') },
    });

    const r = await run('pak');

    // The alert does not change the run's exit code.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`alert webhook ${server.url('/hook')}: sent (HTTP 200 OK)`);
    const payloads = hookPayloads();
    expect(payloads).toHaveLength(1);
    const runId = lastRunId();
    expect(payloads[0]).toMatchObject({
      corridor_alert: 1,
      event: 'failure',
      run_id: runId,
      pipeline: 'pak',
      status: 'failed',
      exit_code: 1,
      counts: {
        files_total: 2,
        files_loaded: 1,
        files_skipped: 0,
        files_failed: 1,
        rows_read: 1,
        rows_loaded: 1,
        rows_rejected: 0,
      },
      first_errors: [{ file: server.url('/pak_2022.csv'), code: 'http_server_error' }],
    });
    expect(runAlerts()).toEqual([
      {
        run_id: runId,
        event: 'failure',
        channel: 'webhook',
        target: server.url('/hook'),
        delivered: 1,
        detail: 'HTTP 200 OK',
      },
    ]);
  });

  it('sends nothing for a run that succeeds (by default alerts are for failures and rejects)', async () => {
    server.route('/pak_2021.csv', { body: csv2021({}) });
    writePipeline('pak', [server.url('/pak_2021.csv')], { alerts: { webhook: server.url('/hook') } });

    const r = await run('pak');

    expect(r.code).toBe(0);
    expect(server.requestsTo('/pak_2021.csv')).toHaveLength(1);
    expect(server.requestsTo('/hook')).toHaveLength(0);
    expect(r.stderr).not.toContain('alert');
    expect(runAlerts()).toEqual([]);
  });

  it("sends a 'rejects' alert when a file's rejects pass the threshold, with the rejected row", async () => {
    server.route('/pak_2021.csv', {
      body: csv2021({ cmdCode: '520512', primaryValue: 10, fobvalue: 10 }, { cmdCode: '8703.2' }),
    });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      rejectThreshold: 0,
      alerts: { webhook: server.url('/hook') },
    });

    const r = await run('pak');

    expect(r.code).toBe(3);
    const runId = lastRunId();
    expect(hookPayloads()).toMatchObject([
      {
        event: 'rejects',
        run_id: runId,
        status: 'rejects_over_threshold',
        exit_code: 3,
        counts: { files_loaded: 1, rows_read: 2, rows_loaded: 1, rows_rejected: 1 },
        reject_threshold: 0,
        first_errors: [{ file: server.url('/pak_2021.csv'), row: 3, column: 'cmdCode', code: 'bad_hs_code' }],
        rejects_hint: `corridor rejects --run ${runId}`,
      },
    ]);
    expect(runAlerts()).toMatchObject([
      { run_id: runId, event: 'rejects', channel: 'webhook', delivered: 1 },
    ]);
  });

  it('records a webhook that refuses the alert as not delivered, and keeps the run’s exit code', async () => {
    server.route('/hook', { status: 500, body: 'hook broken' });
    server.route('/pak_2021.csv', { status: 503 });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      // Too short to wait for a second attempt: the delivery gives up after the first 500.
      alerts: { webhook: server.url('/hook'), timeoutSeconds: 0.3 },
    });

    const r = await run('pak');

    expect(r.code).toBe(1);
    expect(server.requestsTo('/hook')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /corridor: alert webhook \S+\/hook: NOT delivered \(HTTP 500 Internal Server Error: hook broken/,
    );
    expect(runAlerts()).toMatchObject([{ run_id: lastRunId(), event: 'failure', delivered: 0 }]);
  });

  it('alerts a run that cannot start (a header variable is not set), with no run id', async () => {
    delete process.env.CORRIDOR_TEST_UNSET_KEY;
    server.route('/pak_2021.csv', { body: csv2021({}) });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      fetch: { ...FAST_FETCH, headers: { 'X-Api-Key': `\${CORRIDOR_TEST_UNSET_KEY}` } },
      alerts: { webhook: server.url('/hook') },
    });

    const r = await run('pak');

    expect(r.code).toBe(2);
    expect(server.requestsTo('/pak_2021.csv')).toHaveLength(0);
    expect(hookPayloads()).toMatchObject([
      {
        event: 'failure',
        run_id: null,
        status: 'failed',
        exit_code: 2,
        first_errors: [{ file: null, code: 'missing_environment' }],
      },
    ]);
  });
});

describe('corridor run: alerts to a command', () => {
  it('runs the command (array form, no shell) with the payload on its stdin', async () => {
    const received = join(tmp(), 'alert received.json');
    const script =
      "const fs = require('node:fs'); fs.writeFileSync(process.argv[1], JSON.stringify({ stdin: fs.readFileSync(0, 'utf8'), event: process.env.CORRIDOR_EVENT }));";
    server.route('/pak_2021.csv', { status: 500 });
    writePipeline('pak', [server.url('/pak_2021.csv')], {
      alerts: { command: [process.execPath, '-e', script, received] },
    });

    const r = await run('pak');

    expect(r.code).toBe(1);
    expect(existsSync(received)).toBe(true);
    const got = JSON.parse(readFileSync(received, 'utf8')) as { stdin: string; event: string };
    expect(got.event).toBe('failure');
    expect(JSON.parse(got.stdin)).toMatchObject({
      event: 'failure',
      run_id: lastRunId(),
      pipeline: 'pak',
      status: 'failed',
      counts: { files_total: 1, files_failed: 1 },
      first_errors: [{ file: server.url('/pak_2021.csv'), code: 'http_server_error' }],
    });
    expect(runAlerts()).toMatchObject([
      { run_id: lastRunId(), event: 'failure', channel: 'command', delivered: 1, detail: 'exit code 0' },
    ]);
  });
});
