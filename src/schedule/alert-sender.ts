/**
 * Delivers an alert to a pipeline's command and webhook. Delivery problems are data, not
 * exceptions: a webhook that is down must not turn a run that loaded into a crash, and the run's
 * exit code stays the run's. The caller prints and journals each `AlertDelivery`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { maskCredentials, maskUrl } from '../extract/masked-url.ts';
import type { AlertsConfig } from './alert-config.ts';
import type { AlertPayload } from './alert-payload.ts';

export interface AlertDelivery {
  readonly channel: 'command' | 'webhook';
  /** The command line or the URL, with credentials masked. */
  readonly target: string;
  readonly ok: boolean;
  /** What happened: the exit code or HTTP status, and why it failed when it did. */
  readonly detail: string;
  readonly durationMs: number;
}

export interface SendAlertsOptions {
  /**
   * Waits before each webhook retry, in milliseconds; one attempt more than there are waits.
   * @default [500, 1000]
   */
  readonly retryDelaysMs?: readonly number[];
  /** Time a command gets between SIGTERM and SIGKILL once past its timeout. @default 2000 */
  readonly killGraceMs?: number;
}

/** Longest Retry-After honoured: a receiver asking for minutes would hold the nightly run up. */
const MAX_RETRY_AFTER_MS = 5000;
/** Characters of a failed command's stderr (or a failed webhook's answer) kept in `detail`. */
const TAIL_CHARS = 300;

/**
 * Sends the payload to every channel the config names, at the same time, and reports each
 * delivery. Never rejects for a delivery problem.
 *
 * @example
 * const deliveries = await sendAlerts(pipeline.alerts, payload);
 * // [{ channel: 'webhook', target: 'https://hooks.example.org/corridor?token=***', ok: true,
 * //    detail: 'HTTP 200 OK', durationMs: 84 }]
 */
export async function sendAlerts(
  config: AlertsConfig,
  payload: AlertPayload,
  options: SendAlertsOptions = {},
): Promise<AlertDelivery[]> {
  const timeoutMs = config.timeoutSeconds * 1000;
  const body = `${JSON.stringify(payload)}\n`;
  const sends: Promise<AlertDelivery>[] = [];
  if (config.command !== undefined)
    sends.push(runAlertCommand(config.command, body, payload, timeoutMs, options.killGraceMs ?? 2000));
  if (config.webhook !== undefined)
    sends.push(
      postWebhook(
        config.webhook,
        config.headers ?? {},
        body,
        timeoutMs,
        options.retryDelaysMs ?? [500, 1000],
      ),
    );
  return Promise.all(sends);
}

async function runAlertCommand(
  command: string | readonly string[],
  body: string,
  payload: AlertPayload,
  timeoutMs: number,
  killGraceMs: number,
): Promise<AlertDelivery> {
  const started = performance.now();
  const [program, args]: [string, string[]] =
    typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0] ?? '', command.slice(1)];
  const target = maskCredentials(typeof command === 'string' ? command : command.map(quoteArg).join(' '));
  const done = (ok: boolean, detail: string): AlertDelivery => ({
    channel: 'command',
    target,
    ok,
    detail: maskCredentials(detail),
    durationMs: Math.round(performance.now() - started),
  });

  return new Promise<AlertDelivery>((resolve) => {
    let settled = false;
    let timedOut = false;
    let termTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (delivery: AlertDelivery) => {
      if (settled) return;
      settled = true;
      clearTimeout(termTimer);
      clearTimeout(closeTimer);
      // Past the timeout the SIGKILL still comes for whatever of the group ignored SIGTERM,
      // without keeping Corridor waiting for it.
      if (timedOut) killTimer?.unref();
      else clearTimeout(killTimer);
      resolve(delivery);
    };

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: {
          ...process.env,
          CORRIDOR_RUN_ID: payload.run_id === null ? '' : String(payload.run_id),
          CORRIDOR_PIPELINE: payload.pipeline,
          CORRIDOR_STATUS: payload.status,
          CORRIDOR_EXIT_CODE: String(payload.exit_code),
          CORRIDOR_EVENT: payload.event,
        },
        // Its own process group, so a timeout stops what a shell line started too, not just the shell.
        detached: process.platform !== 'win32',
      });
    } catch (cause) {
      finish(done(false, `could not start ${program}: ${messageOf(cause)}`));
      return;
    }

    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };

    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4 * TAIL_CHARS);
    });
    // A command that never reads its stdin closes the pipe: EPIPE is not the alert's failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(body);

    termTimer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), killGraceMs);
    }, timeoutMs);

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish(done(false, `command not found: ${program}; give the full path`));
      else if (error.code === 'EACCES')
        finish(done(false, `not executable: ${program}; check its permissions`));
      else finish(done(false, `could not run ${program}: ${error.message}`));
    });

    const report = (code: number | null, signal: NodeJS.Signals | null) => {
      const tail = tailOf(stderr);
      const withTail = (text: string) => (tail === '' ? text : `${text}; stderr: ${tail}`);
      if (timedOut)
        finish(
          done(false, withTail(`timed out after ${timeoutMs / 1000} s; stopped with ${signal ?? 'SIGTERM'}`)),
        );
      else if (code === 0) finish(done(true, 'exit code 0'));
      else if (code === 127 && typeof command === 'string')
        finish(done(false, withTail('exit code 127: command not found; give the full path')));
      else if (code !== null) finish(done(false, withTail(`exit code ${code}`)));
      else finish(done(false, withTail(`killed by ${signal ?? 'a signal'}`)));
    };
    // 'close' waits for stderr to end, but a background job the command left behind may hold
    // the pipe open for hours: after 'exit', give stderr a moment, then report without it.
    child.on('exit', (code, signal) => {
      closeTimer = setTimeout(() => {
        child.stderr?.destroy();
        report(code, signal);
      }, 200);
    });
    child.on('close', (code, signal) => report(code, signal));
  });
}

async function postWebhook(
  url: string,
  extraHeaders: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
  retryDelaysMs: readonly number[],
): Promise<AlertDelivery> {
  const started = performance.now();
  const target = maskUrl(url);
  const done = (ok: boolean, detail: string): AlertDelivery => ({
    channel: 'webhook',
    target,
    ok,
    detail: maskCredentials(detail),
    durationMs: Math.round(performance.now() - started),
  });

  let headers: Headers;
  let endpoint: URL;
  try {
    endpoint = new URL(url);
    headers = new Headers({
      'content-type': 'application/json',
      'user-agent': userAgent(),
      ...extraHeaders,
    });
  } catch (cause) {
    return done(false, messageOf(cause));
  }
  // fetch refuses URLs with credentials (the Fetch standard forbids them), but a webhook written
  // as https://user:pass@host/ means HTTP basic auth: send them that way, unless the pipeline
  // gives its own Authorization header.
  if (endpoint.username !== '' || endpoint.password !== '') {
    const user = decodeURIComponent(endpoint.username);
    const password = decodeURIComponent(endpoint.password);
    if (!headers.has('authorization'))
      headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    endpoint.username = '';
    endpoint.password = '';
  }

  // The timeout bounds the whole delivery, retries included: the run waits for it.
  const deadline = started + timeoutMs;
  const attempts = retryDelaysMs.length + 1;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const remaining = deadline - performance.now();
    if (remaining <= 0)
      return done(false, `timed out after ${timeoutMs / 1000} s${last === '' ? '' : `; ${last}`}`);
    const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
    let retryAfterMs = 0;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(Math.ceil(remaining)),
        redirect: 'follow',
      });
      const text = await response.text().catch(() => '');
      const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
      if (response.ok) return done(true, `${status}${tries}`);
      const answer = tailOf(text);
      last = answer === '' ? status : `${status}: ${answer}`;
      // 429 and 5xx may pass; any other 4xx says the request is wrong and will stay wrong.
      if (response.status !== 429 && response.status < 500) return done(false, `${last}${tries}`);
      retryAfterMs = retryAfterOf(response.headers.get('retry-after'));
    } catch (cause) {
      if (isTimeout(cause)) return done(false, `timed out after ${timeoutMs / 1000} s${tries}`);
      last = `network error: ${messageOf(cause)}`;
    }
    if (attempt === attempts) return done(false, `${last}${tries}`);
    const wait = Math.max(retryDelaysMs[attempt - 1] ?? 0, retryAfterMs);
    if (performance.now() + wait >= deadline)
      return done(false, `${last}; no time left to retry within ${timeoutMs / 1000} s${tries}`);
    await new Promise((r) => setTimeout(r, wait));
  }
  return done(false, last);
}

/** Retry-After in seconds or as an HTTP date, capped; 0 when absent or unreadable. */
function retryAfterOf(header: string | null): number {
  if (header === null) return 0;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : 0;
}

function isTimeout(cause: unknown): boolean {
  return cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a DNS failure) is in `cause`. */
function messageOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause;
  if (inner instanceof Error) {
    const code = (inner as NodeJS.ErrnoException).code;
    return code !== undefined && !inner.message.includes(code) ? `${code} ${inner.message}` : inner.message;
  }
  return cause.message;
}

/** The end of a command's stderr or a server's answer, on one line. */
function tailOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TAIL_CHARS ? `…${line.slice(-TAIL_CHARS)}` : line;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

let cachedUserAgent: string | undefined;

/**
 * `corridor/<version>`. package.json sits two folders up from the sources and one up from the
 * bundle in dist/; both are tried, and a copy of the code without it says just `corridor`.
 */
function userAgent(): string {
  if (cachedUserAgent !== undefined) return cachedUserAgent;
  cachedUserAgent = 'corridor';
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
      if (
        typeof manifest === 'object' &&
        manifest !== null &&
        'name' in manifest &&
        manifest.name === 'corridor' &&
        'version' in manifest &&
        typeof manifest.version === 'string'
      ) {
        cachedUserAgent = `corridor/${manifest.version}`;
        break;
      }
    } catch {
      // Not there: try the next place.
    }
  }
  return cachedUserAgent;
}
