/**
 * What a source says about itself, beside its reader (`about` in sources/<name>/<name>.source.ts):
 * who publishes the data, under which licence, where to find it, what one file of it covers,
 * and which flows, units and periods the reader can read. `corridor sources`, the data
 * dictionary, the README's table of sources, the journal's provenance of each load and
 * datapackage.json are all written from it, so none of them can say something the source does
 * not.
 *
 * The generic `table` and `port-table` sources read whatever a pipeline points them at: their
 * publisher and licence are the pipeline entry's (`about:`), and when it declares none they stay
 * unknown, shown as such, never guessed.
 */

import { z } from 'zod';
import type { FactTarget } from '../../warehouse/fact-tables.ts';

/**
 * Trade flow codes a trade source may read (Comtrade's flow list, DOMAIN.md section 1.2):
 * exports, imports, re-exports, re-imports, then the rarer domestic exports, foreign imports and
 * inward and outward processing.
 */
export const TRADE_FLOWS = ['X', 'M', 'RX', 'RM', 'DX', 'FM', 'MIP', 'MOP', 'XIP', 'XOP'] as const;
/** What a port table's figures may be (port_throughput.direction). */
export const PORT_DIRECTIONS = ['import', 'export', 'transit', 'transshipment', 'total'] as const;
/** The kinds of period a source reads. `fiscal`: a fiscal year, given whole or over its months. */
export const PERIOD_KINDS = ['annual', 'monthly', 'quarterly', 'fiscal'] as const;
/** May the data be passed on to others: the publisher says yes, says no, or does not say. */
export const REDISTRIBUTION = ['allowed', 'not allowed', 'unknown'] as const;

export type TradeFlowCode = (typeof TRADE_FLOWS)[number];
export type PortDirection = (typeof PORT_DIRECTIONS)[number];
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Redistribution = (typeof REDISTRIBUTION)[number];

export interface SourceLicence {
  /**
   * An SPDX or Open Definition identifier (`etalab-2.0`); `LicenseRef-…` for terms that have
   * none; null when nobody declared the licence.
   */
  readonly id: string | null;
  /** The terms in one sentence, as a reader of an export needs them. */
  readonly title: string;
  readonly url: string | null;
  readonly redistribution: Redistribution;
  /** The credit the terms ask for, word for word where the publisher gives it; null when none is asked. */
  readonly attribution: string | null;
}

/** Who declared a source's publisher and licence. */
export type DeclaredBy = 'source' | 'pipeline' | 'nobody';

export interface SourceAbout {
  /** The data set as it is cited: `UN Comtrade`, `CEPII BACI, …`. */
  readonly dataset: string;
  /** The organisation that publishes it; null when nobody declared it. */
  readonly publisher: string | null;
  /** The publisher's page for the data set; null when none is known. */
  readonly url: string | null;
  readonly licence: SourceLicence;
  /** Invented figures in a real publisher's layout (the bundled samples), not statistics. */
  readonly illustrative: boolean;
  /**
   * What one file holds completely, in words (the `coverage` dimensions, or why there are
   * none): read by `corridor sources` and the README.
   */
  readonly fileCovers: string;
  /** Trade flow codes for a `trade_flows` source; directions for a `port_throughput` one. */
  readonly flows: readonly (TradeFlowCode | PortDirection)[];
  /** The units and currencies of the figures it reads, as the files state them. */
  readonly units: readonly string[];
  readonly periods: readonly PeriodKind[];
  /** Who declared the publisher and licence. @default 'source' */
  readonly declaredBy?: DeclaredBy;
  /**
   * For a source whose publisher nobody can declare in advance (a file the user writes from
   * figures of their choice): who publishes its figures, in words, shown in place of the publisher.
   */
  readonly publisherUnknownBecause?: string;
}

/**
 * Who published a load's file and on which terms: what the journal records per load
 * (load_files, migration 0012), taken from the source's `about` when the file loaded.
 */
export type Provenance = Pick<SourceAbout, 'dataset' | 'publisher' | 'url' | 'licence' | 'illustrative'> & {
  readonly declaredBy: DeclaredBy;
};

/**
 * The listing of one source: what `corridor sources`, the dictionary and the README show.
 * Built by the source registry (src/pipeline/source-registry.ts) from each source's declaration.
 */
export interface SourceDeclaration {
  readonly name: string;
  readonly description: string;
  readonly target: FactTarget;
  /** The `coverage` dimensions; empty when a file merges only. */
  readonly coverage: readonly string[];
  readonly about: SourceAbout;
}

/** Corridor's own licence: the bundled samples and the tables the team keys. */
export const CORRIDOR_LICENCE: SourceLicence = Object.freeze({
  id: 'Apache-2.0',
  title: "Corridor's own licence, Apache License 2.0",
  url: 'https://www.apache.org/licenses/LICENSE-2.0',
  redistribution: 'allowed',
  attribution: null,
});

/** A licence nobody declared: a pipeline entry of a generic source without `about.licence`. */
export const UNDECLARED_LICENCE: SourceLicence = Object.freeze({
  id: null,
  title: 'not declared: the pipeline entry gives no `about.licence`; check the terms of the publisher',
  url: null,
  redistribution: 'unknown',
  attribution: null,
});

/**
 * The `about` of a generic source: what it can read is its own, who published the file and on
 * which terms the pipeline declares (`declaredByPipeline`), or nobody does.
 *
 * @example
 * about: undeclaredAbout({ dataset: 'a table made for people', fileCovers: '…', flows: ['X', 'M'], units: ['USD'], periods: ['annual'] })
 */
export function undeclaredAbout(
  reads: Pick<SourceAbout, 'dataset' | 'fileCovers' | 'flows' | 'units' | 'periods'>,
): SourceAbout {
  return Object.freeze({
    ...reads,
    publisher: null,
    url: null,
    licence: UNDECLARED_LICENCE,
    illustrative: false,
    declaredBy: 'nobody',
  });
}

const text = z.string().trim().min(1);

/**
 * What a pipeline entry of the `table` or `port-table` source may say about the files it loads
 * (`about:` beside `table:`/`portTable:`). Only what is declared is shown; the rest stays unknown.
 */
export const pipelineAboutSchema = z.strictObject({
  /** The organisation that publishes the files. @example 'Karachi Port Trust' */
  publisher: text,
  /** The data set as it should be cited; the publisher's name when not given. */
  dataset: text.optional(),
  /** The publisher's page for the data. @example 'https://kpt.gov.pk' */
  url: z.url().optional(),
  /** The terms the files come under. Without it the licence is shown as not declared. */
  licence: z
    .strictObject({
      /** An SPDX identifier (`CC-BY-4.0`) or `LicenseRef-…` for terms without one. */
      id: text.optional(),
      /** The terms in one sentence. */
      title: text,
      url: z.url().optional(),
      /** May the data be passed on: `allowed`, `not allowed` or `unknown`. @default 'unknown' */
      redistribution: z.enum(REDISTRIBUTION).default('unknown'),
      /** The credit the terms ask for, word for word. */
      attribution: text.optional(),
    })
    .optional(),
  /** The figures are invented (a sample in a publisher's layout), not the publisher's statistics. @default false */
  illustrative: z.boolean().default(false),
});

export type PipelineAbout = z.output<typeof pipelineAboutSchema>;

/**
 * A generic source's `about` with what its pipeline entry declares: publisher, data set, URL,
 * licence and whether the figures are samples (then cited as Corridor's samples in that
 * publisher's layout); what it can read stays the source's.
 */
export function declaredByPipeline(about: SourceAbout, declared: PipelineAbout): SourceAbout {
  const licence: SourceLicence =
    declared.licence === undefined
      ? UNDECLARED_LICENCE
      : {
          id: declared.licence.id ?? null,
          title: declared.licence.title,
          url: declared.licence.url ?? null,
          redistribution: declared.licence.redistribution,
          attribution: declared.licence.attribution ?? null,
        };
  const publisherData: SourceAbout = Object.freeze({
    ...about,
    dataset: declared.dataset ?? declared.publisher,
    publisher: declared.publisher,
    url: declared.url ?? null,
    licence: Object.freeze(licence),
    illustrative: false,
    declaredBy: 'pipeline',
  });
  // Invented figures in the publisher's layout are Corridor's samples, never the publisher's data.
  return declared.illustrative ? sampleAbout(publisherData) : publisherData;
}

/**
 * The bundled samples of a source: invented figures in its layout, under Corridor's licence,
 * never cited as the publisher's statistics.
 */
export function sampleAbout(about: SourceAbout): SourceAbout {
  return Object.freeze({
    ...about,
    dataset: `Corridor's illustrative samples in the layout of ${about.dataset}: invented values, not official statistics`,
    publisher: 'Corridor',
    url: null,
    licence: CORRIDOR_LICENCE,
    illustrative: true,
  });
}
