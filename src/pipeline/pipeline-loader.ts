/**
 * Finds and validates a pipeline by name, pipelines/<name>.pipeline.ts under the working
 * folder, or by the path of its file (`pipelines/nightly.pipeline.ts`, `../other/x.pipeline.js`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, describeError } from '../errors.ts';
import { isBundled, PROJECT_ROOT } from '../runtime.ts';
import { type Pipeline, pipelineSchema } from './define-pipeline.ts';

export const PIPELINE_DIR = 'pipelines';
const SUFFIX = '.pipeline.ts';

export function pipelineNames(root: string = process.cwd()): string[] {
  const dir = join(root, PIPELINE_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/**
 * Imports a pipeline file. Pipelines are TypeScript: the bundled CLI has tsx import them as ES
 * modules whatever folder they sit in (a folder without a package.json would otherwise make
 * them CommonJS); run from source, the TypeScript loader is already there.
 */
async function importPipeline(path: string): Promise<unknown> {
  const url = pathToFileURL(path).href;
  if (!isBundled) return ((await import(url)) as { default?: unknown }).default;
  const { tsImport } = await import('tsx/esm/api');
  const exported = ((await tsImport(url, import.meta.url)) as { default?: unknown }).default;
  // Outside a `"type": "module"` package tsx compiles the file to CommonJS, and the default
  // export arrives wrapped once more: { default: pipeline }.
  const wrapped = exported as { default?: unknown; __esModule?: boolean } | null;
  return wrapped !== null && typeof wrapped === 'object' && 'default' in wrapped && !('name' in wrapped)
    ? wrapped.default
    : exported;
}

/** The files a relative specifier may name for tsx: as written, with an extension, `.js` for `.ts`, an index. */
const candidatesOf = (resolved: string): string[] => [
  resolved,
  ...['.ts', '.mts', '.js', '.mjs', '.json'].map((extension) => resolved + extension),
  resolved.replace(/\.(m?)js$/, '.$1ts'),
  ...['index.ts', 'index.js'].map((index) => join(resolved, index)),
];

/**
 * The first relative import of a pipeline file that names no file, read from its text once the
 * import failed: a pipeline copied out of the project otherwise fails inside the module loader,
 * with a message that names neither the import nor the fix. Comments and type-only imports
 * (erased before the file runs) are left out.
 */
function missingRelativeImport(path: string): { specifier: string; resolved: string } | null {
  const code = readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(
    /^\s*(?:import|export)(\s+type\b)?[^;'"]*?\bfrom\s+['"](\.\.?\/[^'"]+)['"]/gm,
  )) {
    if (m[1] !== undefined) continue;
    const resolved = resolve(dirname(path), m[2]!);
    if (!candidatesOf(resolved).some((candidate) => existsSync(candidate)))
      return { specifier: m[2]!, resolved };
  }
  return null;
}

/** A pipeline file's name, as a path names it: `pipelines/x.pipeline.ts`, or any `*.pipeline.js`. */
const PIPELINE_FILE = /\.pipeline\.(ts|js|mts|mjs)$/;

/** Whether `corridor run` was given a pipeline's file rather than its name. */
export function isPipelinePath(nameOrPath: string): boolean {
  // A pipeline's name has no dot and no slash (define-pipeline.ts): anything else is a file.
  return /[.\\/]/.test(nameOrPath);
}

/**
 * @param nameOrPath a pipeline's name (pipelines/<name>.pipeline.ts under `root`), or the path
 *   of a `*.pipeline.ts` / `*.pipeline.js` file, relative to `root`.
 */
export async function loadPipeline(nameOrPath: string, root: string = process.cwd()): Promise<Pipeline> {
  const byPath = isPipelinePath(nameOrPath);
  const path = byPath ? resolve(root, nameOrPath) : resolve(root, PIPELINE_DIR, `${nameOrPath}${SUFFIX}`);
  const known = () => {
    const names = pipelineNames(root);
    return names.length > 0 ? `Pipelines here: ${names.join(', ')}.` : '';
  };
  if (byPath && !PIPELINE_FILE.test(path))
    throw new ConfigError(
      `${path} is not a pipeline file: a pipeline's file name ends in ${SUFFIX} (or .pipeline.js). ${known()}`.trim(),
      { code: 'unknown_pipeline' },
    );
  const name = byPath ? basename(path).replace(PIPELINE_FILE, '') : nameOrPath;
  if (!existsSync(path)) {
    throw new ConfigError(
      byPath
        ? `No pipeline file ${path}: it does not exist. ${known() || `No pipelines in ${join(root, PIPELINE_DIR)} either.`}`
        : `No pipeline "${name}": ${path} does not exist. ${known() || `Create ${PIPELINE_DIR}/${name}${SUFFIX}, or run from the project folder.`}`,
      { code: 'unknown_pipeline' },
    );
  }
  let exported: unknown;
  try {
    exported = await importPipeline(path);
  } catch (cause) {
    const unresolved = missingRelativeImport(path);
    if (unresolved !== null)
      throw new ConfigError(
        `Pipeline file ${path} does not load: it imports "${unresolved.specifier}", which would be ${unresolved.resolved}, and there is no such file. A pipeline imports definePipeline from this project: keep the file in ${join(PROJECT_ROOT, PIPELINE_DIR)}, or import it from "${pathToFileURL(join(PROJECT_ROOT, 'src', 'pipeline', 'define-pipeline.ts')).href}".`,
        { code: 'bad_pipeline', cause },
      );
    throw new ConfigError(`Pipeline file ${path} does not load: ${describeError(cause)}`, {
      code: 'bad_pipeline',
      cause,
    });
  }
  const parsed = pipelineSchema.safeParse(exported);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(
      `Invalid pipeline ${path}:\n${problems}\nFix the file; every key is documented in src/pipeline/define-pipeline.ts${parsed.error.issues.some((i) => i.path.includes('table')) ? ", and a table layout's in sources/table/table-options.ts" : ''}.`,
      { code: 'bad_pipeline' },
    );
  }
  if (parsed.data.name !== name) {
    throw new ConfigError(
      `Pipeline file ${path} names itself "${parsed.data.name}"; the name must match the file name ("${name}").`,
      { code: 'bad_pipeline' },
    );
  }
  return parsed.data;
}
