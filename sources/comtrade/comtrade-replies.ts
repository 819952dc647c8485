/**
 * UN Comtrade's answers that hold no trade records, and its other outputs
 * (src/validate/publisher-reply.ts, docs/comtrade-layouts.md).
 *
 * No data, loaded as 0 rows with the answer's words as a note:
 * - Comtrade+ (API v1): `{"elapsedTime": …, "count": 0, "data": [], "error": ""}`. The API gives
 *   the same answer to a flow or period code it does not know (comtradeapicall #18), and the
 *   note says so. A reply whose `error` says something is a refused request: it fails, and the
 *   engine passes the error on.
 * - The legacy API (comtrade.un.org/api/get): `{"validation": {"status": {"name": "Ok", …},
 *   "message": …}, "dataset": []}`; in CSV, the line "No data matches your query or your query is
 *   too complex. Request JSON or XML format for more information.", alone or under the header.
 *   A status other than Ok (a usage limit, a result too large) is a refused request, named.
 * - A header of a layout the UN publishes, whole, with no rows.
 *
 * Refused as what they are: reference lists (`{"more": …, "results": [{"id", "text"}]}` and
 * their CSV copies), the quantity-unit list and the data dictionary, data-availability and
 * release listings, bulk-file listings, and count-only answers.
 */

import { foldName } from '../../src/normalize/fold-name.ts';
import type { FileGlance, PublisherReply } from '../../src/validate/publisher-reply.ts';
import { comtradeLayoutOf } from './comtrade-layouts.ts';

/** The legacy API's words for a query that matched nothing (or was too complex to answer). */
const LEGACY_NO_DATA = /^\s*no data matches your query/i;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

const isBlank = (cell: unknown) => cell === null || cell === undefined || String(cell).trim() === '';

const noData = (said: string): PublisherReply => ({ kind: 'no_data', said });

const READS =
  'The comtrade source loads trade records: an answer of data/v1/get (or of the legacy api/get), a bulk file, or a download of them; see docs/comtrade-layouts.md.';

/** A reply read whole: the API's JSON answer without records. */
function replyOfDocument(name: string, doc: unknown): PublisherReply | null {
  if (!isRecord(doc)) return null;
  // Comtrade+ (API v1).
  if ('data' in doc) {
    if (!Array.isArray(doc.data) || doc.data.length > 0 || text(doc.error) !== null) return null;
    if (doc.count !== undefined && doc.count !== null && doc.count !== 0) return null;
    return noData(
      'the Comtrade API answered count 0, no records and no error (a query that matches nothing; the API answers a flow or period code it does not know the same way)',
    );
  }
  // The legacy API.
  if ('dataset' in doc && isRecord(doc.validation)) {
    const validation = doc.validation;
    const status = isRecord(validation.status) ? validation.status : {};
    const statusName = text(status.name);
    const message = text(validation.message) ?? text(status.description);
    if (statusName?.toLowerCase() === 'ok' || status.value === 0) {
      return noData(
        message === null
          ? 'the legacy Comtrade API answered status "Ok" with an empty dataset'
          : `the API said "${message}"`,
      );
    }
    const code =
      typeof status.value === 'number' || typeof status.value === 'string' ? ` ${status.value}` : '';
    return {
      kind: 'refused',
      code: 'api_refused',
      message: `${name}: the legacy Comtrade API refused the query (status "${statusName ?? 'unknown'}"${code})${message === null ? '' : `: "${message}"`}. Nothing was loaded; correct the query (or wait, if it hit a usage limit) and download it again.`,
    };
  }
  // Reference lists: reporterAreas.json, partnerAreas.json and the Comtrade+ reference files.
  if (Array.isArray(doc.results)) {
    return {
      kind: 'refused',
      code: 'not_trade_data',
      message: `${name} is a Comtrade reference list (codes and their names, under "results"), not trade records. ${READS}`,
    };
  }
  return null;
}

/** The legacy CSV answer for "no data": the message alone, or under the header, and nothing else. */
function legacyNoDataMessage(glance: FileGlance): string | null {
  if (!glance.complete) return null;
  const [first] = glance.header;
  if (first !== undefined && LEGACY_NO_DATA.test(first) && glance.header.slice(1).every(isBlank)) {
    return glance.records.every((r) => r.every(isBlank)) ? first.trim() : null;
  }
  if (glance.records.length === 0) return null;
  let message: string | null = null;
  for (const record of glance.records) {
    const filled = record.filter((c) => !isBlank(c));
    if (filled.length !== 1 || !LEGACY_NO_DATA.test(String(filled[0]))) return null;
    message = String(filled[0]).trim();
  }
  return message;
}

/** Another output of Comtrade's, told by its columns; null when the header is nothing known. */
function otherOutput(name: string, header: readonly string[]): PublisherReply | null {
  const folded = new Set(header.map(foldName));
  const has = (...columns: string[]) => columns.some((c) => folded.has(c));
  const what =
    has(
      'totalrecords',
      'datasetchecksum',
      'firstreleased',
      'lastreleased',
      'uploadtime',
      'publicationdate',
    ) ||
    (has('datasetcode') && !has('cmdcode'))
      ? 'a Comtrade data-availability or release listing (which reporters and periods are published), not trade records'
      : has('fileurl')
        ? 'a listing of Comtrade bulk files, not trade records; download the files it lists and load those'
        : has('dataitem')
          ? 'the Comtrade data dictionary (field names and their meaning), not trade records'
          : has('qtycode', 'qtyabbr')
            ? "Comtrade's list of quantity units, not trade records"
            : has('id') && has('text') && header.length <= 12
              ? 'a Comtrade reference list (codes and their names), not trade records'
              : folded.size === 1 && has('count')
                ? 'a count-only answer (countOnly=true): it counts the records a query matches and holds none'
                : null;
  return what === null
    ? null
    : { kind: 'refused', code: 'not_trade_data', message: `${name} is ${what}. ${READS}` };
}

/** UN Comtrade's replies that are not tables of trade rows (TradeSource.recognise). */
export function recogniseComtradeReply(glance: FileGlance): PublisherReply | null {
  if (glance.document !== undefined) return replyOfDocument(glance.name, glance.document);
  const said = legacyNoDataMessage(glance);
  if (said !== null) return noData(`the API said "${said}"`);
  if (!glance.bound) return otherOutput(glance.name, glance.header);
  if (glance.complete && glance.records.length === 0) {
    const layout = comtradeLayoutOf(glance.header);
    if (layout !== null) return noData(`it is the header of a ${layout.name}, with no rows`);
  }
  return null;
}
