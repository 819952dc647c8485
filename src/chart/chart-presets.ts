/** STUB (being written): the console's charts by name, with their parameters and queries. */
import type { WarehouseReader } from '../query/warehouse-reader.ts';
import type { ChartSpec } from './chart-spec.ts';

export interface PresetParameter {
  readonly name: string;
  readonly description: string;
  /** The value used when none is given: PAK, KAZ, "PKKHI PKBQM". */
  readonly default: string;
}

export interface ChartPreset {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly PresetParameter[];
}

export const CHART_PRESETS: readonly ChartPreset[] = [];

/** The chart of a preset, with the rows it was drawn from (the console shows them as a table too). */
export interface PresetResult {
  readonly spec: ChartSpec;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export async function presetData(
  _reader: WarehouseReader,
  name: string,
  _parameters: Readonly<Record<string, string>>,
): Promise<PresetResult> {
  throw new Error(`Chart preset "${name}" is not built yet.`);
}
