/**
 * One category vocabulary (issue 19 point 4): the shipped port cargo map, categories.csv and
 * category-unmatched.csv agree; a wrong copy of each is caught; every category's codes exist in
 * the nomenclature of every edition it claims; potash follows its written rule in every edition.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReferenceCsv } from '../src/load/reference-files.ts';
import {
  headingMismatches,
  nomenclatureGaps,
  type PortCommodityRow,
  vocabularyProblems,
} from '../src/reference/category-vocabulary.ts';
import { assignCategories, parseCategoryRules } from '../src/reference/hs-categories.ts';
import { buildCodes, HS_EDITIONS } from '../src/reference/hs-model.ts';
import { PROJECT_ROOT } from '../src/runtime.ts';
import { cli } from './helpers/run-cli.ts';

const cell = (text: string | undefined) => (text ?? '').trim() || null;
const ports: PortCommodityRow[] = readReferenceCsv('port-commodities.csv').rows.map((r) => ({
  label: r.label!.trim(),
  commodity: r.commodity!.trim(),
  hs_heading: cell(r.hs_heading),
  category: cell(r.category),
}));
const rules = parseCategoryRules(readReferenceCsv('categories.csv').rows);
const unmatched = readReferenceCsv('category-unmatched.csv').rows.map((r) => ({
  side: (r.side ?? '').trim(),
  name: (r.name ?? '').trim(),
  reason: (r.reason ?? '').trim(),
}));
const codes = buildCodes(
  [
    { edition: 'H6', rows: readReferenceCsv('hs/hs2022.csv').rows },
    { edition: 'H5', rows: readReferenceCsv('hs/hs2017.csv').rows },
  ],
  readReferenceCsv('hs/hs-correlations.csv').rows.map((r) => ({
    newer_edition: r.newer_edition!,
    newer_code: r.newer_code!,
    older_edition: r.older_edition!,
    older_code: r.older_code!,
    relationship: r.relationship!,
    origin: 'hs/hs-correlations.csv',
  })),
);
const memberships = assignCategories(codes, rules);
const subheadings = (category: string, edition: string) =>
  memberships
    .filter(
      (m) =>
        m.scheme === 'corridor' && m.category === category && m.edition === edition && m.code.length === 6,
    )
    .map((m) => m.code)
    .sort();

describe('port categories and HS categories: one vocabulary', () => {
  it('the shipped files agree: every port category is an HS category, every gap is listed with a reason', () => {
    expect(vocabularyProblems(ports, rules, unmatched)).toEqual([]);
  });

  it('fails on a port category of the old vocabulary, an unlisted gap, a stale line and a missing reason', () => {
    const wrong = ports.map((p) => (p.commodity === 'urea' ? { ...p, category: 'fertiliser' } : p));
    expect(vocabularyProblems(wrong, rules, unmatched)).toContain(
      'port-commodities.csv: label "Urea" has category "fertiliser", which is not a corridor category of categories.csv.',
    );
    const withoutContainers = unmatched.filter((u) => u.name !== 'containers');
    expect(vocabularyProblems(ports, rules, withoutContainers)).toEqual([
      'port commodity containers has no category: give it one of categories.csv or list it in category-unmatched.csv (side port) with a reason.',
    ]);
    const withoutZinc = unmatched.filter((u) => u.name !== 'zinc');
    expect(vocabularyProblems(ports, rules, withoutZinc)).toEqual([
      'HS category zinc has no port counterpart: map a port label to it in port-commodities.csv or list it in category-unmatched.csv (side hs) with a reason.',
    ]);
    const stale = [...unmatched, { side: 'hs', name: 'potash', reason: 'carried' }];
    expect(vocabularyProblems(ports, rules, stale)).toEqual([
      'category-unmatched.csv lists HS category potash, which port labels carry: remove the line.',
    ]);
    const noReason = unmatched.map((u) => (u.name === 'sulphur' ? { ...u, reason: '' } : u));
    expect(vocabularyProblems(ports, rules, noReason)).toEqual([
      'category-unmatched.csv: port sulphur gives no reason.',
    ]);
  });

  it("each label's HS heading shares codes with its category (and a coke-as-coal label is caught)", () => {
    for (const edition of ['H5', 'H6']) expect(headingMismatches(ports, memberships, edition)).toEqual([]);
    const coke = ports.map((p) => (p.commodity === 'coke' ? { ...p, category: 'coal' } : p));
    expect(headingMismatches(coke, memberships, 'H6')).toEqual([
      'port-commodities.csv: label "Coke" (HS 2704) shares no code with category coal.',
    ]);
  });

  it('corridor init refuses a port map whose category is not in categories.csv, naming the row and the fix', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'corridor-vocabulary-'));
    const saved = process.env.CORRIDOR_REFERENCE_DIR;
    try {
      const own = join(folder, 'reference');
      cpSync(join(PROJECT_ROOT, 'warehouse', 'reference'), own, { recursive: true });
      const file = join(own, 'port-commodities.csv');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'Urea,urea,dry_bulk,310210,nitrogenous_fertilizers',
          'Urea,urea,dry_bulk,310210,fertiliser',
        ),
      );
      process.env.CORRIDOR_REFERENCE_DIR = own;
      const init = await cli(['init', '--db', join(folder, 'w.db')]);
      expect(init.code).not.toBe(0);
      expect(init.stderr).toContain(
        'port-commodities.csv row 22: category "fertiliser" of "Urea" is not a corridor category of categories.csv',
      );
    } finally {
      if (saved === undefined) delete process.env.CORRIDOR_REFERENCE_DIR;
      else process.env.CORRIDOR_REFERENCE_DIR = saved;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('the categories the port-trade coverage can link include fertilizers, potash and petroleum', () => {
    const linked = new Set(ports.map((p) => p.category));
    for (const c of [
      'grain',
      'fertilizers',
      'potash',
      'crude_oil',
      'petroleum_products',
      'petroleum_gas',
      'iron_steel',
    ])
      expect(linked).toContain(c);
  });
});

describe('every category lists its HS codes per edition, all of them in the nomenclature', () => {
  it('has every edition H0 to H6 (and HS, the union for files that state none)', () => {
    expect([...codes.keys()].sort()).toEqual([...HS_EDITIONS, 'HS']);
  });

  it('every include and exclude code exists in each edition the rule claims, except the national chapter 98', () => {
    // Chapter 98 is national (special section): no edition of the HS has it, by design.
    expect(nomenclatureGaps(rules, codes).sort()).toEqual(HS_EDITIONS.map((e) => `special ${e} 98`));
    // And the check bites: 310410 claimed for HS 2022, where it no longer exists.
    const stale = parseCategoryRules([
      { scheme: 'corridor', category: 'potash', name: 'Potash', editions: 'H6', include: '310410' },
    ]);
    expect(nomenclatureGaps(stale, codes)).toEqual(['potash H6 310410']);
  });

  it('every corridor category has codes in every edition it claims', () => {
    const empty: string[] = [];
    for (const rule of rules.filter((r) => r.scheme === 'corridor'))
      for (const edition of rule.editions ?? HS_EDITIONS)
        if (subheadings(rule.category, edition).length === 0) empty.push(`${rule.category} ${edition}`);
    expect(empty).toEqual([]);
  });

  it('potash is 3104 and the 3105 subheadings whose text names potassium, edition by edition', () => {
    const perEdition = Object.fromEntries(HS_EDITIONS.map((e) => [e, subheadings('potash', e)]));
    const since2007 = ['310420', '310430', '310490', '310520', '310560'];
    expect(perEdition).toEqual({
      H0: ['310410', ...since2007],
      H1: ['310410', ...since2007],
      H2: ['310410', ...since2007],
      H3: since2007,
      H4: since2007,
      H5: since2007,
      H6: since2007,
    });
    // The rule, read from the nomenclature: 3105 subheadings naming potassium, not 310510 or 310590.
    const potassic = [...codes.get('H6')!.values()]
      .filter((c) => c.code.startsWith('3105') && c.level === 6 && /potassium/i.test(c.description ?? ''))
      .map((c) => c.code);
    expect(potassic).toEqual(['310520', '310560']);
    expect(perEdition.H6).not.toContain('310510');
    expect(perEdition.H6).not.toContain('310590');
    // Nitrogen-potassium mixtures stay in mixed fertilizers, and potash in fertilizers.
    expect(subheadings('mixed_fertilizers', 'H6')).toEqual(
      expect.arrayContaining(['310520', '310560', '310590']),
    );
    expect(subheadings('fertilizers', 'H6')).toEqual(expect.arrayContaining(since2007));
  });
});
