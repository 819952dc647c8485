/**
 * BaciRowPacker and unpackBaciRow: how a mapped BACI row becomes seven numbers for `baci_flows`,
 * and back. The packer is the gate that keeps `trade_flows` honest: a row that the view could
 * not show back exactly must stop the file, not be stored wrongly.
 */
import { describe, expect, it } from 'vitest';
import { CorridorError } from '../../src/errors.ts';
import {
  BACI_PACKED_COLUMNS,
  BACI_WIDTH,
  BaciRowPacker,
  type PackedBaciRows,
  unpackBaciRow,
} from '../../src/load/trade-flow-storage.ts';
import type { TradeFlowRow } from '../../src/validate/trade-source.ts';

/** A row as the BACI source maps `2021,586,398,520100,1.5,0.25` (PAK exports cotton to KAZ). */
function baciRow(over: Partial<TradeFlowRow> = {}): TradeFlowRow {
  return {
    reporter_iso3: 'PAK',
    reporter_code: '586',
    partner_iso3: 'KAZ',
    partner_code: '398',
    partner2_iso3: 'W00',
    flow: 'X',
    freq: 'A',
    period: '2021',
    year: 2021,
    month: null,
    hs_edition: 'H5',
    hs_code: '520100',
    hs_level: 6,
    value_usd: 1500,
    cif_value_usd: null,
    fob_value_usd: 1500,
    net_weight_kg: 250,
    net_weight_estimated: null,
    gross_weight_kg: null,
    qty: null,
    qty_unit_code: null,
    qty_unit: null,
    mode_of_transport: '0',
    customs_procedure: 'C00',
    ...over,
  };
}

const KAZ_TO_PAK = { reporter_iso3: 'KAZ', reporter_code: '398', partner_iso3: 'PAK', partner_code: '586' };

function taken(packer: BaciRowPacker): PackedBaciRows {
  const packed = packer.take();
  if (packed === null) throw new Error('expected a packed batch, got null');
  return packed;
}

/** The packed rows as arrays of seven numbers, for readable comparisons. */
const rowsOf = (packed: PackedBaciRows): number[][] =>
  Array.from({ length: packed.count }, (_, i) =>
    Array.from(packed.values.subarray(i * BACI_WIDTH, (i + 1) * BACI_WIDTH)),
  );

describe('BaciRowPacker', () => {
  it('packs each row into seven numbers: exporter, year, importer, product, value, weight, row number', () => {
    expect(BACI_WIDTH).toBe(7);
    expect(BACI_PACKED_COLUMNS).toEqual([
      'reporter_code',
      'period',
      'partner_code',
      'hs_code',
      'value_usd',
      'net_weight_kg',
      'source_row',
    ]);
    const packer = new BaciRowPacker(4);
    packer.add(baciRow(), 2);
    packer.add(baciRow({ ...KAZ_TO_PAK, hs_code: '080510', value_usd: 77.5, fob_value_usd: 77.5 }), 3);

    const packed = taken(packer);

    expect(packed.count).toBe(2);
    expect(packed.values).toBeInstanceOf(Float64Array);
    expect(packed.values).toHaveLength(2 * BACI_WIDTH);
    expect(packed.hsEdition).toBe('H5');
    expect(rowsOf(packed)).toEqual([
      [586, 2021, 398, 520100, 1500, 250, 2],
      [398, 2021, 586, 80510, 77.5, 250, 3],
    ]);
  });

  it('packs a missing weight as NaN, which SQLite stores as NULL', () => {
    const packer = new BaciRowPacker(1);
    packer.add(baciRow({ net_weight_kg: null }), 2);
    packer.add(baciRow({ hs_code: '080510', net_weight_kg: 0 }), 3);

    const [missing, zero] = rowsOf(taken(packer));

    expect(Number.isNaN(missing![5])).toBe(true);
    expect(zero![5]).toBe(0);
  });

  it('keeps every row when a batch outgrows the capacity it was built with', () => {
    const packer = new BaciRowPacker(2);
    const codes = ['010121', '080510', '100630', '520100', '630231'];
    codes.forEach((hs_code, i) => {
      packer.add(baciRow({ hs_code, value_usd: i + 1, fob_value_usd: i + 1 }), i + 2);
    });

    const packed = taken(packer);

    expect(packed.count).toBe(5);
    expect(rowsOf(packed).map((r) => [r[3], r[4], r[6]])).toEqual([
      [10121, 1, 2],
      [80510, 2, 3],
      [100630, 3, 4],
      [520100, 4, 5],
      [630231, 5, 6],
    ]);
  });

  it('take() hands over only the rows since the last take, and null when there are none', () => {
    const packer = new BaciRowPacker(4);
    expect(packer.take()).toBeNull();
    packer.add(baciRow(), 2);
    expect(taken(packer).count).toBe(1);
    expect(packer.take()).toBeNull();
    packer.add(baciRow({ hs_code: '080510' }), 3);
    expect(rowsOf(taken(packer)).map((r) => r[6])).toEqual([3]);
  });

  it('take() lists a country code with its ISO code only in the batch that first used it', () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow(), 2); // 586 PAK → 398 KAZ
    packer.add(baciRow({ hs_code: '080510' }), 3);
    const first = taken(packer);

    packer.add(baciRow({ ...KAZ_TO_PAK }), 4); // both codes already known
    const second = taken(packer);

    packer.add(baciRow({ partner_iso3: 'IND', partner_code: '699' }), 5); // 699 is new
    const third = taken(packer);

    expect(first.newCodes).toEqual([
      [586, 'PAK'],
      [398, 'KAZ'],
    ]);
    expect(second.newCodes).toEqual([]);
    expect(third.newCodes).toEqual([[699, 'IND']]);
  });

  it.each<[string, Partial<TradeFlowRow>, RegExp]>([
    ['an import (flow M)', { flow: 'M' }, /flow is "M"; the table holds only "X"/],
    ['a monthly row', { freq: 'M' }, /freq is "M"/],
    ['a consignment partner', { partner2_iso3: 'CHN' }, /partner2_iso3 is "CHN"/],
    ['a month', { month: 3 }, /month is 3/],
    ['a 4-digit heading', { hs_code: '5201', hs_level: 4 }, /hs_level is 4/],
    ['a CIF value', { cif_value_usd: 1600 }, /cif_value_usd is 1600/],
    ['a quantity', { qty: 10 }, /\bqty is 10/],
    ['a quantity unit', { qty_unit: 'kg' }, /qty_unit is "kg"/],
    ['a gross weight', { gross_weight_kg: 300 }, /gross_weight_kg is 300/],
    ['an estimated weight flag', { net_weight_estimated: 1 }, /net_weight_estimated is 1/],
    ['a transport mode', { mode_of_transport: '2100' }, /mode_of_transport is "2100"/],
    ['a customs procedure', { customs_procedure: 'C01' }, /customs_procedure is "C01"/],
  ])('refuses %s, naming the column and the only value the table holds', (_, over, message) => {
    const packer = new BaciRowPacker(1);
    expect(() => packer.add(baciRow(over), 2)).toThrow(message);
    expect(() => packer.add(baciRow(over), 2)).toThrow(/does not fit baci_flows/);
  });

  it('refuses a row whose FOB value differs from its value', () => {
    const packer = new BaciRowPacker(1);
    expect(() => packer.add(baciRow({ value_usd: 1500, fob_value_usd: 1400 }), 2)).toThrow(
      /does not fit baci_flows: its FOB value differs from its value/,
    );
    expect(() => packer.add(baciRow({ fob_value_usd: null }), 2)).toThrow(/FOB value differs/);
  });

  it('refuses a row whose year differs from its period', () => {
    const packer = new BaciRowPacker(1);
    expect(() => packer.add(baciRow({ year: 2020 }), 2)).toThrow(/its year differs from its period/);
  });

  it('refuses a file with rows of two HS editions, naming both', () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow({ hs_edition: 'H5' }), 2);
    expect(() => packer.add(baciRow({ hs_edition: 'H0', hs_code: '080510' }), 3)).toThrow(
      /two HS editions \(H5, H0\)/,
    );
  });

  it('refuses two editions even when the first rows were already taken', () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow({ hs_edition: 'H0' }), 2);
    expect(taken(packer).hsEdition).toBe('H0');
    expect(() => packer.add(baciRow({ hs_edition: 'H5', hs_code: '080510' }), 3)).toThrow(/two HS editions/);
  });

  it("refuses a second BACI code for an ISO code with a CorridorError 'inconsistent_country' naming both codes", () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow(), 2); // 586 → PAK
    let error: unknown;
    try {
      packer.add(baciRow({ reporter_code: '588', hs_code: '080510' }), 3); // 588 → PAK too
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CorridorError);
    expect(error).toMatchObject({ code: 'inconsistent_country' });
    expect((error as Error).message).toMatch(/586 and 588 both stand for PAK/);
    expect((error as Error).message).toMatch(/country_codes/);
  });

  it('refuses a second BACI code for an ISO code among partners too', () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow(), 2); // partner 398 → KAZ
    expect(() => packer.add(baciRow({ partner_code: '399', hs_code: '080510' }), 3)).toThrow(CorridorError);
  });

  it('refuses one BACI code standing for two ISO codes in one file', () => {
    const packer = new BaciRowPacker(4);
    packer.add(baciRow(), 2); // 398 → KAZ
    expect(() => packer.add(baciRow({ partner_iso3: 'KGZ', hs_code: '080510' }), 3)).toThrow(
      /BACI country code 398 stands for both KAZ and KGZ/,
    );
  });

  it.each<[string, Partial<TradeFlowRow>, RegExp]>([
    ['a zero-padded country code', { reporter_code: '0586' }, /country code "0586"/],
    ['a country code with a letter', { reporter_code: '58a' }, /country code "58a"/],
    ['a partner code with a letter', { partner_code: '39B' }, /country code "39B"/],
    ['an empty country code', { reporter_code: '' }, /country code ""/],
    ['a missing country code', { partner_code: null }, /country code null/],
    ['a negative country code', { reporter_code: '-586' }, /country code "-586"/],
    ['a 5-digit HS code', { hs_code: '10121' }, /HS code "10121"/],
    ['a 7-digit HS code', { hs_code: '0101210' }, /HS code "0101210"/],
    ['an HS code with a dot', { hs_code: '0101.2' }, /HS code "0101.2"/],
    ['a zero-padded period', { period: '02021', year: 2021 }, /period "02021"/],
  ])('refuses %s, which the view could not print back as the source gave it', (_, over, message) => {
    const packer = new BaciRowPacker(1);
    expect(() => packer.add(baciRow(over), 2)).toThrow(message);
    expect(() => packer.add(baciRow(over), 2)).toThrow(/baci_flows cannot keep as a number/);
  });

  it('accepts the single digit 0 as a country code, and HS codes with a leading zero', () => {
    const packer = new BaciRowPacker(1);
    packer.add(baciRow({ partner_code: '0', partner_iso3: 'W00', hs_code: '010121' }), 2);
    expect(rowsOf(taken(packer))).toEqual([[586, 2021, 0, 10121, 1500, 250, 2]]);
  });
});

describe('unpackBaciRow', () => {
  const ISO: Record<number, string> = { 586: 'PAK', 398: 'KAZ' };
  const isoOf = (code: number) => ISO[code];

  it('gives back a packed row as trade_flows shows it: codes as text, HS code zero-padded to 6, year a number', () => {
    const packer = new BaciRowPacker(2);
    packer.add(baciRow(), 2);
    packer.add(baciRow({ ...KAZ_TO_PAK, hs_code: '010121', value_usd: 77.5, fob_value_usd: 77.5 }), 3);
    const packed = taken(packer);

    expect(unpackBaciRow(packed.values, 1, packed.hsEdition, isoOf)).toEqual({
      reporter_iso3: 'KAZ',
      reporter_code: '398',
      partner_iso3: 'PAK',
      partner_code: '586',
      partner2_iso3: 'W00',
      flow: 'X',
      freq: 'A',
      period: '2021',
      year: 2021,
      month: null,
      hs_edition: 'H5',
      hs_code: '010121',
      hs_level: 6,
      value_usd: 77.5,
      cif_value_usd: null,
      fob_value_usd: 77.5,
      net_weight_kg: 250,
      net_weight_estimated: null,
      gross_weight_kg: null,
      qty: null,
      qty_unit_code: null,
      qty_unit: null,
      mode_of_transport: '0',
      customs_procedure: 'C00',
      source_row: 3,
    });
  });

  it('round-trips every row the packer accepts: the mapped row plus its row number', () => {
    const rows = [
      baciRow(),
      baciRow({
        ...KAZ_TO_PAK,
        hs_code: '010121',
        net_weight_kg: null,
        value_usd: 0.001,
        fob_value_usd: 0.001,
      }),
      baciRow({ hs_code: '999999', period: '1995', year: 1995 }),
    ];
    const packer = new BaciRowPacker(1);
    rows.forEach((r, i) => {
      packer.add(r, i + 2);
    });
    const packed = taken(packer);

    const back = rows.map((_, i) => unpackBaciRow(packed.values, i, packed.hsEdition, isoOf));

    expect(back).toEqual(rows.map((r, i) => ({ ...r, source_row: i + 2 })));
  });

  it('gives a missing weight as null, not NaN', () => {
    const packer = new BaciRowPacker(1);
    packer.add(baciRow({ net_weight_kg: null }), 7);
    const packed = taken(packer);
    const row = unpackBaciRow(packed.values, 0, packed.hsEdition, isoOf);
    expect(row.net_weight_kg).toBeNull();
    expect(row.value_usd).toBe(1500);
  });

  it('gives a null ISO code for a country code the lookup does not know', () => {
    const packer = new BaciRowPacker(1);
    packer.add(baciRow(), 2);
    const packed = taken(packer);
    expect(unpackBaciRow(packed.values, 0, packed.hsEdition, () => undefined)).toMatchObject({
      reporter_iso3: null,
      reporter_code: '586',
      partner_iso3: null,
      partner_code: '398',
    });
  });
});
