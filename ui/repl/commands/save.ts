// `.save FILE`: writes the programs attached during the session as one executable `.bt`
// script (with a `#!/usr/bin/env bpfsim` line), in the order they were entered.
import { errnoText } from '../../cli/validate';
import { error, text, type DotCommand } from './types';

export function savedScript(programs: readonly { source: string; file: string }[]): string {
  const blocks = programs.map((p) => (p.file === 'stdin' ? '' : `// from ${p.file}\n`) + p.source.trim());
  return ['#!/usr/bin/env bpfsim', '', blocks.join('\n\n'), ''].join('\n');
}

export const saveCommand: DotCommand = {
  name: 'save',
  args: 'FILE',
  argRequired: true,
  help: "write the session's programs to FILE as a .bt script",
  complete: 'files',
  async run(arg, ctx) {
    const programs = ctx.sessionPrograms();
    if (programs.length === 0) return error('no programs to save: attach one first');
    try {
      ctx.writeFile(arg, savedScript(programs));
    } catch (e) {
      return error(`failed to write '${arg}': ${errnoText(e)}`);
    }
    return text(`saved ${programs.length} program${programs.length === 1 ? '' : 's'} to ${arg}`);
  },
};
