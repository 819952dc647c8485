/**
 * The console's web server (`corridor serve`): node:http over one read-only WarehouseReader,
 * opened once. It answers GET and HEAD only (405 otherwise), checks access first (access.ts),
 * serves the static assets with long-cache headers, routes every other path to a page
 * (pages/index.ts) and puts the page in the frame (frame.ts); a download streams. A failure is
 * a page with its message and fix; an internal error is printed to stderr once, never shown.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ConfigError } from '../errors.ts';
import { WarehouseReader } from '../query/warehouse-reader.ts';
import { type AccessRule, checkAccess, isLoopback, newAccessToken, setSecurityHeaders } from './access.ts';
import { type Assets, assetAt, loadAssets } from './assets.ts';
import {
  type ErrorPage,
  errorPage,
  type FrameContext,
  framePage,
  messagePage,
  notFoundPage,
} from './frame.ts';
import type { Page, PageResponse } from './page.ts';
import { PAGES } from './pages/index.ts';

export interface ConsoleOptions {
  /** The warehouse: a SQLite file path or a PostgreSQL URL. */
  readonly location: string;
  readonly host: string;
  /** 0 for any free port. */
  readonly port: number;
  /** The access token; on a non-loopback host one is made when none is given. */
  readonly token?: string;
  /** Where internal errors are printed; stderr by default. */
  readonly log?: (text: string) => void;
}

export interface RunningConsole {
  /** The address to open, with `?token=` when the console needs one. */
  readonly url: string;
  /**
   * Every address it answers on: on 0.0.0.0 or ::, one per address of this machine (0.0.0.0
   * itself is no address a browser opens), loopback last; else `url` alone.
   */
  readonly urls: readonly string[];
  readonly port: number;
  /** The token the console needs, or null. */
  readonly token: string | null;
  close(): Promise<void>;
}

/** The page answering `path`: an exact path, else the family whose prefix it starts with. */
export function pageFor(pages: readonly Page[], path: string): Page | undefined {
  return (
    pages.find((p) => p.path === path) ??
    pages.find(
      (p) =>
        p.path !== '/' && p.path.endsWith('/') && (path === p.path.slice(0, -1) || path.startsWith(p.path)),
    )
  );
}

const HTML_TYPE = 'text/html; charset=utf-8';

function sendPage(res: ServerResponse, status: number, text: string, head: boolean): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'Content-Type': HTML_TYPE,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/** `filename` for Content-Disposition: ASCII as is, the rest percent-encoded in `filename*`. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Streams a download. Its first chunk is awaited before any header goes out, so a download
 * that fails at once (an export refused) is still an error page.
 */
async function sendDownload(
  res: ServerResponse,
  download: Extract<PageResponse, { kind: 'download' }>,
  head: boolean,
  signal: AbortSignal,
): Promise<void> {
  const chunks = download.body[Symbol.asyncIterator]();
  try {
    const first = await chunks.next();
    res.writeHead(200, {
      'Content-Type': download.contentType,
      'Content-Disposition': attachment(download.fileName),
      'Cache-Control': 'no-store',
    });
    if (!head && first.done !== true) {
      let next: IteratorResult<Uint8Array | string> = first;
      while (next.done !== true && !signal.aborted) {
        if (!res.write(next.value)) await once(res, 'drain', { signal }).catch(() => undefined);
        next = await chunks.next();
      }
    }
    res.end();
  } finally {
    await chunks.return?.();
  }
}

/**
 * Starts the console. Throws ConfigError when the port is taken or the address cannot be
 * bound, WarehouseError when the warehouse is not there.
 *
 * @example
 * const console = await startConsole({ location: 'warehouse/corridor.db', host: '127.0.0.1', port: 8080 });
 * console.url; // 'http://127.0.0.1:8080/'
 * await console.close();
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const log = options.log ?? ((text: string) => process.stderr.write(`${text}\n`));
  const token = options.token ?? (isLoopback(options.host) ? null : newAccessToken());
  const reader = await WarehouseReader.open(options.location);
  const assets: Assets = loadAssets();
  const frame: FrameContext = { pages: PAGES, assets, warehouse: reader.warehouse.path };
  let access: AccessRule = { token, cookieName: 'corridor_token' };
  // Each internal error once: a page that fails on every request does not flood the terminal.
  const logged = new Set<string>();
  const logInternal = (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (logged.has(text)) return;
    logged.add(text);
    log(`corridor serve: internal error: ${text}`);
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const head = req.method === 'HEAD';
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
    const show = (page: ErrorPage, context: FrameContext = frame) =>
      sendPage(res, page.status, framePage(context, path, page.title, page.body), head);
    // Before the access check, a page does not say where the warehouse is.
    const anonymous: FrameContext = { ...frame, warehouse: null };

    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      show(
        messagePage(
          405,
          'Method not allowed',
          `The console only reads: ${req.method ?? 'this method'} is not answered.`,
          'Use the links and forms of the pages (GET); nothing in the console writes to the warehouse.',
        ),
        anonymous,
      );
      return;
    }
    const verdict = checkAccess(access, req, res, url.searchParams);
    if (!verdict.allowed) {
      show(
        messagePage(
          verdict.status,
          verdict.status === 401 ? 'Access token needed' : 'Forbidden',
          verdict.reason,
        ),
        anonymous,
      );
      return;
    }
    const asset = assetAt(assets, path);
    if (asset !== undefined) {
      res.writeHead(200, {
        'Content-Type': asset.contentType,
        'Content-Length': asset.body.length,
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
      res.end(head ? undefined : asset.body);
      return;
    }
    const page = pageFor(PAGES, path);
    if (page === undefined) {
      show(notFoundPage(path));
      return;
    }
    // The page's links and share link must never carry the token.
    const params = new URLSearchParams(url.searchParams);
    params.delete('token');
    const stop = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) stop.abort();
    });
    try {
      const response = await page.render({
        path,
        params,
        reader,
        location: options.location,
        signal: stop.signal,
      });
      if (stop.signal.aborted) return;
      if (response.kind === 'page')
        sendPage(res, response.status ?? 200, framePage(frame, path, response.title, response.body), head);
      else await sendDownload(res, response, head, stop.signal);
    } catch (error) {
      if (stop.signal.aborted) return;
      if (res.headersSent) {
        logInternal(error);
        res.destroy();
        return;
      }
      show(errorPage(error, logInternal));
    }
  }

  const server: Server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      logInternal(error);
      res.destroy();
    });
  });
  try {
    server.listen(options.port, options.host);
    await once(server, 'listening');
  } catch (cause) {
    await reader.close();
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(
        `Port ${options.port} on ${options.host} is already in use (another corridor serve, or another program). Choose another with --port, e.g. --port ${options.port + 1}, or --port 0 for any free port.`,
        { code: 'port_in_use', cause },
      );
    throw new ConfigError(
      `Cannot listen on ${options.host}:${options.port}: ${code ?? (cause as Error).message}. Give an address of this machine with --host (127.0.0.1 by default) and a free port with --port.`,
      { code: 'bad_arguments', cause },
    );
  }
  const port = (server.address() as AddressInfo).port;
  access = { token, cookieName: `corridor_token_${port}` };
  const urls = reachableHosts(options.host).map(
    (host) =>
      `http://${host.includes(':') ? `[${host}]` : host}:${port}/${token === null ? '' : `?token=${encodeURIComponent(token)}`}`,
  );
  const url = urls[0]!;
  let closed: Promise<void> | null = null;
  return {
    url,
    urls,
    port,
    token,
    close() {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        await reader.close();
      })();
      return closed;
    },
  };
}

/**
 * The hosts a browser can open the console at: the host given, or for a wildcard (0.0.0.0, ::)
 * this machine's addresses (IPv4 only for 0.0.0.0), loopback last.
 */
function reachableHosts(host: string): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) return [host];
  const loopback = host === '::' ? '::1' : '127.0.0.1';
  let interfaces: ReturnType<typeof networkInterfaces>;
  try {
    interfaces = networkInterfaces();
  } catch {
    // Some sandboxes refuse the call: the loopback address still answers.
    return [loopback];
  }
  const external = Object.values(interfaces)
    .flat()
    .filter((a) => a !== undefined && !a.internal)
    // IPv4 only on 0.0.0.0; on ::, no link-local address (fe80::, with a scope id), which a
    // browser cannot open without the zone it refuses.
    .filter((a) => (host === '::' ? a!.family === 'IPv4' || a!.scopeid === 0 : a!.family === 'IPv4'))
    .map((a) => a!.address);
  return [...new Set([...external, loopback])];
}
