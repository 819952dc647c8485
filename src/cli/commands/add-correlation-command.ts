/**
 * `corridor add-correlation <file>`: adds a UN HS correlation table (.xlsx or .xls, in the
 * layouts the UN has published since HS 1996: src/reference/un-correlation-table.ts) to the reference, so that a new edition (HS 2027) or an official table can be
 * used without a code change. The links are written as warehouse/reference/hs/
 * hs-correlations-<newer>-<older>.csv, then loaded into the warehouse.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { openWarehouse } from '../../db/warehouse.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import { correlationFiles } from '../../load/hs-reference-loader.ts';
import { prepareWarehouse } from '../../load/prepare-warehouse.ts';
import { referenceDir } from '../../load/reference-files.ts';
import { checkBeforeReadingWhole } from '../../read/xlsx-reader.ts';
import { EDITION_YEARS, editionName } from '../../reference/hs-model.ts';
import { editionOfYear, readUnCorrelationTable } from '../../reference/un-correlation-table.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { formatCount } from '../output.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

const EDITION = /^H\d+$/;

/** Editions the reference knows: the shipped ones and those of correlation tables already added. */
function knownEditions(): string[] {
  const editions = new Set(Object.keys(EDITION_YEARS));
  for (const file of correlationFiles()) {
    const text = readFileSync(join(referenceDir(), file), 'utf8');
    for (const row of Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data) {
      if (row.newer_edition) editions.add(row.newer_edition);
      if (row.older_edition) editions.add(row.older_edition);
    }
  }
  return [...editions];
}

const OPTIONS = {
  newer: {
    type: 'string',
    value: '<edition>',
    default: "the edition of the file's newer year",
    description: 'the newer HS edition the table converts from (H0 is HS 1992 … H6 is HS 2022)',
  },
  older: {
    type: 'string',
    value: '<edition>',
    default: "the edition of the file's older year",
    description: 'the older HS edition the table converts to',
  },
} as const satisfies OptionSpecs;

export const addCorrelationCommand: Command = {
  name: 'add-correlation',
  usage: 'corridor add-correlation <file.xlsx|file.xls> [--newer H7] [--older H6]',
  summary: 'add a UN HS correlation table (e.g. the next HS edition) to the reference',
  options: OPTIONS,
  examples: [
    'corridor add-correlation HS2022toHS2017ConversionAndCorrelationTables.xlsx',
    'corridor add-correlation hs2028-2022.xlsx --newer H7 --older H6',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const path = positionals[0];
    if (path === undefined || positionals.length > 1)
      throw new ConfigError(`Name one correlation table. Usage: ${this.usage}`, { code: 'usage' });
    // SheetJS unzips and reads the workbook whole, without limits: it is checked first.
    await checkBeforeReadingWhole(resolve(ctx.cwd, path));
    const table = readUnCorrelationTable(resolve(ctx.cwd, path));
    const known = knownEditions();
    const newer = values.newer?.toUpperCase() ?? editionOfYear(table.newerYear, known);
    const older = values.older?.toUpperCase() ?? editionOfYear(table.olderYear, known);
    for (const [edition, year, option] of [
      [newer, table.newerYear, '--newer'],
      [older, table.olderYear, '--older'],
    ] as const) {
      if (edition === null || !EDITION.test(edition))
        throw new ConfigError(
          `Cannot tell which edition HS ${year} is; name it with ${option} (H0 is HS 1992 … H6 is HS 2022).`,
          { code: 'unknown_edition' },
        );
    }
    const step = (e: string) => Number(e.slice(1));
    if (step(newer!) !== step(older!) + 1) {
      throw new ConfigError(
        `${newer} and ${older} are not adjacent editions: Corridor links each edition to the one before it. Add the table between ${newer} and H${step(newer!) - 1} instead, or name the editions with --newer and --older.`,
        { code: 'not_adjacent' },
      );
    }
    const file = `hs/hs-correlations-${newer}-${older}.csv`;
    const rows = table.links.map((l) => [newer!, l.newerCode, older!, l.olderCode, l.relationship]);
    writeFileSync(
      join(referenceDir(), file),
      `${Papa.unparse({ fields: ['newer_edition', 'newer_code', 'older_edition', 'older_code', 'relationship'], data: rows }, { newline: '\n' })}\n`,
    );
    const warehouse = await openWarehouse(warehousePathOf(ctx));
    try {
      await prepareWarehouse(warehouse);
    } catch (error) {
      // A table the warehouse cannot load must not stay in the reference to fail every command.
      rmSync(join(referenceDir(), file), { force: true });
      throw error;
    } finally {
      await warehouse.close();
    }
    const { oneSided, repeated } = table.skipped;
    const passedOver = [
      ...(oneSided > 0
        ? [`${formatCount(oneSided)} row${oneSided === 1 ? '' : 's'} with a code on one side only`]
        : []),
      ...(repeated > 0 ? [`${formatCount(repeated)} repeated link${repeated === 1 ? '' : 's'}`] : []),
    ];
    const message = [
      `Added ${formatCount(rows.length)} links from ${editionName(newer!)} to ${editionName(older!)} (sheet "${table.sheet}") as warehouse/reference/${file}, and loaded them into ${warehouse.path}.`,
      ...(passedOver.length > 0 ? [`Passed over ${passedOver.join(' and ')}.`] : []),
      ...(table.turned
        ? [
            `The table writes relationships older:newer; they are stored newer:older (n:1 is several ${newer} codes from one ${older} code).`,
          ]
        : []),
    ].join(' ');
    if (ctx.out.json)
      ctx.out.document({
        file: `warehouse/reference/${file}`,
        links: rows.length,
        newer,
        older,
        skipped: table.skipped,
        relationshipsTurned: table.turned,
      });
    else ctx.out.line(message);
    return ExitCode.Success;
  },
};
