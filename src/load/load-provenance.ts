/**
 * A load's provenance as `load_files` keeps it (migration 0012): the publisher, licence and URL
 * its source declared (`about`, src/validate/source-about.ts), or its pipeline entry for the
 * generic `table` and `port-table` sources, at the moment the file loaded. A source that later
 * changes its declaration does not rewrite what earlier loads recorded.
 */
import type { Insertable } from 'kysely';
import type { LoadFilesTable } from '../../warehouse/schema.ts';
import type { SourceAbout } from '../validate/source-about.ts';

export type ProvenanceColumns = Required<
  Pick<
    Insertable<LoadFilesTable>,
    | 'dataset'
    | 'publisher'
    | 'source_url'
    | 'licence_id'
    | 'licence'
    | 'licence_url'
    | 'redistribution'
    | 'attribution'
    | 'illustrative'
    | 'provenance_by'
  >
>;

/**
 * @example
 * provenanceColumns(baciSource.about); // { dataset: 'CEPII BACI, …', publisher: 'CEPII', licence_id: 'etalab-2.0', … }
 */
export function provenanceColumns(about: SourceAbout): ProvenanceColumns {
  return {
    dataset: about.dataset,
    publisher: about.publisher,
    source_url: about.url,
    licence_id: about.licence.id,
    licence: about.licence.title,
    licence_url: about.licence.url,
    redistribution: about.licence.redistribution,
    attribution: about.licence.attribution,
    illustrative: about.illustrative ? 1 : 0,
    provenance_by: about.declaredBy ?? 'source',
  };
}
