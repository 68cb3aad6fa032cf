// The scheduler: per-CPU run queues ordered by virtual runtime (a CFS-like fair
// scheduler), time slices and preemption, wake-ups with CPU selection (prefer the previous
// CPU, else an idle one: a migration), idle balancing, context switches, and the hooks on
// that path (sched_switch, sched_wakeup, sched_waking, sched_wakeup_new, sched_migrate_task,
// try_to_wake_up, finish_task_switch, schedule, enqueue/dequeue, the context-switch and
// migration software events). The struct rq / cfs_rq and task fields in memory follow.
import type { EventFn } from './event-queue';
import type { Hook } from './hooks';
import type { FuncHooks } from './hook-table';
import type { Kernel } from './kernel';
import { RQ, TASK } from './offsets';
import { kat, kin, type KStack } from './stacks';
import { EXIT_DEAD, EXIT_ZOMBIE, TaskState, type Task, type WaitQueue } from './task';

/** Base time slice (ns). */
export const SLICE_NS = 3_000_000;
/** Median time for an idle CPU to start running a woken task. */
const IDLE_EXIT_NS = 3_500;
/** A waking task preempts the current one when it is this far behind in vruntime. */
const WAKEUP_GRAN_NS = 1_000_000;

export class Cpu {
  curr: Task;
  readonly rq: Task[] = [];
  gen = 0;
  sliceEnd = 0;
  minVruntime = 0;
  /** Last synchronous kernel section on this CPU, for attributing late samples to the kernel. */
  kwStart = 0;
  kwEnd = 0;
  kwStack: KStack | null = null;
  /** The system call of that section and its first argument (for sampled work stacks). */
  kwNr = -1;
  kwArg = 0;
  readonly runFn: EventFn;
  nrSwitches = 0;

  constructor(
    readonly id: number,
    readonly idle: Task,
    readonly rqLin: number,
    run: (cpu: Cpu, gen: number) => void,
  ) {
    this.curr = idle;
    this.runFn = (gen) => run(this, gen);
  }
}

const SWITCH_STACK_TOP = ['__schedule', 'schedule'];
const PREEMPT_TOP = ['__schedule', 'preempt_schedule_irq', 'irqentry_exit', 'asm_sysvec_apic_timer_interrupt'];
const PREEMPT_STACK = kin(...PREEMPT_TOP);
const WAKE_STACK = kin('ttwu_do_activate', 'try_to_wake_up', 'wake_up_process');
const ENQUEUE_STACK = kat('enqueue_task_fair', 'ttwu_do_activate', 'try_to_wake_up');
const DEQUEUE_STACK = kat('dequeue_task_fair', '__schedule', 'schedule');
/** Where a new task first runs: the fork return path (it never switched out). */
const NEW_TASK_STACK = kin('schedule_tail', 'ret_from_fork', 'ret_from_fork_asm');
const STAT_STACK = kin('__schedule', 'schedule');
const IDLE_SWITCH_STACK = kin('__schedule', 'schedule_idle', 'do_idle', 'cpu_startup_entry', 'start_secondary', 'common_startup_64');
const MIGRATE_STACK = kin('set_task_cpu', 'try_to_wake_up', 'wake_up_process');
const SET_CPU_STACK = kat('set_task_cpu', 'try_to_wake_up', 'wake_up_process');
const WAKE_NEW_STACK = kat('wake_up_new_task', 'kernel_clone', '__x64_sys_clone', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const WAKE_NEW_TP_STACK = kin('wake_up_new_task', 'kernel_clone', '__x64_sys_clone', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');

export class Sched {
  readonly cpus: Cpu[] = [];
  private readonly hSwitch: Hook;
  private readonly hWakeup: Hook;
  private readonly hWaking: Hook;
  private readonly hWakeupNew: Hook;
  private readonly hMigrate: Hook;
  private readonly hStatRuntime: Hook;
  private readonly kTtwu: FuncHooks;
  private readonly kFinish: FuncHooks;
  private readonly kSchedule: FuncHooks;
  private readonly kEnqueue: FuncHooks;
  private readonly kDequeue: FuncHooks;
  private readonly kSetCpu: FuncHooks;
  private readonly kWakeNew: FuncHooks;
  private readonly kWakeProcess: FuncHooks;
  /** Software events: context switches and CPU migrations. */
  readonly swCs: Hook;
  readonly swMigrations: Hook;
  private readonly ttwuStack = kat('try_to_wake_up', 'wake_up_process');

  constructor(private readonly k: Kernel, swCs: Hook, swMigrations: Hook) {
    const H = k.hooks;
    this.hSwitch = H.tp('sched', 'sched_switch');
    this.hWakeup = H.tp('sched', 'sched_wakeup');
    this.hWaking = H.tp('sched', 'sched_waking');
    this.hWakeupNew = H.tp('sched', 'sched_wakeup_new');
    this.hMigrate = H.tp('sched', 'sched_migrate_task');
    this.hStatRuntime = H.tp('sched', 'sched_stat_runtime');
    this.kTtwu = H.k('try_to_wake_up');
    this.kFinish = H.k('finish_task_switch');
    this.kSchedule = H.k('schedule');
    this.kEnqueue = H.k('enqueue_task_fair');
    this.kDequeue = H.k('dequeue_task_fair');
    this.kSetCpu = H.k('set_task_cpu');
    this.kWakeNew = H.k('wake_up_new_task');
    this.kWakeProcess = H.k('wake_up_process');
    this.swCs = swCs;
    this.swMigrations = swMigrations;
  }

  addCpu(idle: Task, rqLin: number): Cpu {
    const cpu = new Cpu(this.cpus.length, idle, rqLin, (c, gen) => this.onCpuEvent(c, gen));
    this.cpus.push(cpu);
    return cpu;
  }

  /** Schedules the CPU to continue its current task at `time`, cancelling any earlier plan. */
  arm(cpu: Cpu, time: number): void {
    cpu.gen++;
    this.k.at(time, cpu.runFn, cpu.gen);
  }

  private writeRq(cpu: Cpu): void {
    const mem = this.k.mem;
    const n = cpu.rq.length + (cpu.curr.idle ? 0 : 1);
    mem.writeU32(cpu.rqLin + RQ.nr_running, n);
    mem.writeU32(cpu.rqLin + RQ['cfs.nr_running'], n);
    mem.writeU32(cpu.rqLin + RQ['cfs.h_nr_running'], n);
    mem.writeNum64(cpu.rqLin + RQ['cfs.min_vruntime'], cpu.minVruntime);
    mem.writeNum64(cpu.rqLin + RQ.clock, this.k.now);
  }

  /** Puts a runnable task on a CPU's queue. */
  enqueue(t: Task, cpu: Cpu, ctx: Task): void {
    if (this.kEnqueue.entry.on) this.k.kprobe(this.kEnqueue, ctx, ENQUEUE_STACK, cpu.rqLin, t.lin, 1);
    t.queued = true;
    t.cpu = cpu.id;
    t.lastQueued = this.k.now;
    cpu.rq.push(t);
    this.k.mem.writeU32(t.lin + TASK.on_rq, 1);
    this.writeRq(cpu);
    // A busy CPU may need to cut the current burst at the slice end now that someone waits.
    const curr = cpu.curr;
    if (!curr.idle && curr.burst > 0 && cpu.rq.length === 1) {
      const end = Math.min(curr.burstEnd, Math.max(cpu.sliceEnd, this.k.now));
      if (end < curr.burstEnd) this.arm(cpu, end);
    }
  }

  private dequeue(t: Task, cpu: Cpu): void {
    const i = cpu.rq.indexOf(t);
    if (i >= 0) cpu.rq.splice(i, 1);
    t.queued = false;
  }

  /** Chooses the CPU a waking task runs on. */
  private selectCpu(t: Task): Cpu {
    const cpus = this.cpus;
    const prev = cpus[t.cpu] ?? cpus[0];
    if (prev.curr.idle && prev.rq.length === 0) return prev;
    for (let i = 1; i < cpus.length; i++) {
      const c = cpus[(prev.id + i) % cpus.length];
      if (c.curr.idle && c.rq.length === 0) return c;
    }
    let best = prev;
    for (const c of cpus) if (c.rq.length < best.rq.length) best = c;
    return best;
  }

  private migrate(t: Task, from: number, to: Cpu, ctx: Task): void {
    const k = this.k;
    if (this.hMigrate.on) k.tracepoint(this.hMigrate, ctx, MIGRATE_STACK, [t.comm, t.pid, t.prio, from, to.id]);
    if (this.kSetCpu.entry.on) k.kprobe(this.kSetCpu, ctx, SET_CPU_STACK, t.lin, to.id);
    if (this.swMigrations.on) k.perf(this.swMigrations, t, to.id, false, MIGRATE_STACK, 1);
    t.nrMigrations++;
    k.mem.writeU32(t.lin + TASK['thread_info.cpu'], to.id);
    k.mem.writePtr(t.lin + TASK['se.cfs_rq'], to.rqLin + RQ.cfs);
    k.mem.writeNum64(t.lin + TASK['se.nr_migrations'], t.nrMigrations);
  }

  /**
   * Wakes a blocked task with a value for its kernel path. `ctx` is the current task (the
   * waker, or whatever runs on the CPU taking the interrupt). Returns false if not blocked.
   */
  wake(t: Task, value: number, ctx: Task): boolean {
    if (t.state === TaskState.RUNNING || t.exitState) return false;
    const k = this.k;
    t.kval = value;
    t.waitSeq++;
    if (this.kTtwu.entry.on) k.kprobe(this.kTtwu, ctx, this.ttwuStack, t.lin, t.state, 0);
    if (this.kWakeProcess.entry.on) k.kprobe(this.kWakeProcess, ctx, kat('wake_up_process'), t.lin);
    if (this.hWaking.on) k.tracepoint(this.hWaking, ctx, WAKE_STACK, [t.comm, t.pid, t.prio, t.cpu]);
    t.state = TaskState.RUNNING;
    k.mem.writeU32(t.lin + TASK.__state, 0);
    const target = this.selectCpu(t);
    const from = t.cpu;
    if (target.id !== from) this.migrate(t, from, target, ctx);
    t.vruntime = Math.max(t.vruntime, target.minVruntime - SLICE_NS);
    this.enqueue(t, target, ctx);
    if (this.hWakeup.on) k.tracepoint(this.hWakeup, ctx, WAKE_STACK, [t.comm, t.pid, t.prio, target.id]);
    this.checkPreempt(target, t);
    return true;
  }

  /** Wakes every task on a wait queue (entries of finished waits are dropped); returns how many woke. */
  wakeAll(q: WaitQueue, value: number, ctx: Task): number {
    if (q.tasks.length === 0) return 0;
    const ts = q.tasks.splice(0);
    const ss = q.seqs.splice(0);
    let n = 0;
    for (let i = 0; i < ts.length; i++) if (ts[i].waitSeq === ss[i] && this.wake(ts[i], value, ctx)) n++;
    return n;
  }

  wakeOne(q: WaitQueue, value: number, ctx: Task): boolean {
    while (q.tasks.length) {
      const t = q.tasks.shift()!;
      const s = q.seqs.shift()!;
      if (t.waitSeq === s && this.wake(t, value, ctx)) return true;
    }
    return false;
  }

  /** A new task (fork) becomes runnable for the first time. */
  wakeNew(t: Task, parent: Task): void {
    const k = this.k;
    if (this.kWakeNew.entry.on) k.kprobe(this.kWakeNew, parent, WAKE_NEW_STACK, t.lin);
    t.state = TaskState.RUNNING;
    const target = this.selectCpu(t);
    if (target.id !== t.cpu) {
      t.cpu = target.id;
      k.mem.writeU32(t.lin + TASK['thread_info.cpu'], target.id);
      k.mem.writePtr(t.lin + TASK['se.cfs_rq'], target.rqLin + RQ.cfs);
    }
    t.vruntime = target.minVruntime + SLICE_NS / 2;
    this.enqueue(t, target, parent);
    if (this.hWakeupNew.on) k.tracepoint(this.hWakeupNew, parent, WAKE_NEW_TP_STACK, [t.comm, t.pid, t.prio, target.id]);
    this.checkPreempt(target, t);
  }

  /** After `t` joined `cpu`'s queue: switch an idle CPU, or preempt a task far ahead in vruntime. */
  private checkPreempt(cpu: Cpu, t: Task): void {
    const curr = cpu.curr;
    if (curr.idle) {
      // Leaving the idle state takes a few microseconds (the C-state exit latency).
      this.arm(cpu, this.k.now + this.k.rng.lognormal(IDLE_EXIT_NS, 0.9));
      return;
    }
    if (curr.burst > 0 && curr.vruntime + this.k.now - curr.execStart - t.vruntime > WAKEUP_GRAN_NS) {
      this.preempt(cpu);
    }
  }

  /** Preempts the task in a burst on `cpu` (its burst resumes later). */
  preempt(cpu: Cpu): void {
    const prev = cpu.curr;
    if (prev.idle || cpu.rq.length === 0) return;
    if (prev.burst > 0) {
      prev.burst = Math.max(0, prev.burstEnd - this.k.now);
    }
    prev.nivcsw++;
    this.k.mem.writeNum64(prev.lin + TASK.nivcsw, prev.nivcsw);
    this.switchFrom(cpu, prev, true, prev.burstKernel && prev.kstk ? prev.kstk.under(...PREEMPT_TOP) : PREEMPT_STACK);
  }

  /** The current task blocks (its state is already set): schedule() runs and another task takes the CPU. */
  block(cpu: Cpu, t: Task, stack: KStack): void {
    const k = this.k;
    if (this.kSchedule.entry.on) k.kprobe(this.kSchedule, t, stack.call('schedule'));
    t.nvcsw++;
    k.mem.writeNum64(t.lin + TASK.nvcsw, t.nvcsw);
    k.mem.writeU32(t.lin + TASK.__state, t.state);
    this.switchFrom(cpu, t, false, stack.under(...SWITCH_STACK_TOP));
  }

  /** The current task exits (never runs again). */
  exitCurrent(cpu: Cpu, t: Task, stack: KStack): void {
    this.switchFrom(cpu, t, false, stack.under(...SWITCH_STACK_TOP));
  }

  /** Picks the next task on `cpu` and switches from `prev` to it. */
  private switchFrom(cpu: Cpu, prev: Task, preempted: boolean, stack: KStack): void {
    const k = this.k;
    const now = k.now;
    // Accounting for prev.
    if (!prev.idle) {
      const ran = Math.max(0, now - prev.execStart);
      prev.sumExec += ran;
      prev.vruntime += ran;
      if (this.hStatRuntime.on) k.tracepoint(this.hStatRuntime, prev, STAT_STACK, [prev.comm, prev.pid, ran]);
      const mem = k.mem;
      mem.writeNum64(prev.lin + TASK['se.sum_exec_runtime'], prev.sumExec);
      mem.writeNum64(prev.lin + TASK['se.vruntime'], prev.vruntime);
      mem.writeNum64(prev.lin + TASK.utime, prev.utime);
      mem.writeNum64(prev.lin + TASK.stime, prev.stime);
    }
    let next = this.pick(cpu);
    if (preempted && next === null) next = prev;
    if (preempted && next !== prev) {
      prev.state = TaskState.RUNNING;
      prev.vruntime = Math.max(prev.vruntime, cpu.minVruntime);
      this.enqueue(prev, cpu, prev);
    }
    const to = next ?? cpu.idle;
    if (to === prev) {
      // Nothing else to run: keep going.
      cpu.sliceEnd = now + SLICE_NS;
      prev.execStart = now;
      this.resume(cpu, prev);
      return;
    }
    this.contextSwitch(cpu, prev, to, preempted, stack);
  }

  /** Removes and returns the runnable task with the smallest vruntime (stealing from busy CPUs when empty). */
  private pick(cpu: Cpu): Task | null {
    let rq = cpu.rq;
    if (rq.length === 0) {
      // Idle balance: pull a waiting task from the busiest CPU.
      let src: Cpu | null = null;
      for (const c of this.cpus) if (c !== cpu && c.rq.length > 0 && (!src || c.rq.length > src.rq.length)) src = c;
      if (!src) return null;
      let best = src.rq[0];
      for (const t of src.rq) if (t.vruntime < best.vruntime) best = t;
      this.dequeue(best, src);
      this.writeRq(src);
      this.migrate(best, src.id, cpu, cpu.curr);
      best.cpu = cpu.id;
      best.vruntime = Math.max(best.vruntime - src.minVruntime + cpu.minVruntime, cpu.minVruntime - SLICE_NS);
      return best;
    }
    let best = rq[0];
    for (let i = 1; i < rq.length; i++) if (rq[i].vruntime < best.vruntime) best = rq[i];
    this.dequeue(best, cpu);
    return best;
  }

  private reportState(t: Task, preempted: boolean): number {
    if (preempted) return 0x100;
    if (t.exitState) return (t.exitState & (EXIT_ZOMBIE | EXIT_DEAD)) || EXIT_DEAD;
    if (t.state === TaskState.IDLE) return 0x80;
    return t.state & 0x7f;
  }

  private contextSwitch(cpu: Cpu, prev: Task, next: Task, preempted: boolean, stack: KStack): void {
    const k = this.k;
    const mem = k.mem;
    const now = k.now;
    if (this.hSwitch.on) {
      k.tracepoint(this.hSwitch, prev, stack, [prev.comm, prev.pid, prev.prio, this.reportState(prev, preempted), next.comm, next.pid, next.prio]);
    }
    if (this.swCs.on) k.perf(this.swCs, prev, cpu.id, false, stack, 1);
    if (this.kDequeue.entry.on && !preempted && !prev.idle) k.kprobe(this.kDequeue, prev, DEQUEUE_STACK, cpu.rqLin, prev.lin, 1);
    if (!prev.idle) {
      mem.writeU32(prev.lin + TASK.on_cpu, 0);
      if (!prev.queued) mem.writeU32(prev.lin + TASK.on_rq, 0);
    }
    prev.onCpu = false;
    // Where prev leaves the CPU: it resumes there (finish_task_switch under its own wait site).
    prev.switchStk = stack;
    cpu.nrSwitches++;
    cpu.curr = next;
    next.onCpu = true;
    next.cpu = cpu.id;
    next.execStart = now;
    if (!next.idle) {
      next.runDelay += now - next.lastQueued;
      next.pcount++;
      mem.writeU32(next.lin + TASK.on_cpu, 1);
      mem.writeU32(next.lin + TASK.on_rq, 1);
      mem.writeU32(next.lin + TASK['thread_info.cpu'], cpu.id);
      mem.writeNum64(next.lin + TASK['sched_info.run_delay'], next.runDelay);
      mem.writeNum64(next.lin + TASK['sched_info.pcount'], next.pcount);
      mem.writeNum64(next.lin + TASK['sched_info.last_arrival'], now);
    }
    mem.writePtr(cpu.rqLin + RQ.curr, next.lin);
    mem.writeNum64(cpu.rqLin + RQ.nr_switches, cpu.nrSwitches);
    let mv = cpu.rq.length ? Math.min(...cpu.rq.map((t) => t.vruntime)) : next.vruntime;
    if (!next.idle) mv = Math.min(mv, next.vruntime);
    if (mv > cpu.minVruntime) cpu.minVruntime = mv;
    this.writeRq(cpu);
    if (this.kFinish.entry.on) k.kprobe(this.kFinish, next, (next.switchStk ?? (next.idle ? IDLE_SWITCH_STACK : NEW_TASK_STACK)).call('finish_task_switch'), prev.lin);
    cpu.sliceEnd = now + SLICE_NS;
    if (!next.idle) this.resume(cpu, next);
    else cpu.gen++;
  }

  /** Plans the next step of the task now on `cpu`. */
  private resume(cpu: Cpu, t: Task): void {
    if (t.burst > 0) {
      t.burstEnd = this.k.now + t.burst;
      this.arm(cpu, cpu.rq.length ? Math.min(t.burstEnd, cpu.sliceEnd) : t.burstEnd);
    } else {
      this.arm(cpu, this.k.now);
    }
  }

  /** Starts a CPU burst of the current task (its `burst` is set). */
  startBurst(cpu: Cpu, t: Task): void {
    t.burstEnd = this.k.now + t.burst;
    this.arm(cpu, cpu.rq.length ? Math.min(t.burstEnd, Math.max(cpu.sliceEnd, this.k.now)) : t.burstEnd);
  }

  private onCpuEvent(cpu: Cpu, gen: number): void {
    if (gen !== cpu.gen) return;
    const t = cpu.curr;
    if (t.idle) {
      const next = this.pick(cpu);
      if (next) this.contextSwitch(cpu, t, next, false, IDLE_SWITCH_STACK);
      return;
    }
    const now = this.k.now;
    if (t.burst > 0) {
      if (now < t.burstEnd) {
        // Slice end inside a burst.
        if (cpu.rq.length) {
          this.preempt(cpu);
          return;
        }
        cpu.sliceEnd = now + SLICE_NS;
        this.arm(cpu, t.burstEnd);
        return;
      }
      if (t.burstKernel) t.stime += t.burst;
      else t.utime += t.burst;
      t.burst = 0;
    }
    // Between operations: yield to a waiting task whose turn it is.
    if (cpu.rq.length && now >= cpu.sliceEnd) {
      this.preempt2(cpu, t);
      return;
    }
    this.k.s.exec.step(t);
  }

  /** Preempts a task that is between operations (no burst to cut). */
  private preempt2(cpu: Cpu, t: Task): void {
    t.nivcsw++;
    this.k.mem.writeNum64(t.lin + TASK.nivcsw, t.nivcsw);
    this.switchFrom(cpu, t, true, PREEMPT_STACK);
  }
}
