import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/shared/prng.ts';
import { fastCsvRows, guessLineEnd, NOT_SPLIT, RowTexts } from '../../src/read/csv-fast-rows.ts';
import { readCsv } from '../../src/read/csv-reader.ts';
import { type CsvEnding, parseCsvRows } from '../../src/read/csv-rows.ts';
import type { RawRecord } from '../../src/read/raw-table.ts';
import { RecentCells } from '../../src/validate/map-stage.ts';

/** The text in chunks of the given sizes (the last size repeating), as a text stream hands it on. */
async function* chunked(text: string, sizes: readonly number[]): AsyncGenerator<string> {
  let at = 0;
  let n = 0;
  while (at < text.length) {
    const size = sizes[Math.min(n++, sizes.length - 1)]!;
    yield text.slice(at, at + size);
    at += size;
  }
}

interface Outcome {
  rows: string[][];
  ending: CsvEnding;
  error: string | null;
}

async function collect(
  split: (chunks: AsyncIterable<string>, d: string, e: CsvEnding) => AsyncGenerator<string[][]>,
  text: string,
  sizes: readonly number[],
  delimiter = ',',
): Promise<Outcome> {
  const ending: CsvEnding = { lastChar: '', insideQuotes: false };
  const rows: string[][] = [];
  let error: string | null = null;
  try {
    for await (const batch of split(chunked(text, sizes), delimiter, ending)) rows.push(...batch);
  } catch (e) {
    error = (e as Error).message;
  }
  return { rows, ending, error };
}

/** papaparse's rows and the fast splitter's, for the same text in the same chunks. */
async function both(text: string, sizes: readonly number[] = [1 << 20], delimiter = ',') {
  return {
    papaparse: await collect(parseCsvRows, text, sizes, delimiter),
    fast: await collect(fastCsvRows, text, sizes, delimiter),
  };
}

/** Ignores papaparse's trailing empty row at the end of a text ending in a line end: a blank row, skipped by every reader. */
const withoutTrailingBlank = (rows: string[][]) =>
  rows.length > 0 && rows.at(-1)!.length === 1 && rows.at(-1)![0] === '' ? rows.slice(0, -1) : rows;

describe('fastCsvRows', () => {
  it('splits plain and quoted rows as papaparse does', async () => {
    const text =
      'a,b,c\n1,"x, y",3\n"he said ""hi""",,\n4,5,"multi\nline"\n\n7,8,9\n"","",""\nlast,"row",end';
    const { papaparse, fast } = await both(text, [7, 13, 5]);
    expect(fast.rows).toEqual(papaparse.rows);
    expect(fast.rows[1]).toEqual(['1', 'x, y', '3']);
    expect(fast.rows[2]).toEqual(['he said "hi"', '', '']);
    expect(fast.rows[3]).toEqual(['4', '5', 'multi\nline']);
    expect(fast.ending).toEqual(papaparse.ending);
  });

  it('keeps a bare line feed inside a field of a CRLF file, as papaparse does', async () => {
    const text = 'a,b\r\n1,x\ny\r\n2,z\r\n';
    const { papaparse, fast } = await both(text);
    expect(withoutTrailingBlank(fast.rows)).toEqual(withoutTrailingBlank(papaparse.rows));
    expect(fast.rows[1]).toEqual(['1', 'x\ny']);
  });

  it('reads quotes inside an unquoted field as characters', async () => {
    const { papaparse, fast } = await both('size,item\n5",pipe\n6,"a"\n');
    expect(withoutTrailingBlank(fast.rows)).toEqual(withoutTrailingBlank(papaparse.rows));
    expect(fast.rows[1]).toEqual(['5"', 'pipe']);
  });

  it('leaves a file that ends inside quotes to papaparse, which says so', async () => {
    const { papaparse, fast } = await both('a,b\n1,"open\n2,3\n');
    expect(fast.rows).toEqual(papaparse.rows);
    expect(fast.ending.insideQuotes).toBe(true);
  });

  it('leaves text after a closing quote to papaparse', async () => {
    const { papaparse, fast } = await both('a,b\n1,2\n"x" ,y\n"p"q,r\n3,4\n');
    expect(fast.rows).toEqual(papaparse.rows);
  });

  it('guesses the line end as papaparse does', () => {
    expect(guessLineEnd('a,b\r\n1,2\r\n')).toBe('\r\n');
    expect(guessLineEnd('a,b\n1,2\r\n')).toBe('\n');
    expect(guessLineEnd('a,b\r1,2\r')).toBe('\r');
    expect(guessLineEnd('"x\r\ny",b\n1,2\n')).toBe('\n');
  });

  it('gives the rows papaparse gives for random text in random chunks', async () => {
    const next = mulberry32(22);
    const alphabet = ['a', 'b', '1', ',', ',', '"', '"', '\n', '\n', '\r\n', '\r', ' ', ';'];
    for (let trial = 0; trial < 400; trial++) {
      const header = 'h1,h2,h3\n';
      let body = '';
      const length = Math.floor(next() * 120);
      for (let i = 0; i < length; i++) body += alphabet[Math.floor(next() * alphabet.length)];
      const sizes = [1 + Math.floor(next() * 40), 1 + Math.floor(next() * 40)];
      const text = header + body;
      const { papaparse, fast } = await both(text, sizes);
      const context = JSON.stringify({ text, sizes });
      expect(withoutTrailingBlank(fast.rows), context).toEqual(withoutTrailingBlank(papaparse.rows));
      expect(fast.ending, context).toEqual(papaparse.ending);
      expect(fast.error, context).toBe(papaparse.error);
    }
  });
});

/**
 * The fast splitter's rows when only their ends are looked for (past a file's header, the
 * reader splits a row when the mapper reads it): each row's text, split afterwards.
 */
async function rowsFromTexts(text: string, sizes: readonly number[]): Promise<Outcome> {
  const ending: CsvEnding = { lastChar: '', insideQuotes: false };
  const texts = new RowTexts(',');
  texts.cellsWanted = false;
  const rows: string[][] = [];
  let error: string | null = null;
  try {
    for await (const batch of fastCsvRows(chunked(text, sizes), ',', ending, texts)) {
      const lines = texts.current;
      batch.forEach((cells, i) => {
        rows.push(cells === NOT_SPLIT && lines !== null ? texts.splitAll(lines[i]!) : cells);
      });
    }
  } catch (e) {
    error = (e as Error).message;
  }
  return { rows, ending, error };
}

describe('fastCsvRows finding row ends only', () => {
  it('ends rows where papaparse ends them, for random text in random chunks', async () => {
    const next = mulberry32(23);
    const alphabet = ['a', 'b', '1', ',', ',', '"', '"', '"', '\n', '\n', '\r\n', ' '];
    for (let trial = 0; trial < 600; trial++) {
      let text = 'h1,h2,h3\n';
      const length = Math.floor(next() * 120);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const sizes = [1 + Math.floor(next() * 40), 1 + Math.floor(next() * 40)];
      const papaparse = await collect(parseCsvRows, text, sizes);
      const fast = await rowsFromTexts(text, sizes);
      const context = JSON.stringify({ text, sizes });
      expect(withoutTrailingBlank(fast.rows), context).toEqual(withoutTrailingBlank(papaparse.rows));
      expect(fast.ending, context).toEqual(papaparse.ending);
      expect(fast.error, context).toBe(papaparse.error);
    }
  });
});

describe('readCsv records read from their text', () => {
  const text =
    'reporter,cmdDesc,value\n586,"Fish; frozen, swordfish",10\n\n398,"two\nlines, ""quoted""",20\n156,plain,30,\n';

  async function records() {
    const table = await readCsv(chunked(text, [9, 17]), { encoding: 'utf-8', head: text });
    const read: RawRecord[] = [];
    for await (const batch of table!.batches) read.push(...batch);
    return { table: table!, read };
  }

  it('gives the cells papaparse gives, numbering rows as a spreadsheet does', async () => {
    const { read } = await records();
    expect(read.map((r) => [r.row, r.cells])).toEqual([
      [2, ['586', 'Fish; frozen, swordfish', '10']],
      [4, ['398', 'two\nlines, "quoted"', '20']],
      [5, ['156', 'plain', '30']],
    ]);
  });

  it('leaves empty the cells of columns the mapper does not read, and keeps every cell for rejects', async () => {
    const table = await readCsv(chunked(`${text}1,"x, y",2,extra\n`, [9, 17]), {
      encoding: 'utf-8',
      head: text,
    });
    table!.readsOnly!([0, 2]);
    const read: RawRecord[] = [];
    for await (const batch of table!.batches) read.push(...batch);
    expect(read.map((r) => r.cells)).toEqual([
      ['586', '', '10'],
      ['398', '', '20'],
      ['156', '', '30'],
      // More fields than the header: the extra one is kept, so the row is still misaligned.
      ['1', '', '2', 'extra'],
    ]);
    expect(read.map((r) => table!.cellsOfText!(r.text!))).toEqual([
      ['586', 'Fish; frozen, swordfish', '10'],
      ['398', 'two\nlines, "quoted"', '20'],
      ['156', 'plain', '30'],
      ['1', 'x, y', '2', 'extra'],
    ]);
  });

  it('keeps only the text of rows for duplicate lookups, and gives their cells back', async () => {
    const { table, read } = await records();
    expect(read.every((r) => typeof r.text === 'string')).toBe(true);
    const recent = new RecentCells(table.cellsOfText);
    recent.add(read);
    expect(recent.get([4, 5, 3])).toEqual([
      ['398', 'two\nlines, "quoted"', '20'],
      ['156', 'plain', '30'],
      null,
    ]);
  });
});
