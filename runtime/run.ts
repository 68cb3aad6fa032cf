// A whole bpftrace run as the command line asks for it (the non-interactive path of the
// CLI): compile (errors and warnings rendered as bpftrace does), print -d stages (a dry
// run), boot the workload, start the -c command, attach, run BEGIN, run the world as fast
// as possible or paced against the wall clock until exit(), --duration, a stop request
// (Ctrl-C) or the end of the -c command, then END, the map dump and lost events. Output
// goes to the sinks given; the result is the process exit code.
import { compileScript } from './compile';
import type { OutputSink } from './output/output';
import { type RunningScript, Session } from './session';
import { type Stage, stageText } from './stages';
import { catalogue } from '../probes/catalogue';
import { ksymByName } from '../workloads/kernel/kfuncs';
import { System } from '../workloads/system';

export type RunSpeed = { kind: 'max' } | { kind: 'realtime' } | { kind: 'factor'; factor: number };

/** What a run needs: the CLI's validated request maps onto this field for field. */
export interface RunSpec {
  program: { file: string; text: string };
  params?: readonly string[];
  namedParams?: Readonly<Record<string, string>>;
  format?: 'text' | 'json';
  quiet?: boolean;
  verbose?: boolean;
  /** 0: --no-warnings, 1: default, 2: -k (helper errors reported). */
  warnings?: 0 | 1 | 2;
  unsafe?: boolean;
  dryRun?: boolean;
  /** -d stages, printed to stdout before the run (which goes on, as in bpftrace 0.26; --dry-run stops after them). */
  debug?: readonly Stage[];
  pid?: number;
  cmd?: string;
  sim?: {
    workload?: string;
    seed?: number;
    cpus?: number;
    speed?: RunSpeed;
    durationNs?: number;
    jit?: boolean;
  };
}

export interface RunIo extends OutputSink {
  /** Wall-clock milliseconds (for paced runs); Date.now by default. */
  now?(): number;
  /** Waits (lets the host handle Ctrl-C); a macrotask by default. */
  sleep?(ms: number): Promise<void>;
}

export interface RunHandle {
  /** The exit code, when the run is over. */
  done: Promise<number>;
  /** Ctrl-C: stops the run; END and the map dump follow. */
  stop(): void;
  /** The session, once booted (for live statistics). */
  session(): Session | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a run; returns a handle to stop it and await its exit code. */
export function startRun(spec: RunSpec, io: RunIo): RunHandle {
  let session: Session | undefined;
  let stopped = false;
  const handle: RunHandle = {
    done: Promise.resolve(0),
    stop: () => {
      stopped = true;
      session?.stop();
    },
    session: () => session,
  };
  handle.done = (async () => {
    try {
      return await run(spec, io, (s) => (session = s), () => stopped);
    } catch (e) {
      io.err(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  })();
  return handle;
}

/** Runs to the end and returns the exit code. */
export function runProgram(spec: RunSpec, io: RunIo): Promise<number> {
  return startRun(spec, io).done;
}

async function run(spec: RunSpec, io: RunIo, onSession: (s: Session) => void, stopped: () => boolean): Promise<number> {
  const warnings = spec.warnings ?? 1;
  const printWarnings = (text: string): void => {
    if (warnings > 0 && text) io.err(text);
  };
  if (spec.dryRun) {
    const cat = catalogue();
    // Text symbols come from the static kallsyms; data symbols (avenrun, ...) live in a
    // booted kernel's memory, so the world is booted (not run) only when one is asked for.
    let booted: System | undefined;
    const dataSymbol = (n: string): bigint | undefined => {
      try {
        booted ??= new System({ workload: spec.sim?.workload, seed: spec.sim?.seed, cpus: spec.sim?.cpus });
      } catch {
        return undefined;
      }
      return booted.kernel.ksymAddr(n) || undefined;
    };
    const r = compileScript(spec.program.text, {
      catalogue: cat,
      file: spec.program.file,
      params: spec.params,
      namedParams: spec.namedParams,
      unsafe: spec.unsafe,
      hasChild: !!spec.cmd,
      helperErrors: warnings > 1,
      kernelSymbol: (n) => ksymByName(n)?.addr ?? dataSymbol(n),
    });
    if (!r.ok) {
      io.err(r.rendered);
      return 1;
    }
    printWarnings(r.compiled.warnings);
    for (const st of spec.debug ?? []) io.out(stageText(st, r.compiled, cat));
    return 0;
  }
  const sim = spec.sim ?? {};
  const session = new Session({
    workload: sim.workload,
    seed: sim.seed,
    cpus: sim.cpus,
    jit: sim.jit,
    format: spec.format,
    sink: io,
    pid: spec.pid,
    quiet: spec.quiet,
    helperErrors: warnings > 1,
    // The warm-up runs only if the script needs the world (attach decides).
    warmUp: false,
  });
  onSession(session);
  if (spec.pid !== undefined) {
    // -p names a live process, as bpftrace checks before anything else (pidfd_open's ESRCH).
    session.prepareWorld();
    if (!session.system.hasProcess(spec.pid)) {
      io.err('ERROR: : No such process\n');
      return 1;
    }
  }
  if (spec.cmd) {
    const c = session.startChild(spec.cmd);
    if (!c.ok) {
      io.err(`ERROR: failed to run '${spec.cmd}': ${c.error}\n`);
      return 1;
    }
  }
  return runOn(session, spec, io, stopped);
}

/**
 * Runs a program on a session that already exists (its world, output format and sinks
 * are the session's): compile, attach, run, detach. The session is left running, with
 * the script detached.
 */
export async function runOn(session: Session, spec: RunSpec, io: RunIo, stopped: () => boolean = () => false): Promise<number> {
  const warnings = spec.warnings ?? 1;
  const printWarnings = (text: string): void => {
    if (warnings > 0 && text) io.err(text);
  };
  const sim = spec.sim ?? {};
  const r = session.compile(spec.program.text, { file: spec.program.file, params: spec.params, namedParams: spec.namedParams, unsafe: spec.unsafe });
  if (!r.ok) {
    io.err(r.rendered);
    return 1;
  }
  printWarnings(r.compiled.warnings);
  for (const st of spec.debug ?? []) io.out(stageText(st, r.compiled, session.catalogue));
  if (spec.verbose) {
    for (let i = 0; i < r.compiled.script.programs.length; i++) {
      const p = r.compiled.script.programs[i];
      io.err(`Program ${p.spec.name}: ${p.spec.insns.length} instructions, verified in ${r.compiled.verified[i].stats.processed} steps\n`);
    }
  }
  const a = session.attach(r.compiled);
  if (!a.ok) {
    io.err(`ERROR: ${a.error}\n`);
    return 1;
  }
  const rs = a.script;
  if (stopped()) session.stop();
  await runWorld(session, rs, sim.speed ?? { kind: 'max' }, sim.durationNs, io);
  session.detach(rs);
  session.resume();
  return rs.exitCode ?? 0;
}

/** Runs the world until the script is done, the duration passed or a stop was requested. */
async function runWorld(session: Session, rs: RunningScript, speed: RunSpeed, durationNs: number | undefined, io: RunIo): Promise<void> {
  const start = session.kernel.now;
  const end = durationNs !== undefined ? start + durationNs : Infinity;
  const now = io.now ?? (() => Date.now());
  const sleep = io.sleep ?? defaultSleep;
  const hasProbes = rs.links.length > 0 || rs.script.programs.some((p) => p.role === 'probe');
  // A script that only has BEGIN/END and did not exit waits for Ctrl-C, as bpftrace does.
  if (speed.kind === 'max') {
    let lastYield = now();
    while (!session.done && session.kernel.now < end) {
      session.runFor(Math.min(end - session.kernel.now, 50e6));
      if (now() - lastYield > 50) {
        await sleep(0);
        lastYield = now();
      }
      if (!hasProbes && durationNs === undefined && !session.childPid) await sleep(10);
    }
    return;
  }
  const factor = speed.kind === 'realtime' ? 1 : speed.factor;
  let last = now();
  while (!session.done && session.kernel.now < end) {
    await sleep(20);
    const t = now();
    const ns = Math.min(250e6, Math.max(0, (t - last) * 1e6 * factor));
    last = t;
    session.runFor(Math.min(ns, end - session.kernel.now));
  }
}
