/**
 * Where a JSON document that the streaming parser refused goes wrong, and whether it was cut
 * off or damaged. stream-json says neither (its "Parser has expected a value" has no position);
 * V8's JSON.parse does, so once a load has failed the file is read again whole, when it is small
 * enough for that, and the place is put in the terms of text-position.ts.
 */

import { countLineFeeds, describePlace, encodedLength, type TextPlace } from './text-position.ts';
import { openTextStream } from './text-stream.ts';

/** Larger documents are not read whole again: their message names no place. */
const LOCATE_MAX_CHARS = 64 * 1024 * 1024;

export type JsonFault =
  /** The text ends before the document does: cut off. */
  | { readonly kind: 'truncated'; readonly place: TextPlace }
  /** Something in the middle is not JSON. */
  | { readonly kind: 'damaged'; readonly place: TextPlace | null; readonly detail: string }
  /** Too large to read again, or JSON.parse accepts it: nothing more to say. */
  | { readonly kind: 'unknown' };

export async function locateJsonFault(path: string, encoding: string): Promise<JsonFault> {
  let text = '';
  try {
    const stream = await openTextStream(path, encoding);
    for await (const chunk of stream.chunks) {
      text += chunk;
      if (text.length > LOCATE_MAX_CHARS) return { kind: 'unknown' };
    }
  } catch {
    return { kind: 'unknown' };
  }
  try {
    JSON.parse(text);
    return { kind: 'unknown' };
  } catch (cause) {
    const message = (cause as Error).message;
    const end = placeAt(text, text.trimEnd().length, encoding);
    if (/unexpected end of json input/i.test(message)) return { kind: 'truncated', place: end };
    const position = faultPosition(text, message);
    if (position !== null && position >= text.trimEnd().length) return { kind: 'truncated', place: end };
    const detail = message.replace(/ in JSON at position \d+/, '').replace(/, ".*" is not valid JSON$/s, '');
    return {
      kind: 'damaged',
      place: position === null ? null : placeAt(text, position, encoding),
      detail,
    };
  }
}

/** "at byte 1,234 (line 5)", or '' when the place is unknown. */
export function faultWhere(fault: JsonFault): string {
  if (fault.kind === 'unknown' || fault.place === null) return '';
  return ` at ${describePlace(fault.place)}`;
}

/** Texts up to this size are searched for a place V8 did not give: each step parses a prefix. */
const SEARCH_MAX_CHARS = 8 * 1024 * 1024;

/**
 * The character index of the fault. V8 names it in most messages ("at position 17") but not for
 * an unexpected token; then the shortest prefix that fails other than by ending early ends just
 * after the fault. Every prefix shorter than the fault is a valid start of JSON, so a binary
 * search finds it.
 */
function faultPosition(text: string, message: string): number | null {
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  if (text.length > SEARCH_MAX_CHARS) return null;
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (cause) {
      const said = (cause as Error).message;
      if (/unexpected end of json input/i.test(said)) return false;
      const where = /at position (\d+)/.exec(said);
      return where === null || Number(where[1]) < length;
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (failsInside(middle)) high = middle;
    else low = middle + 1;
  }
  return Math.max(0, low - 1);
}

function placeAt(text: string, index: number, encoding: string): TextPlace {
  return { byte: encodedLength(text.slice(0, index), encoding), line: countLineFeeds(text, 0, index) + 1 };
}
