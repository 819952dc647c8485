/**
 * Where the reference tables Corridor ships come from and on which terms, as this folder's
 * README.md tells it: declared here, beside the files, so that an export cites them without
 * the exporter knowing any publisher (src/export/data-package.ts reads this).
 */

export interface ReferenceOrigin {
  readonly title: string;
  readonly url?: string;
}

export interface ReferenceLicence {
  /** An SPDX or Open Definition identifier. */
  readonly id: string;
  readonly title: string;
  readonly url: string;
}

export interface ReferenceProvenance {
  /** Reference tables this applies to, by name. */
  readonly tables: RegExp;
  readonly origins: readonly ReferenceOrigin[];
  readonly licences: readonly ReferenceLicence[];
}

const README = 'warehouse/reference/README.md';

const PDDL = {
  id: 'ODC-PDDL-1.0',
  url: 'https://opendatacommons.org/licenses/pddl/1-0/',
  title: 'Open Data Commons Public Domain Dedication and License 1.0',
} as const;

const CORRIDOR = {
  id: 'Apache-2.0',
  url: 'https://www.apache.org/licenses/LICENSE-2.0',
  title: "Corridor's own licence, Apache License 2.0",
} as const;

export const REFERENCE_PROVENANCE: readonly ReferenceProvenance[] = [
  {
    tables: /^countr(y|ies)/,
    origins: [
      { title: 'datasets/country-codes (ISO 3166 rows)', url: 'https://github.com/datasets/country-codes' },
      {
        title: 'Source: UNSD M49, Standard country or area codes for statistical use',
        url: 'https://unstats.un.org/unsd/methodology/m49/',
      },
      { title: `Non-ISO areas and name variants keyed by the Corridor team (${README})` },
    ],
    licences: [
      {
        ...PDDL,
        title: `${PDDL.title}; ISO calls alpha-2 free for internal and non-commercial use (${README})`,
      },
      CORRIDOR,
    ],
  },
  {
    tables: /^hs_(codes|sections)$/,
    origins: [
      {
        title: 'datasets/harmonized-system (HS 2022 and HS 2017, UN Comtrade descriptions)',
        url: 'https://github.com/datasets/harmonized-system',
      },
    ],
    licences: [{ ...PDDL, title: `${PDDL.title}; the WCO holds rights in the nomenclature text (${README})` }],
  },
  {
    tables: /^hs_(concordance|conversion)$/,
    origins: [
      {
        title: 'Harvard Growth Lab, comtrade-conversion-weights (from UNSD HS correlation tables)',
        url: 'https://github.com/harvard-growth-lab/comtrade-conversion-weights',
      },
    ],
    licences: [{ id: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0', title: 'Apache License 2.0' }],
  },
  {
    tables: /^(hs_categor|hs_code_categor|ports$|port_commodities$|settings$)/,
    origins: [{ title: `Keyed by the Corridor team (${README})` }],
    licences: [CORRIDOR],
  },
];

/** The provenance of a reference table, or null for a table that is not one. */
export function referenceProvenance(table: string): ReferenceProvenance | null {
  return REFERENCE_PROVENANCE.find((p) => p.tables.test(table)) ?? null;
}
