// `.speed [X]`: shows or changes how fast simulated time runs (realtime, max, 10x, 0.5x).
import { parseSpeed, speedText } from '../../cli/values';
import { error, text, type DotCommand } from './types';

export const speedCommand: DotCommand = {
  name: 'speed',
  args: '[X]',
  argRequired: false,
  help: "show the speed, or set it: 'realtime', 'max' or a factor such as '10x'",
  complete: 'speeds',
  async run(arg, ctx) {
    if (arg === '') return text(`speed ${speedText(ctx.backend.settings().speed)}`);
    const s = parseSpeed(arg);
    if (!s.ok) return error(`.speed takes 'realtime', 'max' or a factor such as '10x', not '${arg}'`);
    const r = await ctx.backend.configure({ speed: s.value });
    return r.ok ? text(r.value) : error(r.error);
  },
};
