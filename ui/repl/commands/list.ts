// `.list`: the running programs with their ids and probe counts.
import { text, type DotCommand } from './types';

export const listCommand: DotCommand = {
  name: 'list',
  args: '',
  argRequired: false,
  help: 'list running programs',
  complete: 'none',
  async run(_arg, ctx) {
    const programs = ctx.backend.programs();
    if (programs.length === 0) return text('no programs running');
    return text(
      programs
        .map((p) => {
          const lines = p.source.trim().split('\n');
          const first = `[${p.id}] ${lines[0]}${lines.length > 1 ? ' ...' : ''}`;
          const where = p.file === 'stdin' ? '' : ` (${p.file})`;
          return `${first}${where}  (${p.probes} probe${p.probes === 1 ? '' : 's'})`;
        })
        .join('\n'),
    );
  },
};
