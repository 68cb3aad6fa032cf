// The simulated kernel: a nanosecond clock, the event queue, the CPUs and scheduler, the
// task table, the subsystems (processes, VFS, block, network, memory), the hook table and
// the functions that fire hooks. `runUntil` advances the world; everything is
// deterministic under the seed. Kernel paths advance the clock as they do work, so the
// clock is global and monotonic; events behind it run at the current time.
import { Memory, Region } from '../../vm/memory/memory';
import { Rng } from '../rng';
import { mappedBase } from '../user/process-maps';
import type { UStack } from '../user/ustack';
import { EventQueue, type EventFn } from './event-queue';
import { Firing } from './firing';
import type { TpValue } from './firing';
import { HookTable, type FuncHooks, type UserHooks } from './hook-table';
import type { Hook } from './hooks';
import { IDLE_STACK, type KStack } from './stacks';
import { ksymByName } from './kfuncs';
import { NAMEIDATA } from './offsets';
import type { Task } from './task';

export interface KernelOptions {
  seed?: number;
  cpus?: number;
  /** The address space (a fresh one when absent). */
  mem?: Memory;
}

/** Time at boot of the simulation (the kernel has been up a while: ktime looks real). */
export const BOOT_NS = 3_725_000_000_000;
/** Wall-clock time (ns since the epoch) when the simulated clock reads 0. */
export const EPOCH_AT_ZERO_NS = 1_718_000_000_000_000_000n;
export const HZ = 250;

/** Subsystems register here so the kernel core can reach them without import cycles. */
export interface Subsystems {
  sched: import('./sched').Sched;
  exec: import('./exec').Exec;
  procs: import('./procs').Procs;
  vfs: import('../fs/vfs').Vfs;
  block: import('../block/block').BlockLayer;
  net: import('../net/net').Net;
  mm: import('./mm').MemoryManager;
  rw: import('../fs/rw').Rw;
  writeback: import('../fs/writeback').Writeback;
  load: import('./loadavg').LoadAvg;
}

export class Kernel {
  readonly mem: Memory;
  readonly seed: number;
  readonly nrCpus: number;
  /** Kernel data symbols (kaddr): name to the linear offset of the object. */
  readonly dataSymbols = new Map<string, number>();
  /** World randomness of kernel-level choices (latencies, losses). */
  readonly rng: Rng;
  /** bpf_get_prandom_u32's own stream, so observers never perturb the world. */
  readonly prandom: Rng;
  /** Simulated CLOCK_MONOTONIC (ns). */
  now = BOOT_NS;
  /** The scheduled time of the event being handled (now may be ahead of it). */
  evTime = BOOT_NS;
  readonly queue = new EventQueue();
  readonly hooks = new HookTable();
  readonly fx = new Firing();
  readonly tasks = new Map<number, Task>();
  /** Set to stop runUntil early (a traced command exited, a program called exit()). */
  stopRequested = false;
  /** Called when a process exits (after its last thread). */
  readonly exitListeners: ((leader: Task, code: number) => void)[] = [];
  /** Lines written by bpf_trace_printk. */
  readonly tracePipe: string[] = [];
  s!: Subsystems;
  private readonly ev = { time: 0, fn: null as EventFn | null, arg: 0 };

  constructor(opts: KernelOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.nrCpus = Math.max(1, Math.min(64, opts.cpus ?? 4));
    // A small start that grows (doubling) as the world allocates: a large initial
    // WebAssembly memory costs its reservation and external-memory GCs in short runs.
    this.mem = opts.mem ?? new Memory({ initialBytes: 4 << 20 });
    this.rng = new Rng(this.seed, 1);
    this.prandom = new Rng(this.seed, 2);
  }

  // ---- time and events ----

  /** Runs `fn(arg)` at simulated time `time` (or now, if earlier). */
  at(time: number, fn: EventFn, arg = 0): void {
    this.queue.push(time, fn, arg);
  }

  /** Runs events up to simulated time `until` (or until stopped); returns the number handled. */
  runUntil(until: number): number {
    const q = this.queue;
    const ev = this.ev;
    let n = 0;
    this.stopRequested = false;
    while (!this.stopRequested && q.peekTime() <= until) {
      q.pop(ev);
      this.evTime = ev.time;
      if (ev.time > this.now) this.now = ev.time;
      ev.fn!(ev.arg);
      n++;
    }
    if (!this.stopRequested && this.now < until) this.now = until;
    return n;
  }

  /** Runs for `ns` of simulated time. */
  runFor(ns: number): number {
    return this.runUntil(this.now + ns);
  }

  /** Work done by the kernel on behalf of `t`: advances the clock and charges system time. */
  cost(t: Task, ns: number): void {
    this.now += ns;
    t.stime += ns;
  }

  private cookie = 8_192;

  /** A new socket cookie (unique per socket, as sock_gen_cookie gives). */
  nextCookie(): number {
    return this.cookie++;
  }

  /** The address of a kernel text symbol (for function pointers in tracepoint records). */
  ksymAddr(name: string): bigint {
    const d = this.dataSymbols.get(name);
    if (d !== undefined) return this.mem.addr(d);
    return ksymByName(name)?.addr ?? 0n;
  }

  /** Wall-clock time (ns since the epoch). */
  nowWall(): bigint {
    return EPOCH_AT_ZERO_NS + BigInt(Math.floor(this.now));
  }

  private scratchRing: number[] = [];
  private scratchNext = 0;

  /**
   * A kernel buffer for a short-lived struct handed to hooks (open_how, renamedata, a
   * msghdr): one of a ring of 1 KiB buffers, so the last few stay valid while programs run.
   */
  scratch(size: number): number {
    if (size > 1024) throw new RangeError(`scratch buffer of ${size} bytes`);
    if (this.scratchRing.length === 0) for (let i = 0; i < 16; i++) this.scratchRing.push(this.mem.alloc(1024, Region.KERNEL));
    const lin = this.scratchRing[this.scratchNext++ & 15];
    this.mem.u8.fill(0, lin, lin + size);
    return lin;
  }

  /** A struct nameidata for lookup hooks: the base directory's path and the last component. */
  nameidata(t: Task, path: string, base: import('../fs/node').FsNode): number {
    const nd = this.scratch(NAMEIDATA.SIZE + 264);
    const vfs = this.s.vfs;
    const mem = this.mem;
    mem.writePtr(nd + NAMEIDATA['path.dentry'], vfs.dentryOf(base));
    mem.writePtr(nd + NAMEIDATA['path.mnt'], base.mount.mountLin);
    const last = path.slice(path.lastIndexOf('/') + 1);
    const nameLin = nd + NAMEIDATA.SIZE;
    mem.writeCString(nameLin, last, 256);
    mem.writePtr(nd + NAMEIDATA['last.name'], nameLin);
    mem.writeU32(nd + NAMEIDATA['last.len'], Math.min(255, last.length));
    mem.writeU32(nd + NAMEIDATA.dfd, 0xffffff9c);
    void t;
    return nd;
  }

  jiffies(): number {
    return 4294937296 + Math.floor((this.now / 1e9) * HZ);
  }

  // ---- firing hooks (callers check hook.on first) ----

  private dispatch(h: Hook): void {
    const hs = h.handlers;
    for (let i = 0; i < hs.length; i++) hs[i](this.fx);
  }

  private begin(h: Hook, t: Task, stack: KStack | null): Firing {
    const f = this.fx;
    f.hook = h;
    f.task = t;
    f.cpu = t.cpu;
    f.kstack = stack;
    f.ustack = t.ustk;
    f.userMode = false;
    f.override = null;
    f.signal = 0;
    f.period = 0;
    f.sp = 0xffffc90000000000n + BigInt(((t.lin >>> 4) & 0xfff) * 0x4000 + 0x3e00);
    return f;
  }

  /** Fires a kprobe. Kernel-pointer arguments (per the hook's mask) are linear offsets. Returns an override value or null. */
  kprobe(fh: FuncHooks, t: Task, stack: KStack, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number | null {
    const h = fh.entry;
    const f = this.begin(h, t, stack);
    f.funcIp = fh.addr;
    f.ip = fh.addr + 5n;
    const m = h.kmask;
    const mem = this.mem;
    const args = [a0, a1, a2, a3, a4, a5];
    for (let i = 0; i < 6; i++) {
      const v = args[i];
      if (m & (1 << i) && v > 0) f.setPtr(i, v, mem.prefixAt(v));
      else f.setNum(i, v);
    }
    this.dispatch(h);
    const ov = f.override;
    return fh.info.injectable ? ov : null;
  }

  /** Fires a kretprobe with the return value (a linear offset when the function returns a pointer). */
  kretprobe(fh: FuncHooks, t: Task, stack: KStack, ret: number): void {
    const h = fh.ret;
    const f = this.begin(h, t, stack);
    f.lo.fill(0, 0, 6);
    f.hi.fill(0, 0, 6);
    f.funcIp = fh.addr;
    f.ip = stack.addrs()[0] ?? fh.addr;
    if (h.retKptr && ret > 0) f.setPtr(6, ret, this.mem.prefixAt(ret));
    else f.setNum(6, ret);
    this.dispatch(h);
  }

  /** Fires a tracepoint with its field values in format order. */
  tracepoint(h: Hook, t: Task, stack: KStack, values: TpValue[]): void {
    const f = this.begin(h, t, stack);
    f.funcIp = 0n;
    f.ip = stack.addrs()[0] ?? 0n;
    f.tp = values;
    this.dispatch(h);
  }

  /** Fires a uprobe in the current task's user context, with user-space argument values. */
  uprobe(uh: UserHooks, t: Task, ustack: UStack, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): void {
    const f = this.begin(uh.entry, t, null);
    f.userMode = true;
    f.ustack = ustack;
    const base = mappedBase(t.proc, uh.path);
    f.funcIp = BigInt(base + uh.offset);
    f.ip = f.funcIp;
    f.sp = BigInt(t.proc.stackTop - 0x1000 - (t.pid % 64) * 0x100);
    f.setNum(0, a0);
    f.setNum(1, a1);
    f.setNum(2, a2);
    f.setNum(3, a3);
    f.setNum(4, a4);
    f.setNum(5, a5);
    this.dispatch(uh.entry);
  }

  /** Fires a uretprobe with the return value (a user-space value). */
  uretprobe(uh: UserHooks, t: Task, ustack: UStack, ret: number): void {
    const f = this.begin(uh.ret, t, null);
    f.lo.fill(0, 0, 6);
    f.hi.fill(0, 0, 6);
    f.userMode = true;
    f.ustack = ustack;
    const base = mappedBase(t.proc, uh.path);
    f.funcIp = BigInt(base + uh.offset);
    f.ip = ustack.frames.length > 1 ? ustack.addrs(t.proc)[1] : f.funcIp;
    f.sp = BigInt(t.proc.stackTop - 0x1000 - (t.pid % 64) * 0x100);
    f.setNum(6, ret);
    this.dispatch(uh.ret);
  }

  /**
   * Calls `fn(cpu, time)` every `period` ns on each CPU in `cpus` (timer interrupts of
   * profile/perf sampling). Returns a function that stops it.
   */
  addSampler(period: number, cpus: readonly number[], fn: (cpu: number, time: number) => void): () => void {
    let live = true;
    const p = Math.max(1_000, period);
    for (const c of cpus) {
      const tick = (): void => {
        if (!live) return;
        const at = this.evTime;
        fn(c, at);
        this.at(at + p, tick);
      };
      this.at(this.now + p + Math.floor((p * c) / (cpus.length * 16 + 1)), tick);
    }
    return () => {
      live = false;
    };
  }

  /**
   * What a sample taken on `cpu` at `time` sees: the task running there, whether it was in
   * user mode, and the kernel chain when it was not (idle loop, a kernel burst, or a system
   * call the sample fell into).
   */
  sampleContext(cpu: number, time: number): { task: Task; userMode: boolean; kstack: KStack | null } {
    const c = this.s.sched.cpus[cpu];
    const t = c.curr;
    if (t.idle) return { task: t, userMode: false, kstack: IDLE_STACK };
    if (t.kthread || (t.burst > 0 && t.burstKernel)) return { task: t, userMode: false, kstack: t.kstk };
    if (time >= c.kwStart && time < c.kwEnd && c.kwStack) return { task: t, userMode: false, kstack: this.s.exec.work.sample(t.proc, c.kwNr, c.kwArg, time, cpu) ?? c.kwStack };
    return { task: t, userMode: true, kstack: null };
  }

  /** Fires a perf-style hook (samples, software events) in the context of `t` on `cpu`. */
  perf(h: Hook, t: Task, cpu: number, userMode: boolean, kstack: KStack | null, period: number): void {
    const f = this.begin(h, t, kstack);
    f.cpu = cpu;
    f.userMode = userMode;
    f.period = period;
    f.funcIp = 0n;
    if (userMode && t.ustk) f.ip = t.ustk.ip(t.proc);
    else f.ip = kstack ? (kstack.addrs()[0] ?? 0n) : 0n;
    this.dispatch(h);
  }
}
