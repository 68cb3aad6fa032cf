// The shape of a bpfvm command and the I/O it is given, so that commands are plain
// functions tests can call. A command reports bad input by throwing CliError; main.ts
// prints `bpfvm: <message>` and exits non-zero.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array): void;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line(s) after `bpfvm`. */
  usage: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(args: readonly string[], io: CliIo): number;
}

export class CliError extends Error {}

/** Splits arguments into positionals and `--flag`/`--flag VALUE`/`-o VALUE` options. */
export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (valued.includes(a)) {
      if (i + 1 >= args.length) throw new CliError(`option ${a} needs a value`);
      options.set(a, args[++i]);
    } else if (flags.includes(a)) options.set(a, '');
    else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option '${a}'`);
    else positional.push(a);
  }
  return { positional, options };
}
