// `.seed [N]`: shows or changes the seed of the simulated world (the world restarts).
import { parseSeed } from '../../cli/values';
import { error, text, type DotCommand } from './types';

export const seedCommand: DotCommand = {
  name: 'seed',
  args: '[N]',
  argRequired: false,
  help: 'show the seed, or restart the world with seed N',
  complete: 'none',
  async run(arg, ctx) {
    if (arg === '') return text(`seed ${ctx.backend.settings().seed}`);
    const s = parseSeed(arg);
    if (!s.ok) return error(`.seed takes a non-negative integer, not '${arg}'`);
    const r = await ctx.backend.configure({ seed: s.value });
    return r.ok ? text(r.value) : error(r.error);
  },
};
