// `.clear @m`: removes every key of a map, as `clear(@m)` does.
import { mapArgument } from './map-arg';
import { error, text, type DotCommand } from './types';

export const clearCommand: DotCommand = {
  name: 'clear',
  args: '@map',
  argRequired: true,
  help: 'remove every key of a map',
  complete: 'maps',
  async run(arg, ctx) {
    const name = mapArgument(arg);
    if (!name) return error(`not a map name: '${arg}'`);
    const r = ctx.backend.clearMap(name);
    if (!r.ok) return error(r.error);
    return text(`${name} cleared`);
  },
};
