/**
 * Small pieces for reading the XML that XLSX parts are made of without a general XML parser:
 * decoding text, reading a tag's attributes, and cutting a stream of text into pieces that hold
 * only whole elements. The sheet reader (sheet-xml-rows.ts) scans with these; a SAX parser
 * builds an event object for every tag and text node, which is most of exceljs's parse time.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character and entity references decoded; text without `&` is returned as it is. */
export function decodeXmlText(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(
    ENTITY,
    (_whole, hex: string | undefined, decimal: string | undefined, name?: string) => {
      if (name !== undefined) return NAMED[name]!;
      return String.fromCodePoint(hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal));
    },
  );
}

/**
 * Office's own escape for characters XML cannot hold (`_x000D_` for a carriage return), used in
 * string items. Decoded as exceljs decodes them, so both readers give the same text.
 */
export function decodeOfficeEscapes(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(/_x([0-9A-F]{4})_/g, (_whole, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** A tag's attributes by name (prefix included, values decoded). For small parts, not per cell. */
export function tagAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(ATTRIBUTE)) {
    attributes.set(match[1]!, decodeXmlText(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/** Every start or empty tag of that local name in a small document, any namespace prefix. */
export function tagsNamed(xml: string, localName: string): Map<string, string>[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${localName}(?=[\\s/>])[^>]*>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => tagAttributes(match[0]));
}

/** The namespace prefix (`x:`) with which a document writes its root element, or ''. */
export function rootPrefix(head: string, localName: string): string | null {
  const match = new RegExp(`<([\\w.-]+:)?${localName}[\\s>]`).exec(head);
  return match === null ? null : (match[1] ?? '');
}

/**
 * The longest element `wholeElements` carries while it waits for the element's end: a cell
 * holds at most 32,767 characters, so a real row or string item is far shorter, and a part that
 * never closes one (a decompression bomb of repeated bytes) is stopped here, not in memory.
 */
export const MAX_ELEMENT_CHARS = 32 * 1024 * 1024;

/**
 * A part's text in pieces that each end just after a `closing` tag, so no element named by it
 * is cut in two; whatever follows the last one is carried into the next piece, and the final
 * piece holds the rest of the document. Memory holds one chunk of the stream plus one element.
 * Only the new text (and the few characters before it a tag could start in) is searched, so an
 * element spread over many chunks costs no more than one pass over it.
 */
export async function* wholeElements(
  bytes: Readable,
  closing: string,
  maxElementChars: number = MAX_ELEMENT_CHARS,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const overlap = closing.length - 1;
  let carried: string[] = [];
  let carriedLength = 0;
  // The last `overlap` characters carried: a closing tag may start in them and end in the next chunk.
  let tail = '';
  for await (const chunk of bytes) {
    const fresh = decoder.write(chunk as Buffer);
    const window = tail + fresh;
    const hit = window.lastIndexOf(closing);
    if (hit < 0) {
      carried.push(fresh);
      carriedLength += fresh.length;
      if (carriedLength > maxElementChars) {
        throw new Error(
          `an XML element runs over ${maxElementChars} characters without its ${closing}: no workbook holds one that long`,
        );
      }
      tail = overlap > 0 ? window.slice(-overlap) : '';
      continue;
    }
    const cut = hit + closing.length - tail.length;
    const piece = carried.join('') + fresh.slice(0, cut);
    const rest = fresh.slice(cut);
    carried = [rest];
    carriedLength = rest.length;
    tail = overlap > 0 ? rest.slice(-overlap) : '';
    yield piece;
  }
  const rest = carried.join('') + decoder.end();
  if (rest !== '') yield rest;
}
