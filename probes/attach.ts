// Attaching programs to the kernel: a ProbeManager turns an attach point (`kprobe:vfs_read`,
// `tracepoint:sched:sched_switch`, `uprobe:/bin/bash:readline`, `profile:hz:99`, ...) into
// a handler on the matching hook or a sampler, builds the ctx and the helper environment
// for each firing, runs the program, and applies what it asked for (override_return,
// send_signal). Links detach. BEGIN, END and interval programs run in the tracer's own
// process. An attached hook costs nothing to the sites that are not attached.
import type { HelperEnv } from '../vm/helpers/env';
import type { Firing } from '../workloads/kernel/firing';
import type { Hook } from '../workloads/kernel/hooks';
import type { Kernel } from '../workloads/kernel/kernel';
import type { KStack } from '../workloads/kernel/stacks';
import type { Task } from '../workloads/kernel/task';
import { CtxBuilder } from './ctx';
import { KernelEnv } from './env';
import { expandAttachPoint, splitAttachPoint, type AttachPoint } from './match';
import { probeKind } from './kinds';

/** What the probe layer runs: a loaded program taking r1 = ctx. */
export interface ProbeProgram {
  run(ctx: bigint, env: HelperEnv): unknown;
}

export interface Link {
  /** The concrete attach point (`kprobe:vfs_read`). */
  readonly probe: string;
  /** How many times the program ran. */
  readonly hits: number;
  readonly attached: boolean;
  detach(): void;
}

export interface AttachOptions {
  /** Only fire for this process (bpftrace -p). */
  pid?: number;
}

export type AttachResult = { ok: true; links: Link[] } | { ok: false; error: string };

/** Events per ns of simulated CPU time for hardware counters (a 3 GHz core at IPC ~1.5). */
const HW_RATE: Record<string, number> = {
  'cpu-cycles': 3.0,
  'ref-cycles': 2.9,
  instructions: 4.5,
  'branch-instructions': 0.9,
  'branch-misses': 0.012,
  'cache-references': 0.06,
  'cache-misses': 0.009,
  'bus-cycles': 0.1,
  'frontend-stalls': 0.8,
  'backend-stalls': 1.1,
};

class LinkImpl implements Link {
  hits = 0;
  attached = true;
  constructor(
    readonly probe: string,
    private readonly undo: () => void,
  ) {}
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.undo();
  }
}

export class ProbeManager {
  readonly ctx: CtxBuilder;
  readonly env: KernelEnv;
  private readonly links = new Set<LinkImpl>();

  constructor(readonly k: Kernel) {
    this.ctx = new CtxBuilder(k.mem);
    this.env = new KernelEnv(k);
  }

  /** Attaches a program to every attach point matching `text` (wildcards as bpftrace). */
  attach(text: string, prog: ProbeProgram, opts: AttachOptions = {}): AttachResult {
    const parts = splitAttachPoint(text);
    const r = expandAttachPoint(parts[0], parts.slice(1));
    if (!r.ok) return r;
    const links: Link[] = [];
    for (const p of r.points) {
      const l = this.attachPoint(p, prog, opts);
      if (typeof l === 'string') {
        links.forEach((x) => x.detach());
        return { ok: false, error: l };
      }
      links.push(l);
    }
    return { ok: true, links };
  }

  /** Attaches to one concrete point. Returns an error message when it cannot. */
  attachPoint(p: AttachPoint, prog: ProbeProgram, opts: AttachOptions = {}): Link | string {
    const k = this.k;
    switch (p.kind) {
      case 'BEGIN':
      case 'END':
        return `${p.kind} programs run once through runSpecial(), not by attaching`;
      case 'kprobe':
      case 'kretprobe': {
        const fh = k.hooks.func(p.func);
        if (!fh) return `No such kernel function: ${p.func}`;
        const hook = p.kind === 'kprobe' ? fh.entry : fh.ret;
        const injectable = p.kind === 'kprobe' && fh.info.injectable;
        return this.onHook(p.probe, hook, opts, (f, link) => {
          const ctx = this.ctx.ptRegs(f);
          this.run(prog, ctx, f.task, f.cpu, f.kstack, f.ustack, fh.addr, link, injectable, f);
        });
      }
      case 'uprobe':
      case 'uretprobe': {
        const uh = k.hooks.user(`${p.binary}:${p.func}`);
        if (!uh) return `Could not resolve symbol: ${p.binary}:${p.func}`;
        const hook = p.kind === 'uprobe' ? uh.entry : uh.ret;
        return this.onHook(p.probe, hook, opts, (f, link) => {
          const ctx = this.ctx.ptRegs(f);
          this.run(prog, ctx, f.task, f.cpu, null, f.ustack, f.funcIp, link, false, f);
        });
      }
      case 'tracepoint': {
        const hook = k.hooks.tracepoint(p.category, p.event);
        if (!hook) return `No such tracepoint: ${p.category}:${p.event}`;
        const info = k.hooks.tpInfo(hook)!;
        return this.onHook(p.probe, hook, opts, (f, link) => {
          const ctx = this.ctx.tracepoint(f, info);
          this.run(prog, ctx, f.task, f.cpu, f.kstack, f.ustack, 0n, link, false, f);
        });
      }
      case 'software': {
        if (p.event === 'cpu-clock' || p.event === 'task-clock') return this.sampler(p.probe, p.count, p.event === 'task-clock', prog, opts, p.count);
        const hook = k.hooks.sw[p.event as keyof typeof k.hooks.sw];
        if (!hook) return `software event ${p.event} does not occur in the simulated kernel`;
        const counters = new Array<number>(k.nrCpus).fill(0);
        return this.onHook(p.probe, hook, opts, (f, link) => {
          if (++counters[f.cpu] < p.count) return false;
          counters[f.cpu] = 0;
          const ip = f.userMode && f.task.ustk ? f.task.ustk.ip(f.task.proc) : (f.kstack?.addrs()[0] ?? 0n);
          const ctx = this.ctx.perf(ip, f.sp, f.userMode, p.count);
          this.run(prog, ctx, f.task, f.cpu, f.userMode ? null : f.kstack, f.ustack, 0n, link, false, f);
        });
      }
      case 'hardware': {
        const rate = HW_RATE[p.event] ?? 1;
        return this.sampler(p.probe, Math.max(1_000, Math.round(p.count / rate)), true, prog, opts, p.count);
      }
      case 'profile':
        return this.sampler(p.probe, p.periodNs, false, prog, opts, p.periodNs);
      case 'interval': {
        const link = new LinkImpl(p.probe, () => stop());
        const stop = k.addSampler(p.periodNs, [0], () => {
          this.runSpecial(prog);
          link.hits++;
        });
        this.links.add(link);
        return link;
      }
      default: {
        const never: never = p;
        return `cannot attach ${JSON.stringify(never)}`;
      }
    }
  }

  /** Registers a handler on a hook; the handler returns false when it chose not to run. */
  private onHook(probe: string, hook: Hook, opts: AttachOptions, handle: (f: Firing, link: LinkImpl) => void | false): Link {
    const pid = opts.pid;
    let link: LinkImpl;
    const remove = hook.attach((f) => {
      if (pid !== undefined && f.task.tgid !== pid) return;
      handle(f, link);
    });
    link = new LinkImpl(probe, () => {
      remove();
      this.links.delete(link);
    });
    this.links.add(link);
    return link;
  }

  /** A timer-driven sampler on every CPU (profile, cpu-clock, hardware counters). */
  private sampler(probe: string, period: number, busyOnly: boolean, prog: ProbeProgram, opts: AttachOptions, samplePeriod: number): Link {
    const k = this.k;
    const cpus = Array.from({ length: k.nrCpus }, (_, i) => i);
    let link: LinkImpl;
    const stop = k.addSampler(period, cpus, (cpu, time) => {
      const c = k.sampleContext(cpu, time);
      if (busyOnly && c.task.idle) return;
      if (opts.pid !== undefined && c.task.tgid !== opts.pid) return;
      const t = c.task;
      const ip = c.userMode && t.ustk ? t.ustk.ip(t.proc) : (c.kstack?.addrs()[0] ?? 0n);
      const sp = c.userMode ? BigInt(t.proc.stackTop - 0x2000) : 0xffffc90000003e00n;
      const ctx = this.ctx.perf(ip, sp, c.userMode, samplePeriod);
      this.run(prog, ctx, t, cpu, c.kstack, c.userMode || !t.kthread ? t.ustk : null, 0n, link, false, null);
    });
    link = new LinkImpl(probe, () => {
      stop();
      this.links.delete(link);
    });
    this.links.add(link);
    return link;
  }

  private run(prog: ProbeProgram, ctx: bigint, task: Task, cpu: number, kstack: KStack | null, ustack: Task['ustk'], funcIp: bigint, link: LinkImpl, injectable: boolean, f: Firing | null): void {
    const env = this.env.set(task, cpu, kstack, ustack, funcIp, injectable);
    link.hits++;
    prog.run(ctx, env);
    if (env.override !== null && injectable && f) f.override = Number(BigInt.asIntN(64, env.override));
    if (env.signal) this.deferSignal(task, env.signal);
  }

  private deferSignal(task: Task, sig: number): void {
    const k = this.k;
    k.at(k.now, () => {
      if (!task.exitState) k.s.procs.send(sig, task, task, 0);
    });
  }

  /** Runs a BEGIN, END or interval program once in the tracer's process. */
  runSpecial(prog: ProbeProgram): void {
    const t = this.k.s.procs.tracerTask();
    const f = { lo: new Uint32Array(7), hi: new Uint32Array(7), ip: 0n, sp: 0n, userMode: true, task: t } as unknown as Firing;
    const ctx = this.ctx.ptRegs(f);
    this.env.set(t, t.cpu, null, t.ustk, 0n, false);
    prog.run(ctx, this.env);
    if (this.env.signal) this.deferSignal(t, this.env.signal);
  }

  /** Detaches every link. */
  detachAll(): void {
    for (const l of [...this.links]) l.detach();
  }

  get active(): number {
    return this.links.size;
  }
}

/** Whether a provider name is one programs can be attached to (not BEGIN/END). */
export function attachable(provider: string): boolean {
  const k = probeKind(provider);
  return !!k && k.progType !== 'special';
}
