/**
 * What the fuzzer mutates, and how each mutated file is loaded: the bundled samples (always
 * here), the real extracts in ../shared/data/fixtures (when beside the clone), and small files
 * written by the test helpers (a Comtrade+ CSV, a kg-nsc .xlsx by exceljs, a kz-bns .xls by
 * SheetJS, a uz-stat CSV). Files of the `port-table` and `table` sources need the layout their
 * pipeline declares: they load through `corridor run` of a one-entry pipeline, the others
 * through `corridor load --source`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pkExportsTable from '../../pipelines/pk-exports-table.pipeline.ts';
import ports from '../../pipelines/ports.pipeline.ts';
import { kgWorkbook, kzWorkbook, writeUzCsv } from './bureau-workbooks.ts';
import { csvText, PLUS_HEADER, tradeRow } from './comtrade-csv.ts';
import type { FileFormat } from './mutations.ts';
import { writePipelineProject } from './pipeline-project.ts';
import { PROJECT_ROOT } from './run-cli.ts';
import { HAS_SHARED_DATA, SHARED_DATA } from './shared-data.ts';

export interface FuzzSeed {
  /** A short name, unique in the corpus: kind + seed + this name replay a case. */
  readonly id: string;
  /** The file name the mutated bytes are written under (its extension is kept). */
  readonly fileName: string;
  readonly format: FileFormat;
  readonly bytes: Buffer;
  /** `corridor load --source` … */
  readonly source?: string;
  /** … or the pipeline entry (without `files`) that declares the file's layout. */
  readonly pipelineEntry?: Record<string, unknown>;
  /** Files the reader wants beside the data file (BACI's code lists), copied unchanged. */
  readonly companions?: readonly string[];
}

const SAMPLES = join(PROJECT_ROOT, 'sources');
const FIXTURES = join(SHARED_DATA, 'fixtures');

const formatOf = (name: string): FileFormat => {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'csv' || ext === 'json' || ext === 'xlsx' || ext === 'xls') return ext;
  throw new Error(`no fuzz format for ${name}`);
};

function fileSeed(
  id: string,
  path: string,
  how: Pick<FuzzSeed, 'source' | 'pipelineEntry' | 'companions'>,
): FuzzSeed {
  const fileName = basename(path);
  return { id, fileName, format: formatOf(fileName), bytes: readFileSync(path), ...how };
}

type PipelineSource = { files: readonly string[] } & Record<string, unknown>;
const entryOf = (pipeline: { sources: readonly unknown[] }, index: number): Record<string, unknown> => {
  const { files: _files, ...entry } = pipeline.sources[index] as PipelineSource;
  return entry;
};

/** The bundled samples: one per layout, present in every clone. */
function sampleSeeds(): FuzzSeed[] {
  const baci = join(SAMPLES, 'baci/samples');
  const port = join(SAMPLES, 'port-table/samples');
  return [
    fileSeed('pak-csv', join(SAMPLES, 'comtrade/samples/pak_trade_2019_2023_illustrative.csv'), {
      source: 'sample-comtrade',
    }),
    fileSeed('kaz-json', join(SAMPLES, 'comtrade/samples/kaz_trade_with_pak_2019_2023_illustrative.json'), {
      source: 'sample-comtrade',
    }),
    fileSeed('baci-csv', join(baci, 'BACI_HS17_Y2021_V202401b_illustrative.csv'), {
      source: 'sample-baci',
      companions: [join(baci, 'country_codes_V202401b.csv'), join(baci, 'product_codes_HS17_V202401b.csv')],
    }),
    fileSeed('kpt-xlsx', join(port, 'kpt_cargo_handled_FY2021-22_illustrative.xlsx'), {
      pipelineEntry: entryOf(ports, 0),
    }),
    fileSeed('pqa-xlsx', join(port, 'pqa_cargo_handled_FY2023-24_Jul-Jun_illustrative.xlsx'), {
      pipelineEntry: entryOf(ports, 1),
    }),
    fileSeed('hk-csv', join(port, 'hk_total_container_throughput_by_mode_of_transport_EN.csv'), {
      pipelineEntry: entryOf(ports, 2),
    }),
    fileSeed('table-csv', join(SAMPLES, 'table/samples/pk_exports_by_country_illustrative.csv'), {
      pipelineEntry: entryOf(pkExportsTable, 0),
    }),
  ];
}

/** The real extracts in ../shared/data/fixtures, when it is there (empty otherwise). */
function fixtureSeeds(): FuzzSeed[] {
  if (!HAS_SHARED_DATA) return [];
  const trade = (name: string) => join(FIXTURES, 'trade', name);
  const candidates: [string, string, string][] = [
    ['real-fra-deu-csv', trade('comtrade_FRA_DEU_0306_World_2020_H5.csv'), 'comtrade'],
    ['real-usa-csv', trade('comtrade_USA_imports_from_FRA_DEU_JPN_MEX_2018_2022_TOTAL.csv'), 'comtrade'],
    ['real-tha-csv', trade('comtrade_THA_shrimp_HS6_all_partners_2007_2011.csv'), 'comtrade'],
    ['real-chn-json', trade('comtrade_v1_get_C_A_HS_CHN_with_ARG_DEU_2010_TOTAL.json'), 'comtrade'],
    ['real-kz-xls', trade('kz_bns_foreign_trade_main_indicators_by_country_2021.xls'), 'kz-bns'],
    ['real-kz2019-xls', trade('kz_bns_foreign_trade_main_indicators_by_country_2019.xls'), 'kz-bns'],
    ['real-kg-xlsx', trade('kg_nsc_4.03.00.18_exports_by_country_geographic_distribution.xlsx'), 'kg-nsc'],
    ['real-uz-csv', trade('uz_stat_sdmx_1105_exports_by_country_2010_2023.csv'), 'uz-stat'],
  ];
  return candidates
    .filter(([, path]) => existsSync(path))
    .map(([id, path, source]) => fileSeed(id, path, { source }));
}

/** Small files written by the test helpers into `dir`. */
async function generatedSeeds(dir: string): Promise<FuzzSeed[]> {
  mkdirSync(dir, { recursive: true });
  const comtrade = join(dir, 'generated_comtrade_plus.csv');
  const rows = ['KAZ', 'CHN', 'UZB', 'AFG', 'TUR'].flatMap((partner, i) => [
    tradeRow({ partner, code: 'TOTAL', usd: 1000 * (i + 1), kg: 50 * (i + 1) }),
    tradeRow({ partner, flow: 'M', code: '0306', usd: 70 + i }),
  ]);
  writeFileSync(comtrade, csvText(PLUS_HEADER, rows));
  const kg = await kgWorkbook(join(dir, 'generated_kg_nsc.xlsx'));
  const kz = await kzWorkbook(join(dir, 'generated_kz_bns.xls'), { years: [2021, 2020] });
  const uz = writeUzCsv(join(dir, 'generated_uz_stat_1105.csv'), 'X');
  return [
    fileSeed('gen-plus-csv', comtrade, { source: 'comtrade' }),
    fileSeed('gen-kg-xlsx', kg, { source: 'kg-nsc' }),
    fileSeed('gen-kz-xls', kz, { source: 'kz-bns' }),
    fileSeed('gen-uz-csv', uz, { source: 'uz-stat' }),
  ];
}

/** Every seed: samples, real fixtures (when present), generated files (written under `dir`). */
export async function fuzzSeeds(dir: string): Promise<FuzzSeed[]> {
  return [...sampleSeeds(), ...fixtureSeeds(), ...(await generatedSeeds(dir))];
}

export interface LoadInvocation {
  readonly args: readonly string[];
  readonly cwd: string;
}

/**
 * Writes `bytes` as the seed's file in `dir` (with its companions) and says how to load it into
 * `db`: a pipeline seed gets `<dir>/pipelines/fuzz-<id>.pipeline.ts`, the same body for every
 * mutation of that seed (a process imports a pipeline once).
 */
export function prepareLoad(seed: FuzzSeed, bytes: Buffer, dir: string, db: string): LoadInvocation {
  const input = join(dir, 'input');
  mkdirSync(input, { recursive: true });
  const path = join(input, seed.fileName);
  writeFileSync(path, bytes);
  for (const companion of seed.companions ?? []) copyFileSync(companion, join(input, basename(companion)));
  const common = ['--db', db, '--no-derive', '--quiet'];
  if (seed.pipelineEntry === undefined)
    return { args: ['load', path, '--source', seed.source ?? '', ...common], cwd: dir };
  const name = `fuzz-${seed.id}`;
  if (!existsSync(join(dir, 'pipelines', `${name}.pipeline.ts`)))
    writePipelineProject(dir, { name, sources: [{ ...seed.pipelineEntry, files: [path] }] });
  return { args: ['run', name, ...common], cwd: dir };
}
