/** STUB (being written). */
import { ExitCode } from '../../errors.ts';
import type { Command } from '../command.ts';

export const chartCommand: Command = {
  name: 'chart',
  usage: 'corridor chart',
  summary: 'not built yet',
  options: {},
  examples: [],
  async run(ctx) {
    ctx.out.message('corridor chart is not built yet.');
    return ExitCode.Usage;
  },
};
