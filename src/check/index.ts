/**
 * Every data-quality check Corridor knows, in the order `corridor check` lists them: those it
 * runs over the warehouse, then those recorded where the data is read (a load's printed
 * subtotals) or derived (totals below their parts, at each refresh of ind_shares).
 */
import { TOTAL_BELOW_PARTS } from '../derive/share-findings.ts';
import { categoryWithinChapter } from './category-within-chapter.ts';
import { mirrorGap } from './mirror-gap.ts';
import { shareOutOfRange } from './share-out-of-range.ts';
import { shrinkingVintage } from './shrinking-vintage.ts';
import { totalVsChapters } from './total-vs-chapters.ts';
import { unitValueOutlier } from './unit-value-outlier.ts';
import type { WarehouseCheck } from './warehouse-check.ts';
import { worldVsPartners } from './world-vs-partners.ts';

export const CHECKS: readonly WarehouseCheck[] = [
  totalVsChapters,
  worldVsPartners,
  categoryWithinChapter,
  shareOutOfRange,
  unitValueOutlier,
  mirrorGap,
  shrinkingVintage,
  {
    name: 'printed_subtotal',
    severities: ['warning'],
    table: 'file › sheet',
    recordedBy: 'load',
    description:
      "A bureau table's printed total or subtotal against the sum of the rows it stands for, beyond what rounding allows; recorded by the load of the file.",
  },
  {
    name: TOTAL_BELOW_PARTS,
    severities: ['warning'],
    table: 'trade_flows',
    recordedBy: 'derive',
    description:
      'A published TOTAL below the sum of its HS rows, or a World row below one partner: ind_shares gives no shares against it; recorded at each refresh of the indicator tables.',
  },
];
