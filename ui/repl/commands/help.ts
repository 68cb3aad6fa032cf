// `.help`: the dot-commands with their arguments, and how to enter programs.
import { text, type DotCommand } from './types';

export const helpCommand: DotCommand = {
  name: 'help',
  args: '',
  argRequired: false,
  help: 'show this help',
  complete: 'none',
  async run(_arg, ctx) {
    const rows = ctx.commands().map((c) => [`.${c.name}${c.args ? ' ' + c.args : ''}`, c.help] as const);
    const width = Math.max(...rows.map(([l]) => l.length)) + 2;
    return text(
      [
        'Enter a probe block to attach it (`kprobe:vfs_read { @[comm] = count(); }`); the entry',
        'continues on the next line while braces are open. Enter an expression (`nsecs`,',
        '`1 << 10`, `@m[1]`) to print its value.',
        'Ctrl-C detaches running programs and prints their maps; Ctrl-D or .quit leaves.',
        'Tab completes probe names, builtins, functions, map names and commands.',
        '',
        ...rows.map(([l, h]) => `  ${l.padEnd(width)}${h}`),
      ].join('\n'),
    );
  },
};
