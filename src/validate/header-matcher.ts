/**
 * Binds a file's header to a source's fields. Headers match case-insensitively, ignoring
 * spaces, `_` and punctuation (DOMAIN.md §1.1: `primaryValue`, `primary_value` and
 * `PrimaryValue` are one column). A missing required column is a SchemaDriftError that names
 * what is missing, what was found and the closest match.
 */
import { SchemaDriftError } from '../errors.ts';
import { foldName } from '../normalize/fold-name.ts';

export interface ColumnSpec {
  /** What the column holds, for messages: "commodity code". */
  readonly label: string;
  /** Every spelling in use; matched folded (case, spaces and punctuation ignored). */
  readonly aliases: readonly string[];
}

export type ColumnSpecs<F extends string> = Readonly<Record<F, ColumnSpec>>;

export interface ColumnBinding<F extends string> {
  /** Index of each field's column in the header, or -1 when the file has none. */
  readonly index: Readonly<Record<F, number>>;
  /** The file's own spelling of a field's column. */
  headerOf(field: string): string | null;
  /** Header columns no field uses. */
  readonly unused: readonly string[];
}

/** Levenshtein distance, for "closest match" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function closest(aliases: readonly string[], header: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const h of header) {
    const fh = foldName(h);
    for (const a of aliases) {
      const fa = foldName(a);
      const d = editDistance(fa, fh);
      if (d <= Math.max(2, Math.floor(fa.length / 3)) && (best === null || d < best.d)) best = { name: h, d };
    }
  }
  return best?.name ?? null;
}

const listed = (names: readonly string[], max = 12) => {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
};

/**
 * @param required groups of fields; each group needs at least one present column
 *   (`[['reporterCode', 'reporterIso']]`: a code or an ISO column).
 */
export function bindColumns<F extends string>(
  file: string,
  header: readonly string[],
  specs: ColumnSpecs<F>,
  required: readonly (readonly F[])[],
): ColumnBinding<F> {
  const folded = header.map((h) => foldName(h));
  const index = {} as Record<F, number>;
  const used = new Set<number>();
  for (const field of Object.keys(specs) as F[]) {
    const aliases = specs[field].aliases.map(foldName);
    // The first alias listed is the preferred spelling: try aliases in order, not columns.
    let at = -1;
    for (const alias of aliases) {
      at = folded.findIndex((h, i) => h === alias && !used.has(i));
      if (at >= 0) break;
    }
    index[field] = at;
    if (at >= 0) used.add(at);
  }
  const missingGroups = required.filter((group) => group.every((field) => index[field] < 0));
  if (missingGroups.length > 0) {
    const parts = missingGroups.map((group) => {
      const aliases = group.flatMap((f) => specs[f].aliases);
      const label = group.map((f) => specs[f].label).join(' or ');
      const near = closest(
        aliases,
        header.filter((_, i) => !used.has(i)),
      );
      return `no column for the ${label} (expected one of ${listed(aliases, 6)})${near ? `; the closest is "${near}", rename it if that is the one` : ''}`;
    });
    throw new SchemaDriftError(
      file,
      missingGroups.map((g) => g.join('|')),
      `${file}: ${parts.join('; ')}. Found ${header.length} column${header.length === 1 ? '' : 's'}: ${listed(header)}. Check that the file is in this source's format, or pick another with --source.`,
    );
  }
  return {
    index,
    headerOf: (field) => {
      const at = index[field as F];
      return at === undefined || at < 0 ? null : (header[at] ?? null);
    },
    unused: header.filter((_, i) => !used.has(i)),
  };
}
