// Turns parsed arguments into a validated command, in bpftrace's order of checks and with
// its messages: value errors (`ERROR: Invalid output format "xml"`), conflicts (`-c` with
// `-p`, `-k` with `--no-warnings`), the program from -e, a file or stdin (`-`), and the
// positional parameters. Reading the program is the only I/O, through the `io` argument.
import { allValues, count, lastValue, type ParsedArgs } from './args';
import { DEBUG_STAGES, DEFAULT_SIM, type CliCommand, type DebugStage, type ProgramSource, type RunRequest, type SimSettings, type WarningLevel } from './request';
import { parseBuffering, parseCpus, parseDebugStages, parseDuration, parseFormat, parsePid, parseSeed, parseSpeed, parseWorkload, type Parsed } from './values';

export interface ValidateIo {
  /** Whether stdin and stdout are a terminal (no program then means the REPL). */
  interactive: boolean;
  /** Reads a script file; throws a Node-style error (with `code`) when it cannot. */
  readFile(path: string): string;
  /** Reads the whole of stdin (for `-`). */
  readStdin(): Promise<string>;
  /** Whether a path exists (for `-l FILE`). */
  exists(path: string): boolean;
  /** Names of the simulated workloads, when known. */
  workloads?: readonly string[];
}

/** A refusal: the message (printed after `ERROR: ` unless it is a getopt message), whether usage follows, the exit code. */
export interface CliError {
  message: string;
  /** `error` prints as `ERROR: message`; `usage-only` prints only the usage. */
  style: 'error' | 'usage-only';
  usage: boolean;
  code: number;
}

export type ValidateResult = { ok: true; command: CliCommand } | { ok: false; error: CliError };

const refuse = (message: string, usage = false): ValidateResult => ({ ok: false, error: { message, style: 'error', usage, code: 1 } });

/** strerror() texts for the errors opening a script can meet. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
};

export function errnoText(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  return ERRNO_TEXT[code] ?? (err instanceof Error ? err.message : String(err));
}

function readScript(path: string, io: ValidateIo): Parsed<ProgramSource> {
  try {
    return { ok: true, value: { origin: 'file', file: path, text: io.readFile(path) } };
  } catch (e) {
    return { ok: false, error: `failed to open file '${path}': ${errnoText(e)}` };
  }
}

function simSettings(args: ParsedArgs, io: ValidateIo): Parsed<SimSettings> {
  const workload = lastValue(args, 'workload');
  const seed = lastValue(args, 'seed');
  const cpus = lastValue(args, 'cpus');
  const duration = lastValue(args, 'duration');
  const speed = lastValue(args, 'speed');
  const w = workload === undefined ? { ok: true as const, value: DEFAULT_SIM.workload } : parseWorkload(workload, io.workloads);
  if (!w.ok) return w;
  const s = seed === undefined ? { ok: true as const, value: DEFAULT_SIM.seed } : parseSeed(seed);
  if (!s.ok) return s;
  const c = cpus === undefined ? { ok: true as const, value: DEFAULT_SIM.cpus } : parseCpus(cpus);
  if (!c.ok) return c;
  const d = duration === undefined ? undefined : parseDuration(duration);
  if (d && !d.ok) return d;
  // Without a given speed, a bounded run goes as fast as possible and an open one follows the clock.
  const sp = speed === undefined ? { ok: true as const, value: d ? { kind: 'max' as const } : { kind: 'realtime' as const } } : parseSpeed(speed);
  if (!sp.ok) return sp;
  return { ok: true, value: { workload: w.value, seed: s.value, cpus: c.value, speed: sp.value, durationNs: d?.value, jit: count(args, 'noJit') === 0 } };
}

function warningLevel(args: ParsedArgs): Parsed<WarningLevel> {
  const k = count(args, 'warnings');
  const none = count(args, 'noWarnings') > 0;
  if (k > 1) return { ok: false, error: 'USAGE: -kk has been deprecated. Use a single -k for runtime warnings for errors in map lookups and probe reads.' };
  if (k === 1 && none) return { ok: false, error: 'USAGE: -k, --warnings conflicts with --no-warnings' };
  return { ok: true, value: none ? 0 : k === 1 ? 2 : 1 };
}

/** Validates the parsed command line (argv is the raw list, for bpftrace's "no arguments at all" case). */
export async function validate(argv: readonly string[], args: ParsedArgs, io: ValidateIo): Promise<ValidateResult> {
  if (count(args, 'help') > 0) return { ok: true, command: { kind: 'help' } };
  if (count(args, 'version') > 0) return { ok: true, command: { kind: 'version' } };
  if (count(args, 'info') > 0) return { ok: true, command: { kind: 'info' } };

  // Values are checked in the order bpftrace's option loop meets them, then the rest.
  const debugText = allValues(args, 'debug');
  let debug: DebugStage[] = [];
  for (const t of debugText) {
    const d = parseDebugStages(t);
    if (!d.ok) return refuse(d.error);
    debug = DEBUG_STAGES.filter((s) => debug.includes(s) || d.value.includes(s));
  }
  const buffering = lastValue(args, 'buffering');
  const b = buffering === undefined ? { ok: true as const, value: 'line' as const } : parseBuffering(buffering);
  if (!b.ok) return refuse(b.error);
  const wl = warningLevel(args);
  if (!wl.ok) return refuse(wl.error);

  // As in bpftrace, an empty -c or -p value is the same as leaving the flag out.
  const cmd = lastValue(args, 'cmd') || undefined;
  const pidText = lastValue(args, 'pid') || undefined;
  if (argv.length === 0 && !io.interactive) return { ok: false, error: { message: '', style: 'usage-only', usage: true, code: 1 } };
  if (cmd !== undefined && pidText !== undefined) return refuse('USAGE: Cannot use both -c and -p.', true);

  const sim = simSettings(args, io);
  if (!sim.ok) return refuse(sim.error);
  const unsafe = count(args, 'unsafe') > 0;

  const script = lastValue(args, 'program');
  const listing = count(args, 'list') > 0;
  if (listing) {
    const verbose = count(args, 'verbose') > 0;
    if (args.positional.length > 1) return { ok: false, error: { message: '', style: 'usage-only', usage: true, code: 1 } };
    if (script !== undefined && script !== '') return { ok: true, command: { kind: 'list', program: { origin: 'inline', file: 'stdin', text: script }, verbose } };
    const word = args.positional[0];
    if (word !== undefined && word !== '*' && io.exists(word)) {
      const p = readScript(word, io);
      return p.ok ? { ok: true, command: { kind: 'list', program: p.value, verbose } } : refuse(p.error);
    }
    return { ok: true, command: { kind: 'list', search: word === undefined || word === '*' ? undefined : word, verbose } };
  }

  // No program: the REPL on a terminal, otherwise bpftrace's complaint.
  const positional = [...args.positional];
  if ((script === undefined || script === '') && positional.length === 0) {
    if (io.interactive && args.flags.get('program') === undefined) {
      return { ok: true, command: { kind: 'repl', sim: sim.value, unsafe, warnings: wl.value } };
    }
    return refuse("USAGE: filename or -e 'program' required.");
  }

  let program: ProgramSource;
  if (script !== undefined && script !== '') program = { origin: 'inline', file: 'stdin', text: script };
  else {
    const file = positional.shift()!;
    if (file === '-') program = { origin: 'stdin', file: 'stdin', text: await io.readStdin() };
    else {
      const p = readScript(file, io);
      if (!p.ok) return refuse(p.error);
      program = p.value;
    }
  }

  const formatText = lastValue(args, 'format');
  const format = formatText === undefined ? { ok: true as const, value: 'text' as const } : parseFormat(formatText);
  if (!format.ok) return refuse(format.error);
  let pid: number | undefined;
  if (pidText !== undefined) {
    const p = parsePid(pidText);
    if (!p.ok) return refuse(p.error);
    pid = p.value;
  }

  const request: RunRequest = {
    program,
    params: positional,
    format: format.value,
    outputFile: lastValue(args, 'output') || undefined,
    buffering: b.value,
    quiet: count(args, 'quiet') > 0,
    verbose: count(args, 'verbose') > 0,
    warnings: wl.value,
    unsafe,
    dryRun: count(args, 'dryRun') > 0,
    debug,
    pid,
    cmd,
    sim: sim.value,
  };
  return { ok: true, command: { kind: 'run', request } };
}
