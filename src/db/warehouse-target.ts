/**
 * Where the warehouse is: a SQLite file (the embedded default) or a PostgreSQL database named by
 * a URL. `--db` wins, then `CORRIDOR_DB`, then `warehouse/corridor.db` below the working folder.
 */
import { resolve } from 'node:path';
import { ExitCode, WarehouseError } from '../errors.ts';

export const DEFAULT_WAREHOUSE_PATH = 'warehouse/corridor.db';

export type WarehouseTarget =
  | { readonly backend: 'sqlite' /** Absolute path of the file, or `:memory:`. */; readonly path: string }
  | {
      readonly backend: 'postgres';
      /** The connection URL as given, password included: never print it, print `label`. */
      readonly url: string;
      /** The URL without its password, for messages and the journal. */
      readonly label: string;
    };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export const isPostgresUrl = (value: string): boolean => POSTGRES_URL.test(value);

/** A connection URL with its password replaced by `***`, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** The target a `--db` value (or `CORRIDOR_DB`) names; file paths resolve against `cwd`. */
export function resolveWarehouseTarget(
  flag: string | undefined,
  cwd: string = process.cwd(),
): WarehouseTarget {
  const chosen = flag ?? process.env.CORRIDOR_DB ?? DEFAULT_WAREHOUSE_PATH;
  return targetOf(chosen, cwd);
}

/** The target of a path or URL, as given. */
export function targetOf(location: string, cwd: string = process.cwd()): WarehouseTarget {
  if (isPostgresUrl(location)) return { backend: 'postgres', url: location, label: redactUrl(location) };
  // Another scheme (mysql://, sqlite://, http://) is not a file path either: refuse it by name.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (scheme !== null)
    throw new WarehouseError(
      `--db ${redactUrl(location)}: ${scheme[1]} databases are not supported. Give a SQLite file path (warehouse/corridor.db) or a postgres://user@host:5432/database URL.`,
      { code: 'unsupported_database', exitCode: ExitCode.Usage },
    );
  return { backend: 'sqlite', path: location === ':memory:' ? location : resolve(cwd, location) };
}

/** What `--db` should be printed as: the file path, or the URL without its password. */
export function targetLabel(target: WarehouseTarget): string {
  return target.backend === 'sqlite' ? target.path : target.label;
}
