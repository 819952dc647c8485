/**
 * Every derived indicator table, in the order the derive stage refreshes them: tables read by
 * others (ind_trade_balance feeds ind_grubel_lloyd and ind_mirror) come first.
 */
import type { IndicatorDefinition } from './indicator.ts';
import { portGrowth } from './port-growth.ts';
import { portMix } from './port-mix.ts';
import { portTradeCoverage } from './port-trade-coverage.ts';
import { tradeBalance } from './trade-balance.ts';
import { tradeComplementarity } from './trade-complementarity.ts';
import { tradeConcentration } from './trade-concentration.ts';
import { tradeGrowth } from './trade-growth.ts';
import { tradeGrubelLloyd } from './trade-grubel-lloyd.ts';
import { tradeIntensity } from './trade-intensity.ts';
import { tradeMirror } from './trade-mirror.ts';
import { tradeRca } from './trade-rca.ts';
import { tradeShares } from './trade-shares.ts';
import { tradeSums } from './trade-sums.ts';
import { tradeUnitValues } from './trade-unit-values.ts';

export const INDICATORS: readonly IndicatorDefinition[] = [
  tradeSums,
  tradeBalance,
  tradeUnitValues,
  tradeGrowth,
  tradeShares,
  tradeRca,
  tradeConcentration,
  tradeComplementarity,
  tradeIntensity,
  tradeGrubelLloyd,
  tradeMirror,
  portGrowth,
  portMix,
  portTradeCoverage,
];
