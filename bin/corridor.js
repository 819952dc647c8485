#!/usr/bin/env node
// The `corridor` command. bin/launch.js picks the bundle in dist/ or the TypeScript sources.
// runProcess prints a message for every way out (a crash, a signal) and sets the exit code.
import { loadCliModule } from './launch.js';

const { runProcess } = await loadCliModule();
await runProcess(process.argv.slice(2));
