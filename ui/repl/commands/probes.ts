// `.probes [PATTERN]`: the probes matching a pattern, as `bpfsim -l PATTERN` lists them.
import { error, text, type DotCommand } from './types';

export const probesCommand: DotCommand = {
  name: 'probes',
  args: '[PATTERN]',
  argRequired: false,
  help: 'list probes matching PATTERN (as -l does)',
  complete: 'probes',
  async run(arg, ctx) {
    const r = ctx.backend.listProbes(arg === '' ? undefined : arg);
    if (!r.ok) return error(r.error);
    if (r.value.length === 0) return text(`no probes match '${arg}'`);
    return text(r.value.join('\n'));
  },
};
