/**
 * Rows as the text format of `COPY ... FROM STDIN` (tab-separated, one line a row, `\N` for
 * NULL), and the stream that carries them to the server. The text format is the server's
 * cheapest to parse; a value only needs a backslash escape for a backslash, a tab, a line feed
 * or a carriage return, so non-ASCII text goes through as its UTF-8 bytes and quotes as they are.
 */
import { once } from 'node:events';
import { copyFrom, type PgClient } from './pg-driver.ts';

/** A value as a COPY text field. NaN is NULL, as SQLite stores it; booleans are 1/0, as SQLite keeps them. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return Number.isNaN(value) ? '\\N' : String(value);
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? escapeText(value) : value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return String(value);
  return escapeText(String(value));
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!);
}

/**
 * Runs `statement` (a `COPY ... FROM STDIN`) with `parts` as its data, written as they come and
 * waiting whenever the socket's buffer is full, so memory holds no more than the caller's parts.
 * Resolves with the rows the server took; rejects with the server's error (a unique violation,
 * a value the column type refuses), after which the transaction is aborted.
 */
export async function copyIn(
  client: PgClient,
  statement: string,
  parts: Iterable<string | Uint8Array>,
): Promise<number> {
  const stream = copyFrom(client, statement);
  let failed = false;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (error) => {
      failed = true;
      reject(error);
    });
  });
  // An error mid-way is reported by `finished`; the writes below must not throw it first.
  finished.catch(() => {});
  for (const part of parts) {
    if (failed) break;
    if (part.length === 0) continue;
    if (!stream.write(part)) await Promise.race([once(stream, 'drain').catch(() => {}), finished]);
  }
  if (!failed) stream.end();
  await finished;
  return stream.rowCount ?? 0;
}
