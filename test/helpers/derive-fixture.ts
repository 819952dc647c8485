/**
 * The hand-made trade file of the derive contract tests: Pakistan (partners the World,
 * Kazakhstan and China) and Kazakhstan (the World and Pakistan), exports and imports, TOTAL,
 * chapter and HS6 rows, 2021 and 2022 (2022 is 2021 grown by 10 %, but PAK's chapter 10
 * exports halve). Each partner's rows are the World's times its share.
 */
import { type Cell, tradeRow } from './comtrade-csv.ts';

const M = 1_000_000;

interface Figure {
  readonly reporter: string;
  readonly partner: string;
  readonly flow: 'X' | 'M';
  readonly code: string;
  readonly usd: number;
  readonly kg?: number;
  readonly year: number;
}

function figures(): Figure[] {
  const rows: Figure[] = [];
  for (const year of [2021, 2022]) {
    const g = year === 2021 ? 1 : 1.1;
    for (const [partner, s] of [
      ['W00', 1],
      ['KAZ', 0.4],
      ['CHN', 0.3],
    ] as const) {
      const pak = (flow: 'X' | 'M', code: string, usd: number, kg?: number) =>
        rows.push({
          reporter: 'PAK',
          partner,
          flow,
          code,
          usd: usd * s,
          year,
          ...(kg ? { kg: kg * s } : {}),
        });
      pak('X', 'TOTAL', 100 * M * g);
      pak('X', '52', 60 * M * g);
      pak('X', '520100', 20 * M * g, 10 * M);
      pak('X', '520512', 40 * M * g, 8 * M);
      pak('X', '10', 40 * M * (year === 2021 ? 1 : 0.5));
      pak('M', 'TOTAL', 80 * M * g);
      pak('M', '31', 30 * M);
      pak('M', '310420', 12 * M, 40 * M);
      pak('M', '520100', 5 * M * g, 2 * M);
    }
    for (const [partner, s] of [
      ['W00', 1],
      ['PAK', 0.2],
    ] as const) {
      const kaz = (flow: 'X' | 'M', code: string, usd: number, kg?: number) =>
        rows.push({
          reporter: 'KAZ',
          partner,
          flow,
          code,
          usd: usd * s,
          year,
          ...(kg ? { kg: kg * s } : {}),
        });
      kaz('X', 'TOTAL', 200 * M * g);
      kaz('X', '10', 50 * M * g);
      kaz('X', '100199', 45 * M * g, 150 * M);
      kaz('X', '31', 25 * M);
      kaz('M', 'TOTAL', 150 * M * g);
      kaz('M', '52', 18 * M * g);
      kaz('M', '520512', 9 * M * g, 2 * M);
    }
  }
  return rows;
}

/** The rows as Comtrade+ CSV cells (PLUS_HEADER). */
export const DERIVE_FIXTURE: Cell[][] = figures().map((f) => tradeRow(f));
