/**
 * Trade flow codes (Comtrade flow list, DOMAIN.md §1.2). `X` already includes re-exports, so
 * `RX` is kept apart and never added to it. Legacy files give the flow as a number
 * (`rgCode`: 1 M, 2 X, 3 RX, 4 RM) or as text ("Import", "Re-Export").
 */
import { BoundedCache } from './bounded-cache.ts';

const FLOW_CODES = new Set(['M', 'X', 'RM', 'RX', 'DX', 'FM', 'MIP', 'MOP', 'XIP', 'XOP']);

const FLOW_NAMES: ReadonlyMap<string, string> = new Map([
  ['1', 'M'],
  ['2', 'X'],
  ['3', 'RX'],
  ['4', 'RM'],
  ['import', 'M'],
  ['imports', 'M'],
  ['export', 'X'],
  ['exports', 'X'],
  ['reexport', 'RX'],
  ['reexports', 'RX'],
  ['reimport', 'RM'],
  ['reimports', 'RM'],
  ['domesticexport', 'DX'],
  ['foreignimport', 'FM'],
]);

/**
 * Flows already read, by cell text: a file repeats two or three spellings over millions of rows,
 * and the regular expressions below cost the reader thread about 1 s of a 1,000,000-row
 * Comtrade load (issue 22).
 */
const readFlows = new BoundedCache<string, string | null>(1024);

/** @example normalizeFlow('Re-Export') // 'RX' */
export function normalizeFlow(raw: string): string | null {
  return readFlows.get(raw, readFlow);
}

function readFlow(raw: string): string | null {
  const text = raw.trim().replace(/^(\d)\.0+$/, '$1');
  const upper = text.toUpperCase();
  if (FLOW_CODES.has(upper)) return upper;
  return FLOW_NAMES.get(text.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? null;
}
