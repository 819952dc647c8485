/**
 * `corridor serve`: the read-only web console over the warehouse (src/serve/), until Ctrl-C
 * or SIGTERM, which end it with exit 0 (a console is meant to be stopped). It binds
 * 127.0.0.1 by default; on any other address the console needs the access token printed with
 * its address (random per start, or --token).
 */
import { ConfigError, ExitCode } from '../../errors.ts';
import { isLoopback } from '../../serve/access.ts';
import { startConsole } from '../../serve/server.ts';
import type { Command, OptionSpecs } from '../command.ts';
import { warehousePathOf } from '../open-warehouse.ts';
import { numberOption, parseCommandArgs, parserOptions } from '../parse-options.ts';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

const OPTIONS = {
  port: {
    type: 'string',
    value: '<port>',
    default: String(DEFAULT_PORT),
    description: 'the TCP port to listen on (0: any free port)',
  },
  host: {
    type: 'string',
    value: '<address>',
    default: DEFAULT_HOST,
    description: 'the address to listen on; any but 127.0.0.1, ::1 or localhost needs the access token',
  },
  token: {
    type: 'string',
    value: '<token>',
    default: 'random, per start (off on a loopback address)',
    description: 'the access token (16 or more letters, digits, - or _); browsers keep it in a cookie',
  },
} as const satisfies OptionSpecs;

/** Resolves with the signal's name at the first SIGINT or SIGTERM. */
function stopSignal(): { readonly stopped: Promise<NodeJS.Signals>; dispose(): void } {
  const handlers: [NodeJS.Signals, () => void][] = [];
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) handlers.push([name, () => resolve(name)]);
  });
  for (const [name, handler] of handlers) process.on(name, handler);
  return {
    stopped,
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

export const serveCommand: Command = {
  name: 'serve',
  usage: 'corridor serve [--port 8080] [--host 127.0.0.1] [--token <token>]',
  summary: 'a read-only web console over the warehouse: tables, SQL, runs, rejects, charts',
  options: OPTIONS,
  examples: [
    'corridor serve',
    'corridor serve --port 9000 --db warehouse/corridor.db',
    'corridor serve --host 0.0.0.0',
  ],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, parserOptions(OPTIONS), this.usage);
    if (positionals.length > 0)
      throw new ConfigError(
        `corridor serve takes no arguments, but was given "${positionals[0]}".\nUsage: ${this.usage}`,
        {
          code: 'bad_arguments',
        },
      );
    const port = numberOption('port', values.port, 0, 65_535) ?? DEFAULT_PORT;
    if (!Number.isInteger(port))
      throw new ConfigError(`Invalid value for option "--port": "${values.port}" is not a whole number.`, {
        code: 'bad_arguments',
      });
    const host = values.host ?? DEFAULT_HOST;
    if (host.trim() === '')
      throw new ConfigError(
        'Invalid value for option "--host": give an address, such as 127.0.0.1 or 0.0.0.0.',
        {
          code: 'bad_arguments',
        },
      );
    if (values.token !== undefined && !/^[A-Za-z0-9_-]{16,}$/.test(values.token))
      throw new ConfigError(
        'Invalid value for option "--token": use 16 or more letters, digits, - or _ (or leave it out for a random one).',
        { code: 'bad_arguments' },
      );

    const stop = stopSignal();
    try {
      const console = await startConsole({
        location: warehousePathOf(ctx),
        host,
        port,
        ...(values.token === undefined ? {} : { token: values.token }),
      });
      if (ctx.out.json)
        ctx.out.document({ url: console.url, urls: console.urls, port: console.port, token: console.token });
      else {
        ctx.out.line(`Corridor console: ${console.url}`);
        for (const other of console.urls.slice(1)) ctx.out.line(`                  ${other}`);
        if (!isLoopback(host))
          ctx.out.line(
            `It listens on ${host}, so it needs its access token: open one of the addresses above once, and the browser keeps the token.`,
          );
        ctx.out.line('Stop with Ctrl-C');
      }
      const signal = await stop.stopped;
      ctx.out.progress(`corridor serve: ${signal} received: the console stopped.`);
      await console.close();
      return ExitCode.Success;
    } finally {
      stop.dispose();
    }
  },
};
