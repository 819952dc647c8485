/**
 * HTML built only through the `html` tagged template: every interpolated value is escaped
 * unless it is already Html (made by `html` itself, or by `trustedHtml` for markup Corridor
 * generated, such as an SVG chart whose text the chart renderer escaped). A country named
 * `<script>` in the data is text on every page because no page concatenates strings.
 */

const SAFE = Symbol('corridor.html');

export interface Html {
  readonly [SAFE]: true;
  readonly text: string;
}

const make = (text: string): Html => ({ [SAFE]: true, text });

const isHtml = (value: unknown): value is Html =>
  typeof value === 'object' && value !== null && (value as Partial<Html>)[SAFE] === true;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** One interpolated value: Html as is, arrays joined, null/undefined/false as nothing, the rest escaped. */
function part(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (typeof value === 'bigint' || typeof value === 'number') return escapeHtml(String(value));
  return escapeHtml(String(value));
}

/** html`<td>${name}</td>`: the strings are markup, the values are escaped. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += part(values[i]) + strings[i + 1]!;
  return make(text);
}

/** Markup Corridor produced and escaped itself (an SVG from src/chart). Never data. */
export const trustedHtml = (text: string): Html => make(text);
