// The public face of the simulated machine for the runtime and the CLI: boot a kernel
// with a named workload (deterministic under a seed), advance it as fast as possible or
// paced against wall-clock time, start a command line as a traced process (bpftrace -c),
// list processes (-p), and resolve kernel and user addresses to symbols (kstack, ustack,
// ksym, usym).
import type { Memory } from '../vm/memory/memory';
import { bootKernel } from './kernel/boot';
import { BOOT_NS, type Kernel } from './kernel/kernel';
import { ksym, ksymbolize } from './kernel/kfuncs';
import type { Proc, Task } from './kernel/task';
import { resolveProgram } from './programs/index';
import { listWorkloads, workload, type WorkloadDef } from './scenarios/index';
import { binaryOrGeneric, symbolizeIn } from './user/binaries';
import { program } from './user/libc';
import { parseLine } from './programs/shell';
import { ustack } from './user/ustack';

export interface SystemOptions {
  workload?: string;
  seed?: number;
  cpus?: number;
  mem?: Memory;
  hostname?: string;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  uid: number;
  comm: string;
  argv: readonly string[];
  threads: number;
  container: string;
}

export type SpawnResult = { ok: true; pid: number } | { ok: false; error: string };

/** Address-space snapshots of exited processes, so late stack printing still resolves. */
const MAX_EXITED = 512;

/**
 * Simulated time the workload runs before a trace starts: daemons finish starting,
 * workers are up, clients connected and caches warm, so the first events a script sees
 * are the machine's steady state rather than its boot.
 */
export const WARMUP_NS = 1e9;
/** Where the pid counter stands when the warm-up begins: a machine up for days has used many. */
export const PID_AT_WARMUP = 31_000;
/**
 * The tracer's pid: this far past PID_AT_WARMUP, whatever the warm-up forked (it forks
 * fewer), so a run that skips the warm-up gives the tracer the same pid.
 */
export const TRACER_PID_GAP = 1_000;

/** How a trace started: after the warm-up, or without it (nothing but BEGIN/END to run). */
export type TraceStart = 'warm' | 'cold';

export class System {
  readonly kernel: Kernel;
  readonly workload: WorkloadDef;
  private readonly exited = new Map<number, { bases: Map<string, number>; exe: string }>();
  private readonly exitWatch = new Map<number, ((status: number) => void)[]>();

  constructor(opts: SystemOptions = {}) {
    const name = opts.workload ?? 'default';
    const w = workload(name);
    if (!w) throw new Error(`unknown workload '${name}' (known: ${listWorkloads().map((x) => x.name).join(', ')})`);
    this.workload = w;
    this.kernel = bootKernel({ seed: opts.seed ?? 1, cpus: opts.cpus ?? 4, mem: opts.mem, hostname: opts.hostname, resolver: resolveProgram });
    this.kernel.exitListeners.push((leader, status) => this.onExit(leader, status));
    w.setup(this.kernel);
    this.kernel.s.procs.advancePids(PID_AT_WARMUP);
  }

  /** How the trace started (undefined until it did). */
  started: TraceStart | undefined;
  /** The clock when the trace started. */
  private startNs = BOOT_NS;

  /**
   * Starts the trace: the workload runs its warm-up period, then the tracer's process
   * (`bpfsim`) starts. Does nothing once started.
   */
  warmUp(): void {
    if (this.started) return;
    this.kernel.runFor(WARMUP_NS);
    this.startTracer('warm');
  }

  /**
   * Starts the trace without simulating the warm-up, for runs that need no simulated
   * time (only BEGIN and END): the clock moves to where the warm-up would have left it and
   * the tracer starts with the pid it always has. The world does not run afterwards.
   */
  startCold(): void {
    if (this.started) return;
    this.kernel.now += WARMUP_NS;
    this.startTracer('cold');
  }

  private startTracer(how: TraceStart): void {
    this.kernel.s.procs.advancePids(PID_AT_WARMUP + TRACER_PID_GAP);
    this.kernel.s.procs.tracerTask();
    this.started = how;
    this.startNs = this.kernel.now;
  }

  /** Simulated ns since the trace started (since boot of the simulation before it did). */
  get elapsed(): number {
    return this.kernel.now - this.startNs;
  }

  runFor(ns: number): void {
    this.kernel.runFor(ns);
  }

  /** Runs until `pred` holds (checked every `step` ns) or `maxNs` passed; returns whether it held. */
  runUntil(pred: () => boolean, maxNs: number, step = 1e6): boolean {
    const end = this.kernel.now + maxNs;
    while (this.kernel.now < end) {
      if (pred()) return true;
      this.kernel.runUntil(Math.min(end, this.kernel.now + step));
    }
    return pred();
  }

  private onExit(leader: Task, status: number): void {
    const p = leader.proc;
    if (this.exited.size >= MAX_EXITED) this.exited.delete(this.exited.keys().next().value!);
    this.exited.set(leader.pid, { bases: new Map(p.bases), exe: p.exe?.path ?? '' });
    const cbs = this.exitWatch.get(leader.pid);
    if (cbs) {
      this.exitWatch.delete(leader.pid);
      for (const cb of cbs) cb(status);
    }
  }

  /** Calls `cb` with the wait status when process `pid` exits. */
  onProcessExit(pid: number, cb: (status: number) => void): void {
    const list = this.exitWatch.get(pid) ?? [];
    list.push(cb);
    this.exitWatch.set(pid, list);
  }

  /**
   * Starts a command line as a child of the tracer (bpftrace -c): the child is created now
   * (its pid is known before probes attach) and executes the command when it first runs.
   */
  spawnCommand(cmdline: string, opts: { uid?: number; cwd?: string } = {}): SpawnResult {
    const pipelines = parseLine(cmdline);
    if (!pipelines.length || !pipelines[0].cmds.length || !pipelines[0].cmds[0].words.length) return { ok: false, error: 'empty command' };
    const words = pipelines[0].cmds[0].words;
    const k = this.kernel;
    const tracer = k.s.procs.tracerTask();
    const path = resolveCommand(k, words[0]);
    if (!path) return { ok: false, error: `${words[0]}: command not found` };
    const t = k.s.procs.spawn({
      path: tracer.proc.exe?.path ?? '/usr/bin/node',
      argv: ['bpfsim'],
      uid: opts.uid ?? 0,
      cwd: opts.cwd ?? '/root',
      tty: 'pts/0',
      parent: tracer,
      program: program(ustack('/usr/bin/node:main'), function* (u) {
        const r = yield u.exec(path, words);
        yield u.print(2, `bpfsim: ${words[0]}: ${r === -13 ? 'Permission denied' : 'No such file or directory'}\n`);
        return yield u.exit(127);
      }),
    });
    t.setComm('bpfsim');
    return { ok: true, pid: t.pid };
  }

  processes(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const t of this.kernel.tasks.values()) {
      if (t !== t.leader || t.exitState) continue;
      out.push({ pid: t.pid, ppid: t.parent?.tgid ?? 0, uid: t.proc.cred.uid, comm: t.comm, argv: t.proc.argv, threads: t.proc.threads.length, container: t.proc.container.host ? '' : t.proc.container.name });
    }
    return out.sort((a, b) => a.pid - b.pid);
  }

  hasProcess(pid: number): boolean {
    const t = this.kernel.tasks.get(pid);
    return !!t && !t.exitState;
  }

  /** `vfs_read+36` for a kernel text address (bpftrace's kstack frame text). */
  ksym(addr: bigint): string {
    return ksym(addr);
  }

  /** The function name only (bpftrace's ksym()), or the hex address. */
  ksymName(addr: bigint): string {
    return ksymbolize(addr)?.name ?? `0x${BigInt.asUintN(64, addr).toString(16)}`;
  }

  /** Resolves a user address of process `pid` to `{ binary, name, offset }`. */
  usymbolize(pid: number, addr: bigint): { binary: string; name: string; offset: number } | undefined {
    const t = this.kernel.tasks.get(pid);
    const info = t ? { bases: t.proc.bases, exe: t.proc.exe?.path ?? '' } : this.exited.get(pid);
    if (!info) return undefined;
    const a = Number(addr);
    let best: [string, number] | null = null;
    for (const [path, base] of info.bases) if (a >= base && (!best || base > best[1])) best = [path, base];
    if (!best) return undefined;
    const r = symbolizeIn(binaryOrGeneric(best[0]), a - best[1]);
    return r ? { binary: best[0], name: r.name, offset: r.offset } : undefined;
  }

  /** `readline+4` for a user address of `pid` (bpftrace's ustack frame text), or the hex address. */
  usym(pid: number, addr: bigint): string {
    const r = this.usymbolize(pid, addr);
    return r ? `${r.name}+${r.offset}` : `0x${BigInt.asUintN(64, addr).toString(16)}`;
  }
}

function resolveCommand(k: Kernel, name: string): string | null {
  if (name.includes('/')) return name;
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    const n = k.s.vfs.lookupAsRoot(`${d}/${name}`);
    if (n && !n.isDir()) return `${d}/${name}`;
  }
  return null;
}

/** How the caller paces the simulation: as fast as possible, or scaled wall-clock time. */
export type Speed = 'max' | 'realtime' | number;

export function parseSpeed(text: string): Speed | null {
  if (text === 'max' || text === 'realtime') return text;
  const m = /^(\d+(?:\.\d+)?)x$/.exec(text);
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}

/**
 * Paces a system against wall-clock time: each tick(wallMs) advances the simulation by the
 * wall time elapsed since the previous tick times the speed factor (bounded per tick so a
 * stalled host does not make it jump).
 */
export class Pacer {
  private lastWall: number | null = null;

  constructor(
    private readonly system: System,
    readonly speed: Exclude<Speed, 'max'>,
    private readonly maxStepNs = 250e6,
  ) {}

  tick(wallMs: number): number {
    const factor = this.speed === 'realtime' ? 1 : this.speed;
    const prev = this.lastWall ?? wallMs;
    this.lastWall = wallMs;
    const ns = Math.min(this.maxStepNs, Math.max(0, (wallMs - prev) * 1e6 * factor));
    if (ns > 0) this.system.runFor(ns);
    return ns;
  }
}

export { listWorkloads };
export type { Proc };
