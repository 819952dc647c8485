/**
 * A pipeline says what to pull and where it lands; it holds no logic. Pipeline files live in
 * pipelines/<name>.pipeline.ts and export `definePipeline({...})` as default. Unknown keys are
 * errors, so a typo in a nightly job fails loudly instead of being ignored.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { portTableOptionsSchema } from '../../sources/port-table/port-table-options.ts';
import { tableOptionsSchema } from '../../sources/table/table-options.ts';
import { checkSettingsSchema } from '../check/check-settings.ts';
import { EXPORT_FORMATS } from '../export/table-writer.ts';
import { EDITION_CODE_HINT, isEditionCode } from '../normalize/hs-edition-inference.ts';
import { encodingNamed } from '../read/byte-sniffer.ts';
import { alertsSchema } from '../schedule/alert-config.ts';
import { pipelineAboutSchema } from '../validate/source-about.ts';

function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const sourceEntry = z
  .strictObject({
    /** Name of the source format that reads these files: `comtrade`, `baci`. */
    source: z.string().min(1),
    /**
     * Files to load: paths or globs, relative to the project folder, or http(s) URLs, which are
     * downloaded into the landing area first. `{year}` and `{month}` are filled in for every
     * period of the pipeline's `periods` (or of `--from`/`--to`).
     * @example ['downloads/comtrade/*.csv', 'https://example.org/ports/{year}-{month}.xlsx']
     */
    files: z.array(z.string().min(1)).min(1),
    /** Text encoding when detection is not wanted: `utf-8`, `latin1` (Windows-1252), `utf-16le`, `utf-16be`. Detected by default. */
    encoding: z
      .string()
      .refine((name) => encodingNamed(name) !== null, { message: 'use utf-8, latin1, utf-16le or utf-16be' })
      .optional(),
    /**
     * For `source: 'table'`: the table's layout and how its columns fill a trade flow (docs/adding-a-source.md,
     * "Loading a new table layout").
     */
    table: tableOptionsSchema.optional(),
    /**
     * For `source: 'port-table'`: the port table's layout and how its columns fill
     * port_throughput (docs/adding-a-source.md, "Loading a port's own tables").
     */
    portTable: portTableOptionsSchema.optional(),
    /**
     * What one of these files covers completely, when the source cannot know it (a Comtrade
     * extract answers a query the loader never saw): rows of earlier loads inside a scope the
     * file holds, that it no longer holds, are retired. Dimensions of the fact table:
     * `reporter`, `partner`, `period`, `flow`, `freq`, `edition` (trade); `port`, `period`,
     * `direction`, `unit`, `cargo_group` (ports). Without it, loads merge only.
     * @example ['reporter', 'period', 'flow']
     */
    replaceScope: z.array(z.string().min(1)).min(1).optional(),
    /**
     * The publisher's release these files belong to, when neither the file nor its name says
     * (`2024-06`, `rev. 3`): stored with each load; `corridor sql --as-of` accepts it.
     */
    release: z.string().min(1).optional(),
    /**
     * The HS edition of files whose classification says only "HS" (`H0` HS 1992 … `H6` HS 2022).
     * Left out, it is inferred from the codes and the period (docs/hs-editions.md); declared, a
     * code outside it, or a row stating another edition, fails the file.
     * @example 'H5'
     */
    edition: z
      .string()
      .transform((e) => e.trim().toUpperCase())
      .refine(isEditionCode, { message: EDITION_CODE_HINT })
      .optional(),
    /**
     * What these files' tables do not say, or say wrongly, declared by the user (docs/reading-tables.md, "What a
     * table says"): the flow (`X`, `M`), the unit ("thousand US dollars"), the period (`2023`).
     * A declaration that contradicts the file is refused unless `override` is true.
     */
    declare: z
      .strictObject({
        flow: z.string().min(1).optional(),
        unit: z.string().min(1).optional(),
        period: z.string().min(1).optional(),
        override: z.boolean().optional(),
      })
      .optional(),
    /**
     * For `table` and `port-table`: who publishes these files and on which terms, as
     * `corridor sources`, the journal and datapackage.json then say. Left out, the publisher
     * and licence are shown as not declared. The other sources declare their own.
     * @example { publisher: 'Karachi Port Trust', url: 'https://kpt.gov.pk', licence: { title: 'no licence stated: cite KPT' } }
     */
    about: pipelineAboutSchema.optional(),
  })
  .refine((entry) => entry.about === undefined || entry.source === 'table' || entry.source === 'port-table', {
    message:
      'only the table and port-table sources take `about`: the other sources declare their publisher and licence themselves (corridor sources lists them)',
    path: ['about'],
  })
  .refine((entry) => (entry.source === 'table') === (entry.table !== undefined), {
    message: "source 'table' needs a `table` layout, and only it takes one",
    path: ['table'],
  })
  .refine((entry) => (entry.source === 'port-table') === (entry.portTable !== undefined), {
    message: "source 'port-table' needs a `portTable` layout, and only it takes one",
    path: ['portTable'],
  });

const periodText = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'write a year (2019) or a month (2019-03)');

/** How http(s) files are downloaded. Every key has a default. */
const fetchSchema = z.strictObject({
  /** Downloads at once. @default 4 */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** An attempt fails when the server sends nothing (headers, or the next bytes) for this long. @default 60 */
  timeoutSeconds: z.number().positive().default(60),
  /** Attempts after the first, on network errors, timeouts, HTTP 429 and 5xx. @default 4 */
  retries: z.number().int().min(0).max(20).default(4),
  /** First wait between attempts; it doubles each time, with jitter. @default 2 */
  backoffSeconds: z.number().min(0).default(2),
  /** Longest wait between attempts, a server's Retry-After included. @default 300 */
  maxBackoffSeconds: z.number().min(0).default(300),
  /** Largest file accepted, in megabytes (10^6 bytes); a larger one fails at once. @default 2000 */
  maxMegabytes: z.number().positive().default(2000),
  /**
   * Extra request headers, such as an API key. `${NAME}` is replaced by the environment
   * variable NAME when the run starts, so keys stay out of the pipeline file.
   * @example { 'Ocp-Apim-Subscription-Key': '${COMTRADE_KEY}' }
   */
  headers: z.record(z.string(), z.string()).default({}),
});

/** A file written after each run that loaded, for downstream tools (docs/downstream.md). */
const exportSchema = z
  .strictObject({
    /** A table or view to export whole, in its key's order. */
    table: z.string().min(1).optional(),
    /** Or a read-only query (give it an ORDER BY, so the file diffs cleanly day to day). */
    query: z.string().min(1).optional(),
    format: z.enum(EXPORT_FORMATS),
    /**
     * A file, or a folder (ending in `/`) for `<table>.<ext>`, relative to the project folder.
     * `{date}`, `{year}`, `{month}` (of the run's start, UTC) and `{run}` (its id) are filled in.
     * @example 'exports/{date}/'
     */
    path: z.string().min(1),
    /** Text exactly as stored, without the formula guard (CSV, XLSX). @default false */
    raw: z.boolean().optional(),
    /** For `format: 'sdmx'`: the dataflow the file is labelled with. */
    sdmx: z
      .strictObject({
        agency: z.string().min(1),
        dataflow: z.string().min(1),
        version: z.string().default('1.0'),
      })
      .optional(),
  })
  .refine((e) => (e.table === undefined) !== (e.query === undefined), {
    message: 'name a `table` or a `query`, one of the two',
  });

export const pipelineSchema = z.strictObject({
  /** Name used by `corridor run <name>` and in the journal; matches the file name. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
  /** One line for `corridor status` and the README. */
  description: z.string().default(''),
  /** What to load, in order. */
  sources: z.array(sourceEntry).min(1),
  /**
   * Cron expression for `corridor schedule`, in `timezone`.
   * @example '30 2 * * *'
   */
  schedule: z
    .string()
    .refine((expression) => cron.validate(expression), {
      message:
        "not a cron expression: write five fields, minute hour day-of-month month day-of-week ('30 2 * * *' is 02:30 every day), or six with seconds first",
    })
    .optional(),
  /** IANA time zone of the schedule: `Asia/Karachi`, `Asia/Almaty`. @default 'UTC' */
  timezone: z
    .string()
    .refine(isTimeZone, { message: "not a time zone: use an IANA name such as 'Asia/Karachi' or 'UTC'" })
    .default('UTC'),
  /**
   * Largest share of a file's rows that may be rejected before the run exits with code 3
   * (the rows still load). @default 0.05
   */
  rejectThreshold: z.number().min(0).max(1).default(0.05),
  /** Most rejects stored per file; past it they are counted, not kept. @default 10000 */
  rejectCap: z.number().int().positive().default(10_000),
  /**
   * The periods `{year}` and `{month}` in `files` are filled in for; `--from`/`--to` override
   * it. `to` defaults to the current year (or month).
   * @example { from: '2019' }
   */
  periods: z
    .strictObject({ from: periodText, to: z.union([periodText, z.literal('current')]).default('current') })
    .optional(),
  /** How http(s) files are downloaded. */
  fetch: fetchSchema.default(fetchSchema.parse({})),
  /**
   * When `corridor schedule` starts and finds that the last scheduled time passed without a
   * run (the machine was off), run once at start. @default false
   */
  catchUp: z.boolean().default(false),
  /**
   * Seconds a run's lock lasts without renewal: how long a crashed run keeps the next one out.
   * Renewed every third of it. @default 60
   */
  lockLeaseSeconds: z.number().min(1).default(60),
  /** Who to tell when a run fails, or its rejects pass the threshold. */
  alerts: alertsSchema.optional(),
  /**
   * Thresholds of the data-quality checks run after each refresh (docs/data-quality.md).
   * @example { tolerance: 0.01, shrinkFraction: 0.3 }
   */
  checks: checkSettingsSchema.optional(),
  /** Files to write after each run that loaded: tables or queries, in any export format. */
  exports: z.array(exportSchema).default([]),
});

export type PipelineInput = z.input<typeof pipelineSchema>;
export type Pipeline = Readonly<z.output<typeof pipelineSchema>>;

/**
 * @example
 * export default definePipeline({
 *   name: 'pak-kaz-trade',
 *   sources: [{ source: 'comtrade', files: ['downloads/pak_*.csv'] }],
 *   schedule: '30 2 * * *',
 *   timezone: 'Asia/Karachi',
 * });
 */
export function definePipeline(input: PipelineInput): PipelineInput {
  return input;
}
