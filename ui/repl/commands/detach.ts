// `.detach N`: detaches one running program and prints its maps, as at exit.
import { error, text, type DotCommand } from './types';

export const detachCommand: DotCommand = {
  name: 'detach',
  args: 'N',
  argRequired: true,
  help: 'detach program N (see .list) and print its maps',
  complete: 'programs',
  async run(arg, ctx) {
    const id = /^\d+$/.test(arg) ? Number(arg) : NaN;
    if (!Number.isSafeInteger(id)) return error(`.detach takes a program number (see .list), not '${arg}'`);
    const r = await ctx.backend.detach(id);
    if (!r.ok) return error(r.error);
    const maps = r.value.replace(/^\n+/, '').replace(/\n+$/, '');
    return text(maps === '' ? `[${id}] detached` : maps);
  },
};
