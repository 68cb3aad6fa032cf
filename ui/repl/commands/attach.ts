// `.attach FILE.bt`: reads a script and attaches it as if it had been typed.
import { errnoText } from '../../cli/validate';
import { error, type DotCommand } from './types';

export const attachCommand: DotCommand = {
  name: 'attach',
  args: 'FILE.bt',
  argRequired: true,
  help: 'attach the probes of a script file',
  complete: 'files',
  async run(arg, ctx) {
    let source: string;
    try {
      source = ctx.readFile(arg);
    } catch (e) {
      return error(`failed to open file '${arg}': ${errnoText(e)}`);
    }
    return ctx.submit(source, arg);
  },
};
