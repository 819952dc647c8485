/**
 * For the console's server tests (test/serve-*.test.ts): a SQLite warehouse loaded through the
 * CLI from one hand-made Comtrade+ file (150 export figures of PAK to KAZ in 2021, one HS
 * subheading each, and one row rejected for an unknown partner whose name is
 * `<script>alert(1)</script>`), and a plain HTTP client on node:http, which sends exactly the
 * method and headers it is given (Host included).
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type RunningConsole, startConsole } from '../../src/serve/server.ts';
import { csvText, PLUS_HEADER, plusRow, tradeRow } from './comtrade-csv.ts';
import { realSubheadings } from './hs-codes.ts';
import { cli } from './run-cli.ts';

export const SCRIPT_TEXT = '<script>alert(1)</script>';
/** Export figures loaded: one per subheading, value 1000 + its index. */
export const FIGURE_COUNT = 150;

export interface ServeWarehouse {
  readonly folder: string;
  readonly db: string;
  readonly codes: readonly string[];
  remove(): void;
}

export async function buildServeWarehouse(): Promise<ServeWarehouse> {
  const folder = mkdtempSync(join(tmpdir(), 'corridor-serve-test-'));
  const db = join(folder, 'w.db');
  const codes = realSubheadings('H5', FIGURE_COUNT);
  const rows = [
    ...codes.map((code, i) => tradeRow({ partner: 'KAZ', code, usd: 1000 + i })),
    plusRow({ partnerCode: 999, partnerISO: 'ZZZ', partnerDesc: SCRIPT_TEXT }),
  ];
  const file = join(folder, 'pak_kaz_2021.csv');
  writeFileSync(file, csvText(PLUS_HEADER, rows));
  const run = await cli(['load', file, '--source', 'comtrade', '--db', db, '--reject-threshold', '1']);
  if (run.code !== 0) throw new Error(`corridor load exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return { folder, db, codes, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** One request; resolves with the whole answer. */
export function http(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The inner HTML of the first element with this data-testid (no nesting of the same tag). */
export function byTestId(page: string, testId: string): string | null {
  const open = new RegExp(`<([a-z]+)[^>]*data-testid="${testId}"[^>]*>`).exec(page);
  if (open === null) return null;
  const close = page.indexOf(`</${open[1]}>`, open.index);
  return page.slice(open.index + open[0].length, close);
}

/** The text of each cell of each body row of an HTML table, entities decoded. */
export function tableCells(tableHtml: string): string[][] {
  const body = tableHtml.slice(tableHtml.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      decode(cell[1]!.replace(/<[^>]+>/g, '')),
    ),
  );
}

export const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export interface ServedWarehouse {
  readonly warehouse: () => ServeWarehouse;
  readonly console: () => RunningConsole;
  /** GET (or another method) of a path of the console. */
  readonly get: (path: string, options?: Parameters<typeof http>[1]) => Promise<HttpAnswer>;
}

/** The warehouse built and a console on 127.0.0.1 started before the file's tests; both gone after. */
export function useServedWarehouse(): ServedWarehouse {
  let warehouse: ServeWarehouse | undefined;
  let running: RunningConsole | undefined;
  beforeAll(async () => {
    warehouse = await buildServeWarehouse();
    running = await startConsole({ location: warehouse.db, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await running?.close();
    warehouse?.remove();
  });
  return {
    warehouse: () => warehouse!,
    console: () => running!,
    get: (path, options) => http(`http://127.0.0.1:${running!.port}${path}`, options),
  };
}
