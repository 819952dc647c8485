/**
 * `corridor config`: the settings a warehouse keeps for its users, stored in its `settings`
 * table so every command and every machine using that warehouse agrees. The keys a user may
 * set are a closed list (SETTABLE); the others Corridor keeps itself and are shown read-only.
 */
import { readSettings, removeSetting, writeSetting } from '../../db/warehouse-settings.ts';
import { ConfigError, ExitCode } from '../../errors.ts';
import {
  DEFAULT_SDMX_AGENCY,
  DEFAULT_SDMX_VERSION,
  SDMX_AGENCY_ID,
  SDMX_VERSION,
} from '../../export/sdmx-layout.ts';
import { WarehouseReader } from '../../query/warehouse-reader.ts';
import { didYouMean } from '../closest-name.ts';
import type { Command, CommandContext, OptionSpecs } from '../command.ts';
import { openPreparedWarehouse, warehousePathOf } from '../open-warehouse.ts';
import { parseCommandArgs, parserOptions } from '../parse-options.ts';

interface Settable {
  readonly description: string;
  readonly default: string;
  readonly pattern: RegExp;
  /** What a valid value looks like, for the refusal of an invalid one. */
  readonly expected: string;
}

/** The settings a user may set, with what they mean and the values they take. */
export const SETTABLE: Readonly<Record<string, Settable>> = {
  'sdmx.agency': {
    description: 'the agency of SDMX exports that give no --agency',
    default: DEFAULT_SDMX_AGENCY,
    pattern: SDMX_AGENCY_ID,
    expected: 'an SDMX agency id: letters, digits, _ and -, parts joined by dots (PK_PBS, IMF.STA)',
  },
  'sdmx.version': {
    description: 'the dataflow version of SDMX exports that give no --version',
    default: DEFAULT_SDMX_VERSION,
    pattern: SDMX_VERSION,
    expected: 'an SDMX version: numbers joined by dots (1.0, 1.0.0)',
  },
};

/** Settings Corridor keeps itself, and the command that changes each. */
const KEPT_BY: Readonly<Record<string, string>> = {
  target_hs_edition: 'corridor derive --target-edition',
  sum_tolerance_fraction: 'corridor derive --sum-tolerance',
  sum_tolerance_usd: 'corridor derive --sum-tolerance-usd',
  world_basis_min_reporters: 'corridor derive --world-min-reporters',
};

const OPTIONS = {} as const satisfies OptionSpecs;

const USAGE = 'corridor config list | get <key> | set <key> <value> | unset <key>';

const usageError = (message: string) =>
  new ConfigError(`${message}\nUsage: ${USAGE}`, { code: 'bad_arguments' });

/** The settable key `key` names, or a refusal naming the closest one and the command that sets a kept one. */
function settableKey(key: string | undefined): string {
  if (key === undefined) throw usageError('Name a setting.');
  if (Object.hasOwn(SETTABLE, key)) return key;
  const keeper = KEPT_BY[key];
  if (keeper !== undefined)
    throw usageError(
      `Setting "${key}" is kept by Corridor itself: change it with ${keeper}. Settable: ${Object.keys(SETTABLE).join(', ')}.`,
    );
  throw unknownKey(key);
}

const unknownKey = (key: string) =>
  usageError(
    `Unknown setting "${key}".${didYouMean(key, [...Object.keys(SETTABLE), ...Object.keys(KEPT_BY)])} Settable: ${Object.keys(SETTABLE).join(', ')}.`,
  );

async function storedSettings(ctx: CommandContext): Promise<ReadonlyMap<string, string>> {
  const reader = await WarehouseReader.open(warehousePathOf(ctx));
  try {
    return await readSettings(reader.warehouse);
  } finally {
    await reader.close();
  }
}

async function list(ctx: CommandContext): Promise<ExitCode> {
  const stored = await storedSettings(ctx);
  const rows = [
    ...Object.entries(SETTABLE).map(([key, s]) => ({
      key,
      value: stored.get(key) ?? s.default,
      set: stored.has(key),
      settable: true,
      description: s.description,
    })),
    ...[...stored]
      .filter(([key]) => !Object.hasOwn(SETTABLE, key))
      .map(([key, value]) => ({
        key,
        value,
        set: true,
        settable: false,
        description: KEPT_BY[key] === undefined ? 'kept by Corridor' : `kept by Corridor: ${KEPT_BY[key]}`,
      })),
  ];
  if (ctx.out.json) ctx.out.document(rows);
  else
    ctx.out.table(
      ['key', 'value', 'meaning'],
      rows.map((r) => [r.key, r.settable && !r.set ? `${r.value} (default)` : r.value, r.description]),
    );
  return ExitCode.Success;
}

async function get(ctx: CommandContext, key: string | undefined): Promise<ExitCode> {
  if (key === undefined) throw usageError('corridor config get needs a key.');
  const stored = await storedSettings(ctx);
  const settable = SETTABLE[key];
  const value = stored.get(key) ?? settable?.default;
  if (value === undefined) throw unknownKey(key);
  if (ctx.out.json) ctx.out.document({ key, value, set: stored.has(key) });
  else ctx.out.line(stored.has(key) ? value : `${value} (default)`);
  return ExitCode.Success;
}

async function set(ctx: CommandContext, key: string, value: string | undefined): Promise<ExitCode> {
  const setting = SETTABLE[key]!;
  if (value === undefined || value === '') throw usageError(`corridor config set ${key} needs a value.`);
  if (!setting.pattern.test(value))
    throw new ConfigError(
      `Invalid value for setting "${key}": ${JSON.stringify(value)} is not ${setting.expected}.`,
      { code: 'sdmx_invalid_id' },
    );
  const warehouse = await openPreparedWarehouse(ctx);
  try {
    await writeSetting(warehouse, key, value);
  } finally {
    await warehouse.close();
  }
  if (ctx.out.json) ctx.out.document({ key, value, set: true });
  else ctx.out.line(`${key} = ${value} (stored in ${warehousePathOf(ctx)})`);
  return ExitCode.Success;
}

async function unset(ctx: CommandContext, key: string): Promise<ExitCode> {
  const warehouse = await openPreparedWarehouse(ctx);
  let removed: boolean;
  try {
    removed = await removeSetting(warehouse, key);
  } finally {
    await warehouse.close();
  }
  const fallback = SETTABLE[key]!.default;
  if (ctx.out.json) ctx.out.document({ key, value: fallback, set: false, removed });
  else ctx.out.line(`${key} ${removed ? 'unset' : 'was not set'}: it is the default, ${fallback}.`);
  return ExitCode.Success;
}

export const configCommand: Command = {
  name: 'config',
  usage: USAGE,
  synopsis: 'corridor config list | get | set | unset',
  summary: `settings kept in the warehouse: ${Object.keys(SETTABLE).join(', ')} (the others read-only)`,
  options: OPTIONS,
  examples: [
    'corridor config set sdmx.agency PK_PBS',
    'corridor config get sdmx.agency',
    'corridor config list',
    'corridor config unset sdmx.agency',
  ],
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    const [action, key, value, ...extra] = positionals;
    const arity: Readonly<Record<string, number>> = { list: 1, get: 2, set: 3, unset: 2 };
    if (action === undefined || !Object.hasOwn(arity, action))
      throw usageError(
        action === undefined
          ? 'corridor config needs an action: list, get, set or unset.'
          : `Unknown action "${action}" of corridor config.${didYouMean(action, Object.keys(arity))}`,
      );
    if (positionals.length > arity[action]! || extra.length > 0)
      throw usageError(`Too many arguments for corridor config ${action}: "${positionals.join(' ')}".`);
    if (action === 'list') return list(ctx);
    if (action === 'get') return get(ctx, key);
    // Checked before the warehouse is opened for writing: a wrong key changes nothing.
    const settable = settableKey(key);
    return action === 'set' ? set(ctx, settable, value) : unset(ctx, settable);
  },
};
