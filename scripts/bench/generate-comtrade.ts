/**
 * Comtrade+ (API v1) rows, in the camelCase layout of the bundled sample, for the CSV and the
 * XLSX input alike. Several reporters, both flows, five years, every partner and HS2017
 * subheading; the key (reporter, period, flow, partner, partner2, classification, cmdCode,
 * motCode, customsCode) is unique by construction: each (reporter, year, flow) takes a sorted
 * sample of distinct (partner, product) pairs, and everything else in the key is constant.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { apportion, csvCell, mulberry32, selectSorted, skewedMilli } from '../shared/prng.ts';
import type { CodePools, Country } from './reference-codes.ts';

/** How a column is typed: in the XLSX cell, in the sqlite3 comparison table, in CSV text. */
export type ColumnKind = 'text' | 'int' | 'milli' | 'bool';

/** A cell: text, integer, amount in thousandths (for `milli` columns), flag, or empty. */
export type Cell = string | number | boolean | null;

// biome-ignore format: four columns a line reads like the header; one a line would be 47 lines.
export const COMTRADE_COLUMNS: readonly (readonly [string, ColumnKind])[] = [
  ['typeCode', 'text'], ['freqCode', 'text'], ['refPeriodId', 'int'], ['refYear', 'int'],
  ['refMonth', 'int'], ['period', 'int'], ['reporterCode', 'int'], ['reporterISO', 'text'],
  ['reporterDesc', 'text'], ['flowCode', 'text'], ['flowDesc', 'text'], ['partnerCode', 'int'],
  ['partnerISO', 'text'], ['partnerDesc', 'text'], ['partner2Code', 'int'], ['partner2ISO', 'text'],
  ['partner2Desc', 'text'], ['classificationCode', 'text'], ['classificationSearchCode', 'text'],
  ['isOriginalClassification', 'bool'], ['cmdCode', 'text'], ['cmdDesc', 'text'], ['aggrLevel', 'int'],
  ['isLeaf', 'bool'], ['customsCode', 'text'], ['customsDesc', 'text'], ['mosCode', 'int'],
  ['motCode', 'int'], ['motDesc', 'text'], ['qtyUnitCode', 'int'], ['qtyUnitAbbr', 'text'],
  ['qty', 'milli'], ['isQtyEstimated', 'bool'], ['altQtyUnitCode', 'int'], ['altQtyUnitAbbr', 'text'],
  ['altQty', 'milli'], ['isAltQtyEstimated', 'bool'], ['netWgt', 'milli'], ['isNetWgtEstimated', 'bool'],
  ['grossWgt', 'milli'], ['isGrossWgtEstimated', 'bool'], ['cifvalue', 'milli'], ['fobvalue', 'milli'],
  ['primaryValue', 'milli'], ['legacyEstimationFlag', 'int'], ['isReported', 'bool'], ['isAggregate', 'bool'],
];

export const COMTRADE_HEADER = COMTRADE_COLUMNS.map(([name]) => name);

/** Reporters of the extract: the project's own corridor and large traders around it. */
const REPORTERS = ['PAK', 'KAZ', 'CHN', 'DEU', 'USA', 'IND', 'BRA', 'TUR', 'UZB', 'FRA'];
const YEARS = [2019, 2020, 2021, 2022, 2023];
const FLOWS = [
  ['M', 'Import'],
  ['X', 'Export'],
] as const;
const WORLD: Country = { code: 0, iso3: 'W00', iso2: '', name: 'World' };

/** Yields the rows in the order of the API's output: reporter, year, flow, partner, product. */
export function* comtradeRows(total: number, pools: CodePools): Generator<Cell[]> {
  const reporters = REPORTERS.map((iso3) => pools.countries.find((c) => c.iso3 === iso3)).filter(
    (c): c is Country => c !== undefined,
  );
  const { products } = pools;
  const combos = reporters.length * YEARS.length * FLOWS.length;
  const perCombo = apportion(total, new Array<number>(combos).fill(1));
  const space = pools.countries.length * products.length;
  if (perCombo[0]! > space / 2)
    throw new Error(
      `Cannot draw ${total} distinct Comtrade rows from ${products.length} products (${pools.hsSource}); put the HS2017 list in ../shared/data/hs/ or use --quick.`,
    );
  const rng = mulberry32(0xc0ffee);
  let combo = 0;
  for (const reporter of reporters) {
    const partners = [WORLD, ...pools.countries.filter((c) => c.iso3 !== reporter.iso3)];
    for (const year of YEARS) {
      for (const [flow, flowDesc] of FLOWS) {
        const picked: number[] = [];
        selectSorted(rng, partners.length * products.length, perCombo[combo++]!, (i) => picked.push(i));
        for (const index of picked) {
          const partner = partners[Math.floor(index / products.length)]!;
          const product = products[index % products.length]!;
          const value = skewedMilli(rng, 5e12);
          // About 3 % of rows report no weight, with the unit code -1 the API uses for that.
          const weighed = rng() >= 0.03;
          const weight = weighed ? 1 + Math.floor(value * rng()) : null;
          // biome-ignore format: grouped as the header is, so a cell is easy to find by position.
          yield [
            'C', 'A', year * 10000 + 101, year, 52, year,
            reporter.code, reporter.iso3, reporter.name, flow, flowDesc,
            partner.code, partner.iso3, partner.name, 0, 'W00', 'World',
            'H5', 'HS', true, product.code, product.description, 6, true,
            'C00', 'TOTAL CPC', 0, 0, 'TOTAL MOT',
            weighed ? 8 : -1, weighed ? 'kg' : 'N/A', weight, false,
            -1, 'N/A', null, false, weight, false, null, false,
            flow === 'M' ? value : null, flow === 'X' ? value : null, value,
            0, true, false,
          ];
        }
      }
    }
  }
}

/** Thousandths with up to 3 decimals, trailing zeros trimmed, as the API writes amounts. */
function upTo3(milli: number): string {
  const frac = milli % 1000;
  const whole = (milli - frac) / 1000;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

const KINDS = COMTRADE_COLUMNS.map(([, kind]) => kind);

function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c]!;
    const text =
      cell === null
        ? ''
        : typeof cell === 'boolean'
          ? cell
            ? 'True'
            : 'False'
          : KINDS[c] === 'milli'
            ? upTo3(cell as number)
            : csvCell(String(cell));
    line += c === 0 ? text : `,${text}`;
  }
  return `${line}\n`;
}

/** Writes the Comtrade CSV; returns the number of data rows. */
export function writeComtradeCsv(path: string, rows: number, pools: CodePools): number {
  const fd = openSync(path, 'w');
  let batch: string[] = [`${COMTRADE_HEADER.join(',')}\n`];
  let written = 0;
  for (const cells of comtradeRows(rows, pools)) {
    batch.push(csvLine(cells));
    if (++written % 16_384 === 0) {
      writeSync(fd, batch.join(''));
      batch = [];
    }
  }
  writeSync(fd, batch.join(''));
  closeSync(fd);
  return written;
}
