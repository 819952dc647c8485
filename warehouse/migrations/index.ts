/**
 * Every migration, in order. Listed here rather than discovered on disk so that the set is
 * fixed at review time and works the same from a clone, a package or a test.
 */
import type { Migration } from 'kysely';
import * as core from './0001-core.ts';
import * as baciFlows from './0002-baci-flows.ts';
import * as hsNomenclature from './0003-hs-nomenclature.ts';
import * as layoutJournal from './0004-layout-journal.ts';
import * as portThroughput from './0005-port-throughput.ts';
import * as deriveJournal from './0006-derive-journal.ts';
import * as nightlyOperations from './0007-nightly-operations.ts';
import * as vintages from './0008-vintages.ts';
import * as dqFindings from './0009-dq-findings.ts';
import * as userPorts from './0010-user-ports.ts';
import * as loadFacts from './0011-load-facts.ts';
import * as loadProvenance from './0012-load-provenance.ts';
import * as worldTotals from './0013-world-totals.ts';
import * as categorySumsView from './0014-category-sums-view.ts';
import * as findingYears from './0015-finding-years.ts';

export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-core': core,
  '0002-baci-flows': baciFlows,
  '0003-hs-nomenclature': hsNomenclature,
  '0004-layout-journal': layoutJournal,
  '0005-port-throughput': portThroughput,
  '0006-derive-journal': deriveJournal,
  '0007-nightly-operations': nightlyOperations,
  '0008-vintages': vintages,
  '0009-dq-findings': dqFindings,
  '0010-user-ports': userPorts,
  '0011-load-facts': loadFacts,
  '0012-load-provenance': loadProvenance,
  '0013-world-totals': worldTotals,
  '0014-category-sums-view': categorySumsView,
  '0015-finding-years': findingYears,
});
