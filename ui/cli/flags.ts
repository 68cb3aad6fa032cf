// The bpfsim command-line flags as a table: the parser, `--help` and the docs read it.
// Each entry is one flag; flags that take a value name it in `arg`.

export type FlagSection = 'OPTIONS' | 'TROUBLESHOOTING OPTIONS' | 'SIMULATOR OPTIONS';

export interface FlagSpec {
  /** Key in the parsed options object. */
  key: string;
  /** Single-letter form without the dash, e.g. 'e'. */
  short?: string;
  /** Long form without the dashes, e.g. 'version'. */
  long?: string;
  /** Name of the value the flag takes, shown in --help; absent for a switch. */
  arg?: string;
  /** Whether the value may be left out (as for `-l [PATTERN]`). */
  optionalArg?: boolean;
  help: string;
  section: FlagSection;
}

export const FLAGS: readonly FlagSpec[] = [
  { key: 'help', short: 'h', long: 'help', help: 'show this help message', section: 'OPTIONS' },
  { key: 'version', short: 'V', long: 'version', help: 'bpfsim version', section: 'OPTIONS' },
];

export function findShort(letter: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.short === letter);
}

export function findLong(name: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.long === name);
}
