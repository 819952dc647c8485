/**
 * The HS reference tables computed from warehouse/reference/hs/ and categories.csv: codes and
 * their tree, correlations between editions, conversion into the target edition, and category
 * memberships. Pure computation, written to a warehouse by hs-reference-loader.ts (through
 * its SQLite cache file, or by COPY on PostgreSQL).
 */
import type { ReferenceValue } from '../db/reference-writes.ts';
import { WarehouseError } from '../errors.ts';
import { assignCategories, parseCategoryRules } from '../reference/hs-categories.ts';
import { buildCodes, buildConversion, type CorrelationRow } from '../reference/hs-model.ts';
import type { CsvRow } from './reference-files.ts';

/** One table's rows, values in `columns` order. */
export interface HsTableRows {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: ReferenceValue[][];
}

/** A reference file as the loader read it; rows parsed on demand. */
export interface HsSourceFile {
  readonly file: string;
  rows(): CsvRow[];
}

/** Every HS table's rows for these files and target edition, in load order. */
export function hsTableRows(files: readonly HsSourceFile[], target: string): HsTableRows[] {
  const byName = new Map(files.map((f) => [f.file, f.rows()]));
  const correlations: CorrelationRow[] = files
    .filter((f) => f.file.startsWith('hs/hs-correlations'))
    .flatMap((f) =>
      f.rows().map((r) => ({
        newer_edition: r.newer_edition!.trim(),
        newer_code: r.newer_code!.trim(),
        older_edition: r.older_edition!.trim(),
        older_code: r.older_code!.trim(),
        relationship: r.relationship!.trim(),
        origin: f.file,
      })),
    );
  const codes = buildCodes(
    [
      { edition: 'H6', rows: byName.get('hs/hs2022.csv')! },
      { edition: 'H5', rows: byName.get('hs/hs2017.csv')! },
    ],
    correlations,
  );
  if (!codes.has(target)) {
    throw new WarehouseError(
      `The target HS edition ${target} is not in the reference (editions: ${[...codes.keys()].join(', ')}). Set another with corridor derive --target-edition.`,
      { code: 'unknown_edition' },
    );
  }
  const weights = files
    .filter((f) => f.file.startsWith('hs/conversion-weights'))
    .flatMap((f) =>
      f.rows().map((r, i) => {
        const weight = Number(r.weight);
        if (!Number.isFinite(weight) || weight < 0)
          throw new WarehouseError(
            `${f.file} row ${i + 2}: weight ${JSON.stringify(r.weight)} is not a number of 0 or more.`,
            { code: 'reference_malformed' },
          );
        return {
          from_edition: (r.from_edition ?? '').trim(),
          from_code: (r.from_code ?? '').trim(),
          to_edition: (r.to_edition ?? '').trim(),
          to_code: (r.to_code ?? '').trim(),
          weight,
        };
      }),
    );
  const conversion = buildConversion(codes, correlations, target, weights);
  const rules = parseCategoryRules(byName.get('categories.csv')!);
  const memberships = assignCategories(codes, rules);

  return [
    {
      table: 'hs_sections',
      columns: ['section', 'name', 'position'],
      rows: byName.get('hs/hs-sections.csv')!.map((r, i) => [r.section!.trim(), r.name!.trim(), i + 1]),
    },
    {
      table: 'hs_codes',
      columns: ['edition', 'code', 'level', 'section', 'parent', 'description', 'special'],
      rows: [...codes.values()].flatMap((m) =>
        [...m.values()].map((c) => [
          c.edition,
          c.code,
          c.level,
          c.section,
          c.parent,
          c.description,
          c.special,
        ]),
      ),
    },
    {
      table: 'hs_concordance',
      columns: ['newer_edition', 'newer_code', 'older_edition', 'older_code', 'relationship', 'origin'],
      rows: dedupe(
        correlations,
        (c) => `${c.older_edition}|${c.older_code}|${c.newer_edition}|${c.newer_code}`,
      ).map((c) => [c.newer_edition, c.newer_code, c.older_edition, c.older_code, c.relationship, c.origin]),
    },
    {
      table: 'hs_conversion',
      columns: ['from_edition', 'from_code', 'to_edition', 'to_code', 'weight', 'approximate'],
      rows: conversion.map((c) => [
        c.from_edition,
        c.from_code,
        c.to_edition,
        c.to_code,
        c.weight,
        c.approximate,
      ]),
    },
    {
      table: 'hs_categories',
      columns: ['scheme', 'category', 'name', 'parent', 'note'],
      rows: dedupe(rules, (r) => `${r.scheme}|${r.category}`).map((r) => [
        r.scheme,
        r.category,
        r.name,
        r.parent,
        r.note,
      ]),
    },
    {
      table: 'hs_category_rules',
      columns: ['scheme', 'category', 'editions', 'include', 'exclude'],
      rows: rules.map((r) => [
        r.scheme,
        r.category,
        r.editions?.join(' ') ?? null,
        r.include.join(' '),
        r.exclude.join(' ') || null,
      ]),
    },
    {
      table: 'hs_code_categories',
      columns: ['edition', 'code', 'scheme', 'category'],
      rows: memberships.map((m) => [m.edition, m.code, m.scheme, m.category]),
    },
  ];
}

function dedupe<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
