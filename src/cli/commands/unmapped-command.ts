/**
 * `corridor unmapped`: what could not be resolved, with counts and the files it came from:
 * codes and countries that rows were rejected for, loaded codes that do not convert into the
 * target HS edition, and loaded codes that fall in no HS section.
 */
import { ExitCode } from '../../errors.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

/** Reject codes that mean "a code or name Corridor could not resolve". */
const UNRESOLVED_CODES = [
  'unknown_port',
  'unknown_unit',
  'unknown_hs_code',
  'bad_hs_code',
  'unknown_country',
  'inconsistent_country',
  'unsupported_classification',
];

const SECTIONS = {
  rejected: {
    title: 'Rejected because a code or country could not be resolved (rows are in corridor rejects)',
    sql: `select r.code as problem, coalesce(r.column_name, '') as column_name, coalesce(r.value, '') as value,
            count(*) as rows, count(distinct r.file) as files, min(r.file) as example_file
          from rejects r
          join load_files f on f.load_id = r.load_id
          where r.code in (${UNRESOLVED_CODES.map((c) => `'${c}'`).join(', ')})
            and f.superseded_by is null
          group by 1, 2, 3 order by rows desc, value`,
  },
  unconverted: {
    title: 'Loaded codes with no conversion into the target HS edition (missing from trade_flows_converted)',
    sql: `select t.hs_edition, t.hs_code, count(*) as rows, count(distinct t.load_id) as files, min(f.path) as example_file
          from trade_flows t
          join load_files f on f.load_id = t.load_id
          where not exists (
            select 1 from hs_conversion c
            where c.from_edition = t.hs_edition and c.from_code = t.hs_code
              and c.to_edition = (select value from settings where key = 'target_hs_edition'))
          group by 1, 2 order by rows desc, 1, 2`,
  },
  uncategorised: {
    title: 'Loaded codes in no HS section (missing from trade_by_category)',
    // TOTAL is in no category by design: it is the sum of all.
    sql: `select t.hs_edition, t.hs_code, count(*) as rows, count(distinct t.load_id) as files, min(f.path) as example_file
          from trade_flows t
          join load_files f on f.load_id = t.load_id
          where t.hs_code <> 'TOTAL' and not exists (
            select 1 from hs_code_categories c
            where c.edition = t.hs_edition and c.code = t.hs_code and c.scheme = 'section')
          group by 1, 2 order by rows desc, 1, 2`,
  },
  portLabels: {
    title:
      'Port commodity labels with no commodity (add them to warehouse/reference/port-commodities.csv and run corridor init; no reload)',
    sql: `select t.commodity_raw as label, t.port_locode as port, count(*) as rows,
            count(distinct t.load_id) as files, min(f.path) as example_file
          from port_throughput t
          join load_files f on f.load_id = t.load_id
          where t.commodity is null
          group by 1, 2 order by rows desc, 1, 2`,
  },
} as const;

const OPTIONS = {
  limit: { type: 'string', value: '<n>', default: '50', description: 'rows shown per section at most' },
} as const satisfies OptionSpecs;

export const unmappedCommand: Command = {
  name: 'unmapped',
  usage: 'corridor unmapped [--limit 50]',
  summary: 'list codes, countries and labels that could not be resolved, with counts and files',
  options: OPTIONS,
  examples: ['corridor unmapped', 'corridor unmapped --limit 200 --json'],
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const limit = Math.max(1, Math.floor(Number(values.limit ?? 50)) || 50);
    const query = await WarehouseReader.open(warehousePathOf(ctx));
    try {
      const found: Record<string, Record<string, unknown>[]> = {};
      for (const [name, section] of Object.entries(SECTIONS)) {
        const { columns, rows } = await query.rows(section.sql);
        found[name] = [...rows].map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
      }
      if (ctx.out.json) {
        ctx.out.document(found);
        return ExitCode.Success;
      }
      let any = false;
      for (const [name, section] of Object.entries(SECTIONS)) {
        const list = found[name]!;
        if (list.length === 0) continue;
        any = true;
        ctx.out.line(`${section.title}: ${list.length}`);
        const columns = Object.keys(list[0]!);
        ctx.out.table(
          columns,
          list
            .slice(0, limit)
            .map((r) => columns.map((c) => (c === 'example_file' ? String(r[c]).split('/').pop() : r[c]))),
        );
        if (list.length > limit) ctx.out.line(`… ${list.length - limit} more; raise --limit or use --json`);
        ctx.out.line();
      }
      if (!any)
        ctx.out.line(
          'Everything loaded resolves: no unknown codes or countries, every code converts and has a section.',
        );
      return ExitCode.Success;
    } finally {
      await query.close();
    }
  },
};
