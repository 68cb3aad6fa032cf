// The bpfsim command-line flags as a table: the parser, the validator, `--help` and the
// docs read it. Each entry is one flag; flags that take a value name it in `arg`. The
// flags bpftrace has keep bpftrace's letters and meanings; the simulator's own options
// are long-only. `wired` says whether the flag does its job in this build: `--help` lists
// only wired flags, and a flag that is not wired is refused with a clear message.

export type FlagSection = 'OPTIONS' | 'TROUBLESHOOTING OPTIONS' | 'SIMULATOR OPTIONS';

/** What a flag needs to do its job. */
export type FlagNeeds =
  /** Nothing beyond the command line itself (help, version, listing, info). */
  | 'cli'
  /** The compiler (front end, lowering, verifier): enough for --dry-run and -d STAGE. */
  | 'compiler'
  /** The runtime session (compile, load, attach, run, print). */
  | 'session';

export interface FlagSpec {
  /** Key in the parsed options object. */
  key: string;
  /** Single-letter form without the dash, e.g. 'e'. */
  short?: string;
  /** Long form without the dashes, e.g. 'version'. */
  long?: string;
  /** Name of the value the flag takes, shown in --help; absent for a switch. */
  arg?: string;
  help: string;
  section: FlagSection;
  needs: FlagNeeds;
}

export const FLAGS: readonly FlagSpec[] = [
  { key: 'program', short: 'e', arg: "'program'", help: 'execute this program', section: 'OPTIONS', needs: 'compiler' },
  { key: 'list', short: 'l', long: 'list', help: 'list probes matching [search] (all probes when absent)', section: 'OPTIONS', needs: 'cli' },
  { key: 'verbose', short: 'v', long: 'verbose', help: 'verbose messages; with -l, also show probe arguments', section: 'OPTIONS', needs: 'cli' },
  { key: 'help', short: 'h', long: 'help', help: 'show this help message', section: 'OPTIONS', needs: 'cli' },
  { key: 'version', short: 'V', long: 'version', help: 'bpfsim version', section: 'OPTIONS', needs: 'cli' },
  { key: 'info', long: 'info', help: 'print information about the simulated system and its BPF support', section: 'OPTIONS', needs: 'cli' },
  { key: 'pid', short: 'p', long: 'pid', arg: 'PID', help: 'filter actions to the simulated process PID', section: 'OPTIONS', needs: 'session' },
  { key: 'cmd', short: 'c', long: 'cmd', arg: 'CMD', help: 'run CMD as a simulated process (cpid); the run ends when it exits', section: 'OPTIONS', needs: 'session' },
  { key: 'output', short: 'o', long: 'output', arg: 'FILE', help: 'redirect program output to FILE', section: 'OPTIONS', needs: 'compiler' },
  { key: 'format', short: 'f', arg: 'FORMAT', help: "output format ('text', 'json')", section: 'OPTIONS', needs: 'session' },
  { key: 'buffering', short: 'B', arg: 'MODE', help: "output buffering mode ('line', 'full', 'none')", section: 'OPTIONS', needs: 'session' },
  { key: 'quiet', short: 'q', long: 'quiet', help: 'keep messages quiet', section: 'OPTIONS', needs: 'session' },
  { key: 'warnings', short: 'k', long: 'warnings', help: 'emit a warning when probe read helpers return an error', section: 'OPTIONS', needs: 'compiler' },
  { key: 'noWarnings', long: 'no-warnings', help: 'disable all warning messages', section: 'OPTIONS', needs: 'compiler' },
  { key: 'unsafe', long: 'unsafe', help: 'allow unsafe/destructive functionality (system, signal, override)', section: 'OPTIONS', needs: 'compiler' },
  { key: 'dryRun', long: 'dry-run', help: 'terminate execution right after attaching all the probes', section: 'TROUBLESHOOTING OPTIONS', needs: 'compiler' },
  {
    key: 'debug',
    short: 'd',
    long: 'debug',
    arg: 'STAGE',
    help: "print a stage of the compilation ('all', 'ast', 'types', 'bytecode', 'verifier', 'jit')",
    section: 'TROUBLESHOOTING OPTIONS',
    needs: 'compiler',
  },
  { key: 'workload', long: 'workload', arg: 'NAME', help: 'simulated workload to run (default: default)', section: 'SIMULATOR OPTIONS', needs: 'session' },
  { key: 'seed', long: 'seed', arg: 'N', help: 'seed of the simulated world (default: 1)', section: 'SIMULATOR OPTIONS', needs: 'session' },
  { key: 'duration', long: 'duration', arg: 'TIME', help: 'stop after TIME of simulated time (5s, 250ms, 2m; a bare number is seconds)', section: 'SIMULATOR OPTIONS', needs: 'session' },
  { key: 'speed', long: 'speed', arg: 'SPEED', help: "'realtime', 'max' (as fast as possible) or a factor such as '10x'", section: 'SIMULATOR OPTIONS', needs: 'session' },
  { key: 'cpus', long: 'cpus', arg: 'N', help: 'number of simulated CPUs (1 to 64, default: 4)', section: 'SIMULATOR OPTIONS', needs: 'session' },
  { key: 'noJit', long: 'no-jit', help: 'run programs on the interpreter instead of the WebAssembly JIT', section: 'SIMULATOR OPTIONS', needs: 'session' },
];

export function findShort(letter: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.short === letter);
}

export function findLong(name: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.long === name);
}

export function flagByKey(key: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.key === key);
}

/** How the user would spell a flag in a message: `-e`, `--workload`, `-o/--output`. */
export function flagName(f: FlagSpec): string {
  return [f.short ? `-${f.short}` : '', f.long ? `--${f.long}` : ''].filter(Boolean).join('/');
}
