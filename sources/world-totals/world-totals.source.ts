/**
 * World trade totals the user supplies (issue 19 point 3; docs/world-basis.md): the world's
 * exports by year, HS edition and code, the world basis of RCA when no loaded data set holds
 * every exporter. Nothing is downloaded (Comtrade's data may not be redistributed): the user
 * writes or exports the file, for example from Comtrade's World reporter or WITS.
 *
 *   year,hs_edition,hs_code,flow,value_usd,source_note
 *   2021,H5,TOTAL,X,22300000000000,UN Comtrade World 2021 (downloaded 2024-03-01)
 *   2021,H5,63,X,83000000000,
 *
 * One row a code: `hs_code` at 2, 4 or 6 digits, or TOTAL (every product, X_w of RCA); `flow`
 * X, required (the world's exports, stated, never assumed); `value_usd` in US dollars, not below 0;
 * `source_note` optional. Headers match in any case and order. A file covers its years and
 * editions completely: a corrected file replaces them.
 */
import { z } from 'zod';
import { normalizeHsCode } from '../../src/normalize/hs-code.ts';
import {
  defineTradeSource,
  type FieldIssue,
  type SourceFile,
  type WorldTotalRow,
} from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';

/** The source's name: rows load as `--source world-totals`. */
export const WORLD_TOTALS_SOURCE = 'world-totals';

const columns = {
  year: { label: 'year', aliases: ['year', 'refYear', 't'] },
  edition: {
    label: 'HS edition',
    aliases: ['hs_edition', 'edition', 'classification', 'classificationCode'],
  },
  code: { label: 'HS code', aliases: ['hs_code', 'code', 'cmdCode', 'product'] },
  flow: { label: 'flow', aliases: ['flow', 'flowCode'] },
  value: { label: 'value in US dollars', aliases: ['value_usd', 'value', 'primaryValue'] },
  note: { label: 'source note', aliases: ['source_note', 'note'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  year: cells.integerCode({ label: 'year', required: true, issue: 'bad_period' }),
  edition: cells.code({ label: 'HS edition', required: true }),
  code: cells.code({ label: 'HS code', required: true }),
  flow: cells.code({ label: 'flow', required: true }),
  value: cells.number({ label: 'value in US dollars', required: true, nonNegative: true }),
  note: cells.code({ label: 'source note' }),
});

type WorldTotalsRow = z.infer<typeof rowSchema>;

/** HS editions by Comtrade's code, or as BACI and WITS name them (HS17, HS2017). */
const EDITIONS: Readonly<Record<string, string>> = {
  H0: 'H0',
  H1: 'H1',
  H2: 'H2',
  H3: 'H3',
  H4: 'H4',
  H5: 'H5',
  H6: 'H6',
  HS92: 'H0',
  HS96: 'H1',
  HS02: 'H2',
  HS07: 'H3',
  HS12: 'H4',
  HS17: 'H5',
  HS22: 'H6',
  HS1992: 'H0',
  HS1996: 'H1',
  HS2002: 'H2',
  HS2007: 'H3',
  HS2012: 'H4',
  HS2017: 'H5',
  HS2022: 'H6',
};

/** The row's checks, each an issue on its column; empty when the row is good. */
function worldTotal(row: WorldTotalsRow, file: SourceFile): WorldTotalRow | FieldIssue<Field>[] {
  const issues: FieldIssue<Field>[] = [];
  const year = Number(row.year);
  if (year < 1900 || year > 2100)
    issues.push({
      code: 'bad_period',
      field: 'year',
      message: `${row.year} is not a year between 1900 and 2100.`,
    });
  const edition = EDITIONS[row.edition.trim().toUpperCase().replace(/\s+/g, '')];
  if (edition === undefined)
    issues.push({
      code: 'unknown_edition',
      field: 'edition',
      message: `${JSON.stringify(row.edition)} is not an HS edition; write H0 to H6 (HS 2017 is H5, HS 2022 is H6).`,
    });
  const hs = normalizeHsCode(row.code);
  if ('problem' in hs) issues.push({ code: 'bad_hs_code', field: 'code', message: hs.problem });
  else if (edition !== undefined && hs.level > 0) {
    const unknown = file.hsCodes.problem(edition, hs.code);
    if (unknown !== null) issues.push({ code: 'unknown_hs_code', field: 'code', message: unknown });
  }
  const flow = (row.flow ?? '').trim().toUpperCase();
  if (flow !== 'X')
    issues.push({
      code: 'bad_flow',
      field: 'flow',
      message: `flow ${JSON.stringify(row.flow)}: a world-totals file holds the world's exports (X) only, which RCA compares with; leave imports out.`,
    });
  if (issues.length > 0 || edition === undefined || 'problem' in hs) return issues;
  return {
    year,
    hs_edition: edition,
    flow,
    hs_code: hs.code,
    hs_level: hs.level,
    value_usd: row.value,
    source_note: row.note,
  };
}

export const worldTotalsSource = defineTradeSource<Field, WorldTotalsRow, WorldTotalRow>({
  name: WORLD_TOTALS_SOURCE,
  about: {
    dataset: "the world's exports by year, HS edition and code, in a file the user supplies",
    publisher: null,
    url: null,
    licence: {
      id: null,
      title:
        'the terms of whoever published the figures the user wrote into the file (UN Comtrade: not to be redistributed); name them in source_note',
      url: null,
      redistribution: 'unknown',
      attribution: null,
    },
    illustrative: false,
    fileCovers: 'the years and HS editions it holds: a corrected file replaces them',
    flows: ['X'],
    units: ['US dollars'],
    periods: ['annual'],
    declaredBy: 'nobody',
    publisherUnknownBecause:
      'whoever published the figures the user wrote into the file, as its source_note says',
  },
  description:
    "the world's exports by year, HS edition and code (year, hs_edition, hs_code, flow, value_usd, source_note): RCA's world basis (docs/world-basis.md)",
  target: 'world_trade_totals',
  coverage: ['period', 'edition'],
  columns,
  // The flow is read, never assumed: a file of the world's imports must not pass for exports.
  required: [['year'], ['edition'], ['code'], ['flow'], ['value']],
  rowSchema,
  begin: (file) => (row) => worldTotal(row, file),
});
