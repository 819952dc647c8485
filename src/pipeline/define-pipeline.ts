/**
 * A pipeline says what to pull and where it lands; it holds no logic. Pipeline files live in
 * pipelines/<name>.pipeline.ts and export `definePipeline({...})` as default. Unknown keys are
 * errors, so a typo in a nightly job fails loudly instead of being ignored.
 */
import { z } from 'zod';
import { portTableOptionsSchema } from '../../sources/port-table/port-table-options.ts';
import { tableOptionsSchema } from '../../sources/table/table-options.ts';
import { encodingNamed } from '../read/byte-sniffer.ts';

const sourceEntry = z
  .strictObject({
    /** Name of the source format that reads these files: `comtrade`, `baci`. */
    source: z.string().min(1),
    /**
     * Files to load: paths or globs, relative to the pipeline file's project folder.
     * @example ['downloads/comtrade/*.csv']
     */
    files: z.array(z.string().min(1)).min(1),
    /** Text encoding when detection is not wanted: `utf-8`, `latin1` (Windows-1252), `utf-16le`, `utf-16be`. Detected by default. */
    encoding: z
      .string()
      .refine((name) => encodingNamed(name) !== null, { message: 'use utf-8, latin1, utf-16le or utf-16be' })
      .optional(),
    /**
     * For `source: 'table'`: the table's layout and how its columns fill a trade flow (README,
     * "Loading a new table layout").
     */
    table: tableOptionsSchema.optional(),
    /**
     * For `source: 'port-table'`: the port table's layout and how its columns fill
     * port_throughput (README, "Port throughput").
     */
    portTable: portTableOptionsSchema.optional(),
  })
  .refine((entry) => (entry.source === 'table') === (entry.table !== undefined), {
    message: "source 'table' needs a `table` layout, and only it takes one",
    path: ['table'],
  })
  .refine((entry) => (entry.source === 'port-table') === (entry.portTable !== undefined), {
    message: "source 'port-table' needs a `portTable` layout, and only it takes one",
    path: ['portTable'],
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
  schedule: z.string().optional(),
  /** IANA time zone of the schedule. @default 'UTC' */
  timezone: z.string().default('UTC'),
  /**
   * Largest share of a file's rows that may be rejected before the run exits with code 3
   * (the rows still load). @default 0.05
   */
  rejectThreshold: z.number().min(0).max(1).default(0.05),
  /** Most rejects stored per file; past it they are counted, not kept. @default 10000 */
  rejectCap: z.number().int().positive().default(10_000),
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
