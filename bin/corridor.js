#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so pipelines written in TypeScript load
// the same way as Corridor's own code, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
