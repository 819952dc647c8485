/**
 * Dependencies run one way (DESIGN.md, layout): cli → pipeline, schedule and the console (serve) → sources → the
 * stages (extract, read, layout, validate, normalize, reference, load, derive, check, export, query,
 * docs, chart) → db → the definitions (warehouse/, src/*.ts). A module may import its own layer or a
 * lower one; a step back fails here, naming the file and the import. And the database driver is
 * imported by src/db/ alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/run-cli.ts';

const LAYERS: readonly (readonly string[])[] = [
  ['warehouse', 'src/(root)'],
  ['src/db'],
  [
    'src/extract',
    'src/read',
    'src/layout',
    'src/validate',
    'src/normalize',
    'src/reference',
    'src/load',
    'src/derive',
    'src/check',
    'src/export',
    'src/query',
    'src/docs',
    'src/chart',
  ],
  ['sources'],
  // The console is a front end beside the pipeline: the CLI starts it, it reads through the stages.
  ['src/pipeline', 'src/schedule', 'src/serve'],
  ['src/cli'],
];

/**
 * Known steps back, each with its reason. A worker thread cannot be handed a source object (it
 * holds functions), so it looks the source up by name in the registry.
 */
const ALLOWED: readonly string[] = ['src/validate/map-worker.ts -> src/pipeline/source-registry.ts'];

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

function areaOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length === 2 ? 'src/(root)' : `src/${parts[1]}`;
  return parts[0]!;
}

const layerOf = (path: string) => LAYERS.findIndex((layer) => layer.includes(areaOf(path)));

const modules = ['src', 'sources', 'warehouse'].flatMap((folder) =>
  filesUnder(join(PROJECT_ROOT, folder)).map((path) => relative(PROJECT_ROOT, path)),
);

it('knows the layer of every module', () => {
  expect(modules.filter((m) => layerOf(m) < 0)).toEqual([]);
});

it('has no module that imports a higher layer', () => {
  const stepsBack: string[] = [];
  for (const module of modules) {
    for (const match of readFileSync(join(PROJECT_ROOT, module), 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = normalize(join(dirname(module), match[1]!));
      const edge = `${module} -> ${target}`;
      if (layerOf(target) > layerOf(module) && !ALLOWED.includes(edge)) stepsBack.push(edge);
    }
  }
  expect(stepsBack).toEqual([]);
});

it('imports the database driver in src/db/ alone', () => {
  const importers = [
    ...modules,
    ...filesUnder(join(PROJECT_ROOT, 'scripts')).map((p) => relative(PROJECT_ROOT, p)),
  ]
    .filter((m) => /from '(better-sqlite3|pg)'/.test(readFileSync(join(PROJECT_ROOT, m), 'utf8')))
    .filter((m) => !m.startsWith('src/db/'));
  expect(importers).toEqual([]);
});
