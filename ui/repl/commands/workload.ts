// `.workload [NAME]`: shows or changes the simulated workload (the world restarts).
import { error, text, type DotCommand } from './types';

export const workloadCommand: DotCommand = {
  name: 'workload',
  args: '[NAME]',
  argRequired: false,
  help: 'show the workloads, or switch to NAME (restarts the world)',
  complete: 'workloads',
  async run(arg, ctx) {
    const current = ctx.backend.settings().workload;
    if (arg === '') return text(ctx.backend.workloads().map((w) => `${w === current ? '*' : ' '} ${w}`).join('\n'));
    const r = await ctx.backend.configure({ workload: arg });
    return r.ok ? text(r.value) : error(r.error);
  },
};
