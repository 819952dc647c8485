import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorridorError } from '../src/errors.ts';
import { openSdmxCsvWriter } from '../src/export/sdmx-csv-writer.ts';
import { sdmxLayoutFor } from '../src/export/sdmx-layout.ts';
import type { ExportColumn, ExportRow } from '../src/export/table-writer.ts';
import { INDICATORS } from '../warehouse/indicators/index.ts';
import { cli } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query } from './helpers/warehouse-query.ts';

const tempDir = useTempDir();

// The column lists come from a real warehouse, so the test follows the schema when it changes.
let warehouseDir: string;
const columnsOf = new Map<string, ExportColumn[]>();

beforeAll(async () => {
  warehouseDir = mkdtempSync(join(tmpdir(), 'corridor-sdmx-'));
  const db = join(warehouseDir, 'warehouse.db');
  expect((await cli(['init', '--db', db])).code).toBe(0);
  // The indicator tables are created by the first refresh.
  expect((await cli(['derive', '--db', db])).code).toBe(0);
  for (const table of ['trade_flows', 'port_throughput', 'ind_trade_balance', 'ind_port_mix']) {
    const definition = INDICATORS.find((d) => d.table === table);
    const info = query<{ name: string; type: string }>(db, `pragma table_info(${table})`);
    columnsOf.set(
      table,
      info.map(({ name, type }) => {
        // Units as the data dictionary gives them: an indicator's definition says each measure's.
        const unit = definition?.columns.find((c) => c.name === name)?.unit;
        const column: ExportColumn = {
          name,
          type: /INT/i.test(type) ? 'integer' : /REAL/i.test(type) ? 'real' : 'text',
          description: name,
        };
        return unit === undefined ? column : { ...column, unit };
      }),
    );
  }
}, 60_000);

afterAll(() => rmSync(warehouseDir, { recursive: true, force: true }));

const columns = (table: string): ExportColumn[] => columnsOf.get(table)!;

/** A row in the table's real column order; columns not given are NULL. */
function rowOf(table: string, values: Record<string, string | number | null>): ExportRow {
  const names = columns(table).map((c) => c.name);
  const unknown = Object.keys(values).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(', ')}`);
  return names.map((name) => values[name] ?? null);
}

const OPTIONS = { agency: 'CORRIDOR', version: '1.0.0' } as const;

async function exportRows(table: string, dataflow: string, batches: readonly (readonly ExportRow[])[]) {
  const path = join(tempDir(), `${table}.csv`);
  const writer = await openSdmxCsvWriter({ path, columns: columns(table), table, dataflow, ...OPTIONS });
  for (const batch of batches) await writer.write(batch);
  const written = await writer.finish();
  const text = readFileSync(path, 'utf8');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const [header, ...lines] = parsed.data;
  return {
    written,
    text,
    header: header!,
    // Each observation as an object keyed by column, as a reader of the file sees it.
    observations: lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]]))),
  };
}

const tradeFlow = (values: Record<string, string | number | null>) =>
  rowOf('trade_flows', {
    source: 'comtrade',
    reporter_iso3: 'PAK',
    reporter_code: '586',
    partner_iso3: 'KAZ',
    partner_code: '398',
    partner2_iso3: 'W00',
    flow: 'X',
    freq: 'A',
    period: '2023',
    year: 2023,
    hs_edition: 'H6',
    hs_code: 'TOTAL',
    hs_level: 0,
    value_usd: 185_250_000,
    mode_of_transport: '0',
    customs_procedure: 'C00',
    source_row: 1,
    load_id: 1,
    ...values,
  });

const portFigure = (values: Record<string, string | number | null>) =>
  rowOf('port_throughput', {
    source: 'kpt',
    port_locode: 'PKKHI',
    port_name: 'Karachi',
    freq: 'M',
    direction: 'import',
    cargo_group: 'dry_bulk',
    commodity_raw: 'Wheat',
    commodity: 'wheat',
    unit: 't',
    is_provisional: 0,
    is_revised: 0,
    source_row: 1,
    load_id: 1,
    ...values,
  });

describe('openSdmxCsvWriter: trade_flows', () => {
  it('writes the SDMX-CSV 2.0 header: structure columns, the key as dimensions, OBS_VALUE, attributes', async () => {
    const { header } = await exportRows('trade_flows', 'TRADE_FLOWS', [[tradeFlow({})]]);
    expect(header).toEqual([
      'STRUCTURE',
      'STRUCTURE_ID',
      'ACTION',
      'FREQ',
      'SOURCE',
      'REF_AREA',
      'COUNTERPART_AREA',
      'SECOND_PARTNER',
      'TRADE_FLOW',
      'CLASSIFICATION',
      'COMMODITY',
      'TRANSPORT_MODE',
      'CUSTOMS_PROCEDURE',
      'TIME_PERIOD',
      'OBS_VALUE',
      'UNIT_MEASURE',
      'UNIT_MULT',
      'OBS_STATUS',
    ]);
  });

  it('writes one observation per flow, in USD, with annual and monthly periods and codes as text', async () => {
    const { observations, written } = await exportRows('trade_flows', 'TRADE_FLOWS', [
      [
        tradeFlow({}),
        tradeFlow({
          flow: 'M',
          freq: 'M',
          period: '2023-01',
          month: 1,
          hs_code: '010121',
          value_usd: 1_849_606.5,
        }),
      ],
      [tradeFlow({ source: 'baci', hs_edition: 'H5', hs_code: '0101', hs_level: 4, value_usd: 0.001 })],
    ]);
    expect(written.rows).toBe(3);
    expect(observations).toEqual([
      {
        STRUCTURE: 'dataflow',
        STRUCTURE_ID: 'CORRIDOR:TRADE_FLOWS(1.0.0)',
        ACTION: 'I',
        FREQ: 'A',
        SOURCE: 'comtrade',
        REF_AREA: 'PAK',
        COUNTERPART_AREA: 'KAZ',
        SECOND_PARTNER: 'W00',
        TRADE_FLOW: 'X',
        CLASSIFICATION: 'H6',
        COMMODITY: 'TOTAL',
        TRANSPORT_MODE: '0',
        CUSTOMS_PROCEDURE: 'C00',
        TIME_PERIOD: '2023',
        OBS_VALUE: '185250000',
        UNIT_MEASURE: 'USD',
        UNIT_MULT: '0',
        OBS_STATUS: '',
      },
      expect.objectContaining({
        FREQ: 'M',
        TRADE_FLOW: 'M',
        COMMODITY: '010121',
        TIME_PERIOD: '2023-01',
        OBS_VALUE: '1849606.5',
      }),
      expect.objectContaining({
        SOURCE: 'baci',
        CLASSIFICATION: 'H5',
        COMMODITY: '0101',
        OBS_VALUE: '0.001',
      }),
    ]);
  });

  it('ends lines with CRLF and writes no byte-order mark', async () => {
    const { text } = await exportRows('trade_flows', 'TRADE_FLOWS', [[tradeFlow({})]]);
    expect(text.startsWith('STRUCTURE,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('streams many batches, one line per observation', async () => {
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 5_000 }, (_, i) =>
        tradeFlow({ partner_iso3: 'KAZ', hs_code: String(b * 5_000 + i).padStart(6, '0') }),
      ),
    );
    const { observations, written } = await exportRows('trade_flows', 'TRADE_FLOWS', batches);
    expect(written.rows).toBe(20_000);
    expect(observations).toHaveLength(20_000);
    expect(observations[19_999]).toMatchObject({ COMMODITY: '019999' });
  });
});

describe('openSdmxCsvWriter: port_throughput', () => {
  it('keys figures by unit as well, so tonnes and TEU of the same cargo are separate series', async () => {
    const { header, observations } = await exportRows('port_throughput', 'PORT_THROUGHPUT', [
      [
        portFigure({ period: '2023-07', year: 2023, month: 7, quantity: 256_300 }),
        portFigure({
          period: '2023-07',
          year: 2023,
          month: 7,
          cargo_group: 'container',
          commodity_raw: 'Containers',
          unit: 'TEU',
          quantity: 88_400,
          is_provisional: 1,
        }),
        portFigure({
          period: '2023-07',
          year: 2023,
          month: 7,
          cargo_group: 'container',
          commodity_raw: 'Containers',
          unit: 't',
          quantity: 1_050_000,
        }),
      ],
    ]);
    expect(header.slice(3)).toEqual([
      'FREQ',
      'SOURCE',
      'PORT',
      'DIRECTION',
      'CARGO_GROUP',
      'COMMODITY',
      'QUANTITY_UNIT',
      'TIME_PERIOD',
      'OBS_VALUE',
      'UNIT_MEASURE',
      'UNIT_MULT',
      'OBS_STATUS',
    ]);
    expect(
      observations.map((o) => [
        o.COMMODITY,
        o.QUANTITY_UNIT,
        o.TIME_PERIOD,
        o.OBS_VALUE,
        o.UNIT_MEASURE,
        o.OBS_STATUS,
      ]),
    ).toEqual([
      ['Wheat', 'T', '2023-07', '256300', 'T', ''],
      ['Containers', 'TEU', '2023-07', '88400', 'TEU', 'P'],
      ['Containers', 'T', '2023-07', '1050000', 'T', ''],
    ]);
  });

  it("places a fiscal year by its port's start month, as an SDMX time range", async () => {
    const { observations } = await exportRows('port_throughput', 'PORT_THROUGHPUT', [
      [
        portFigure({ freq: 'FY', period: 'FY2022-23', year: 2023, quantity: 41_850_000 }),
        portFigure({
          port_locode: 'INNSA',
          freq: 'FY',
          period: 'FY2019-20',
          year: 2020,
          quantity: 5_000_000,
        }),
        portFigure({
          port_locode: 'HKHKG',
          freq: 'A',
          period: '2011',
          year: 2011,
          unit: 'TEU',
          quantity: 24_384_000,
        }),
      ],
    ]);
    expect(observations.map((o) => [o.PORT, o.FREQ, o.TIME_PERIOD])).toEqual([
      ['PKKHI', 'A', '2022-07-01/P1Y'], // July 2022 to June 2023 (DOMAIN.md §5.4)
      ['INNSA', 'A', '2019-04-01/P1Y'], // April 2019 to March 2020
      ['HKHKG', 'A', '2011'],
    ]);
  });

  it('quotes labels with commas and quotes, and keeps non-Latin text, as RFC 4180 and UTF-8', async () => {
    const labels = ['Fertiliser, urea', 'Steel "HR" coils', 'Пшеница'];
    const { observations } = await exportRows('port_throughput', 'PORT_THROUGHPUT', [
      labels.map((label) => portFigure({ period: '2023-07', commodity_raw: label, quantity: 1 })),
    ]);
    expect(observations.map((o) => o.COMMODITY)).toEqual(labels);
  });
});

describe('openSdmxCsvWriter: indicator tables', () => {
  const balance = (values: Record<string, string | number | null>) =>
    rowOf('ind_trade_balance', {
      source: 'comtrade',
      reporter_iso3: 'KAZ',
      partner_iso3: 'PAK',
      freq: 'A',
      period: '2021',
      year: 2021,
      product_kind: 'total',
      classification: '',
      hs_level: 0,
      product: 'TOTAL',
      derive_id: 1,
      ...values,
    });

  it('writes one observation per measure, named by INDICATOR, each in its own unit', async () => {
    const { header, observations, written } = await exportRows('ind_trade_balance', 'IND_TRADE_BALANCE', [
      [
        balance({
          exports_usd: 65_892_535.39,
          imports_usd: 29_202_639.39,
          balance_usd: 36_689_896,
          normalised_balance: 0.3858,
          small_base: 0,
        }),
      ],
    ]);
    expect(header.slice(3)).toEqual([
      'FREQ',
      'SOURCE',
      'REF_AREA',
      'COUNTERPART_AREA',
      'PRODUCT_KIND',
      'CLASSIFICATION',
      'COMMODITY',
      'INDICATOR',
      'TIME_PERIOD',
      'OBS_VALUE',
      'UNIT_MEASURE',
      'UNIT_MULT',
      'OBS_STATUS',
    ]);
    expect(written.rows).toBe(4);
    expect(
      observations.map((o) => [o.INDICATOR, o.OBS_VALUE, o.UNIT_MEASURE, o.UNIT_MULT, o.OBS_STATUS]),
    ).toEqual([
      ['EXPORTS_USD', '65892535.39', 'USD', '0', ''],
      ['IMPORTS_USD', '29202639.39', 'USD', '0', ''],
      ['BALANCE_USD', '36689896', 'USD', '0', ''],
      ['NORMALISED_BALANCE', '0.3858', 'RATIO', '0', ''],
    ]);
    expect(new Set(observations.map((o) => `${o.STRUCTURE_ID} ${o.REF_AREA} ${o.TIME_PERIOD}`))).toEqual(
      new Set(['CORRIDOR:IND_TRADE_BALANCE(1.0.0) KAZ 2021']),
    );
  });

  it('marks a NULL measure missing (O) or impossible (M) from its null reason', async () => {
    const { observations } = await exportRows('ind_trade_balance', 'IND_TRADE_BALANCE', [
      [
        balance({ exports_usd: 0, imports_usd: 0, balance_usd: 0, null_reason: 'zero_base' }),
        balance({ period: '2022', year: 2022, exports_usd: 10, null_reason: 'missing_input' }),
      ],
    ]);
    expect(observations.map((o) => [o.TIME_PERIOD, o.INDICATOR, o.OBS_VALUE, o.OBS_STATUS])).toEqual([
      ['2021', 'EXPORTS_USD', '0', ''],
      ['2021', 'IMPORTS_USD', '0', ''],
      ['2021', 'BALANCE_USD', '0', ''],
      ['2021', 'NORMALISED_BALANCE', '', 'M'],
      ['2022', 'EXPORTS_USD', '10', ''],
      ['2022', 'IMPORTS_USD', '', 'O'],
      ['2022', 'BALANCE_USD', '', 'O'],
      ['2022', 'NORMALISED_BALANCE', '', 'O'],
    ]);
  });

  it("reads ind_port_mix's fiscal-year labels as fiscal years, even 2011-12", async () => {
    const mix = (fiscalYear: string, port: string) =>
      rowOf('ind_port_mix', {
        source: 'kpt',
        port_locode: port,
        fiscal_year: fiscalYear,
        year: Number(fiscalYear.slice(0, 4)),
        direction: 'all',
        commodity: 'cement',
        quantity_t: 1_401_600,
        port_total_t: 51_710_000,
        share: 0.0271,
        hhi: 0.228,
        export_share: 0.364,
        derive_id: 1,
      });
    const { observations } = await exportRows('ind_port_mix', 'IND_PORT_MIX', [
      [mix('2011-12', 'PKKHI'), mix('2021', 'HKHKG')],
    ]);
    expect(new Set(observations.map((o) => `${o.PORT} ${o.FREQ} ${o.TIME_PERIOD}`))).toEqual(
      new Set(['PKKHI A 2011-07-01/P1Y', 'HKHKG A 2021']),
    );
    expect(observations.filter((o) => o.PORT === 'PKKHI').map((o) => [o.INDICATOR, o.UNIT_MEASURE])).toEqual([
      ['QUANTITY_T', 'T'],
      ['PORT_TOTAL_T', 'T'],
      ['SHARE', 'RATIO'],
      ['HHI', 'RATIO'],
      ['EXPORT_SHARE', 'RATIO'],
    ]);
  });
});

describe('sdmxLayoutFor: what it refuses', () => {
  it('refuses a table it has no SDMX mapping for, naming the tables it supports (exit 2)', () => {
    let error: unknown = null;
    try {
      sdmxLayoutFor('hs_codes', [{ name: 'code', type: 'text', description: 'HS code' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorridorError);
    expect(error).toMatchObject({ code: 'sdmx_unsupported', exitCode: 2 });
    for (const table of ['hs_codes', 'trade_flows', 'port_throughput', 'ind_trade_balance', 'ind_port_mix']) {
      expect((error as Error).message).toContain(table);
    }
  });

  it('refuses a query, writing no file', async () => {
    const path = join(tempDir(), 'query.csv');
    await expect(
      openSdmxCsvWriter({ path, columns: columns('trade_flows'), table: null, dataflow: 'Q', ...OPTIONS }),
    ).rejects.toMatchObject({ code: 'sdmx_unsupported', exitCode: 2 });
    expect(existsSync(path)).toBe(false);
  });

  it('refuses an export that leaves out a key column, naming it', () => {
    const withoutPartner = columns('trade_flows').filter((c) => c.name !== 'partner_iso3');
    expect(() => sdmxLayoutFor('trade_flows', withoutPartner)).toThrow(
      expect.objectContaining({
        code: 'sdmx_missing_column',
        message: expect.stringContaining('partner_iso3'),
      }),
    );
  });

  it('refuses an agency that is not an SDMX id, before writing anything', async () => {
    const path = join(tempDir(), 'bad-agency.csv');
    await expect(
      openSdmxCsvWriter({
        path,
        columns: columns('trade_flows'),
        table: 'trade_flows',
        agency: 'my agency',
        dataflow: 'TRADE_FLOWS',
        version: '1.0.0',
      }),
    ).rejects.toMatchObject({
      code: 'sdmx_invalid_id',
      exitCode: 2,
      message: expect.stringContaining('Invalid value for option "agency"'),
    });
    expect(existsSync(path)).toBe(false);
  });

  it('abort removes the partly written file', async () => {
    const path = join(tempDir(), 'aborted.csv');
    const writer = await openSdmxCsvWriter({
      path,
      columns: columns('trade_flows'),
      table: 'trade_flows',
      dataflow: 'TRADE_FLOWS',
      ...OPTIONS,
    });
    await writer.write([tradeFlow({})]);
    await writer.abort();
    expect(existsSync(path)).toBe(false);
  });
});

describe('openSdmxCsvWriter: a changes export (actionColumn)', () => {
  /** trade_flows' columns and an `action` column after them, as `export --since` reads them. */
  async function changes(rows: readonly (readonly [ExportRow, string])[]) {
    const path = join(tempDir(), 'changes.csv');
    const withAction = [
      ...columns('trade_flows'),
      { name: 'action', type: 'text', description: '' } as const,
    ];
    const writer = await openSdmxCsvWriter({
      path,
      columns: withAction,
      table: 'trade_flows',
      dataflow: 'TRADE_FLOWS',
      actionColumn: withAction.length - 1,
      ...OPTIONS,
    });
    try {
      await writer.write(rows.map(([row, action]) => [...row, action]));
      await writer.finish();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return readFileSync(path, 'utf8').split('\r\n').slice(1, -1);
  }

  it('writes a merge as A with its value and attributes, a delete as D with its dimensions alone', async () => {
    const lines = await changes([
      [tradeFlow({ partner_iso3: 'AFG', value_usd: 5 }), 'delete'],
      [tradeFlow({ value_usd: 72 }), 'merge'],
    ]);
    expect(lines).toEqual([
      'dataflow,CORRIDOR:TRADE_FLOWS(1.0.0),D,A,comtrade,PAK,AFG,W00,X,H6,TOTAL,0,C00,2023,,,,',
      'dataflow,CORRIDOR:TRADE_FLOWS(1.0.0),A,A,comtrade,PAK,KAZ,W00,X,H6,TOTAL,0,C00,2023,72,USD,0,',
    ]);
  });

  it('refuses a delete with an empty dimension, which SDMX-CSV reads as a wildcard', async () => {
    await expect(changes([[tradeFlow({ customs_procedure: '' }), 'delete']])).rejects.toMatchObject({
      code: 'sdmx_wildcard_delete',
      message: expect.stringContaining('no CUSTOMS_PROCEDURE'),
    });
  });

  it('refuses an action it does not know', async () => {
    await expect(changes([[tradeFlow({}), 'replace']])).rejects.toMatchObject({ code: 'sdmx_bad_action' });
  });
});
