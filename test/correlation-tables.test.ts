/**
 * `corridor add-correlation` on the UN's correlation tables of every vintage: the recent
 * .xlsx tables and the older .xls ones in ../shared, and tables written here in the older
 * layouts (relationships as `'n:n`, `N:1`, `1 : n`, Excel's time for 1:1; headers "HS 2002
 * Code", "HS96", "H1"; older edition first; title, note and one-sided rows), in .xls (SheetJS,
 * BIFF8) and .xlsx (exceljs). Each is checked against the links the shipped reference holds
 * (warehouse/reference/hs/hs-correlations.csv).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  editionYearOfHeader,
  readRelationship,
  readUnCorrelationTable,
} from '../src/reference/un-correlation-table.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './helpers/shared-data.ts';
import { useTempDir } from './helpers/temp-dir.ts';

if (!HAS_SHARED_DATA) console.info(`correlation-tables.test.ts: the UN's own tables ${SKIP_REASON}`);

const tmp = useTempDir();
const dbPath = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();

let savedReference: string | undefined;
beforeEach(() => {
  warehouseAt(dbPath());
  savedReference = process.env.CORRIDOR_REFERENCE_DIR;
  const dir = join(tmp(), 'reference');
  cpSync(join(PROJECT_ROOT, 'warehouse', 'reference'), dir, { recursive: true });
  process.env.CORRIDOR_REFERENCE_DIR = dir;
});
afterEach(() => {
  if (savedReference === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
  else process.env.CORRIDOR_REFERENCE_DIR = savedReference;
});

interface Link {
  readonly newer: string;
  readonly older: string;
  readonly relationship: string;
}

/** The shipped links between `newer` and `older`, independent of Corridor's reader. */
function shippedLinks(newer: string, older: string): Link[] {
  const text = readFileSync(
    join(PROJECT_ROOT, 'warehouse', 'reference', 'hs', 'hs-correlations.csv'),
    'utf8',
  );
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true })
    .data.filter((r) => r.newer_edition === newer && r.older_edition === older)
    .map((r) => ({ newer: r.newer_code!, older: r.older_code!, relationship: r.relationship! }));
}

const asText = (links: readonly Link[]) => links.map((l) => `${l.newer} ${l.older} ${l.relationship}`).sort();

/** The links add-correlation wrote as hs/hs-correlations-<newer>-<older>.csv. */
function addedLinks(newer: string, older: string): Link[] {
  const path = join(tmp(), 'reference', 'hs', `hs-correlations-${newer}-${older}.csv`);
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data.map((r) => {
    expect([r.newer_edition, r.older_edition]).toEqual([newer, older]);
    return { newer: r.newer_code!, older: r.older_code!, relationship: r.relationship! };
  });
}

const addCorrelation = (path: string) => cli(['add-correlation', path, '--db', dbPath()]);

function writeXls(name: string, sheets: Record<string, unknown[][]>): string {
  const wb = XLSX.utils.book_new();
  for (const [sheet, rows] of Object.entries(sheets))
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), sheet);
  const path = join(tmp(), name);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  return path;
}

const turn = (r: string) => (r === '1:n' ? 'n:1' : r === 'n:1' ? '1:n' : r);

describe('cells and headers as the older tables write them', () => {
  it('reads relationships with a leading apostrophe, in capitals, with spaces, m for n, and 1:1 made a time by Excel', () => {
    const cases: [string, string | null][] = [
      ['1:1', '1:1'],
      ["'n:n", 'n:n'],
      ["'1:n", '1:n'],
      ['’n:1', 'n:1'],
      ['N:1', 'n:1'],
      [' 1 : n ', '1:n'],
      ['m:n', 'n:n'],
      ['1-n', '1:n'],
      ['1:01', '1:1'],
      ['01:01:00', '1:1'],
      ['0.0423611111', '1:1'],
      ['', null],
      ['x:y', null],
      ['2:1', null],
    ];
    expect(cases.map(([cell]) => [cell, readRelationship(cell)])).toEqual(cases);
  });

  it('reads edition headers of every vintage, and nothing else as one', () => {
    const cases: [string, number | null][] = [
      ['HS2022', 2022],
      [' HS2017', 2017],
      ['HS 2012', 2012],
      ['HS02', 2002],
      ['HS96', 1996],
      ['HS92', 1992],
      ['H1', 1996],
      ['HS 2002 Code', 2002],
      ['From HS 2007', 2007],
      ['Code HS1996', 1996],
      ['HS 1992 (6-digit)', 1992],
      ['H.S. 2002', 2002],
      ['S31988', null],
      ['Relationship', null],
      ['HS2002 to HS1996', null],
    ];
    expect(cases.map(([cell]) => [cell, editionYearOfHeader(cell)])).toEqual(cases);
  });
});

describe('tables written here in the older layouts', () => {
  it("adds HS 2002 → HS 1996 from an .xls with a title block, 'n:n relationships, codes as numbers and a note below: the shipped links, exactly", async () => {
    const shipped = shippedLinks('H2', 'H1');
    expect(shipped.length).toBe(5611);
    const path = writeXls('HS2002_to_HS1996.xls', {
      'Correlation Tables': [
        ['Correlation between HS 2002 and HS 1996'],
        ['United Nations Statistics Division'],
        [],
        ['HS 2002 Code', 'HS 1996 Code', 'Relationship'],
        // Codes as numbers lose their leading zero (10111 for 010111); relationships keep Excel's apostrophe.
        ...shipped.map((l) => [Number(l.newer), Number(l.older), `'${l.relationship}`]),
        [],
        ['Note: n:n relationships link groups of codes; see the conversion table for a one-to-one choice.'],
      ],
    });

    const run = await addCorrelation(path);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Added 5,611 links from HS 2002 \(H2\) to HS 1996 \(H1\) \(sheet "Correlation Tables"\)/,
    );
    expect(asText(addedLinks('H2', 'H1'))).toEqual(asText(shipped));
  });

  it('adds HS 2002 → HS 1996 from an .xlsx that puts the older edition first and writes relationships older:newer, turning them around', async () => {
    const shipped = shippedLinks('H2', 'H1');
    // Older:newer, in the spellings of the time: n:1 (several HS 2002 codes from one HS 1996 code) is "1 : n".
    const spelled = (r: string) => ({ '1:1': '1:1', '1:n': '1 : n', 'n:1': 'N:1', 'n:n': 'N:N' })[turn(r)]!;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Conversion HS96-HS02').addRow(['From HS96', 'To HS02']);
    const sheet = workbook.addWorksheet('HS96-HS02');
    sheet.addRow(['HS96', 'HS02', 'Relation']);
    for (const l of shipped) sheet.addRow([l.older, l.newer, spelled(l.relationship)]);
    const path = join(tmp(), 'HS1996_HS2002.xlsx');
    await workbook.xlsx.writeFile(path);

    const run = await addCorrelation(path);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'The table writes relationships older:newer; they are stored newer:older (n:1 is several H2 codes from one H1 code).',
    );
    expect(asText(addedLinks('H2', 'H1'))).toEqual(asText(shipped));
  });

  it('adds HS 1996 → HS 1992 from an .xlsx headed H1 and H0, with 1:1 made a time, passing over one-sided rows and repeated links', async () => {
    const shipped = shippedLinks('H1', 'H0');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Correlation Tables');
    sheet.addRow([]);
    sheet.addRow(['H1', 'H0', 'Relationship type']);
    for (const l of shipped) {
      const row = sheet.addRow([l.newer, l.older, l.relationship === '1:1' ? 61 / 1440 : l.relationship]);
      if (l.relationship === '1:1') row.getCell(3).numFmt = 'h:mm';
    }
    sheet.addRow(['010111', '', '']); // a code with no counterpart
    sheet.addRow(['', '010119', 'n:1']);
    const first = shipped[0]!;
    sheet.addRow([first.newer, first.older, first.relationship]); // written twice
    const path = join(tmp(), 'HS1996_to_HS1992.xlsx');
    await workbook.xlsx.writeFile(path);

    const run = await addCorrelation(path);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Passed over 2 rows with a code on one side only and 1 repeated link.');
    expect(asText(addedLinks('H1', 'H0'))).toEqual(asText(shipped));
  });

  it('refuses a relationship it cannot read, naming the sheet, the row and what it accepts, and adds nothing', async () => {
    const path = writeXls('bad.xls', {
      'Correlation Tables': [
        ['HS2002', 'HS1996', 'Relationship'],
        ['010111', '010111', "'1:1"],
        ['010119', '010119', '1>1'],
      ],
    });

    const run = await addCorrelation(path);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'bad.xls › Correlation Tables › row 3: relationship "1>1" is not 1:1, 1:n, n:1 or n:n (written with or without a leading apostrophe).',
    );
    expect(() => readFileSync(join(tmp(), 'reference', 'hs', 'hs-correlations-H2-H1.csv'))).toThrow();
  });
});

describe.skipIf(!HAS_SHARED_DATA)("the UN's own tables in ../shared", () => {
  const table = (file: string) => join(SHARED_DATA, 'hs-concordance', file);

  it.each([
    ['HS2022_to_HS2017_ConversionAndCorrelationTables.xlsx', 'H6', 'H5'],
    ['HS2017_to_HS2012_ConversionAndCorrelationTables.xlsx', 'H5', 'H4'],
    ['HS2012_to_HS2007_CorrelationAndConversionTables.xls', 'H4', 'H3'],
  ])('reads %s into the links the shipped reference holds (%s → %s)', (file, newer, older) => {
    const read = readUnCorrelationTable(table(file));
    expect(read.turned).toBe(false);
    expect(
      asText(
        read.links.map((l) => ({ newer: l.newerCode, older: l.olderCode, relationship: l.relationship })),
      ),
    ).toEqual(asText(shippedLinks(newer, older)));
  });

  it('adds the HS 2017 → HS 2012 table through the command', async () => {
    const run = await addCorrelation(table('HS2017_to_HS2012_ConversionAndCorrelationTables.xlsx'));
    expect(run.code, run.stderr).toBe(0);
    expect(asText(addedLinks('H5', 'H4'))).toEqual(asText(shippedLinks('H5', 'H4')));
  });

  it('refuses the HS 1992 → SITC Rev. 3 table as a correlation into another classification', async () => {
    const run = await addCorrelation(table('HS1992_to_SITC3_ConversionAndCorrelationTables.xls'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'correlates one HS edition with another classification (header: HS1992 | S31988 | Relationship)',
    );
  });
});
