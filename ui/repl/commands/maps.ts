// `.maps`: the names of the session's maps.
import { text, type DotCommand } from './types';

export const mapsCommand: DotCommand = {
  name: 'maps',
  args: '',
  argRequired: false,
  help: 'list the maps of the session',
  complete: 'none',
  async run(_arg, ctx) {
    const names = ctx.backend.mapNames();
    return text(names.length === 0 ? 'no maps' : names.join('\n'));
  },
};
