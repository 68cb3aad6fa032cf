// `.quit`: detaches everything and leaves the REPL (as Ctrl-D does).
import type { DotCommand } from './types';

export const quitCommand: DotCommand = {
  name: 'quit',
  args: '',
  argRequired: false,
  help: 'leave (Ctrl-D does the same)',
  complete: 'none',
  async run() {
    return { kind: 'quit' };
  },
};
