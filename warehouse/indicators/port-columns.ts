/** Column definitions and thresholds the port indicator tables share. */
import type { IndicatorColumn } from './indicator.ts';

export const PORT: IndicatorColumn = {
  name: 'port_locode',
  type: 'text',
  description: 'The port (UN/LOCODE): PKKHI Karachi, PKBQM Port Qasim.',
};
export const PORT_SOURCE: IndicatorColumn = {
  name: 'source',
  type: 'text',
  description:
    'The source of the figures (kpt, pqa…): a port loaded from two sources is two series, never added together.',
};
export const UNIT: IndicatorColumn = {
  name: 'unit',
  type: 'text',
  description: 't (metric tonnes) or TEU, as published: units are never summed together.',
};
export const DIRECTION: IndicatorColumn = {
  name: 'direction',
  type: 'text',
  description: 'import, export, or total when the port publishes no split.',
};

/** Port bases under which a change is flagged as small (DOMAIN.md section 6). */
export const smallPortBase = (unitColumn: string): string =>
  `case ${unitColumn} when 't' then 10000 when 'TEU' then 1000 else 0 end`;
