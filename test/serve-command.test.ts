/**
 * `corridor serve` through its module (src/cli/commands/serve-command.ts): it prints the
 * console's address and how to stop it, serves until SIGINT or SIGTERM, then ends with 0;
 * on a non-loopback address the address carries the token; bad options are usage errors.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../src/cli/commands/serve-command.ts';
import { Output } from '../src/cli/output.ts';
import { buildServeWarehouse, http, type ServeWarehouse } from './helpers/serve-warehouse.ts';

/** Collects what is written and says when it contains a text. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.emit('written');
    done();
  }
  async until(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this.text);
      if (match !== null) return match;
      await once(this, 'written');
    }
  }
}

let warehouse: ServeWarehouse;
beforeAll(async () => {
  warehouse = await buildServeWarehouse();
});
afterAll(() => warehouse?.remove());

function serve(args: readonly string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const out = new Output({ json: false, quiet: false, stdout, stderr });
  const exit = serveCommand.run({
    globals: { db: warehouse.db, json: false, quiet: false },
    out,
    args,
    cwd: warehouse.folder,
  });
  return { stdout, stderr, exit };
}

describe('corridor serve', () => {
  it('prints the address and how to stop it, serves the warehouse, and ends with 0 at SIGINT', async () => {
    const run = serve(['--port', '0']);
    const [, url] = await run.stdout.until(/^Corridor console: (http:\/\/127\.0\.0\.1:\d+\/)\n/m);
    await run.stdout.until(/^Stop with Ctrl-C$/m);
    const page = await http(`${url}tables`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="dictionary"');

    process.emit('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr.text).toContain('SIGINT received');
    await expect(http(`${url}tables`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('on every address, prints the addresses a browser opens with the token, and stops at SIGTERM', async () => {
    const run = serve(['--port', '0', '--host', '0.0.0.0', '--token', 'a-token-of-sixteen-chars']);
    // This machine's addresses, loopback last (alone on a machine without a network): 0.0.0.0
    // is no address a browser opens.
    await run.stdout.until(/^Stop with Ctrl-C\n/m);
    expect(run.stdout.text).toMatch(/^Corridor console: http:\/\/\d+\.\d+\.\d+\.\d+:\d+\/\?token=/m);
    const [, port] =
      /http:\/\/127\.0\.0\.1:(\d+)\/\?token=a-token-of-sixteen-chars\n/.exec(run.stdout.text) ?? [];
    expect(run.stdout.text).not.toContain('0.0.0.0:');
    expect(run.stdout.text).toContain('needs its access token');
    const refused = await http(`http://127.0.0.1:${port}/tables`);
    expect(refused.status).toBe(401);
    // A visitor without the token is not told where the warehouse is.
    expect(refused.text).not.toContain('data-testid="warehouse"');
    const allowed = await http(`http://127.0.0.1:${port}/tables?token=a-token-of-sixteen-chars`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('data-testid="warehouse"');
    process.emit('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('refuses bad options as usage errors, and a taken port with the fix', async () => {
    await expect(serve(['--port', 'http']).exit).rejects.toMatchObject({ code: 'bad_arguments' });
    await expect(serve(['--port', '80.5']).exit).rejects.toMatchObject({ code: 'bad_arguments' });
    await expect(serve(['--token', 'short']).exit).rejects.toMatchObject({ code: 'bad_arguments' });
    await expect(serve(['extra']).exit).rejects.toMatchObject({ code: 'bad_arguments' });

    const first = serve(['--port', '0']);
    const [, port] = await first.stdout.until(/127\.0\.0\.1:(\d+)\//);
    await expect(serve(['--port', port!]).exit).rejects.toMatchObject({
      code: 'port_in_use',
      message: expect.stringContaining('--port'),
    });
    process.emit('SIGINT');
    expect(await first.exit).toBe(0);
  });

  it('declares its options for --help, with their defaults', () => {
    expect(Object.keys(serveCommand.options)).toEqual(['port', 'host', 'token']);
    expect(serveCommand.options.port?.default).toBe('8080');
    expect(serveCommand.options.host?.default).toBe('127.0.0.1');
    expect(serveCommand.examples.length).toBeGreaterThan(0);
  });
});
