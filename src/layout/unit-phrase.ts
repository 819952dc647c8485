/**
 * The unit a table states in words: "тыс. долларов США" in a title, "US$ '000" or
 * "Cargo ('000 tonnes)" in a header cell. Tables made for people give the unit once, in prose,
 * and a figure read without it is off by a thousand; so the layout toolkit looks for a unit
 * phrase in titles and headers and scales figures to one canonical unit per dimension.
 * A phrase is a base unit ("US dollars", "tonnes", "TEU") with an optional scale word before or
 * after it ("thousand", "'000", "млн", "миң"); only whole words match, so "Most" is not MT.
 */

export type UnitDimension = 'value' | 'mass' | 'containers' | 'count';

export interface UnitReading {
  /** Canonical unit: 'USD' | 't' | 'kg' | 'TEU' | 'boxes' | 'calls' | 'units'. */
  readonly unit: string;
  readonly dimension: UnitDimension;
  /** Factor that turns a figure in the phrase's unit into the canonical unit (thousand tonnes → t: 1000). */
  readonly multiplier: number;
  /** The text that matched, as written. */
  readonly phrase: string;
}

interface Scale {
  readonly multiplier: number;
  /** Regex source; alternatives that share a prefix come longest first. */
  readonly pattern: string;
}

interface BaseUnit {
  readonly unit: string;
  readonly dimension: UnitDimension;
  /** Regex source, matched case-insensitively as a whole word. */
  readonly pattern: string;
  /** Too short to stand alone ("$", "t", "т"): matched only with a scale, as in "тыс. т" or "$'000". */
  readonly needsScale?: boolean;
  /** Rejects spellings the case-insensitive pattern lets through ("Mt" is megatonnes, "NOS" is "not otherwise specified"). */
  readonly accepts?: (written: string) => boolean;
}

// A number written before "000" ("12 000 tonnes") is a quantity, not the scale "'000".
const NOT_AFTER_DIGITS = "(?<!\\d[\\s,.'’‘]?)";

const SCALES: readonly Scale[] = [
  {
    multiplier: 1e3,
    pattern: [
      'thousands?(?:\\s+of)?',
      "['’‘`]000",
      `${NOT_AFTER_DIGITS}1[\\s,.]?000(?![\\s,.]?\\d)`,
      `${NOT_AFTER_DIGITS}000(?![\\s,.]?\\d)`,
      'тысяч[аи]?\\.?',
      'тыс\\.?',
      // Kyrgyz миң, Kazakh мың, Uzbek минг / ming.
      'миң',
      'мың',
      'минг',
      'ming',
    ].join('|'),
  },
  {
    multiplier: 1e6,
    pattern: [
      'millions?(?:\\s+of)?',
      'mln\\.?',
      'mn\\.?',
      'mio\\.?',
      "['’‘]000\\s?000",
      `${NOT_AFTER_DIGITS}1[\\s,.]?000[\\s,.]?000(?![\\s,.]?\\d)`,
      'млн\\.?',
      'миллион(?:ов|а)?',
    ].join('|'),
  },
  {
    multiplier: 1e9,
    pattern: ['billions?(?:\\s+of)?', 'bn\\.?', 'bln\\.?', 'млрд\\.?', 'миллиард(?:ов|а)?'].join('|'),
  },
];

const BASES: readonly BaseUnit[] = [
  {
    unit: 'USD',
    dimension: 'value',
    pattern: [
      'U\\.?\\s?S\\.?\\s?\\$',
      'USD',
      '(?:U\\.?\\s?S\\.?|United\\s+States)\\s+dollars?',
      // долларов США, долл. США, дол. США.
      'долл(?:ар(?:ов|а|ы)?)?\\.?\\s*США',
      'дол\\.\\s*США',
      // Kyrgyz АКШ доллары, Kazakh АҚШ доллары, Uzbek АҚШ доллари / AQSh dollari.
      'АКШ\\s+доллар(?:лары|ы|и)?',
      'АҚШ\\s+доллар(?:лары|ы|и)?',
      'AQSh\\s+dollar(?:i)?',
    ].join('|'),
  },
  { unit: 'USD', dimension: 'value', pattern: '\\$', needsScale: true },
  {
    unit: 't',
    dimension: 'mass',
    pattern: ['metric\\s+ton(?:ne)?s?', 'tonnes?', 'tons?', 'M\\.?T\\.?', 'тонн[аы]?', 'тн\\.?'].join('|'),
    // "MT" and "mt" are metric tons; "Mt" is megatonnes.
    accepts: (written) => !/^M\.?T\.?$/i.test(written) || /^(?:MT|mt|M\.T\.?)$/.test(written),
  },
  { unit: 't', dimension: 'mass', pattern: 't|т\\.?', needsScale: true },
  {
    unit: 'kg',
    dimension: 'mass',
    pattern: ['kgs?', 'kilo(?:gram(?:me)?s?)', 'кг\\.?', 'килограмм(?:ов|а)?'].join('|'),
  },
  {
    unit: 'TEU',
    dimension: 'containers',
    // "Units" alone counts vehicles; the TEU spelled out must win over it.
    pattern: ["TEU(?:['’]?s)?", 'twenty[\\s-]foot\\s+equivalent\\s+units?', 'ДФЭ'].join('|'),
  },
  {
    unit: 'boxes',
    dimension: 'containers',
    // Not "containers" alone: "Containers (TEU)" is a TEU header.
    pattern: ['(?:number|no\\.?)\\s+of\\s+(?:boxes|containers)', 'boxes', 'nos\\.?'].join('|'),
    accepts: (written) => !/^nos\.?$/i.test(written) || /^[Nn]os\.?$/.test(written),
  },
  {
    unit: 'calls',
    dimension: 'count',
    pattern: [
      '(?:number|no\\.?)\\s+of\\s+(?:ship\\s+|vessel\\s+|port\\s+)?calls',
      '(?:ship|vessel|port)\\s+calls',
      'calls',
      // судозаходы: ship calls in Russian port statistics.
      'судозаход(?:ов|ы|а)?',
    ].join('|'),
  },
  { unit: 'units', dimension: 'count', pattern: ['units', 'pcs\\.?', 'pieces', 'штук', 'шт\\.?'].join('|') },
];

// Whole words only. A token that begins or ends with a sign ("'000", "тыс.", "US$") needs no
// boundary on that side: "тыс.т" and "US$'000" are how people write them.
const WORD_START = '(?:(?=[^\\p{L}\\p{N}])|(?<![\\p{L}\\p{N}]))';
const WORD_END = '(?:(?<=[^\\p{L}\\p{N}])|(?![\\p{L}\\p{N}]))';
const word = (pattern: string): string => `${WORD_START}(?:${pattern})${WORD_END}`;
const SPACE = '[\\s\\u00a0\\u202f]*';

const ANY_SCALE = SCALES.map((s) => s.pattern).join('|');
/** A scale, or a scale in parentheses: "Tonnes ('000)". */
const SCALE_TOKEN = `(?:\\(${SPACE}(?<pscale>${word(ANY_SCALE)})${SPACE}\\)|(?<scale>${word(ANY_SCALE)}))`;

interface Form {
  readonly base: BaseUnit;
  readonly regex: RegExp;
}

const FORMS: readonly Form[] = BASES.flatMap((base) => {
  const b = `(?<base>${word(base.pattern)})`;
  const sources = [
    `${SCALE_TOKEN}${SPACE}${b}`,
    `${b}${SPACE}${SCALE_TOKEN}`,
    // "(USD, thousand)": a comma before the scale only where the phrase ends, so that in
    // "tonnes, million USD" the million goes with the dollars.
    `${b}${SPACE},${SPACE}${SCALE_TOKEN}(?=${SPACE}(?:\\)|$))`,
  ];
  if (base.needsScale !== true) sources.push(b);
  return sources.map((source) => ({ base, regex: new RegExp(source, 'giu') }));
});

const SCALE_EXACT = SCALES.map((s) => ({
  multiplier: s.multiplier,
  regex: new RegExp(`^(?:${s.pattern})$`, 'iu'),
}));

function multiplierOf(scale: string | undefined): number | null {
  if (scale === undefined) return 1;
  return SCALE_EXACT.find((s) => s.regex.test(scale))?.multiplier ?? null;
}

// "USD/t", "US dollars per tonne", "долларов США за тонну": a price, whose figures are not
// values in US dollars; neither side of it is the unit of the table.
const RATE_AFTER = /^\s*(?:\/|per(?![\p{L}\p{N}])|за(?![\p{L}\p{N}]))/iu;
const RATE_BEFORE = /(?:\/|(?<![\p{L}\p{N}])(?:per|за))\s*$/iu;
const isRate = (before: string, after: string): boolean => RATE_BEFORE.test(before) || RATE_AFTER.test(after);

/**
 * Finds a unit phrase anywhere in a title or header cell; null when none. When several match,
 * the longest wins ("'000 TEUs" over "TEUs"), then the first. A rate ("USD/t", "US$ per TEU")
 * is not a unit of the table and is skipped.
 *
 * @example
 * findUnit('Экспорт, тыс. долларов США'); // { unit: 'USD', dimension: 'value', multiplier: 1000, phrase: 'тыс. долларов США' }
 * findUnit("Throughput ('000 TEUs)");     // { unit: 'TEU', dimension: 'containers', multiplier: 1000, phrase: "'000 TEUs" }
 * findUnit('Most traded goods');          // null
 */
/** How much of a cell is searched for a unit phrase. */
export const UNIT_TEXT_LIMIT = 4000;

export function findUnit(whole: string): UnitReading | null {
  // A unit is stated in a title, a header or a note, never deep in a huge cell; the patterns
  // cost microseconds per character, so a 50 MB cell would take minutes (fuzzing found it).
  const text = whole.length > UNIT_TEXT_LIMIT ? whole.slice(0, UNIT_TEXT_LIMIT) : whole;
  let best: { reading: UnitReading; start: number } | null = null;
  for (const { base, regex } of FORMS) {
    for (const match of text.matchAll(regex)) {
      const groups = match.groups ?? {};
      if (base.accepts !== undefined && !base.accepts(groups.base ?? '')) continue;
      const multiplier = multiplierOf(groups.scale ?? groups.pscale);
      if (multiplier === null) continue;
      const phrase = match[0];
      const start = match.index;
      if (isRate(text.slice(0, start), text.slice(start + phrase.length))) continue;
      const better =
        best === null ||
        phrase.length > best.reading.phrase.length ||
        (phrase.length === best.reading.phrase.length && start < best.start);
      if (better) {
        best = { reading: { unit: base.unit, dimension: base.dimension, multiplier, phrase }, start };
      }
    }
  }
  return best?.reading ?? null;
}

/** What describeKnownUnits lists; each example is read by findUnit as its label is (a test holds it to that). */
const DESCRIBED: readonly { readonly label: string; readonly examples: readonly string[] }[] = [
  { label: 'US dollars', examples: ['USD', 'US$', 'долларов США', 'АКШ доллары'] },
  {
    label: 'thousand US dollars',
    examples: ["US$ '000", 'USD thousand', 'тыс. долларов США', 'миң АКШ доллары', 'минг АҚШ доллари'],
  },
  { label: 'million US dollars', examples: ['USD million', 'million US$', 'mln USD', 'млн. долларов США'] },
  { label: 'billion US dollars', examples: ['USD bn', 'млрд. долларов США'] },
  { label: 'tonnes', examples: ['metric tons', 'MT', 'tons', 'тонн'] },
  { label: 'thousand tonnes', examples: ["'000 tonnes", '000 tonnes', 'тыс. тонн', 'тыс. т'] },
  { label: 'million tonnes', examples: ['mln t', 'млн. тонн'] },
  { label: 'kilograms', examples: ['kg', 'кг'] },
  { label: 'TEU', examples: ['TEUs', 'ДФЭ'] },
  { label: 'thousand TEU', examples: ["'000 TEUs", 'тыс. ДФЭ'] },
  { label: 'boxes', examples: ['number of boxes', 'number of containers', 'Nos.'] },
  { label: 'calls', examples: ['ship calls', 'vessel calls', 'судозаходов'] },
  { label: 'units', examples: ['pieces', 'pcs', 'шт.'] },
];

/**
 * One line per known unit for error messages, each with spellings that findUnit reads.
 *
 * @example
 * describeKnownUnits().split('\n')[1]; // "thousand US dollars (US$ '000, USD thousand, тыс. долларов США, …)"
 */
export function describeKnownUnits(): string {
  return DESCRIBED.map(({ label, examples }) => `${label} (${examples.join(', ')}, …)`).join('\n');
}
