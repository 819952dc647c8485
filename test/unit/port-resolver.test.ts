/**
 * The port resolver over the shipped ports reference and its aliases, read from a real
 * warehouse (the same tables a load reads), and over small hand-made lists for what the
 * reference does not hold (two ports of one name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledPortResolver } from '../../src/load/port-reference-loader.ts';
import { locodeOf, type PortResolution, PortResolver } from '../../src/normalize/port-resolver.ts';
import { openReferenceWarehouse, type ReferenceWarehouse } from './support/reference-warehouse.ts';

let reference: ReferenceWarehouse;
let ports: PortResolver;

beforeAll(async () => {
  reference = await openReferenceWarehouse();
  ports = await PortResolver.load(reference.warehouse.db);
});

afterAll(async () => {
  await reference.dispose();
});

const locode = (resolution: PortResolution) => ('port' in resolution ? resolution.port.locode : null);
const problem = (resolution: PortResolution) => ('problem' in resolution ? resolution.message : null);

describe('PortResolver, codes', () => {
  it.each([
    ['PKKHI', 'PKKHI'],
    ['PK KHI', 'PKKHI'],
    ['pk-khi', 'PKKHI'],
    [' pkbqm ', 'PKBQM'],
    ['BRPNG', 'BRPNG'],
  ])('reads the UN/LOCODE %j as %s', (text, expected) => {
    const resolved = ports.resolve(text);
    expect(locode(resolved)).toBe(expected);
    expect(resolved).toMatchObject({ matched: 'code' });
  });

  it('gives the reference name with the code (BRPNG is Paranaguá, not an empty name)', () => {
    expect(ports.resolve('BRPNG')).toMatchObject({ port: { name: 'Paranaguá', fiscalYearStart: 1 } });
    expect(ports.resolve('PKBQM')).toMatchObject({ port: { name: 'Port Qasim', fiscalYearStart: 7 } });
  });

  it('spells a cell as a code only when it is shaped like one', () => {
    expect(locodeOf('PK KHI')).toBe('PKKHI');
    expect(locodeOf('Suape')).toBe('SUAPE');
    expect(locodeOf('Karachi')).toBeNull();
    expect(locodeOf('PK_KHI')).toBeNull();
  });
});

describe('PortResolver, names and aliases', () => {
  it.each([
    ['Karachi', 'PKKHI'],
    ['Karachi Port', 'PKKHI'],
    ['KPT', 'PKKHI'],
    ['Karachi Port Trust', 'PKKHI'],
    ['KARACHI PORT TRUST', 'PKKHI'],
    ['Port Qasim', 'PKBQM'],
    ['Bin Qasim', 'PKBQM'],
    ['Qasim', 'PKBQM'],
    ['bin-qasim', 'PKBQM'],
    ['Muhammad Bin Qasim', 'PKBQM'],
    ['PQA', 'PKBQM'],
    ['p.q.a.', 'PKBQM'],
    ['Gwadar', 'PKGWD'],
    ['Nhava Sheva', 'INNSA'],
    ['JNPT', 'INNSA'],
    ['Paranagua', 'BRPNG'],
    ['Hong Kong', 'HKHKG'],
  ])('reads %j as %s, case, spaces and punctuation ignored', (text, expected) => {
    expect(locode(ports.resolve(text))).toBe(expected);
  });

  it('says whether a cell matched the port name or an alias', () => {
    expect(ports.resolve('gwadar')).toMatchObject({ matched: 'name' });
    expect(ports.resolve('KPT')).toMatchObject({ matched: 'alias' });
  });

  it('knows from the shipped files alone what the warehouse knows, before a warehouse is open', () => {
    const bundled = bundledPortResolver();
    for (const text of ['KPT', 'Bin Qasim', 'PK KHI', 'Nhava Sheva', 'BRSSZ'])
      expect(locode(bundled.resolve(text))).toBe(locode(ports.resolve(text)));
    expect(bundled.size).toBe(ports.size);
  });
});

describe('PortResolver, what it does not know', () => {
  it('refuses "Suape", five letters shaped like a code, instead of taking it for a port SUAPE', () => {
    const message = problem(ports.resolve('Suape'));
    expect(message).toContain('"Suape" is not a port Corridor knows (the closest is ');
    expect(message).toContain('corridor ports alias "Suape" <LOCODE>');
    expect(message).toContain('corridor ports add <LOCODE> --name "Suape" --country <ISO3>');
  });

  it.each([
    ['Karachii', 'PKKHI'],
    ['Port Qassim', 'PKBQM'],
    ['Gwader', 'PKGWD'],
    ['Paranagwa', 'BRPNG'],
  ])('names the closest known port of a misspelt %j: %s', (text, expected) => {
    expect(ports.closest(text)?.locode).toBe(expected);
    expect(problem(ports.resolve(text))).toContain(`(the closest is ${expected} (`);
  });

  it('names the closest code of an unknown code, and the add command with that code', () => {
    const message = problem(ports.resolve('PKGWX'));
    expect(message).toContain('(the closest is PKGWD (Gwadar))');
    expect(message).toContain('corridor ports add PKGWX --name "<name>" --country <ISO3>');
  });

  it('refuses a name two ports share until an alias settles it', () => {
    const victoria = [
      { locode: 'SCPOV', name: 'Victoria', countryIso3: 'SYC', fiscalYearStart: 1 },
      { locode: 'CAVIC', name: 'Victoria', countryIso3: 'CAN', fiscalYearStart: 4 },
    ];
    const shared = PortResolver.fromEntries(victoria, []);
    expect(shared.resolve('Victoria')).toMatchObject({ problem: 'ambiguous' });
    expect(problem(shared.resolve('Victoria'))).toContain('SCPOV (Victoria), CAVIC (Victoria)');
    expect(locode(shared.resolve('CAVIC'))).toBe('CAVIC');

    const settled = PortResolver.fromEntries(victoria, [{ alias: 'Victoria', locode: 'SCPOV' }]);
    expect(locode(settled.resolve('victoria'))).toBe('SCPOV');
  });

  it('lets an alias win over another port’s name, and ignores an alias to a port it does not list', () => {
    const list = [
      { locode: 'PKKHI', name: 'Karachi', countryIso3: 'PAK', fiscalYearStart: 7 },
      { locode: 'PKBQM', name: 'Port Qasim', countryIso3: 'PAK', fiscalYearStart: 7 },
    ];
    const resolver = PortResolver.fromEntries(list, [
      { alias: 'Karachi', locode: 'PKBQM' },
      { alias: 'Somewhere', locode: 'XXXXX' },
    ]);
    expect(locode(resolver.resolve('Karachi'))).toBe('PKBQM');
    expect(resolver.resolve('Somewhere')).toMatchObject({ problem: 'unknown' });
  });
});
