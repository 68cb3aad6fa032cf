// What a command line asks bpfsim to do, after parsing and validation: a discriminated
// union of commands, and for a run the fully validated RunRequest a session executes.
// Plain data: no I/O, no defaults left to guess (every field is resolved).

/** The stages `-d` (and the REPL's `.ast`, `.bytecode`, ...) can print. */
export const DEBUG_STAGES = ['ast', 'types', 'bytecode', 'verifier', 'jit'] as const;
export type DebugStage = (typeof DEBUG_STAGES)[number];

export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const BUFFER_MODES = ['line', 'full', 'none'] as const;
export type BufferMode = (typeof BUFFER_MODES)[number];

/** How fast simulated time runs against the wall clock. */
export type Speed = { kind: 'realtime' } | { kind: 'max' } | { kind: 'factor'; factor: number };

/** The simulated world a run or a REPL session uses. */
export interface SimSettings {
  workload: string;
  seed: number;
  cpus: number;
  speed: Speed;
  /** Stop after this much simulated time (ns); absent: run until exit() or Ctrl-C. */
  durationNs?: number;
  /** Run programs on the WebAssembly JIT (false: the interpreter). */
  jit: boolean;
}

export const DEFAULT_SIM: Readonly<Omit<SimSettings, 'speed'>> = { workload: 'default', seed: 1, cpus: 4, jit: true };

/** A program's text and where it came from. */
export interface ProgramSource {
  origin: 'inline' | 'file' | 'stdin';
  /** The name diagnostics show: 'stdin' for -e and `-`, the path for a file. */
  file: string;
  text: string;
}

/** bpftrace's warning levels: --no-warnings (0), default (1), -k (2). */
export type WarningLevel = 0 | 1 | 2;

export interface RunRequest {
  program: ProgramSource;
  /** Positional parameters ($1, $2, ...; $# is their count). */
  params: string[];
  format: OutputFormat;
  /** -o FILE: program output goes there instead of stdout. */
  outputFile?: string;
  buffering: BufferMode;
  quiet: boolean;
  verbose: boolean;
  warnings: WarningLevel;
  unsafe: boolean;
  dryRun: boolean;
  /** Stages to print, in DEBUG_STAGES order. */
  debug: DebugStage[];
  /** -p PID: filter actions to this simulated process. */
  pid?: number;
  /** -c CMD: start CMD as a simulated process; the run ends when it exits. */
  cmd?: string;
  sim: SimSettings;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'info' }
  /** `-l [search]`: list probes matching the search (all when absent), or those of a program. */
  | { kind: 'list'; search?: string; program?: ProgramSource; verbose: boolean }
  | { kind: 'run'; request: RunRequest }
  /** No program and a terminal: the interactive REPL. */
  | { kind: 'repl'; sim: SimSettings; unsafe: boolean; warnings: WarningLevel };
