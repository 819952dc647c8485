/** STUB (being written). */
import { ExitCode } from '../../errors.ts';
import type { Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'corridor serve',
  summary: 'not built yet',
  options: {},
  examples: [],
  async run(ctx) {
    ctx.out.message('corridor serve is not built yet.');
    return ExitCode.Usage;
  },
};
