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
 * A part's text in pieces that each end just after a `closing` tag, so no element named by it
 * is cut in two; whatever follows the last one is carried into the next piece, and the final
 * piece holds the rest of the document. Memory holds one chunk of the stream plus one element.
 */
export async function* wholeElements(bytes: Readable, closing: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carried = '';
  for await (const chunk of bytes) {
    const text = carried + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf(closing);
    if (cut < 0) {
      carried = text;
      continue;
    }
    const end = cut + closing.length;
    carried = text.slice(end);
    yield text.slice(0, end);
  }
  const rest = carried + decoder.end();
  if (rest !== '') yield rest;
}
