/**
 * The parameters of the chart presets, checked before any SQL runs: each value is matched
 * against its form (an ISO alpha-3 code, UN/LOCODEs, a year, a flow) and then bound to the
 * statement, never written into its text. A wrong value is a ConfigError (bad_arguments)
 * that names the parameter and the form it takes.
 */
import { ConfigError } from '../errors.ts';

export interface PresetParameter {
  readonly name: string;
  readonly description: string;
  /** The value used when none is given: PAK, KAZ, "PKKHI PKBQM"; '' for "the latest there is". */
  readonly default: string;
}

export const REPORTER: PresetParameter = {
  name: 'reporter',
  description: 'The reporting economy, ISO alpha-3.',
  default: 'PAK',
};
export const PARTNER: PresetParameter = {
  name: 'partner',
  description: 'The partner economy, ISO alpha-3 (W00 for the world).',
  default: 'KAZ',
};
export const COUNTRY: PresetParameter = {
  name: 'reporter',
  description: 'The country of the ports and of the customs figures, ISO alpha-3.',
  default: 'PAK',
};
export const FLOW: PresetParameter = {
  name: 'flow',
  description: "X for the reporter's exports, M for its imports.",
  default: 'X',
};
export const YEAR: PresetParameter = {
  name: 'year',
  description: 'The calendar year; the latest one with figures when not given.',
  default: '',
};
export const PORTS: PresetParameter = {
  name: 'ports',
  description: 'The ports, UN/LOCODEs separated by spaces or commas.',
  default: 'PKKHI PKBQM',
};
export const SOURCE: PresetParameter = {
  name: 'source',
  description:
    'The trade source (comtrade, baci…); by default the one with figures for the most years of the pair.',
  default: '',
};

const MAX_PORTS = 12;

const refuse = (message: string) => new ConfigError(message, { code: 'bad_arguments' });

/** The value given for a parameter, or its default; surrounding spaces ignored. */
export function givenValue(parameters: Readonly<Record<string, string>>, parameter: PresetParameter): string {
  const given = parameters[parameter.name]?.trim();
  return given === undefined || given === '' ? parameter.default : given;
}

/** An economy's code: three letters, or W00 for the world. */
export function isoCode(value: string, name: string): string {
  const code = value.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) && code !== 'W00')
    throw refuse(
      `The ${name} "${value}" is not an ISO 3166 alpha-3 code: give three letters such as PAK or KAZ (W00 for the world).`,
    );
  return code;
}

/** UN/LOCODEs: two letters of country and three of place (PKKHI), at most MAX_PORTS of them. */
export function portCodes(value: string): string[] {
  const codes = [
    ...new Set(
      value
        .toUpperCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
  const wrong = codes.find((code) => !/^[A-Z]{2}[A-Z2-9]{3}$/.test(code));
  if (codes.length === 0 || wrong !== undefined)
    throw refuse(
      `The ports "${value}" are not UN/LOCODEs${wrong === undefined ? '' : ` ("${wrong}" is not one)`}: give codes of five characters such as PKKHI PKBQM, separated by spaces or commas.`,
    );
  if (codes.length > MAX_PORTS)
    throw refuse(`The ports "${value}" are ${codes.length}: a chart takes at most ${MAX_PORTS}.`);
  return codes;
}

/** A calendar year, or null for "the latest there is" when none is given. */
export function yearOf(value: string): number | null {
  if (value === '') return null;
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < 1900 || year > 2100)
    throw refuse(`The year "${value}" is not a year: give four digits such as 2023.`);
  return year;
}

export function flowOf(value: string): 'X' | 'M' {
  const flow = value.toUpperCase();
  if (flow !== 'X' && flow !== 'M')
    throw refuse(`The flow "${value}" is neither X (exports) nor M (imports).`);
  return flow;
}

/** A source name: lower-case letters, digits and dashes (comtrade, kz-bns); '' for the default. */
export function sourceOf(value: string): string {
  if (value !== '' && !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(value))
    throw refuse(`The source "${value}" is not a source name: give one such as comtrade or baci.`);
  return value;
}
