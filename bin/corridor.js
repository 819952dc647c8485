#!/usr/bin/env node
// The `corridor` command. bin/launch.js picks the bundle in dist/ or the TypeScript sources.
import { loadCli } from './launch.js';

const runCli = await loadCli();
process.exitCode = await runCli(process.argv.slice(2));
