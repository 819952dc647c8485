/**
 * Alerts end to end with real things only: a real HTTP server on 127.0.0.1 receives the
 * webhook, and real processes (node itself, /bin/sh) receive the command's payload. The payload
 * and the choice of event are pure and tested on run results built by hand.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileResult } from '../src/load/file-result.ts';
import type { RunResult } from '../src/pipeline/run-result.ts';
import { type AlertsInput, alertsSchema } from '../src/schedule/alert-config.ts';
import {
  type AlertContext,
  alertEventFor,
  alertPayloadOf,
  runFailurePayloadOf,
} from '../src/schedule/alert-payload.ts';
import { sendAlerts } from '../src/schedule/alert-sender.ts';
import type { PlacedRowIssue } from '../src/validate/row-issue.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

function fileResult(shown: string, overrides: Partial<FileResult> = {}): FileResult {
  return {
    path: `/data/${shown}`,
    shown,
    source: 'comtrade',
    target: 'trade_flows',
    status: 'loaded',
    loadId: 1,
    sha256: 'ab'.repeat(32),
    rowsRead: 100,
    rowsLoaded: 100,
    rowsRejected: 0,
    rowsAggregate: 0,
    rejectsStored: 0,
    rejectsCapped: false,
    rowsInserted: 0,
    rowsChanged: 0,
    rowsUnchanged: 0,
    rowsRetired: 0,
    coverage: null,
    slices: 1,
    overThreshold: false,
    durationMs: 10,
    sameAsLoadId: null,
    error: null,
    firstIssues: [],
    rejectsByCode: {},
    notes: [],
    warnings: [],
    warningsRecorded: 0,
    ...overrides,
  };
}

function issue(file: string, row: number, sheet: string | null = null): PlacedRowIssue {
  return {
    code: 'bad_hs_code',
    column: 'cmdCode',
    value: '8703.2',
    message: '"8703.2" is not an HS code. Codes are 2, 4 or 6 digits.',
    place: { file: `/data/${file}`, sheet, row, unit: 'row' },
  };
}

function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    runId: 42,
    pipeline: 'pak-kaz-trade',
    dryRun: false,
    trigger: 'schedule',
    status: 'rejects_over_threshold',
    exitCode: 3,
    files: [],
    totals: {
      filesTotal: 3,
      filesLoaded: 2,
      filesSkipped: 0,
      filesFailed: 1,
      rowsRead: 200,
      rowsLoaded: 180,
      rowsRejected: 20,
      rowsAggregate: 0,
      warnings: 0,
      rowsChanged: 0,
      rowsRetired: 0,
    },
    missing: [],
    derived: null,
    deriveError: null,
    note: null,
    durationMs: 1500,
    ...overrides,
  };
}

const context: AlertContext = {
  event: 'rejects',
  host: 'etl-1',
  startedAt: new Date('2025-03-01T02:30:00.000Z'),
  rejectThreshold: 0.05,
};

const payload = alertPayloadOf(
  runResult({
    files: [
      fileResult('pak_2023.csv', {
        rowsRejected: 20,
        overThreshold: true,
        firstIssues: [issue('pak_2023.csv', 418)],
      }),
    ],
  }),
  context,
);

const alerts = (input: AlertsInput) => alertsSchema.parse(input);

describe('alertEventFor', () => {
  it.each([
    ['failed', ['failure', 'rejects'], 'failure'],
    ['interrupted', ['failure'], 'failure'],
    ['stopped', ['failure'], 'failure'],
    ['rejects_over_threshold', ['failure', 'rejects'], 'rejects'],
    ['rejects_over_threshold', ['failure'], null],
    ['succeeded', ['failure', 'rejects'], null],
    ['succeeded', ['success'], 'success'],
    ['failed', ['success'], null],
  ] as const)('status %s, alerting on %j, raises %s', (status, on, event) => {
    expect(alertEventFor(status, on)).toBe(event);
  });
});

describe('alertPayloadOf', () => {
  it('reports the run, its counts, the first errors and where to find the rejects', () => {
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      corridor_alert: 1,
      event: 'rejects',
      run_id: 42,
      pipeline: 'pak-kaz-trade',
      status: 'rejects_over_threshold',
      exit_code: 3,
      host: 'etl-1',
      started_at: '2025-03-01T02:30:00.000Z',
      finished_at: '2025-03-01T02:30:01.500Z',
      duration_ms: 1500,
      counts: {
        files_total: 3,
        files_loaded: 2,
        files_skipped: 0,
        files_failed: 1,
        rows_read: 200,
        rows_loaded: 180,
        rows_rejected: 20,
      },
      reject_threshold: 0.05,
      first_errors: [
        {
          file: 'pak_2023.csv',
          sheet: null,
          row: 418,
          column: 'cmdCode',
          code: 'bad_hs_code',
          message: '"8703.2" is not an HS code. Codes are 2, 4 or 6 digits.',
        },
      ],
      derive_error: null,
      rejects_hint: 'corridor rejects --run 42',
    });
  });

  it('lists failed files first, then rows of files over the threshold only, and keeps ten', () => {
    const rows = (file: string, n: number) => Array.from({ length: n }, (_, i) => issue(file, i + 2, 'Data'));
    const result = runResult({
      status: 'failed',
      exitCode: 1,
      files: [
        fileResult('over.xlsx', { overThreshold: true, firstIssues: rows('over.xlsx', 8) }),
        fileResult('under.csv', { firstIssues: rows('under.csv', 3) }),
        fileResult('broken.csv', {
          status: 'failed',
          error: { code: 'missing_column', message: 'broken.csv has no column "cmdCode".' },
        }),
        fileResult('empty.csv', {
          status: 'failed',
          error: { code: 'empty_file', message: 'empty.csv is empty.' },
        }),
        fileResult('worse.xlsx', { overThreshold: true, firstIssues: rows('worse.xlsx', 5) }),
      ],
    });
    const { first_errors } = alertPayloadOf(result, { ...context, event: 'failure' });
    expect(first_errors).toHaveLength(10);
    expect(first_errors.slice(0, 2)).toEqual([
      { file: 'broken.csv', code: 'missing_column', message: 'broken.csv has no column "cmdCode".' },
      { file: 'empty.csv', code: 'empty_file', message: 'empty.csv is empty.' },
    ]);
    expect(first_errors.slice(2).map((e) => `${e.file} ${'row' in e ? e.row : ''}`)).toEqual([
      'over.xlsx 2',
      'over.xlsx 3',
      'over.xlsx 4',
      'over.xlsx 5',
      'over.xlsx 6',
      'over.xlsx 7',
      'over.xlsx 8',
      'over.xlsx 9',
    ]);
    expect(first_errors[2]).toMatchObject({ sheet: 'Data', column: 'cmdCode', code: 'bad_hs_code' });
  });

  it('gives no rejects hint for a dry run or a run without rejects, and carries the derive error', () => {
    const dry = alertPayloadOf(runResult({ runId: null, dryRun: true }), context);
    expect(dry.run_id).toBeNull();
    expect(dry.rejects_hint).toBeNull();
    const clean = alertPayloadOf(
      runResult({
        status: 'succeeded',
        exitCode: 0,
        totals: { ...runResult().totals, rowsRejected: 0 },
        deriveError: 'trade_indicators could not be refreshed: disk full',
      }),
      { ...context, event: 'success', finishedAt: new Date('2025-03-01T02:31:00.000Z') },
    );
    expect(clean.rejects_hint).toBeNull();
    expect(clean.derive_error).toBe('trade_indicators could not be refreshed: disk full');
    expect(clean.finished_at).toBe('2025-03-01T02:31:00.000Z');
  });

  it('describes a run that could not start, with zero counts and its one error', () => {
    const failed = runFailurePayloadOf(
      {
        pipeline: 'pak-kaz-trade',
        runId: null,
        status: 'failed',
        exitCode: 1,
        durationMs: 812,
        error: { code: 'fetch_failed', message: 'comtrade answered 503.', file: 'https://comtrade.un.org/x' },
      },
      { ...context, event: 'failure' },
    );
    expect(failed).toMatchObject({
      event: 'failure',
      status: 'failed',
      exit_code: 1,
      counts: { files_total: 0, rows_read: 0 },
      first_errors: [
        { file: 'https://comtrade.un.org/x', code: 'fetch_failed', message: 'comtrade answered 503.' },
      ],
      rejects_hint: null,
    });
  });
});

describe('alertsSchema', () => {
  it('alerts on failure and rejects within 30 s by default', () => {
    expect(alerts({ webhook: 'https://hooks.example.org/corridor' })).toEqual({
      webhook: 'https://hooks.example.org/corridor',
      on: ['failure', 'rejects'],
      timeoutSeconds: 30,
    });
  });

  it('needs a command or a webhook, an http(s) URL, and no unknown keys', () => {
    const problems = (input: unknown) =>
      alertsSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({})).toEqual([': give a `command`, a `webhook` or both']);
    expect(problems({ webhook: 'ftp://example.org/x' })).toEqual(['webhook: use an http:// or https:// URL']);
    expect(problems({ command: [] })).toEqual(['command: name the program to run']);
    expect(problems({ command: 'notify', on: [] })).toEqual([
      'on: name at least one event, or remove `alerts`',
    ]);
    expect(problems({ command: 'notify', onn: ['failure'] })).toEqual([': Unrecognized key: "onn"']);
    expect(problems({ command: 'notify', headers: { 'bad header': 'x' } })).toEqual([
      'headers.bad header: "bad header" is not a valid HTTP header name',
    ]);
  });
});

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Never answer: the request hangs until the client gives up. */
  readonly hang?: boolean;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A webhook receiver on 127.0.0.1 that answers with `replies` in turn (the last one repeats). */
async function receiver(...replies: Reply[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies[Math.min(received.length, replies.length) - 1] ?? { status: 200 };
      if (reply.hang === true) return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

const fast = { retryDelaysMs: [20, 20] };

describe('webhook alerts', () => {
  it('POSTs the payload as JSON with the headers the pipeline gives', async () => {
    const hook = await receiver({ status: 200 });
    const deliveries = await sendAlerts(
      alerts({ webhook: `${hook.url}?team=etl`, headers: { Authorization: 'Bearer s3cret' } }),
      payload,
    );
    expect(deliveries).toEqual([
      {
        channel: 'webhook',
        target: `${hook.url}?team=etl`,
        ok: true,
        detail: 'HTTP 200 OK',
        durationMs: expect.any(Number),
      },
    ]);
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hook?team=etl');
    expect(JSON.parse(request?.body ?? '')).toEqual(payload);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('corridor/0.1.0');
    expect(request?.headers.authorization).toBe('Bearer s3cret');
  });

  it('retries after a 500 and reports the attempts it took', async () => {
    const hook = await receiver({ status: 500 }, { status: 204 });
    const [delivery] = await sendAlerts(alerts({ webhook: hook.url }), payload, fast);
    expect(delivery).toMatchObject({ ok: true, detail: 'HTTP 204 No Content after 2 attempts' });
    expect(hook.received.map((r) => r.body)).toEqual([hook.received[0]?.body, hook.received[0]?.body]);
  });

  it('gives up after three attempts at a server that keeps failing', async () => {
    const hook = await receiver({ status: 503, body: 'maintenance until 03:00' });
    const [delivery] = await sendAlerts(alerts({ webhook: hook.url }), payload, fast);
    expect(delivery).toMatchObject({
      ok: false,
      detail: 'HTTP 503 Service Unavailable: maintenance until 03:00 after 3 attempts',
    });
    expect(hook.received).toHaveLength(3);
  });

  it('does not retry a 404, and says so', async () => {
    const hook = await receiver({ status: 404, body: 'no such hook' });
    const [delivery] = await sendAlerts(alerts({ webhook: hook.url }), payload, fast);
    expect(delivery).toMatchObject({ ok: false, detail: 'HTTP 404 Not Found: no such hook' });
    expect(hook.received).toHaveLength(1);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const hook = await receiver({ status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
    const [delivery] = await sendAlerts(alerts({ webhook: hook.url }), payload, fast);
    expect(delivery).toMatchObject({ ok: true, detail: 'HTTP 200 OK after 2 attempts' });
    expect(delivery?.durationMs).toBeGreaterThanOrEqual(950);
  });

  it('sends credentials in the URL as basic auth and masks them, and secret parameters, in the report', async () => {
    const hook = await receiver({ status: 200 });
    const url = hook.url.replace('http://', 'http://ops:hunter2@');
    const [delivery] = await sendAlerts(alerts({ webhook: `${url}?token=abc123&team=etl` }), payload);
    expect(delivery).toMatchObject({
      ok: true,
      target: `${hook.url.replace('http://', 'http://***:***@')}?token=***&team=etl`,
    });
    expect(hook.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('ops:hunter2').toString('base64')}`,
    );
    expect(hook.received[0]?.url).toBe('/hook?token=abc123&team=etl');
  });

  it('reports a server that is not there as a network error, without throwing', async () => {
    const hook = await receiver();
    for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
    const [delivery] = await sendAlerts(alerts({ webhook: `${hook.url}?api_key=k` }), payload, fast);
    expect(delivery).toMatchObject({ ok: false, target: `${hook.url}?api_key=***` });
    expect(delivery?.detail).toMatch(/^network error: .*ECONNREFUSED.* after 3 attempts$/);
  });

  it('stops waiting for a server that does not answer at the timeout', async () => {
    const hook = await receiver({ status: 200, hang: true });
    const [delivery] = await sendAlerts(alerts({ webhook: hook.url, timeoutSeconds: 0.5 }), payload, fast);
    expect(delivery).toMatchObject({ ok: false, detail: 'timed out after 0.5 s' });
    expect(delivery?.durationMs).toBeLessThan(1500);
  });
});

/** A node script as an alert command: the payload and environment it got, written to a file. */
const RECORD_SCRIPT = `
let stdin = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { stdin += c; });
process.stdin.on('end', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CORRIDOR_')));
  require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ stdin, env }));
});
`;

describe('command alerts', () => {
  it('runs the program with the payload on stdin and the run in its environment', async () => {
    const out = join(tmp(), 'got alert.json');
    const [delivery] = await sendAlerts(
      alerts({ command: [process.execPath, '-e', RECORD_SCRIPT, out] }),
      payload,
    );
    expect(delivery).toMatchObject({ channel: 'command', ok: true, detail: 'exit code 0' });
    expect(delivery?.target).toContain(`'${out}'`);
    const got = JSON.parse(readFileSync(out, 'utf8')) as { stdin: string; env: Record<string, string> };
    expect(JSON.parse(got.stdin)).toEqual(payload);
    expect(got.env).toMatchObject({
      CORRIDOR_RUN_ID: '42',
      CORRIDOR_PIPELINE: 'pak-kaz-trade',
      CORRIDOR_STATUS: 'rejects_over_threshold',
      CORRIDOR_EXIT_CODE: '3',
      CORRIDOR_EVENT: 'rejects',
    });
  });

  it('runs a single string through /bin/sh -c', async () => {
    const out = join(tmp(), 'shell.json');
    const [delivery] = await sendAlerts(
      alerts({ command: `cat > '${out}' && test "$CORRIDOR_EVENT" = rejects` }),
      payload,
    );
    expect(delivery).toMatchObject({ ok: true, detail: 'exit code 0' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(payload);
  });

  it('reports a non-zero exit with the end of stderr', async () => {
    const script = `process.stderr.write('x'.repeat(2000) + ' SMTP relay refused the message'); process.exit(3);`;
    const [delivery] = await sendAlerts(alerts({ command: [process.execPath, '-e', script] }), payload);
    expect(delivery?.ok).toBe(false);
    expect(delivery?.detail).toMatch(/^exit code 3; stderr: …x+ SMTP relay refused the message$/);
    expect(delivery?.detail.length).toBeLessThan(350);
  });

  it('stops a command past its timeout', async () => {
    const script = 'setTimeout(() => {}, 60_000);';
    const [delivery] = await sendAlerts(
      alerts({ command: [process.execPath, '-e', script], timeoutSeconds: 1 }),
      payload,
    );
    expect(delivery).toMatchObject({ ok: false, detail: 'timed out after 1 s; stopped with SIGTERM' });
    expect(delivery?.durationMs).toBeLessThan(2500);
  });

  it('kills a command that ignores SIGTERM once the grace period is over', async () => {
    const script = `process.on('SIGTERM', () => {}); setTimeout(() => {}, 60_000);`;
    const [delivery] = await sendAlerts(
      alerts({ command: [process.execPath, '-e', script], timeoutSeconds: 0.5 }),
      payload,
      { killGraceMs: 200 },
    );
    expect(delivery).toMatchObject({ ok: false, detail: 'timed out after 0.5 s; stopped with SIGKILL' });
  });

  it('names a program that does not exist, and one the shell cannot find', async () => {
    const deliveries = await sendAlerts(alerts({ command: ['corridor-no-such-notifier', '--now'] }), payload);
    expect(deliveries).toMatchObject([
      { ok: false, detail: 'command not found: corridor-no-such-notifier; give the full path' },
    ]);
    const [shell] = await sendAlerts(alerts({ command: 'corridor-no-such-notifier --now' }), payload);
    expect(shell?.ok).toBe(false);
    expect(shell?.detail).toMatch(
      /^exit code 127: command not found; give the full path; stderr: .*not found$/,
    );
  });
});

describe('sendAlerts', () => {
  it('delivers to the command and the webhook, reporting each', async () => {
    const hook = await receiver({ status: 200 });
    const deliveries = await sendAlerts(alerts({ command: 'cat > /dev/null', webhook: hook.url }), payload);
    expect(deliveries.map((d) => `${d.channel} ${d.ok} ${d.detail}`)).toEqual([
      'command true exit code 0',
      'webhook true HTTP 200 OK',
    ]);
  });
});
