/**
 * SVG read back as XML text, for the chart tests: a small tag-balance checker stands in for a
 * parser (there is no DOM in Node), and the marks' data attributes are read back.
 */

const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const textOfXml = (t: string) =>
  t.replace(ENTITY, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);

/**
 * Throws unless `svg` is one well-formed element: every tag closed in order, attributes quoted,
 * no raw `<` or `&` in text or attribute values. Returns the element names in document order.
 */
export function checkWellFormed(svg: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt === -1 ? svg.length : lt);
    if (text.replace(ENTITY, '').includes('&')) throw new Error(`Raw & in text: ${text}`);
    if (text.includes('>')) throw new Error(`Raw > in text: ${text}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (m === null) throw new Error(`Malformed tag at ${lt}: ${svg.slice(lt, lt + 80)}`);
    const [whole, closing, name, attributes, selfClosing] = m;
    if (attributes!.replace(ENTITY, '').includes('&')) throw new Error(`Raw & in attributes of <${name}>`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`);
      if (open.length === 0 && lt + whole.length !== svg.length) throw new Error('Content after the root');
    } else {
      if (names.length > 0 && open.length === 0) throw new Error('A second root element');
      names.push(name!);
      if (!selfClosing) open.push(name!);
    }
    i = lt + whole.length;
  }
  if (open.length > 0) throw new Error(`Unclosed: ${open.join(' ')}`);
  return names;
}

interface Mark {
  readonly shape: string;
  readonly series: string;
  readonly category: string;
  readonly value: number;
  readonly title: string;
}

export function marksOf(svg: string): Mark[] {
  const found: Mark[] = [];
  const mark = /<(rect|circle)([^>]*class="mark"[^>]*)><title>([^<]*)<\/title><\/\1>/g;
  for (const m of svg.matchAll(mark)) {
    const attribute = (name: string) => textOfXml(new RegExp(` ${name}="([^"]*)"`).exec(m[2]!)![1]!);
    found.push({
      shape: m[1]!,
      series: attribute('data-series'),
      category: attribute('data-category'),
      value: Number(attribute('data-value')),
      title: textOfXml(m[3]!),
    });
  }
  return found;
}
