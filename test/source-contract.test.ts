/**
 * One source contract, with provenance (issue 18, point 6): every source declares its
 * publisher, licence, URL, what a file covers and the flows, units and periods it reads beside
 * its reader; `corridor sources`, the dictionary and the README's table are written from those
 * declarations; each load records the provenance it was loaded with, so a warehouse holding the
 * bundled samples and a real extract says which rows came from which, and so do its exports.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createPortTableSource } from '../sources/port-table/port-table.source.ts';
import { readmeWithSources, SOURCES_BEGIN, SOURCES_END } from '../src/docs/source-listing.ts';
import { loadPipeline } from '../src/pipeline/pipeline-loader.ts';
import { sourceDeclarations, sourceNames } from '../src/pipeline/source-registry.ts';
import { PERIOD_KINDS, PORT_DIRECTIONS, TRADE_FLOWS } from '../src/validate/source-about.ts';
import { csvText, PLUS_HEADER, plusRow } from './helpers/comtrade-csv.ts';
import { writePipelineProject } from './helpers/pipeline-project.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { query, scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();

interface PackageLicense {
  name?: string;
  path?: string;
  title: string;
  redistribution?: string;
  attribution?: string;
}
interface Citation {
  source: string;
  publisher: string | null;
  licence: string | null;
  redistribution: string;
  illustrative: boolean;
  declaredBy: string;
  loads: number[];
}
interface Resource {
  name: string;
  sources: { title: string; path?: string }[];
  licenses: PackageLicense[];
  provenance?: Citation[];
}
interface DataPackage {
  resources: Resource[];
  sources: { title: string; path?: string }[];
  licenses: PackageLicense[];
}

const readPackage = (folder: string) =>
  JSON.parse(readFileSync(join(folder, 'datapackage.json'), 'utf8')) as DataPackage;

describe('the declarations', () => {
  const declarations = sourceDeclarations();

  it('lists every source a user can name, each with a publisher, a licence and what it reads', () => {
    expect(declarations.map((d) => d.name)).toEqual(sourceNames());
    for (const { name, target, about } of declarations) {
      const where = `source ${name}`;
      expect(about.dataset, where).not.toBe('');
      expect(about.fileCovers, where).not.toBe('');
      expect(about.licence.title, where).not.toBe('');
      expect(about.units.length, where).toBeGreaterThan(0);
      expect(about.periods.length, where).toBeGreaterThan(0);
      for (const period of about.periods) expect(PERIOD_KINDS, where).toContain(period);
      const flows: readonly string[] = target === 'port_throughput' ? PORT_DIRECTIONS : TRADE_FLOWS;
      expect(about.flows.length, where).toBeGreaterThan(0);
      for (const flow of about.flows) expect(flows, where).toContain(flow);
      if (name === 'table' || name === 'port-table' || name === 'world-totals') {
        // Who publishes a pipeline's table is the pipeline's to say, a world-totals file's the
        // user's (its source_note): unknown, never guessed.
        expect(about.publisher, where).toBeNull();
        expect(about.licence.id, where).toBeNull();
        expect(about.licence.redistribution, where).toBe('unknown');
        expect(about.declaredBy, where).toBe('nobody');
      } else {
        expect(about.publisher, where).toEqual(expect.any(String));
        expect(about.licence.id, where).toEqual(expect.any(String));
      }
    }
  });

  it("cites the bundled samples as Corridor's invented figures, and the publishers as themselves", () => {
    const about = (name: string) => declarations.find((d) => d.name === name)!.about;
    expect(about('sample-comtrade')).toMatchObject({
      publisher: 'Corridor',
      illustrative: true,
      licence: { id: 'Apache-2.0', redistribution: 'allowed' },
    });
    expect(about('sample-comtrade').dataset).toMatch(/illustrative samples in the layout of UN Comtrade/);
    expect(about('comtrade')).toMatchObject({
      illustrative: false,
      licence: { redistribution: 'not allowed' },
    });
    expect(about('baci').licence.id).toBe('etalab-2.0');
    for (const bureau of ['kz-bns', 'kg-nsc', 'uz-stat'])
      expect(about(bureau).licence).toMatchObject({ id: 'LicenseRef-unstated', redistribution: 'unknown' });
  });

  it('lists the port-table source with the coverage its reader declares', async () => {
    const pipeline = await loadPipeline('ports', PROJECT_ROOT);
    const entry = pipeline.sources.find((s) => s.portTable?.name === 'hk-marine-department')!;
    const reader = createPortTableSource(entry.portTable!);
    expect(declarations.find((d) => d.name === 'port-table')!.coverage).toEqual(reader.coverage);
  });
});

describe('corridor sources', () => {
  it('lists each source with its target, publisher, licence, coverage, flows, units and periods', async () => {
    const run = await cli(['sources']);
    expect(run.code, run.stderr).toBe(0);
    for (const name of sourceNames()) expect(run.stdout).toMatch(new RegExp(`^${name} → `, 'm'));
    const comtrade = run.stdout.slice(run.stdout.indexOf('comtrade → '), run.stdout.indexOf('\n\n'));
    expect(comtrade).toMatch(/^ {2}publisher +United Nations Statistics Division \(UNSD\)/m);
    expect(comtrade).toMatch(/^ {2}licence +LicenseRef-UN-Comtrade-terms: /m);
    expect(comtrade).toMatch(/^ {2}redistribution +not allowed$/m);
    expect(comtrade).toMatch(/^ {2}a file covers +nothing it can know/m);
    expect(comtrade).toMatch(/^ {2}flows +X, M, RX, RM/m);
    expect(comtrade).toMatch(/^ {2}periods +annual, monthly$/m);
    expect(run.stdout).toMatch(/^ {2}publisher +declared by the pipeline entry's `about:`/m);
  });

  it('gives every declaration whole as JSON', async () => {
    for (const args of [
      ['sources', '--format', 'json'],
      ['sources', '--json'],
    ]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(0);
      const listed = JSON.parse(run.stdout) as {
        name: string;
        target: string;
        licence: { id: string | null };
      }[];
      expect(listed.map((s) => s.name)).toEqual(sourceNames());
      expect(listed.find((s) => s.name === 'baci')).toMatchObject({
        target: 'trade_flows',
        coverage: ['edition', 'period'],
        publisher: 'CEPII',
        licence: { id: 'etalab-2.0' },
        declaredBy: 'source',
      });
    }
  });

  it('refuses a format it does not write, with exit code 2', async () => {
    const run = await cli(['sources', '--format', 'xml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Invalid value for option "--format": "xml"\. Use table or json\./);
  });
});

describe("docs/sources.md's table of sources", () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'docs', 'sources.md'), 'utf8');

  it('is the one the declarations write (npm run docs:sources)', () => {
    expect(readme).toContain(SOURCES_BEGIN);
    expect(
      readmeWithSources(readme, sourceDeclarations()),
      'README.md is stale: run npm run docs:sources',
    ).toBe(readme);
  });

  it('goes stale when a declaration changes, and names what is missing without its markers', () => {
    const changed = sourceDeclarations().map((d) =>
      d.name === 'baci' ? { ...d, about: { ...d.about, publisher: 'Someone else' } } : d,
    );
    const written = readmeWithSources(readme, changed);
    expect(written).not.toBe(readme);
    expect(written).toContain('[Someone else](http://www.cepii.fr/');
    expect(() => readmeWithSources(readme.replace(SOURCES_END, ''), changed)).toThrow(/sources:begin/);
  });
});

/** A small Comtrade extract, as a user downloads it: Pakistan's 2022 exports to three partners. */
function writeRealExtract(dir: string): string {
  const path = join(dir, 'pak_exports_2022.csv');
  const row = (code: number, iso: string, name: string, value: number) =>
    plusRow({
      refYear: 2022,
      period: '2022',
      partnerCode: code,
      partnerISO: iso,
      partnerDesc: name,
      fobvalue: value,
      primaryValue: value,
    });
  writeFileSync(
    path,
    csvText(PLUS_HEADER, [
      row(156, 'CHN', 'China', 2_500_000_000),
      row(784, 'ARE', 'United Arab Emirates', 1_700_000_000),
      row(398, 'KAZ', 'Kazakhstan', 81_000_000),
    ]),
  );
  return path;
}

describe('provenance per load', () => {
  it('tells the bundled samples from a real extract, in the journal, row_provenance and the export', async () => {
    const db = join(tmp(), 'w.db');
    const samples = await cli(['run', 'nightly', '--db', db, '--quiet']);
    expect(samples.code, samples.stderr).toBe(0);
    const extract = writeRealExtract(tmp());
    const real = await cli(['load', extract, '--source', 'comtrade', '--db', db, '--quiet']);
    expect(real.code, real.stderr).toBe(0);

    const loads = query<Record<string, unknown>>(
      db,
      `select load_id, source, publisher, licence_id, redistribution, illustrative, provenance_by
         from load_files where status = 'loaded' order by load_id`,
    );
    const realLoad = loads.find((l) => l.source === 'comtrade')!;
    expect(realLoad).toMatchObject({
      publisher: 'United Nations Statistics Division (UNSD)',
      licence_id: 'LicenseRef-UN-Comtrade-terms',
      redistribution: 'not allowed',
      illustrative: 0,
      provenance_by: 'source',
    });
    const sampleLoads = loads.filter((l) => l.source !== 'comtrade');
    expect(sampleLoads.length).toBeGreaterThan(0);
    for (const l of sampleLoads)
      expect(l).toMatchObject({ publisher: 'Corridor', licence_id: 'Apache-2.0', illustrative: 1 });

    // Every current row is counted once, under the load that gave it its value.
    const counted = query<{ publisher: string; illustrative: number; rows: number }>(
      db,
      `select publisher, illustrative, sum(row_count) as rows from row_provenance
        where fact_table = 'trade_flows' group by 1, 2 order by 1`,
    );
    const byPublisher = query<{ publisher: string; rows: number }>(
      db,
      `select case when source = 'comtrade' then 'United Nations Statistics Division (UNSD)' else 'Corridor' end as publisher,
              count(*) as rows from trade_flows group by 1 order by 1`,
    );
    expect(counted).toEqual(
      byPublisher.map((r) => ({ ...r, illustrative: r.publisher === 'Corridor' ? 1 : 0 })),
    );
    expect(scalar(db, "select sum(row_count) from row_provenance where source = 'comtrade'")).toBe(3);

    // The export of trade_flows cites both publishers with their licences, and which loads.
    const out = join(tmp(), 'out');
    const exported = await cli(['export', 'trade_flows', '--out', `${out}/`, '--db', db, '--quiet']);
    expect(exported.code, exported.stderr).toBe(0);
    const pkg = readPackage(out);
    const [resource] = pkg.resources;
    expect(resource!.sources).toEqual(
      expect.arrayContaining([
        {
          title: 'UN Comtrade, United Nations Statistics Division (UNSD)',
          path: 'https://comtradeplus.un.org',
        },
        expect.objectContaining({
          title: expect.stringMatching(/illustrative samples in the layout of UN Comtrade/),
        }),
        expect.objectContaining({
          title: expect.stringMatching(/illustrative samples in the layout of CEPII BACI/),
        }),
      ]),
    );
    for (const licences of [resource!.licenses, pkg.licenses]) {
      expect(licences).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'LicenseRef-UN-Comtrade-terms', redistribution: 'not allowed' }),
          expect.objectContaining({ name: 'Apache-2.0', redistribution: 'allowed' }),
        ]),
      );
    }
    expect(pkg.sources.map((s) => s.title)).toContain(
      'UN Comtrade, United Nations Statistics Division (UNSD)',
    );
    const cited = resource!.provenance!;
    expect(cited.find((c) => c.source === 'comtrade')).toEqual({
      source: 'comtrade',
      target: 'trade_flows',
      dataset: 'UN Comtrade',
      publisher: 'United Nations Statistics Division (UNSD)',
      licence: 'LicenseRef-UN-Comtrade-terms',
      redistribution: 'not allowed',
      illustrative: false,
      declaredBy: 'source',
      loads: [realLoad.load_id],
    });
    expect(
      cited
        .filter((c) => c.illustrative)
        .flatMap((c) => c.loads)
        .sort(),
    ).toEqual(sampleLoads.map((l) => l.load_id).sort());

    // Rows of the real extract alone cite its publisher alone: the loads are the rows' own.
    const only = join(tmp(), 'only-real');
    const queried = await cli([
      'export',
      '--query',
      "select reporter_iso3, partner_iso3, period, value_usd, load_id from trade_flows where source = 'comtrade' order by 2",
      '--out',
      join(only, 'real.csv'),
      '--db',
      db,
      '--quiet',
    ]);
    expect(queried.code, queried.stderr).toBe(0);
    const onlyReal = readPackage(only).resources[0]!;
    expect(onlyReal.licenses.map((l) => l.name)).toEqual(['LicenseRef-UN-Comtrade-terms']);
    expect(onlyReal.provenance!.map((c) => [c.source, c.loads])).toEqual([['comtrade', [realLoad.load_id]]]);
  });

  it('cites loads journalled before provenance was recorded by what their source declares today', async () => {
    const db = join(tmp(), 'old.db');
    const extract = writeRealExtract(tmp());
    const load = await cli(['load', extract, '--source', 'comtrade', '--db', db, '--quiet']);
    expect(load.code, load.stderr).toBe(0);
    // As a warehouse from before migration 0012 holds them: nothing recorded.
    const sqlite = new Database(db);
    sqlite.exec(
      'update load_files set dataset = null, publisher = null, source_url = null, licence_id = null, licence = null, licence_url = null, redistribution = null, attribution = null, illustrative = null, provenance_by = null',
    );
    sqlite.close();
    const out = join(tmp(), 'old-out');
    const run = await cli(['export', 'trade_flows', '--out', `${out}/`, '--db', db, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const [resource] = readPackage(out).resources;
    expect(resource!.licenses).toEqual([expect.objectContaining({ name: 'LicenseRef-UN-Comtrade-terms' })]);
    expect(resource!.provenance).toEqual([
      expect.objectContaining({
        source: 'comtrade',
        declaredBy: 'not recorded',
        redistribution: 'not allowed',
      }),
    ]);
  });
});

describe("a pipeline's tables", () => {
  it('record the publisher and licence their entry declares, and say when it declares none', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'data'));
    copyFileSync(
      join(PROJECT_ROOT, 'sources', 'table', 'samples', 'pk_exports_by_country_illustrative.csv'),
      join(dir, 'data', 'pk_exports.csv'),
    );
    const table = (name: string) => ({
      name,
      columns: { country: { labels: ['Country'] } },
      wide: { kind: 'periods', into: 'period', value: 'value' },
      aggregates: { column: 'country', totals: ['Total listed'], position: 'after' },
      map: {
        reporter: { value: 'PAK' },
        partner: { column: 'country' },
        flow: { value: 'X' },
        period: { column: 'period' },
        value: { column: 'value' },
      },
    });
    writePipelineProject(dir, {
      name: 'declared-tables',
      sources: [
        { source: 'table', files: ['data/pk_exports.csv'], table: table('pk-undeclared') },
        {
          source: 'table',
          files: ['data/pk_exports.csv'],
          table: table('pk-declared'),
          about: {
            publisher: 'Example Statistics Office',
            url: 'https://stats.example.org',
            licence: {
              id: 'CC-BY-4.0',
              title: 'Creative Commons Attribution 4.0',
              redistribution: 'allowed',
            },
          },
        },
      ],
    });
    const db = join(dir, 'w.db');
    const run = await cli(['run', 'declared-tables', '--db', db, '--quiet', '--no-derive'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(
      query(
        db,
        'select source, publisher, licence_id, redistribution, provenance_by from load_files order by source',
      ),
    ).toEqual([
      {
        source: 'pk-declared',
        publisher: 'Example Statistics Office',
        licence_id: 'CC-BY-4.0',
        redistribution: 'allowed',
        provenance_by: 'pipeline',
      },
      {
        source: 'pk-undeclared',
        publisher: null,
        licence_id: null,
        redistribution: 'unknown',
        provenance_by: 'nobody',
      },
    ]);
    const out = join(dir, 'out');
    const exported = await cli(['export', 'trade_flows', '--out', `${out}/`, '--db', db, '--quiet'], dir);
    expect(exported.code, exported.stderr).toBe(0);
    const [resource] = readPackage(out).resources;
    expect(resource!.sources).toEqual([
      { title: 'Example Statistics Office', path: 'https://stats.example.org' },
      { title: expect.stringMatching(/^"pk-undeclared": .*its publisher was not declared/) },
    ]);
    expect(resource!.licenses).toEqual([
      expect.objectContaining({ name: 'CC-BY-4.0', redistribution: 'allowed' }),
      expect.objectContaining({ name: 'LicenseRef-undeclared', redistribution: 'unknown' }),
    ]);
  });

  it('refuses `about` on a source that declares its own publisher', async () => {
    const dir = tmp();
    writePipelineProject(dir, {
      name: 'comtrade-about',
      sources: [{ source: 'comtrade', files: ['x.csv'], about: { publisher: 'Not UNSD' } }],
    });
    const run = await cli(['run', 'comtrade-about', '--db', join(dir, 'w.db')], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/only the table and port-table sources take `about`/);
  });
});
