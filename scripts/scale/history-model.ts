/**
 * The modelled cost of the whole BACI history (issue 22, point 3): every year of the HS92 release,
 * 1995–2023, loaded and derived at the rates the slice measured.
 *
 * Rows per year are an assumption, stated here because no per-year counts ship with the
 * project: a straight line from 7.25 M rows (1995) to 10.6 M (2023). It is calibrated to two
 * published figures: the OEC's copy of BACI HS92 holds 269,894,500 rows for 1995–2024 (9.0 M a
 * year on average; the line gives 259 M for 1995–2023, 269.5 M with 2024 added), and BACI HS17's
 * 2017 holds 9,918,490 rows over 226 exporters (the line gives 9.9 M for 2017).
 *
 * The model is linear: a year's load takes its rows over the slice's load rate, and derive takes
 * the slice's derive seconds per input row times the rows behind it. Derive is roughly linear in
 * rows because each indicator is a grouped pass or a join on the year's own keys (shares and world
 * basis within a year, growth between a year and the one before); sorting and index builds grow as
 * n log n, and a warehouse that outgrows the page cache pays for reads it did not pay on the
 * slice, so the figures are a floor rather than a forecast.
 */

export const FIRST_YEAR = 1995;
export const LAST_YEAR = 2023;
const ROWS_FIRST = 7_250_000;
const ROWS_LAST = 10_600_000;

export const ROWS_ASSUMPTION =
  'rows per year: a straight line from 7.25 M (1995) to 10.6 M (2023), calibrated to BACI HS92 ' +
  'as published by the OEC (269,894,500 rows for 1995–2024) and BACI HS17 2017 (9,918,490 rows)';

export function assumedRows(year: number): number {
  const share = (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR);
  return Math.round(ROWS_FIRST + share * (ROWS_LAST - ROWS_FIRST));
}

/** What a backend's slice measured, as rates. */
export interface MeasuredRates {
  readonly backend: string;
  /** Rows loaded per second over every load of the slice. */
  readonly loadRowsPerS: number;
  /** Derive seconds per input row (null when the run did not derive). */
  readonly deriveSPerRow: number | null;
  /** Database bytes per loaded row after derive (after load when there was no derive). */
  readonly bytesPerRow: number;
}

export interface ModelledYear {
  readonly year: number;
  readonly rows: number;
  /** Per backend: load seconds and derive seconds of this year's rows. */
  readonly byBackend: { backend: string; loadS: number; deriveS: number | null }[];
}

export function modelHistory(rates: readonly MeasuredRates[]): ModelledYear[] {
  const years: ModelledYear[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    const rows = assumedRows(year);
    years.push({
      year,
      rows,
      byBackend: rates.map((r) => ({
        backend: r.backend,
        loadS: rows / r.loadRowsPerS,
        deriveS: r.deriveSPerRow === null ? null : rows * r.deriveSPerRow,
      })),
    });
  }
  return years;
}

const duration = (s: number | null) => {
  if (s === null) return 'n/a';
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

/** The model as a Markdown table: a row per year, then the totals and the warehouse size. */
export function historyTable(rates: readonly MeasuredRates[]): string[] {
  const years = modelHistory(rates);
  const head = ['year', 'rows (assumed)'];
  for (const r of rates) head.push(`${r.backend} load`, `${r.backend} derive`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const y of years) {
    const cells = [String(y.year), `${(y.rows / 1e6).toFixed(2)} M`];
    for (const b of y.byBackend) cells.push(duration(b.loadS), duration(b.deriveS));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const totalRows = years.reduce((sum, y) => sum + y.rows, 0);
  const totals = [`**${FIRST_YEAR}–${LAST_YEAR}**`, `**${(totalRows / 1e6).toFixed(0)} M**`];
  rates.forEach((_, i) => {
    const load = years.reduce((sum, y) => sum + y.byBackend[i]!.loadS, 0);
    const derive = rates[i]!.deriveSPerRow === null ? null : totalRows * rates[i]!.deriveSPerRow!;
    totals.push(`**${duration(load)}**`, `**${duration(derive)}**`);
  });
  lines.push(`| ${totals.join(' | ')} |`);
  lines.push('');
  for (const r of rates)
    lines.push(
      `${r.backend}: the whole history would take about ${((totalRows * r.bytesPerRow) / 1e9).toFixed(0)} GB on disk (${r.bytesPerRow.toFixed(0)} bytes per loaded row in the slice).`,
    );
  return lines;
}
