// `.print @m`: prints a map as `print(@m)` does.
import { mapArgument } from './map-arg';
import { error, text, type DotCommand } from './types';

export const printCommand: DotCommand = {
  name: 'print',
  args: '@map',
  argRequired: true,
  help: 'print a map',
  complete: 'maps',
  async run(arg, ctx) {
    const name = mapArgument(arg);
    if (!name) return error(`not a map name: '${arg}'`);
    const r = ctx.backend.printMap(name);
    if (!r.ok) return error(r.error);
    return text(r.value.replace(/\n+$/, ''));
  },
};
