/**
 * The console's server (src/serve/server.ts) over a real SQLite warehouse loaded through the
 * CLI, on a real port of 127.0.0.1: the frame, the headers every answer carries, 404, 405,
 * static assets, the access token on a non-loopback address, a taken port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/serve/access.ts';
import { type RunningConsole, startConsole } from '../src/serve/server.ts';
import { byTestId, http, useServedWarehouse } from './helpers/serve-warehouse.ts';

const served = useServedWarehouse();
const warehouse = () => served.warehouse();
const base = () => `http://127.0.0.1:${served.console().port}`;

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('corridor serve: the server', () => {
  it('answers on 127.0.0.1 without a token, with the frame: nav, h1, a footer naming the warehouse', async () => {
    expect(served.console().url).toBe(`http://127.0.0.1:${served.console().port}/`);
    expect(served.console().token).toBeNull();
    const page = await http(`${base()}/tables`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(page.headers);
    expect(page.text).toMatch(
      /<nav data-testid="nav">[\s\S]*<a href="\/tables" aria-current="page">Tables<\/a>/,
    );
    expect(page.text).toContain('<h1>Tables</h1>');
    expect(byTestId(page.text, 'warehouse')).toBe(warehouse().db);
  });

  it('says CSP, nosniff and no-referrer on every answer: a 404, a 405, an asset', async () => {
    const missing = await http(`${base()}/nothing/here`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<h1>Not found</h1>');
    expect(missing.text).toContain('Nothing is at /nothing/here.');
    expectSecurityHeaders(missing.headers);

    const post = await http(`${base()}/sql?q=select%201`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(post.headers);
    for (const method of ['PUT', 'DELETE']) expect((await http(`${base()}/`, { method })).status).toBe(405);

    const page = await http(`${base()}/tables`);
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page.text)![1]!;
    expect(css).toMatch(/^\/assets\/console\.css\?v=[0-9a-f]{12}$/);
    const asset = await http(`${base()}${css}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toContain('nav[data-testid');
    expectSecurityHeaders(asset.headers);
    expect((await http(`${base()}/assets/nothing.css`)).status).toBe(404);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await http(`${base()}/tables`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
    expect(head.body.length).toBe(0);
  });

  it('refuses a request addressed to another host name (DNS rebinding) when it has no token', async () => {
    const rebound = await http(`${base()}/tables`, {
      headers: { host: `evil.example:${served.console().port}` },
    });
    expect(rebound.status).toBe(403);
    expect(
      (await http(`${base()}/tables`, { headers: { host: `localhost:${served.console().port}` } })).status,
    ).toBe(200);
  });

  it('says a taken port is taken, with the fix', async () => {
    await expect(
      startConsole({ location: warehouse().db, host: '127.0.0.1', port: served.console().port }),
    ).rejects.toMatchObject({
      code: 'port_in_use',
      message: expect.stringMatching(
        new RegExp(`Port ${served.console().port} on 127\\.0\\.0\\.1 is already in use.*--port`),
      ),
    });
  });

  it('says a missing warehouse is missing before it listens', async () => {
    await expect(
      startConsole({ location: `${warehouse().folder}/none.db`, host: '127.0.0.1', port: 0 }),
    ).rejects.toMatchObject({ code: 'warehouse_missing' });
  });
});

describe('corridor serve: the access token on a non-loopback address', () => {
  let open: RunningConsole;
  beforeAll(async () => {
    open = await startConsole({ location: warehouse().db, host: '0.0.0.0', port: 0 });
  });
  afterAll(() => open?.close());

  it('needs the token: 401 without, 200 with ?token=, which sets a cookie that lets the next requests in', async () => {
    expect(open.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Addresses a browser opens, this machine's own, loopback last; never 0.0.0.0 itself.
    expect(open.urls.at(-1)).toBe(`http://127.0.0.1:${open.port}/?token=${open.token}`);
    expect(open.url).toBe(open.urls[0]);
    expect(open.urls.every((u) => !u.includes('0.0.0.0'))).toBe(true);
    const local = `http://127.0.0.1:${open.port}`;

    const refused = await http(`${local}/tables`);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('needs its access token');
    expect((await http(`${local}/tables?token=wrong${open.token}`)).status).toBe(401);
    expect((await http(`${local}/assets/console.css`)).status).toBe(401);

    const first = await http(`${local}/tables?token=${open.token}`);
    expect(first.status).toBe(200);
    const setCookie = first.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    expect(cookie).toBe(`corridor_token_${open.port}=${open.token}`);

    const later = await http(`${local}/sql`, { headers: { cookie } });
    expect(later.status).toBe(200);
    expect(later.text).toContain('data-testid="sql-form"');
    expect(
      (await http(`${local}/sql`, { headers: { cookie: `corridor_token_${open.port}=nope` } })).status,
    ).toBe(401);
  });

  it('keeps the token out of the links it writes', async () => {
    const page = await http(`http://127.0.0.1:${open.port}/sql?q=select%201&token=${open.token}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(open.token!);
  });
});
