/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts in advance: the flaky, slow,
 * rate-limiting and stalling servers that downloads, schedulers and webhooks meet in production,
 * without mocks. It records every request, so a test can assert what was sent and when.
 *
 * @example
 * const server = await startFlakyServer();
 * afterEach(() => server.close());
 * server.route('/a.csv', [
 *   { status: 500 },
 *   { status: 429, headers: { 'retry-after': '1' } },
 *   { body: 'x,y\n1,2\n', etag: '"v1"' }, // the last step repeats
 * ]);
 * await fetch(server.url('/a.csv'));
 * expect(server.requestsTo('/a.csv')[0]?.headers['if-none-match']).toBeUndefined();
 *
 * A path with no route answers 404. Scripts are consumed in order, one step per request, and the
 * last step answers every request after it. `route` again replaces a path's script (and restarts it).
 *
 * A download the test controls, rather than one that lasts a guessed number of seconds:
 * @example
 * const download = createGate();
 * server.route('/a.csv', [{ body, until: download.opened }, { body }]);
 * const holder = startCli(['run', 'nightly'], dir);
 * await server.requestArrived('/a.csv'); // the run holds its lock and waits for its file
 * // ... whatever must happen while it waits ...
 * download.open();
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer. Every field is optional: `{}` is a 200 with an empty body. */
export interface ScriptedResponse {
  /** @default 200 */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** @default '' */
  readonly body?: string | Uint8Array;
  /**
   * Sent as ETag; a request whose If-None-Match carries it (or `*`) gets a 304 with no body.
   * Quote it as HTTP does: `'"v1"'`.
   */
  readonly etag?: string;
  /**
   * Sent as Last-Modified (an HTTP-date); a request with no If-None-Match whose
   * If-Modified-Since is this date or later gets a 304.
   */
  readonly lastModified?: string;
  /** `false` sends the body chunked, without Content-Length. @default true */
  readonly contentLength?: boolean;
  /** Wait this long before answering, in ms. */
  readonly delayMs?: number;
  /**
   * Answer only once this settles (then after `delayMs`, if given): a download that lasts exactly
   * as long as the test needs, however slow the machine. See `createGate`. A client that hangs
   * up first, or a server closed first, gets nothing.
   */
  readonly until?: PromiseLike<unknown>;
  /**
   * Send the body in pieces of `chunkBytes`, `chunkDelayMs` apart: a slow download that keeps
   * moving. Without it the body goes in one write (or two, when chunked).
   */
  readonly chunkBytes?: number;
  readonly chunkDelayMs?: number;
  /**
   * Hang, for timeout tests: `before-headers` accepts the request and never answers;
   * `mid-body` sends the headers (with the full Content-Length) and `stallAfterBytes` of the body
   * (half of it by default), then nothing more. The connection stays open until the client gives
   * up or the server closes.
   */
  readonly stall?: 'before-headers' | 'mid-body';
  readonly stallAfterBytes?: number;
  /**
   * Cut the body: send `afterBytes` of it, then end the connection. How the body was framed
   * decides what the client can know: `content-length` announces the whole length (the client
   * sees it short); `chunked` announces one chunk of the whole body and ends inside it (no final
   * 0-chunk); `close` sends neither, so the connection's end is the body's end, as an HTTP/1.0
   * server does (the client cannot tell a cut from a whole body).
   */
  readonly cut?: { readonly afterBytes: number; readonly framing: 'content-length' | 'chunked' | 'close' };
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent: `/a.csv?period=2024`. */
  readonly path: string;
  /** Header names lowercased, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The request body as UTF-8 (a webhook's JSON, say); '' for a GET. */
  readonly body: string;
  /** When the request arrived: `performance.now()`, in ms, so differences are durations. */
  readonly at: number;
}

export interface FlakyServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The full URL of a path on this server. */
  url(path: string): string;
  /** Scripts the answers for a path (matched without its query). */
  route(path: string, script: ScriptedResponse | readonly ScriptedResponse[]): void;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** The requests to one path (matched without the query). */
  requestsTo(path: string): readonly RecordedRequest[];
  /**
   * Resolves with the `count`-th request to a path (matched without the query) once it has
   * arrived, at once if it already has: an event to wait on instead of polling `requestsTo`.
   */
  requestArrived(path: string, count?: number): Promise<RecordedRequest>;
  /**
   * Connections that carried a request and are still open: 0 once a client has really hung up on
   * every stalled answer. A connection that never carried a request is not counted: undici opens
   * such an idle spare after a fetch is aborted (https://github.com/nodejs/undici/issues/5845),
   * and it keeps neither the process nor the test alive.
   */
  readonly openConnections: number;
  /** Stops the server, cutting every connection, stalled ones included. Closing twice is fine. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 on a free port.
 *
 * @example
 * const server = await startFlakyServer();
 * server.route('/slow.csv', { stall: 'before-headers' });
 */
export async function startFlakyServer(): Promise<FlakyServer> {
  const scripts = new Map<string, { steps: readonly ScriptedResponse[]; next: number }>();
  const requests: RecordedRequest[] = [];
  /** Sockets that carried a request, until they close. */
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** Waiters of `requestArrived`, each checked as a request arrives. */
  const arrivals = new Set<() => void>();

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    const at = performance.now();
    if (!req.socket.destroyed) sockets.add(req.socket);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      requests.push(recorded);
      for (const check of arrivals) check();
      const script = scripts.get(pathOnly(path));
      if (script === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`No route for ${path}`);
        return;
      }
      const step = script.steps[Math.min(script.next, script.steps.length - 1)] ?? {};
      script.next += 1;
      const answer = () => {
        if (!res.destroyed && server.listening) respond(step, recorded, res, later);
      };
      const afterDelay = () => (step.delayMs ? later(step.delayMs, answer) : answer());
      if (step.until === undefined) afterDelay();
      else void Promise.resolve(step.until).then(afterDelay, afterDelay);
    });
    // A client that hangs up mid-answer is what several tests are about, not an error.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
  });
  server.on('connection', (socket) => {
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route(path, script) {
      const steps = Array.isArray(script) ? script : [script as ScriptedResponse];
      if (steps.length === 0) throw new Error(`route ${path}: the script needs at least one response`);
      scripts.set(pathOnly(path), { steps, next: 0 });
    },
    get requests() {
      return requests;
    },
    requestsTo: (path) => requests.filter((r) => pathOnly(r.path) === pathOnly(path)),
    requestArrived(path, count = 1) {
      return new Promise<RecordedRequest>((resolve) => {
        const check = () => {
          const arrived = requests.filter((r) => pathOnly(r.path) === pathOnly(path))[count - 1];
          if (arrived === undefined) return;
          arrivals.delete(check);
          resolve(arrived);
        };
        arrivals.add(check);
        check();
      });
    },
    get openConnections() {
      return sockets.size;
    },
    async close() {
      if (!server.listening) return;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // close() alone waits for keep-alive and stalled connections to end by themselves.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A promise the test settles when it chooses: `until` of a scripted answer, say. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

/**
 * @example
 * const download = createGate();
 * server.route('/a.csv', { body, until: download.opened });
 * download.open(); // the answer goes out now
 */
export function createGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function respond(
  step: ScriptedResponse,
  request: RecordedRequest,
  res: ServerResponse,
  later: (ms: number, run: () => void) => void,
): void {
  if (step.stall === 'before-headers') return;
  const headers: Record<string, string> = { ...step.headers };
  if (step.etag !== undefined) headers.etag = step.etag;
  if (step.lastModified !== undefined) headers['last-modified'] = step.lastModified;
  if (notModified(step, request)) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = typeof step.body === 'string' ? Buffer.from(step.body) : Buffer.from(step.body ?? []);
  if (step.cut !== undefined) {
    sendCut(step.status ?? 200, headers, body, step.cut, res);
    return;
  }
  const sendLength = step.contentLength ?? true;
  if (sendLength) headers['content-length'] = String(body.byteLength);
  res.writeHead(step.status ?? 200, headers);

  if (step.stall === 'mid-body') {
    res.write(body.subarray(0, step.stallAfterBytes ?? Math.floor(body.byteLength / 2)));
    return;
  }
  if (step.chunkBytes !== undefined && step.chunkBytes > 0) {
    const size = step.chunkBytes;
    const sendFrom = (offset: number) => {
      if (res.destroyed) return;
      if (offset >= body.byteLength) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + size));
      later(step.chunkDelayMs ?? 0, () => sendFrom(offset + size));
    };
    sendFrom(0);
    return;
  }
  if (!sendLength && body.byteLength > 0) {
    // Two writes before end(), so node sends Transfer-Encoding: chunked instead of computing a length.
    const half = Math.ceil(body.byteLength / 2);
    res.write(body.subarray(0, half));
    res.end(body.subarray(half));
    return;
  }
  res.end(body);
}

/**
 * Writes the answer on the socket itself: node:http would finish a chunked body properly, or
 * refuse to send fewer bytes than the Content-Length it was given.
 */
function sendCut(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  cut: NonNullable<ScriptedResponse['cut']>,
  res: ServerResponse,
): void {
  const socket = res.socket;
  if (socket === null) return;
  const framing =
    cut.framing === 'content-length'
      ? { 'content-length': String(body.byteLength) }
      : cut.framing === 'chunked'
        ? { 'transfer-encoding': 'chunked' }
        : { connection: 'close' };
  const lines = Object.entries({ ...headers, ...framing }).map(([k, v]) => `${k}: ${v}\r\n`);
  const part = body.subarray(0, cut.afterBytes);
  const chunkHead = cut.framing === 'chunked' ? `${body.byteLength.toString(16)}\r\n` : '';
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('')}\r\n${chunkHead}`);
  // end() after the bytes: a FIN, as a server that crashed or a proxy that gave up sends.
  socket.end(part);
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since when both are sent. */
function notModified(step: ScriptedResponse, request: RecordedRequest): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (step.etag === undefined) return false;
    const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(step.etag.replace(/^W\//, ''));
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || step.lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(step.lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}
