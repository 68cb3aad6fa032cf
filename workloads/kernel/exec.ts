// Runs tasks: resumes a task's program and its kernel paths, enters and leaves system
// calls (raw_syscalls and syscalls:* tracepoints, the __x64_sys_* kprobes, error injection
// through override_return), starts CPU bursts, blocks with timeouts, and delivers pending
// signals on the way back to user mode.
import { SYSCALL_IMPLS } from '../syscalls/index';
import type { Kernel } from './kernel';
import { PT_REGS } from './offsets';
import { kat, kin, SYSCALL_BASE, type KStack } from './stacks';
import { SYSCALL_TABLE } from './syscall-table';
import { TaskState, type Task, type UOp } from './task';
import { WorkStacks } from './work-stacks';

export const ENOSYS = 38;
/** Kernel entry and exit overhead of a system call (ns). */
const SYSCALL_OVERHEAD_NS = 90;
/**
 * How far (ns) a task may run ahead of the event it was resumed by before the CPU loop takes
 * an event turn: bounds how late other CPUs' events run behind this one.
 */
const RUN_AHEAD_NS = 20_000;

export class Exec {
  /**
   * Per syscall number: the chain at the __x64_sys_* wrapper's entry, and the handler's base
   * chain (null for a number the table lacks), each made the first time the call is.
   */
  private readonly wrapperStacks: KStack[] = [];
  private readonly sysStacks: (KStack | null)[] = [];
  /** The wrapper name of each syscall number. */
  private readonly wrappers: string[] = [];
  /** Deeper stacks for profile samples inside system calls. */
  readonly work = new WorkStacks();
  private readonly tpStack = kin('do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
  private readonly exitTpStack = kin('syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
  private readonly signalStack = kin('arch_do_signal_or_restart', 'exit_to_user_mode_loop', 'syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
  private readonly rawArgs = [0, 0, 0, 0, 0, 0];

  constructor(private readonly k: Kernel) {
    for (const [nr, , tp] of SYSCALL_TABLE) this.wrappers[nr] = `__x64_sys_${tp}`;
  }

  private sysStack(nr: number): KStack | null {
    let s = this.sysStacks[nr];
    if (s === undefined) {
      const w = this.wrappers[nr];
      this.sysStacks[nr] = s = w === undefined ? null : kin(w, ...SYSCALL_BASE);
    }
    return s;
  }

  private wrapperStack(nr: number): KStack {
    return (this.wrapperStacks[nr] ??= kat(this.wrappers[nr], ...SYSCALL_BASE));
  }

  /** Runs the task on its CPU until it blocks, starts a burst, exits or yields its turn. */
  step(t: Task): void {
    const k = this.k;
    const sched = k.s.sched;
    const cpu = sched.cpus[t.cpu];
    for (;;) {
      if (cpu.curr !== t || t.exitState) return;
      if (t.kgen) {
        const r = t.kgen.next(t.kval);
        t.kval = 0;
        if (t.exitState) return;
        if (!r.done) {
          const op = r.value;
          if (op.w === 0) {
            t.burst = op.ns;
            t.burstKernel = true;
            t.kstk = op.stack;
            sched.startBurst(cpu, t);
            return;
          }
          this.blockTask(t, op.state, op.stack, op.until);
          return;
        }
        t.kgen = null;
        this.sysExit(t, r.value);
        if (t.sigPending && k.s.procs.deliverSignals(t, this.signalStack)) return;
      }
      if (k.now - k.evTime > RUN_AHEAD_NS) {
        sched.arm(cpu, k.now);
        return;
      }
      if (!t.prog) {
        k.s.procs.exit(t, 0);
        return;
      }
      const r = t.prog.next(t.uval);
      if (t.exitState || cpu.curr !== t) return;
      if (r.done) {
        k.s.procs.exit(t, r.value);
        return;
      }
      const op = r.value;
      if (op.op === 0) {
        this.sysEnter(t, op);
        if (t.sigPending && !t.kgen && k.s.procs.deliverSignals(t, this.signalStack)) return;
        continue;
      }
      // New memory the program touches faults in as its user code runs.
      if (t.faultDebt > 0) {
        const n = t.faultDebt;
        t.faultDebt = 0;
        k.s.mm.faults(t, n);
        if (t.exitState || cpu.curr !== t) return;
      }
      t.burst = Math.max(1, op.ns);
      t.burstKernel = false;
      t.uval = 0;
      sched.startBurst(cpu, t);
      return;
    }
  }

  /** Blocks the current task; a timeout wakes it with 0 unless something wakes it first. */
  blockTask(t: Task, state: number, stack: KStack, until: number): void {
    const k = this.k;
    t.waitSeq++;
    t.state = state;
    t.kstk = stack;
    if (until !== Infinity) {
      const seq = t.waitSeq;
      k.at(until, () => {
        if (t.waitSeq === seq && t.state !== TaskState.RUNNING) k.s.sched.wake(t, 0, k.s.sched.cpus[t.cpu].curr);
      });
    }
    k.s.sched.block(k.s.sched.cpus[t.cpu], t, stack);
  }

  private sysEnter(t: Task, op: UOp): void {
    const k = this.k;
    const H = k.hooks;
    const nr = op.nr;
    const uh = op.uh;
    if (uh !== null) {
      // The libc function making the call: its uprobe, and the user stack inside it.
      const here = op.uhere!;
      if (uh.entry.on) k.uprobe(uh, t, here.call(op.usym), op.u0, op.u1, op.u2, op.u3);
      t.ustk = here.under(op.usym);
      t.upend = uh;
      t.uhere = here;
    }
    t.sysNr = nr;
    t.sysStart = k.now;
    const cpu = k.s.sched.cpus[t.cpu];
    cpu.kwStart = k.now;
    cpu.kwStack = this.sysStack(nr);
    cpu.kwNr = nr;
    cpu.kwArg = op.a0;
    if (H.rawEnter.on) {
      const a = this.rawArgs;
      a[0] = op.a0;
      a[1] = op.a1;
      a[2] = op.a2;
      a[3] = op.a3;
      a[4] = op.a4;
      a[5] = op.a5;
      k.tracepoint(H.rawEnter, t, this.tpStack, [nr, [...a]]);
    }
    const he = H.sysEnter[nr];
    if (he !== undefined && he.on) k.tracepoint(he, t, this.tpStack, [nr, op.a0, op.a1, op.a2, op.a3, op.a4, op.a5]);
    const w = H.sysWrapper[nr];
    if (w !== undefined && w.entry.on) {
      this.writeUserRegs(t, op);
      const ov = k.kprobe(w, t, this.wrapperStack(nr), t.regsLin);
      if (ov !== null) {
        this.sysExit(t, ov);
        return;
      }
    }
    k.cost(t, SYSCALL_OVERHEAD_NS);
    const impl = SYSCALL_IMPLS[nr];
    const r = impl ? impl(k, t, op) : -ENOSYS;
    if (typeof r === 'number') this.sysExit(t, r);
    else t.kgen = r;
  }

  /** Writes the syscall's user registers into the task's pt_regs (what __x64_sys_* receives). */
  private writeUserRegs(t: Task, op: UOp): void {
    const mem = this.k.mem;
    const r = t.regsLin;
    mem.writeNum64(r + PT_REGS.di, op.a0);
    mem.writeNum64(r + PT_REGS.si, op.a1);
    mem.writeNum64(r + PT_REGS.dx, op.a2);
    mem.writeNum64(r + PT_REGS.r10, op.a3);
    mem.writeNum64(r + PT_REGS.r8, op.a4);
    mem.writeNum64(r + PT_REGS.r9, op.a5);
    mem.writeNum64(r + PT_REGS.orig_ax, op.nr);
    mem.writeNum64(r + PT_REGS.ax, -ENOSYS);
    mem.writeNum64(r + PT_REGS.sp, t.proc.stackTop - 0x2000);
    if (t.ustk) {
      const ip = t.ustk.ip(t.proc);
      mem.writeU64(r + PT_REGS.ip, ip);
    }
  }

  /** Leaves a system call with `ret`: return hooks, then back to the program with the value. */
  sysExit(t: Task, ret: number): void {
    const k = this.k;
    const H = k.hooks;
    const nr = t.sysNr;
    k.cost(t, 0);
    const w = H.sysWrapper[nr];
    if (w !== undefined && w.ret.on) k.kretprobe(w, t, kin(...SYSCALL_BASE), ret);
    const hx = H.sysExit[nr];
    if (hx !== undefined && hx.on) k.tracepoint(hx, t, this.exitTpStack, [nr, ret]);
    if (H.rawExit.on) k.tracepoint(H.rawExit, t, this.exitTpStack, [nr, ret]);
    const cpu = k.s.sched.cpus[t.cpu];
    cpu.kwEnd = k.now;
    t.sysNr = -1;
    t.uval = ret;
    const uh = t.upend;
    if (uh !== null) {
      t.upend = null;
      if (uh.ret.on && t.ustk) k.uretprobe(uh, t, t.ustk, ret < 0 && ret > -4096 ? -1 : ret);
      t.ustk = t.uhere;
    }
  }
}
