/**
 * What the journal says was loaded, for an export to cite: the loads of each source, grouped
 * by the provenance recorded with them (migration 0012). A warehouse that holds the bundled
 * samples and a real extract of one source has two groups, each with its publisher and licence.
 */
import type { LoadFilesTable } from '../../warehouse/schema.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { REDISTRIBUTION, type Redistribution } from '../validate/source-about.ts';
import { hasRelation, relationColumns } from './catalog.ts';
import type { LoadedSource } from './export-source.ts';

const PROVENANCE = [
  'dataset',
  'publisher',
  'source_url',
  'licence_id',
  'licence',
  'licence_url',
  'redistribution',
  'attribution',
  'illustrative',
  'provenance_by',
] as const;

/** One source's loads with one provenance: the journal's own column types, not a copy of them. */
type JournalGroup = {
  source: string;
  target: string;
  files: number;
  load_ids: string;
  named_illustrative: number;
} & Pick<LoadFilesTable, (typeof PROVENANCE)[number]>;

const isRedistribution = (value: string | null): value is Redistribution =>
  (REDISTRIBUTION as readonly (string | null)[]).includes(value);

function provenanceOf(row: JournalGroup): LoadedSource['provenance'] {
  if (row.provenance_by === null || row.dataset === null) return null;
  return {
    dataset: row.dataset,
    publisher: row.publisher,
    url: row.source_url,
    licence: {
      id: row.licence_id,
      title: row.licence ?? 'not recorded',
      url: row.licence_url,
      redistribution: isRedistribution(row.redistribution) ? row.redistribution : 'unknown',
      attribution: row.attribution,
    },
    // An integer flag on SQLite, a number or boolean on PostgreSQL.
    illustrative: Number(row.illustrative) === 1,
    declaredBy:
      row.provenance_by === 'pipeline' ? 'pipeline' : row.provenance_by === 'nobody' ? 'nobody' : 'source',
  };
}

/**
 * The loaded files of the warehouse by source, fact table and provenance, in a stable order.
 * A warehouse from before migration 0012 (an export does not migrate) has no provenance columns:
 * its groups say so with `provenance: null`.
 */
export async function readLoadedSources(warehouse: Warehouse): Promise<LoadedSource[]> {
  if (!(await hasRelation(warehouse, 'load_files'))) return [];
  const columns = new Set((await relationColumns(warehouse, 'load_files')).map((c) => c.name));
  const recorded = columns.has('provenance_by');
  const provenance = PROVENANCE.map((c) => (recorded ? c : `null as ${c}`)).join(', ');
  const groupBy = recorded ? `, ${PROVENANCE.join(', ')}` : '';
  const rows = await warehouse.sql.all<JournalGroup>(
    `select source, target_table as target, count(*) as files, ${warehouse.flavor.groupConcat('load_id', ',')} as load_ids,
            max(case when file_name like '%illustrative%' then 1 else 0 end) as named_illustrative, ${provenance}
       from load_files where status = 'loaded'
      group by source, target_table${groupBy}
      order by source, target_table, min(load_id)`,
  );
  return rows.map((row) => ({
    source: row.source,
    target: row.target,
    files: Number(row.files),
    loadIds: String(row.load_ids)
      .split(',')
      .map(Number)
      .sort((a, b) => a - b),
    illustrative: Number(row.named_illustrative) === 1,
    provenance: provenanceOf(row),
  }));
}
