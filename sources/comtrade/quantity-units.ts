/**
 * UN Comtrade's quantity units (DOMAIN.md §1.2; the Comtrade+ reference list QuantityUnits,
 * ../shared/data/comtrade-reference/comtrade_qtyunit.csv): code, abbreviation, description.
 *
 * Files give a unit three ways: Comtrade+ answers give the code and the abbreviation
 * (`8`, `kg`), its bulk files the code alone, and the legacy API and downloads the code and a
 * description (`8`, `Weight in kilograms`). The warehouse keeps the code and the abbreviation,
 * so a quantity reads the same whichever layout it came in. The legacy list used code 1 for
 * "No Quantity", which Comtrade+ writes -1 (it has no code 1); codes 2 to 13 are the same
 * units in both lists, and a legacy description is checked against the code before its
 * abbreviation is taken.
 */

/** The "no quantity" code of Comtrade+; the legacy list wrote 1. */
export const NO_QUANTITY = '-1';

const UNITS: ReadonlyMap<string, readonly [abbreviation: string, description: string]> = new Map([
  ['2', ['m²', 'Area in square meters']],
  ['3', ['1000 kWh', 'Electrical energy in thousands of kilowatt-hours']],
  ['4', ['m', 'Length in meters']],
  ['5', ['u', 'Number of items']],
  ['6', ['2u', 'Number of pairs']],
  ['7', ['l', 'Volume in liters']],
  ['8', ['kg', 'Weight in kilograms']],
  ['9', ['1000u', 'Thousand of items']],
  ['10', ['U (jeu/pack)', 'Number of packages']],
  ['11', ['12u', 'Dozen of items']],
  ['12', ['m³', 'Volume in cubic meters']],
  ['13', ['carat', 'Weight in carats']],
  ['14', ['km', 'Length in Kilometers']],
  ['15', ['g', 'Weight in grams']],
  ['16', ['hive', 'Beehive']],
  ['17', ['1000 m³', 'Volume in thousand cubic meters']],
  ['18', ['TJ', 'Terajoule (gross calorific value)']],
  ['19', ['BBL', 'Barrels']],
  ['20', ['1000 L', 'Volume in thousands of liters']],
  ['21', ['1000 KG', 'Weight in thousand of kilograms']],
  ['22', ['kWH', 'Electrical energy in kilowatt-hours']],
  ['23', ['l alc 100%', 'Litre pure (100 %) alcohol - l alc. 100%']],
  ['24', ['head', 'Head']],
  ['25', ['kg/net eda', 'Kilogram drained net weight']],
  ['26', ['kg C5H14ClNO', 'Kilogram of choline chloride']],
  ['27', ['kg P2O5', 'Kilogram of diphosphorus pentaoxide']],
  ['28', ['kg H2O2', 'Kilogram of hydrogen peroxide']],
  ['29', ['kg met.am.', 'Kilogram of methylamines']],
  ['30', ['kg N', 'Kilogram of nitrogen']],
  ['31', ['kg KOH', 'Kilogram of potassium hydroxide (caustic potash)']],
  ['32', ['kg K2O', 'Kilogram of potassium oxide']],
  ['33', ['kg NaOH', 'Kilogram of sodium hydroxide (caustic soda)']],
  ['34', ['kg 90% sdt', 'Kilogram of substance 90 % dry']],
  ['35', ['kg U', 'Kilogram of uranium']],
  ['36', ['ct/l', 'Carrying capacity in tonnes']],
  ['37', ['Bq', 'Becquerels']],
  ['38', ['gi F/S', 'Gram of fissile isotopes']],
  ['39', ['GRT', 'Gross register ton']],
  ['40', ['GT', 'Gross tonnage']],
  ['41', ['ce/el', 'Number of cells/elements']],
]);

/** Descriptions folded so that the legacy spellings ("square metres", "Thousands of items") match. */
const foldDescription = (text: string) =>
  text
    .toLowerCase()
    .replace(/metres/g, 'meters')
    .replace(/litres/g, 'liters')
    .replace(/thousands of items/g, 'thousand of items')
    .replace(/[^a-z0-9]+/g, '');

const NO_QUANTITY_WORDS = new Set(['noquantity', 'na', 'notavailableornotspecifiedornoquantity']);

export interface QuantityUnit {
  /** The Comtrade+ code, `-1` for no quantity; null when the file gives none. */
  readonly code: string | null;
  /** The abbreviation (`kg`); null for no quantity or when the file's words cannot be checked. */
  readonly unit: string | null;
}

/**
 * The unit of a row, in Comtrade+ terms, from what the file gives: a code, an abbreviation
 * (Comtrade+), a description (legacy), or some of them.
 *
 * @example
 * quantityUnit('8', null, 'Weight in kilograms') // { code: '8', unit: 'kg' }
 * quantityUnit('1', null, 'No Quantity')         // { code: '-1', unit: null }
 * quantityUnit('8', null, null)                  // { code: '8', unit: 'kg' } (a bulk file)
 */
export function quantityUnit(
  code: string | null,
  abbreviation: string | null,
  description: string | null,
): QuantityUnit {
  const saysNone = description !== null && NO_QUANTITY_WORDS.has(foldDescription(description));
  if (code === NO_QUANTITY || code === '1' || (code === null && saysNone))
    return { code: NO_QUANTITY, unit: null };
  if (abbreviation !== null) return { code, unit: abbreviation };
  const known = code === null ? undefined : UNITS.get(code);
  if (known === undefined) return { code, unit: description };
  // A description that names another unit than the code's: keep the file's words, take nothing on trust.
  if (description !== null && foldDescription(description) !== foldDescription(known[1]))
    return { code, unit: description };
  return { code, unit: known[0] };
}
