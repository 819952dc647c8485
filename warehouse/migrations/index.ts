/**
 * Every migration, in order. Listed here rather than discovered on disk so that the set is
 * fixed at review time and works the same from a clone, a package or a test.
 */
import type { Migration } from 'kysely';
import * as core from './0001-core.ts';

export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-core': core,
});
