/**
 * The trade flow a text names: "Geographic distribution of exports of goods", "Импорт товаров",
 * "Экспорт по странам", "eksport", "вывоз". Bureaus state a table's flow once, in its title or
 * sheet name, in Russian, Kazakh, Kyrgyz, Uzbek (Latin or Cyrillic) or English; the figures
 * below carry no flow of their own, so a table read without it would load imports as exports.
 *
 * Words are matched on stems so that inflections count ("экспорта", "экспортунун", "импорту",
 * "exports", "exported"); re-exports and re-imports are their own flows. A title that names both
 * ("Экспорт и импорт") names two flows, which the caller treats as not saying which.
 */

export type StatedFlow = 'X' | 'M' | 'RX' | 'RM' | 'DX';

interface FlowWord {
  readonly flow: StatedFlow;
  /** Matched case-insensitively against the text, with Unicode letters as word characters. */
  readonly pattern: RegExp;
}

// A stem must start a word: "экспорт" in "реэкспорт" is a re-export, "import" in "important" is
// kept out by the letters after it.
const START = '(?<![\\p{L}\\p{N}])';
/**
 * Endings that make a flow's stem a trader, not a flow: Russian "экспортёр", "импортеры", Uzbek
 * "eksportchi", "importyor", Kazakh "экспорттаушы"; and English "important", "importance".
 */
const NOT_A_FLOW = '(?!(?:[её]р|chi|yor|таушы|тауш|ant|anc|er(?!\\p{L})|ers))';

const WORDS: readonly FlowWord[] = [
  // Re-flows and domestic exports first: their words contain the plain ones.
  {
    flow: 'RX',
    pattern: new RegExp(`${START}(?:re-?\\s?exports?|реэкспорт\\p{L}*|re-?eksport\\p{L}*)`, 'iu'),
  },
  { flow: 'RM', pattern: new RegExp(`${START}(?:re-?\\s?imports?|реимпорт\\p{L}*|re-?import\\p{L}*)`, 'iu') },
  // Hong Kong and Singapore publish domestic exports (X less re-exports) as a flow of their own.
  { flow: 'DX', pattern: new RegExp(`${START}domestic\\s+exports?(?![\\p{L}])`, 'iu') },
  {
    flow: 'X',
    // English, Russian/Kazakh/Kyrgyz/Uzbek Cyrillic "экспорт…", Uzbek Latin "eksport…", Russian "вывоз".
    pattern: new RegExp(
      `${START}(?:exports?(?![\\p{L}])|exported|exporting|экспорт${NOT_A_FLOW}\\p{L}*|eksport${NOT_A_FLOW}\\p{L}*|вывоз\\p{L}*)`,
      'iu',
    ),
  },
  {
    flow: 'M',
    // English "import(s)", Uzbek Latin "importi", "importlar", "importlangan": one stem.
    pattern: new RegExp(
      `${START}(?:импорт${NOT_A_FLOW}\\p{L}*|import${NOT_A_FLOW}\\p{L}*|ввоз\\p{L}*)`,
      'iu',
    ),
  },
];

/**
 * A re-flow named only to say whether it is counted ("Exports, including re-exports",
 * "Экспорт (без учета реэкспорта)") is not the table's flow: such phrases are read past.
 */
const COUNTED_IN =
  /(?:including|excluding|incl\.?|excl\.?|with|without|включая|без\s+уч[её]та|в\s+том\s+числе|кроме|shu\s+jumladan)\s+(?:re-?\s?exports?|re-?\s?imports?|реэкспорт\p{L}*|реимпорт\p{L}*|re-?eksport\p{L}*)/giu;

/**
 * The flows a text names, in the order of WORDS; empty when it names none. A re-export title
 * ("Re-exports of goods") names RX only, not X.
 *
 * @example
 * flowsNamed('Geographic distribution of imports of goods'); // ['M']
 * flowsNamed('за январь-декабрь 2021 года');                   // []
 * flowsNamed('Экспорт и импорт');                               // ['X', 'M']
 */
export function flowsNamed(text: string): StatedFlow[] {
  let rest = text.normalize('NFC').replace(COUNTED_IN, ' ');
  const found: StatedFlow[] = [];
  for (const word of WORDS) {
    const global = new RegExp(word.pattern.source, 'giu');
    if (global.test(rest)) {
      found.push(word.flow);
      // Take re-flow words out so that "re-exports" does not also read as "exports".
      rest = rest.replace(new RegExp(word.pattern.source, 'giu'), ' ');
    }
  }
  return found;
}

/** The flow as users write it in messages. */
export const FLOW_NAMES: Readonly<Record<StatedFlow, string>> = {
  DX: 'domestic exports',
  X: 'exports',
  M: 'imports',
  RX: 're-exports',
  RM: 're-imports',
};
