/**
 * `corridor <command> --help` (issue 23, point 4): every option a command's parser accepts is
 * listed, with its value, default and meaning, and examples; an unknown option or command is
 * refused (exit 2, bad_arguments) naming the closest one.
 *
 * "Every option the parser accepts" is shown three ways: each declared option is accepted by
 * the parser (a string option given without its value is refused as missing its value, a
 * boolean one given a value as taking none: never as unknown, and the command runs nothing);
 * an option not declared is refused as unknown; and every parser in src/cli/commands is built
 * from the declared options, so none can accept an option help does not list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../src/cli/closest-name.ts';
import type { Command, OptionSpecs } from '../src/cli/command.ts';
import { COMMANDS } from '../src/cli/main.ts';
import { GLOBAL_OPTIONS } from '../src/cli/parse-options.ts';
import { cli, PROJECT_ROOT } from './helpers/run-cli.ts';
import { useTempDir } from './helpers/temp-dir.ts';

const tmp = useTempDir();

/** The arguments that reach a command's parser: `corridor ports` parses after its action. */
const ACTIONS: Readonly<Record<string, readonly string[][]>> = {
  ports: [['add'], ['alias'], ['list'], ['export'], ['import']],
};
const prefixes = (command: Command) => ACTIONS[command.name] ?? [[]];

/** Runs `corridor <command> …args` against a warehouse in a temporary folder, so nothing real is touched. */
const run = (command: Command, prefix: readonly string[], args: readonly string[]) =>
  cli([command.name, ...prefix, ...args, '--db', join(tmp(), 'w.db')], tmp());

describe('corridor <command> --help', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s lists every declared option with its value, default and meaning, and examples',
    async (_name, command) => {
      const help = await cli([command.name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: ${command.usage}`);
      expect(help.stdout).toContain(command.summary);
      const lines = help.stdout.split('\n');
      const table = lines.slice(lines.indexOf('Options:') + 1, lines.indexOf('Global options:'));
      for (const [name, spec] of Object.entries(command.options)) {
        const line = table.find((l) => new RegExp(`^ +(-\\w, )?--${name}( |$)`).test(l));
        expect(line, `--${name} in corridor ${command.name} --help`).toBeDefined();
        expect(line).toContain(spec.description);
        if (spec.type === 'string') expect(line).toContain(`--${name} ${spec.value ?? '<value>'}`);
        if (spec.short !== undefined) expect(line).toContain(`-${spec.short}, --${name}`);
        if (spec.default !== undefined) expect(line).toContain(`(default: ${spec.default})`);
      }
      for (const global of ['--db <file|url>', '--json', '--quiet', '--help'])
        expect(help.stdout).toContain(global);
      expect(command.examples.length).toBeGreaterThan(0);
      expect(help.stdout).toContain('Examples:');
      for (const example of command.examples) {
        expect(example.startsWith(`corridor ${command.name}`)).toBe(true);
        expect(help.stdout).toContain(`  ${example}`);
      }
    },
  );

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    "%s's parser accepts each declared option and refuses one it does not declare",
    async (_name, command) => {
      for (const [name, spec] of Object.entries(command.options)) {
        // Refused for its value, never as unknown: the parser knows it, and nothing ran.
        const probe = spec.type === 'string' ? [`--${name}`] : [`--${name}=x`];
        const outcomes = await Promise.all(prefixes(command).map((p) => run(command, p, probe)));
        expect(
          outcomes.some((r) => r.code === 2 && !r.stderr.includes('Unknown option')),
          `corridor ${command.name} --${name}`,
        ).toBe(true);
      }
      for (const prefix of prefixes(command)) {
        const refused = await run(command, prefix, ['--not-an-option-of-corridor', '--json']);
        expect(refused.code).toBe(2);
        expect(JSON.parse(refused.stdout).error).toMatchObject({
          code: 'bad_arguments',
          message: expect.stringContaining('Unknown option "--not-an-option-of-corridor".'),
        });
      }
    },
  );

  it('no command gives a short form the global options already take (-q, -h)', () => {
    const globalShorts = Object.values(GLOBAL_OPTIONS as OptionSpecs).flatMap((o) =>
      o.short === undefined ? [] : [o.short],
    );
    for (const command of COMMANDS) {
      const shorts = Object.values(command.options).flatMap((o) => (o.short === undefined ? [] : [o.short]));
      expect(
        shorts.filter((s) => globalShorts.includes(s)),
        command.name,
      ).toEqual([]);
    }
  });

  it('every parser in src/cli/commands is built from the options the command declares', () => {
    const dir = join(PROJECT_ROOT, 'src/cli/commands');
    let calls = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/parseCommandArgs\(\s*[\w.]+,\s*([\w]+)\(/g)) {
        calls++;
        expect(['parserOptions', 'optionsFor'], `${file}: ${match[0]}`).toContain(match[1]);
      }
      // No parser written out by hand beside the declared one.
      expect(text.match(/parseCommandArgs\(/g)?.length ?? 0, file).toBe(
        [...text.matchAll(/parseCommandArgs\(\s*[\w.]+,\s*(parserOptions|optionsFor)\(/g)].length,
      );
    }
    expect(calls).toBeGreaterThanOrEqual(COMMANDS.length);
  });
});

describe('unknown names', () => {
  it('an unknown option names the closest one, the global ones included', async () => {
    const typo = await cli(['export', 'trade_flows', '--fromat', 'csv']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Unknown option "--fromat". Did you mean "--format"?');
    const global = await cli(['runs', '--jsno']);
    expect(global.stderr).toContain('Unknown option "--jsno". Did you mean "--json"?');
    const far = await cli(['runs', '--zzzzzzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('Unknown option "--zzzzzzzz".\nUsage: corridor runs');
  });

  it('an unknown command names the closest command, or lists them', async () => {
    const typo = await cli(['exprot', '--json']);
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout).error).toMatchObject({
      code: 'bad_arguments',
      message: expect.stringContaining('Unknown command "exprot". Did you mean "export"?'),
    });
    const far = await cli(['zzzzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('Unknown command "zzzzzz". Commands: init, run,');
  });

  it('counts a swap of neighbours as one edit, and suggests nothing far off', () => {
    expect(editDistance('fromat', 'format')).toBe(1);
    expect(editDistance('limt', 'limit')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestName('expotr', ['export', 'exports', 'import'])).toBe('export');
    expect(closestName('frobnicate', ['format', 'force'])).toBeNull();
  });
});
