/**
 * `corridor ports`: the ports a port table may name, and the names it may give them
 * (docs/ports.md). `add` and `alias` extend the bundled reference; what they add is stored in
 * the warehouse as the user's, survives `corridor init` and upgrades, and `export` writes it to
 * a file to keep in version control, which `import` reads back.
 */
import { ConfigError, ExitCode } from '../../errors.ts';
import { exportPorts, importPorts } from '../../load/port-file.ts';
import { type ChangeAction, PortBook } from '../../load/user-ports.ts';
import { locodeOf } from '../../normalize/port-resolver.ts';
import { didYouMean } from '../closest-name.ts';
import type { Command, CommandContext, OptionSpecs } from '../command.ts';
import { openPreparedWarehouse } from '../open-warehouse.ts';
import { LISTING_FORMAT, parseCommandArgs, parserOptions } from '../parse-options.ts';

const USAGE = [
  'corridor ports add <LOCODE> --name <name> --country <ISO3> [--fiscal-year-start 1-12] [--force]',
  '       corridor ports alias <name> <LOCODE> [--force]',
  '       corridor ports list [--format table|json]',
  '       corridor ports export <file.csv> [--all]',
  '       corridor ports import <file.csv> [--force]',
].join('\n');

const OPTIONS = {
  name: { type: 'string', value: '<name>', description: "add: the port's name" },
  country: { type: 'string', value: '<ISO3>', description: "add: the port's country" },
  'fiscal-year-start': {
    type: 'string',
    value: '<1-12>',
    description: "add: the month the port's fiscal year starts (7 for July–June, 4 for April–March)",
  },
  force: { type: 'boolean', description: 'add, alias, import: replace a port or alias that exists' },
  format: { ...LISTING_FORMAT, description: 'list: the format' },
  all: { type: 'boolean', description: 'export: also the bundled ports, not only the ones you added' },
} as const satisfies OptionSpecs;

/** The parser of one action: the options it takes, out of those the command declares. */
const optionsFor = <K extends keyof typeof OPTIONS>(...names: K[]) =>
  parserOptions(Object.fromEntries(names.map((n) => [n, OPTIONS[n]])) as Pick<typeof OPTIONS, K>);

const usageError = (message: string) =>
  new ConfigError(`${message}\nUsage: ${USAGE}`, { code: 'bad_arguments' });

const monthOption = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const month = Number(value);
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw usageError(
      `Invalid value for option "--fiscal-year-start": "${value}" is not a month from 1 to 12 (7 for a July–June year, 4 for April–March).`,
    );
  return month;
};

const changeWords: Readonly<Record<ChangeAction, string>> = {
  added: 'added',
  replaced: 'replaced',
  repointed: 'repointed',
  unchanged: 'already so; nothing changed',
};

async function withBook<T>(
  ctx: CommandContext,
  work: (book: PortBook, save: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const warehouse = await openPreparedWarehouse(ctx);
  try {
    const book = await PortBook.read(warehouse.db);
    return await work(book, () => book.save(warehouse.db));
  } finally {
    await warehouse.close();
  }
}

async function add(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    optionsFor('name', 'country', 'fiscal-year-start', 'force'),
    USAGE,
  );
  // "PK KHI" unquoted arrives as two words.
  const locode = positionals.join(' ');
  if (locode === '' || values.name === undefined || values.country === undefined)
    throw usageError('corridor ports add needs a UN/LOCODE, --name and --country.');
  const fiscalYearStart = monthOption(values['fiscal-year-start']);
  return withBook(ctx, async (book, save) => {
    const action = book.addPort(
      {
        locode,
        name: values.name!,
        country: values.country!,
        ...(fiscalYearStart === undefined ? {} : { fiscalYearStart }),
      },
      { force: values.force === true },
    );
    await save();
    const port = book.list().find((p) => p.port.locode === locodeOf(locode))!.port;
    if (ctx.out.json) ctx.out.document({ action, port });
    else
      ctx.out.line(
        `Port ${port.locode} ${port.name} (${port.countryIso3}, fiscal year from month ${port.fiscalYearStart}): ${changeWords[action]}. Port tables may now name it by its LOCODE or its name; it survives corridor init and upgrades (corridor ports export <file.csv> keeps a copy).`,
      );
    return ExitCode.Success;
  });
}

async function alias(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, optionsFor('force'), USAGE);
  if (positionals.length < 2) throw usageError('corridor ports alias needs a name and a UN/LOCODE.');
  // An unquoted name of several words arrives as several arguments: all but the last.
  const name = positionals.slice(0, -1).join(' ');
  const locode = positionals.at(-1)!;
  return withBook(ctx, async (book, save) => {
    const action = book.addAlias({ alias: name, locode }, { force: values.force === true });
    await save();
    const port = book.list().find((p) => p.port.locode === locodeOf(locode))!.port;
    if (ctx.out.json) ctx.out.document({ action, alias: name, locode: port.locode, port: port.name });
    else ctx.out.line(`Alias "${name}" → ${port.locode} (${port.name}): ${changeWords[action]}.`);
    return ExitCode.Success;
  });
}

async function list(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, optionsFor('format'), USAGE);
  if (positionals.length > 0)
    throw usageError(`corridor ports list takes no argument; got "${positionals[0]}".`);
  const format = values.format ?? (ctx.out.json ? 'json' : 'table');
  if (format !== 'table' && format !== 'json')
    throw usageError(`Invalid value for option "--format": "${format}" is not table or json.`);
  return withBook(ctx, async (book) => {
    const ports = book.list();
    if (format === 'json') {
      ctx.out.document(
        ports.map(({ port, aliases }) => ({
          ...port,
          aliases: aliases.map((a) => ({ alias: a.alias, origin: a.origin })),
        })),
      );
      return ExitCode.Success;
    }
    ctx.out.table(
      ['locode', 'name', 'country', 'fy_start', 'origin', 'aliases'],
      ports.map(({ port, aliases }) => [
        port.locode,
        port.name,
        port.countryIso3,
        port.fiscalYearStart,
        port.origin,
        aliases.map((a) => (a.origin === 'user' ? `${a.alias} (user)` : a.alias)).join(', '),
      ]),
      120,
    );
    return ExitCode.Success;
  });
}

async function exportFile(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, optionsFor('all'), USAGE);
  if (positionals.length !== 1) throw usageError('corridor ports export needs one file to write.');
  const warehouse = await openPreparedWarehouse(ctx);
  try {
    const written = await exportPorts(warehouse.db, positionals[0]!, { all: values.all === true });
    if (ctx.out.json) ctx.out.document({ file: positionals[0], ...written });
    else
      ctx.out.line(
        `Wrote ${written.ports} port(s) and ${written.aliases} alias(es)${values.all === true ? '' : ' that you added'} to ${positionals[0]}; corridor ports import ${positionals[0]} reads them back.`,
      );
    return ExitCode.Success;
  } finally {
    await warehouse.close();
  }
}

async function importFile(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, optionsFor('force'), USAGE);
  if (positionals.length !== 1) throw usageError('corridor ports import needs one file to read.');
  const warehouse = await openPreparedWarehouse(ctx);
  try {
    const summary = await importPorts(warehouse.db, positionals[0]!, { force: values.force === true });
    const counts = (c: Readonly<Record<ChangeAction, number>>) =>
      `${c.added} added, ${c.replaced + c.repointed} replaced, ${c.unchanged} unchanged`;
    if (ctx.out.json) ctx.out.document({ file: positionals[0], ...summary });
    else
      ctx.out.line(
        `Imported ${positionals[0]}: ports ${counts(summary.ports)}; aliases ${counts(summary.aliases)}${summary.skipped > 0 ? `; ${summary.skipped} reference row(s) skipped (they come with Corridor)` : ''}.`,
      );
    return ExitCode.Success;
  } finally {
    await warehouse.close();
  }
}

const ACTIONS: Readonly<Record<string, (ctx: CommandContext, args: readonly string[]) => Promise<ExitCode>>> =
  {
    add,
    alias,
    list,
    export: exportFile,
    import: importFile,
  };

export const portsCommand: Command = {
  name: 'ports',
  usage: USAGE,
  synopsis: 'corridor ports add|alias|list|export|import ...',
  summary: 'list the ports port tables may name, add ports and aliases, export and import them',
  options: OPTIONS,
  examples: [
    "corridor ports add 'PK QCT' --name 'Port Qasim' --country PAK --fiscal-year-start 7",
    "corridor ports alias 'Bin Qasim' 'PK QCT'",
    'corridor ports export my-ports.csv',
  ],
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    const run = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (run === undefined)
      throw usageError(
        action === undefined
          ? 'corridor ports needs an action: add, alias, list, export or import.'
          : `Unknown action "${action}" of corridor ports.${didYouMean(action, Object.keys(ACTIONS))} Use add, alias, list, export or import.`,
      );
    return run(ctx, rest);
  },
};
