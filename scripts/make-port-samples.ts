/**
 * Writes the Karachi (KPT) and Port Qasim (PQA) sample workbooks in sources/port-table/samples/,
 * in the shape the two authorities publish: a title, the unit on its own line, a two-row header
 * (the fiscal year over its months, Jul … Jun), one row per commodity and direction, closing
 * subtotals and a grand total; PQA's as year-to-date (cumulative) figures.
 *
 * The year totals are the published ones where DOMAIN.md §7 has them (KPT tonnes FY2021-22,
 * FY2022-23, FY2023-24 with FY2023-24's dry/liquid and import/export split; KPT TEU FY2021-22
 * and FY2022-23; PQA Jul–Mar FY2022-23 containerised tonnes and TEU). Everything else, the
 * commodity split and the months, is illustrative, and each title says so. Figures are whole
 * tenths of a thousand tonnes, split by largest remainder, so every subtotal adds up exactly.
 *
 *   npx tsx scripts/make-port-samples.ts
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'sources', 'port-table', 'samples');
const MONTHS = ['Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];
/** An illustrative seasonal profile of a Pakistani port's fiscal year. */
const SEASON = [8.0, 8.3, 8.1, 8.4, 8.6, 8.9, 8.5, 7.9, 8.7, 8.2, 8.0, 8.4];

/** Splits `total` units into parts proportional to `weights`, exactly (largest remainder). */
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left === 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

interface Line {
  readonly commodity: string;
  readonly direction: 'Import' | 'Export';
  /** Share of its group's year total, or the year total in tenths when `fixed`. */
  readonly weight: number;
}

interface Group {
  readonly subtotal: string;
  /** The group's year total, in the sheet's units times its scale (tenths of '000 t; whole TEU). */
  readonly tenths: number;
  readonly lines: readonly Line[];
}

/** KPT FY2023-24 as published: dry 40.24 Mt, liquid 11.41 Mt; imports 32.85, exports 18.80. */
const KPT_DRY: readonly Line[] = [
  { commodity: 'Wheat', direction: 'Import', weight: 3200 },
  { commodity: 'Fertiliser (Urea)', direction: 'Import', weight: 1100 },
  { commodity: 'Coal', direction: 'Import', weight: 4300 },
  { commodity: 'Steel products', direction: 'Import', weight: 2600 },
  { commodity: 'Containerised cargo', direction: 'Import', weight: 10740 },
  { commodity: 'Rice', direction: 'Export', weight: 3900 },
  { commodity: 'Clinker', direction: 'Export', weight: 2100 },
  { commodity: 'Cement', direction: 'Export', weight: 1400 },
  { commodity: 'Containerised cargo', direction: 'Export', weight: 10900 },
];
const KPT_LIQUID: readonly Line[] = [
  { commodity: 'POL products', direction: 'Import', weight: 8900 },
  { commodity: 'Crude oil', direction: 'Import', weight: 1400 },
  { commodity: 'Edible oil', direction: 'Import', weight: 610 },
  { commodity: 'Molasses', direction: 'Export', weight: 500 },
];

/** One sheet: title lines, the unit line, the two-row header and the rows, monthly or year-to-date. */
function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  titles: readonly string[],
  unit: string,
  fiscalYear: string,
  groups: readonly Group[],
  months: number,
  cumulative: boolean,
  /** Units per shown unit: 10 for tonnage in tenths, 1 for whole TEU. */
  scale: number,
): void {
  const sheet = workbook.addWorksheet(name);
  for (const title of titles) sheet.addRow([title]);
  sheet.addRow([unit]);
  sheet.addRow([]);
  const heading = sheet.addRow([
    'Commodity',
    'Direction',
    fiscalYear,
    ...Array(months - 1).fill(null),
    'Total',
  ]);
  sheet.mergeCells(heading.number, 3, heading.number, 2 + months);
  sheet.addRow([null, null, ...MONTHS.slice(0, months), null]);
  const season = SEASON.slice(0, months);
  const asShown = (tenths: readonly number[]) => {
    let running = 0;
    return tenths.map((t) => {
      running += t;
      return (cumulative ? running : t) / scale;
    });
  };
  const grand = Array(months).fill(0) as number[];
  for (const group of groups) {
    const lineTotals = split(
      group.tenths,
      group.lines.map((l) => l.weight),
    );
    const groupMonths = Array(months).fill(0) as number[];
    group.lines.forEach((line, i) => {
      const monthly = split(lineTotals[i]!, season);
      monthly.forEach((t, m) => {
        groupMonths[m]! += t;
        grand[m]! += t;
      });
      sheet.addRow([line.commodity, line.direction, ...asShown(monthly), lineTotals[i]! / scale]);
    });
    sheet.addRow([group.subtotal, null, ...asShown(groupMonths), group.tenths / scale]);
  }
  if (groups.length > 1)
    sheet.addRow(['Grand total', null, ...asShown(grand), grand.reduce((a, b) => a + b, 0) / scale]);
  sheet.getColumn(1).width = 26;
}

async function kpt(
  fiscalYear: string,
  tonnesTenths: number,
  teu: number | null,
  published: string,
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  // FY2023-24's published split into dry and liquid; other years share it, illustratively.
  const dry = Math.round((tonnesTenths * 40_240) / 51_650);
  addSheet(
    workbook,
    'Cargo',
    [
      `Karachi Port Trust: cargo handled by commodity, FY ${fiscalYear}`,
      `Year total as published (${published}); the split by commodity and month is ILLUSTRATIVE.`,
    ],
    "('000 tonnes)",
    fiscalYear,
    [
      { subtotal: 'Total dry cargo', tenths: dry, lines: KPT_DRY },
      { subtotal: 'Total liquid cargo', tenths: tonnesTenths - dry, lines: KPT_LIQUID },
    ],
    12,
    false,
    10,
  );
  if (teu !== null) {
    addSheet(
      workbook,
      'Containers',
      [
        `Karachi Port Trust: containers handled, FY ${fiscalYear}`,
        'Year total as published; the split by direction and month is ILLUSTRATIVE.',
      ],
      '(TEU)',
      fiscalYear,
      [
        {
          subtotal: 'Total containers',
          tenths: teu,
          lines: [
            { commodity: 'Containers', direction: 'Import', weight: 1 },
            { commodity: 'Containers', direction: 'Export', weight: 1 },
          ],
        },
      ],
      12,
      false,
      1,
    );
  }
  await workbook.xlsx.writeFile(join(OUT, `kpt_cargo_handled_FY${fiscalYear}_illustrative.xlsx`));
}

async function pqa(
  fiscalYear: string,
  months: number,
  containerisedTenths: number,
  teu: number,
  note: string,
) {
  const workbook = new ExcelJS.Workbook();
  const through = MONTHS[months - 1]!;
  addSheet(
    workbook,
    'Cargo',
    [
      `Port Qasim Authority: cargo handled, July-${through} FY ${fiscalYear}, cumulative (year to date)`,
      note,
    ],
    "('000 tonnes)",
    fiscalYear,
    [
      {
        subtotal: 'Total liquid cargo',
        tenths: Math.round(containerisedTenths * 1.35),
        lines: [
          { commodity: 'POL products', direction: 'Import', weight: 6 },
          { commodity: 'LNG', direction: 'Import', weight: 3 },
          { commodity: 'Edible oil', direction: 'Import', weight: 1 },
        ],
      },
      {
        subtotal: 'Total dry cargo',
        tenths: Math.round(containerisedTenths * 1.6),
        lines: [
          { commodity: 'Coal', direction: 'Import', weight: 5 },
          { commodity: 'Wheat', direction: 'Import', weight: 2 },
          { commodity: 'Fertiliser', direction: 'Import', weight: 1 },
          { commodity: 'Clinker', direction: 'Export', weight: 1 },
        ],
      },
      {
        subtotal: 'Total containerised cargo',
        tenths: containerisedTenths,
        lines: [
          { commodity: 'Containerised cargo', direction: 'Import', weight: 55 },
          { commodity: 'Containerised cargo', direction: 'Export', weight: 45 },
        ],
      },
    ],
    months,
    true,
    10,
  );
  addSheet(
    workbook,
    'Containers',
    [
      `Port Qasim Authority: containers handled, July-${through} FY ${fiscalYear}, cumulative (year to date)`,
      note,
    ],
    '(TEU)',
    fiscalYear,
    [
      {
        subtotal: 'Total containers',
        tenths: teu,
        lines: [
          { commodity: 'Containers', direction: 'Import', weight: 1 },
          { commodity: 'Containers', direction: 'Export', weight: 1 },
        ],
      },
    ],
    months,
    true,
    1,
  );
  await workbook.xlsx.writeFile(
    join(OUT, `pqa_cargo_handled_FY${fiscalYear}_Jul-${through}_illustrative.xlsx`),
  );
}

mkdirSync(OUT, { recursive: true });
await kpt('2021-22', 517_100, 2_210_000, 'KPT, 51.71 Mt and 2.21 M TEU');
await kpt('2022-23', 418_500, 1_930_000, 'KPT, 41.85 Mt and 1.93 M TEU');
await kpt('2023-24', 516_500, null, 'KPT, 51.65 Mt: dry 40.24, liquid 11.41');
await pqa('2021-22', 12, 88_000, 720_000, 'All figures ILLUSTRATIVE.');
await pqa(
  '2022-23',
  9,
  91_100,
  750_000,
  'Containerised total and TEU as published for July-March (9.11 Mt, 0.75 M TEU); the rest is ILLUSTRATIVE.',
);
await pqa('2023-24', 12, 120_000, 1_000_000, 'All figures ILLUSTRATIVE.');
console.log(`Wrote the KPT and PQA samples to ${OUT}`);
