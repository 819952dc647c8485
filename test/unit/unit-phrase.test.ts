import { describe, expect, it } from 'vitest';
import { describeKnownUnits, findUnit } from '../../src/layout/unit-phrase.ts';

describe('findUnit', () => {
  describe('values in US dollars', () => {
    it.each([
      { text: 'тыс. долларов США', multiplier: 1e3, phrase: 'тыс. долларов США' },
      { text: 'тысяч долларов США', multiplier: 1e3, phrase: 'тысяч долларов США' },
      { text: 'Экспорт, тыс. долл. США', multiplier: 1e3, phrase: 'тыс. долл. США' },
      { text: 'млн. долларов США', multiplier: 1e6, phrase: 'млн. долларов США' },
      { text: 'Экспорт, млн долл. США', multiplier: 1e6, phrase: 'млн долл. США' },
      { text: 'млрд. долларов США', multiplier: 1e9, phrase: 'млрд. долларов США' },
      { text: 'долларов США', multiplier: 1, phrase: 'долларов США' },
      { text: 'thousand US dollars', multiplier: 1e3, phrase: 'thousand US dollars' },
      { text: '(thousand US dollars)', multiplier: 1e3, phrase: 'thousand US dollars' },
      { text: 'In thousands of US dollars', multiplier: 1e3, phrase: 'thousands of US dollars' },
      { text: "US$ '000", multiplier: 1e3, phrase: "US$ '000" },
      { text: "$'000", multiplier: 1e3, phrase: "$'000" },
      { text: 'in 1,000 US$', multiplier: 1e3, phrase: '1,000 US$' },
      { text: 'USD thousand', multiplier: 1e3, phrase: 'USD thousand' },
      { text: 'Value (USD, thousand)', multiplier: 1e3, phrase: 'USD, thousand' },
      { text: 'USD million', multiplier: 1e6, phrase: 'USD million' },
      { text: 'million US$', multiplier: 1e6, phrase: 'million US$' },
      { text: 'mln USD', multiplier: 1e6, phrase: 'mln USD' },
      { text: 'USD bn', multiplier: 1e9, phrase: 'USD bn' },
      { text: 'Value, U.S. dollars', multiplier: 1, phrase: 'U.S. dollars' },
      { text: 'миң АКШ доллары', multiplier: 1e3, phrase: 'миң АКШ доллары' },
      { text: 'минг АҚШ доллари', multiplier: 1e3, phrase: 'минг АҚШ доллари' },
      { text: 'мың АҚШ доллары', multiplier: 1e3, phrase: 'мың АҚШ доллары' },
    ])('reads $text', ({ text, multiplier, phrase }) => {
      expect(findUnit(text)).toEqual({ unit: 'USD', dimension: 'value', multiplier, phrase });
    });
  });

  describe('mass', () => {
    it.each([
      { text: 'thousand tonnes', unit: 't', multiplier: 1e3, phrase: 'thousand tonnes' },
      { text: 'Cargo handled, thousand tonnes', unit: 't', multiplier: 1e3, phrase: 'thousand tonnes' },
      { text: "'000 tonnes", unit: 't', multiplier: 1e3, phrase: "'000 tonnes" },
      { text: '000 tonnes', unit: 't', multiplier: 1e3, phrase: '000 tonnes' },
      { text: "Tonnes ('000)", unit: 't', multiplier: 1e3, phrase: "Tonnes ('000)" },
      { text: 'tonnes', unit: 't', multiplier: 1, phrase: 'tonnes' },
      { text: 'metric tons', unit: 't', multiplier: 1, phrase: 'metric tons' },
      { text: 'Import (MT)', unit: 't', multiplier: 1, phrase: 'MT' },
      { text: 'Import (M.T.)', unit: 't', multiplier: 1, phrase: 'M.T.' },
      { text: 'tons', unit: 't', multiplier: 1, phrase: 'tons' },
      { text: 'Импорт, тонн', unit: 't', multiplier: 1, phrase: 'тонн' },
      { text: 'тыс. тонн', unit: 't', multiplier: 1e3, phrase: 'тыс. тонн' },
      { text: 'тыс.т', unit: 't', multiplier: 1e3, phrase: 'тыс.т' },
      { text: 'mln t', unit: 't', multiplier: 1e6, phrase: 'mln t' },
      // The figure before "000" makes it a quantity, not the scale.
      { text: 'capacity 12 000 tonnes', unit: 't', multiplier: 1, phrase: 'tonnes' },
      { text: 'kg', unit: 'kg', multiplier: 1, phrase: 'kg' },
      { text: 'Net weight, kgs', unit: 'kg', multiplier: 1, phrase: 'kgs' },
      { text: 'Вес, кг', unit: 'kg', multiplier: 1, phrase: 'кг' },
    ])('reads $text', ({ text, unit, multiplier, phrase }) => {
      expect(findUnit(text)).toEqual({ unit, dimension: 'mass', multiplier, phrase });
    });
  });

  describe('containers', () => {
    it.each([
      { text: 'TEU', unit: 'TEU', multiplier: 1, phrase: 'TEU' },
      { text: 'TEUs', unit: 'TEU', multiplier: 1, phrase: 'TEUs' },
      { text: "TEU's", unit: 'TEU', multiplier: 1, phrase: "TEU's" },
      { text: 'Containers (TEU)', unit: 'TEU', multiplier: 1, phrase: 'TEU' },
      { text: "Container throughput ('000 TEUs)", unit: 'TEU', multiplier: 1e3, phrase: "'000 TEUs" },
      { text: 'thousand TEU', unit: 'TEU', multiplier: 1e3, phrase: 'thousand TEU' },
      {
        text: 'twenty-foot equivalent units',
        unit: 'TEU',
        multiplier: 1,
        phrase: 'twenty-foot equivalent units',
      },
      { text: 'тыс. ДФЭ', unit: 'TEU', multiplier: 1e3, phrase: 'тыс. ДФЭ' },
      { text: 'Containers, Nos.', unit: 'boxes', multiplier: 1, phrase: 'Nos.' },
      { text: 'number of boxes', unit: 'boxes', multiplier: 1, phrase: 'number of boxes' },
      { text: 'boxes', unit: 'boxes', multiplier: 1, phrase: 'boxes' },
      { text: 'No. of containers', unit: 'boxes', multiplier: 1, phrase: 'No. of containers' },
    ])('reads $text', ({ text, unit, multiplier, phrase }) => {
      expect(findUnit(text)).toEqual({ unit, dimension: 'containers', multiplier, phrase });
    });
  });

  describe('counts', () => {
    it.each([
      { text: 'ship calls', unit: 'calls', phrase: 'ship calls' },
      { text: 'vessel calls', unit: 'calls', phrase: 'vessel calls' },
      { text: 'Number of vessel calls', unit: 'calls', phrase: 'Number of vessel calls' },
      { text: 'calls', unit: 'calls', phrase: 'calls' },
      { text: 'Судозаходы', unit: 'calls', phrase: 'Судозаходы' },
      { text: 'Ro-Ro traffic (units)', unit: 'units', phrase: 'units' },
      { text: 'Импорт, шт.', unit: 'units', phrase: 'шт.' },
    ])('reads $text', ({ text, unit, phrase }) => {
      expect(findUnit(text)).toEqual({ unit, dimension: 'count', multiplier: 1, phrase });
    });
  });

  describe('when several phrases match, the longest wins, then the first', () => {
    it.each([
      { text: "'000 TEUs", unit: 'TEU', multiplier: 1e3 },
      { text: 'US$ million', unit: 'USD', multiplier: 1e6 },
      { text: '1 000 000 USD', unit: 'USD', multiplier: 1e6 },
      // A comma-joined scale belongs to the next unit unless it ends the phrase.
      { text: 'tonnes, million USD', unit: 'USD', multiplier: 1e6 },
      { text: 'USD, thousand tonnes', unit: 't', multiplier: 1e3 },
      { text: 'Throughput in TEU, revenue in USD', unit: 'TEU', multiplier: 1 },
      { text: 'Revenue in USD, throughput in TEU', unit: 'USD', multiplier: 1 },
    ])('reads $text as $unit × $multiplier', ({ text, unit, multiplier }) => {
      expect(findUnit(text)).toMatchObject({ unit, multiplier });
    });
  });

  describe('text that names no unit', () => {
    it.each([
      '',
      'Total',
      'Commodity',
      // "MT" only as a whole word, and "Mt" is megatonnes.
      'Most traded goods',
      'Mt',
      // A bare "t" (or "т") is too ambiguous without a scale.
      't',
      'Import, t',
      'NOS',
      'recalls',
      'Tonnage',
      'Attempts',
      // "Containers" alone heads TEU and box columns alike.
      'Containers',
      // A scale without a unit.
      'млрд',
      'thousand',
      "'000",
      // Rates are prices, not values in the unit.
      'Prices, USD/t',
      'US dollars per tonne',
      'Цена, долларов США за тонну',
      'Freight rate, $ per TEU',
    ])('finds nothing in %j', (text) => {
      expect(findUnit(text)).toBeNull();
    });
  });
});

describe('describeKnownUnits', () => {
  const lines = describeKnownUnits().split('\n');

  it('lists one line per known unit, with spellings people write', () => {
    expect(describeKnownUnits()).toMatchInlineSnapshot(`
      "US dollars (USD, US$, долларов США, АКШ доллары, …)
      thousand US dollars (US$ '000, USD thousand, тыс. долларов США, миң АКШ доллары, минг АҚШ доллари, …)
      million US dollars (USD million, million US$, mln USD, млн. долларов США, …)
      billion US dollars (USD bn, млрд. долларов США, …)
      tonnes (metric tons, MT, tons, тонн, …)
      thousand tonnes ('000 tonnes, 000 tonnes, тыс. тонн, тыс. т, …)
      million tonnes (mln t, млн. тонн, …)
      kilograms (kg, кг, …)
      TEU (TEUs, ДФЭ, …)
      thousand TEU ('000 TEUs, тыс. ДФЭ, …)
      boxes (number of boxes, number of containers, Nos., …)
      calls (ship calls, vessel calls, судозаходов, …)
      units (pieces, pcs, шт., …)"
    `);
  });

  it.each(lines)('reads every spelling in "%s" as the unit it names', (line) => {
    const [, label = '', list = ''] = /^(.*) \((.*), …\)$/.exec(line) ?? [];
    const named = findUnit(label);
    expect(named, label).not.toBeNull();
    for (const spelling of list.split(', ')) {
      expect(findUnit(spelling), spelling).toEqual({
        unit: named?.unit,
        dimension: named?.dimension,
        multiplier: named?.multiplier,
        phrase: spelling,
      });
    }
  });
});
