// Process lifecycle: boot (idle tasks, init, kernel threads), creating processes directly
// (the world at boot, commands the tracer starts), fork/clone, execve, exit and reaping,
// wait4, re-parenting, and signals (generation, interruption of sleeps, delivery). Every
// step fires its hooks (sched_process_fork/exec/exit/free/wait, task_newtask/task_rename,
// signal_generate/deliver, kernel_clone, do_exit, ...) and updates the kernel objects.
// execve is in execve.ts; signal numbers and clone flags in proc-consts.ts.
import { UserSpace } from '../../vm/memory/user-space';
import { buildAddressSpace, internString } from '../user/process-maps';
import { binary, binaryOrGeneric, type BinaryInfo } from '../user/binaries';
import type { Kernel } from './kernel';
import { PF_EXITING, TaskObjects } from './kobj-task';
import { MM, RQ, SIGNAL, TASK } from './offsets';
import { execve } from './execve';
import { DEFAULT_IGNORE, ECHILD, EINTR, ESRCH, SI_KERNEL, SI_USER, SIGCHLD, SIGKILL } from './proc-consts';
import { kat, kin, type KStack } from './stacks';
import { EXIT_DEAD, EXIT_ZOMBIE, Proc, Task, TaskState, type Container, type Cred, type KGen, type Program } from './task';

export * from './proc-consts';


export interface SpawnSpec {
  path: string;
  argv: string[];
  env?: string[];
  uid?: number;
  gid?: number;
  caps?: bigint;
  cwd?: string;
  container?: Container;
  tty?: string;
  parent?: Task;
  /** The program to run instead of the one registered for `path`. */
  program?: Program;
  /** Whether the process reaps its children (waits for them). */
  reaps?: boolean;
  nice?: number;
}

/** Resolves the program a binary runs, given its path and argv. */
export type ProgramResolver = (path: string, argv: readonly string[]) => Program;

const EXIT_STACK_BASE = ['do_group_exit', '__x64_sys_exit_group', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];
const FORK_TP_STACK = kin('copy_process', 'kernel_clone', '__x64_sys_clone', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const SIGNAL_STACK = kin('__send_signal_locked', 'send_signal_locked', 'do_send_sig_info', 'kill_pid_info', 'kill_something_info', '__x64_sys_kill', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const KSIGNAL_STACK = kat('do_send_sig_info', 'kill_pid_info', 'kill_something_info', '__x64_sys_kill', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const FREE_STACK = kin('release_task', 'wait_task_zombie', 'do_wait', 'kernel_wait4', '__x64_sys_wait4', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const RELEASE_STACK = kat('release_task', 'wait_task_zombie', 'do_wait', 'kernel_wait4');

export class Procs {
  readonly objs: TaskObjects;
  host!: Container;
  init!: Task;
  kthreadd!: Task;
  private nextPid = 1;
  resolver: ProgramResolver = () => {
    throw new Error('no program resolver installed');
  };
  /** The tracer's own process (BEGIN/END/interval programs run in it). */
  private tracer: Task | null = null;
  readonly release = 'bpfsim-6.8.0';
  readonly hostname: string;

  constructor(
    readonly k: Kernel,
    hostname = 'web-01',
  ) {
    this.objs = new TaskObjects(k.mem);
    this.hostname = hostname;
  }

  allocPid(): number {
    return this.nextPid++;
  }

  /** The most recently allocated pid (the last field of /proc/loadavg). */
  lastPid(): number {
    return this.nextPid - 1;
  }

  /** Skips pids (as a long-running system would have used them). */
  advancePids(to: number): void {
    if (this.nextPid < to) this.nextPid = to;
  }

  createHost(): Container {
    this.host = this.objs.container(
      { name: this.hostname, cgroupPath: '/', cgroupId: 1n, pidNsLevel: 0, nextNsPid: 1, host: true },
      this.hostname,
      this.release,
      0,
    );
    return this.host;
  }

  /** A host cgroup (e.g. /system.slice/nginx.service) sharing the host namespaces. */
  hostCgroup(path: string, id: bigint): Container {
    return this.objs.container({ name: this.hostname, cgroupPath: path, cgroupId: id, pidNsLevel: 0, nextNsPid: 1, host: true }, this.hostname, this.release, this.host.pidNsLin);
  }

  /** A container with its own cgroup, pid namespace (level 1), mount and network namespaces and hostname. */
  container(name: string, cgroupPath: string, id: bigint): Container {
    return this.objs.container({ name, cgroupPath, cgroupId: id, pidNsLevel: 1, nextNsPid: 1, host: false }, name, this.release, this.host.pidNsLin);
  }

  // ---- creating tasks ----

  private newTask(pid: number, proc: Proc, parent: Task | null, comm: string): Task {
    const k = this.k;
    const t = new Task(pid, proc, (parent?.rng ?? k.rng).derive(pid));
    t.kernel = k;
    t.parent = parent;
    t.setComm(comm);
    t.startTime = k.now;
    const c = proc.container;
    t.nsPid = c.pidNsLevel > 0 ? c.nextNsPid++ : pid;
    this.objs.allocTask(t, c);
    return t;
  }

  private cfsOf(t: Task): number {
    const cpu = this.k.s.sched.cpus[t.cpu];
    return cpu ? cpu.rqLin + RQ.cfs : 0;
  }

  /** Idle task of a CPU (pid 0, swapper/N). */
  idleTask(cpu: number): Task {
    const k = this.k;
    const proc = new Proc(0, new UserSpace(k.mem), this.host, this.objs.cred(0, 0, 0n));
    this.objs.allocProc(proc);
    const t = this.newTask(0, proc, null, `swapper/${cpu}`);
    t.idle = true;
    t.kthread = true;
    t.cpu = cpu;
    t.nsPid = 0;
    t.onCpu = true;
    this.objs.writeTask(t, 0);
    return t;
  }

  /** A kernel thread running a kernel path (no user space). */
  kthread(name: string, body: (t: Task) => KGen, cpu?: number): Task {
    const k = this.k;
    const pid = this.allocPid();
    const proc = new Proc(pid, new UserSpace(k.mem), this.host, this.objs.cred(0, 0, 0n));
    this.objs.allocProc(proc);
    const parent = this.kthreadd ?? null;
    const t = this.newTask(pid, proc, parent, name);
    t.kthread = true;
    t.cpu = cpu ?? pid % k.nrCpus;
    proc.threads.push(t);
    this.objs.writeTask(t, this.cfsOf(t));
    if (parent) {
      parent.proc.children.push(t);
      this.objs.linkChild(parent, t);
    }
    k.tasks.set(pid, t);
    t.kgen = body(t);
    t.state = TaskState.RUNNING;
    k.s.sched.enqueue(t, k.s.sched.cpus[t.cpu], t);
    k.s.sched.arm(k.s.sched.cpus[t.cpu], k.now);
    return t;
  }

  /** Creates a process directly, already running `spec.path` (no fork/exec hooks: the world before tracing). */
  spawn(spec: SpawnSpec): Task {
    const k = this.k;
    const pid = this.allocPid();
    const container = spec.container ?? spec.parent?.proc.container ?? this.host;
    const uid = spec.uid ?? 0;
    const gid = spec.gid ?? uid;
    const cred = this.objs.cred(uid, gid, spec.caps ?? (uid === 0 ? (1n << 41n) - 1n : 0n));
    const proc = new Proc(pid, new UserSpace(k.mem), container, cred);
    proc.reaps = spec.reaps ?? false;
    this.objs.allocProc(proc);
    const parent = spec.parent ?? this.init ?? null;
    const exe = this.exeOf(spec.path);
    const t = this.newTask(pid, proc, parent ? parent.leader : null, baseName(spec.path));
    t.cpu = pid % k.nrCpus;
    t.prio = 120 + (spec.nice ?? 0);
    proc.threads.push(t);
    k.s.vfs.initProcFs(proc, spec.cwd ?? '/');
    this.layout(t, exe, spec.argv, spec.env ?? defaultEnv(uid));
    if (spec.tty) {
      proc.ttyName = spec.tty;
      this.objs.setTty(proc, spec.tty);
      k.s.vfs.openTty(proc, spec.tty);
    } else {
      k.s.vfs.openNullStdio(proc);
    }
    this.objs.writeTask(t, this.cfsOf(t));
    if (parent) {
      parent.leader.proc.children.push(t);
      this.objs.linkChild(parent.leader, t);
    }
    k.tasks.set(pid, t);
    t.prog = (spec.program ?? this.resolver(spec.path, spec.argv))(t);
    t.state = TaskState.RUNNING;
    t.vruntime = k.s.sched.cpus[t.cpu].minVruntime;
    k.s.sched.enqueue(t, k.s.sched.cpus[t.cpu], t);
    k.s.sched.arm(k.s.sched.cpus[t.cpu], k.now);
    return t;
  }

  exeOf(path: string): BinaryInfo {
    return binary(path) ?? binary(path.replace(/^\/usr(?=\/(s?bin|lib)\/)/, '')) ?? binaryOrGeneric(path);
  }

  /** Sets up a fresh address space and the mm_struct fields for `exe`. */
  layout(t: Task, exe: BinaryInfo, argv: readonly string[], env: readonly string[]): void {
    const p = t.proc;
    const l = buildAddressSpace(this.k.mem, p, exe, argv, env, t.rng);
    const base = p.bases.get(exe.path) ?? 0;
    this.objs.writeMm(p, {
      arg_start: l.argStart,
      arg_end: l.argEnd,
      env_start: l.envStart,
      env_end: l.envEnd,
      start_stack: p.stackTop - 0x100,
      start_code: base,
      end_code: base + exe.textSize,
      start_data: base + exe.textSize + 0x20000,
      end_data: base + exe.textSize + 0x24000,
      start_brk: p.heapStart,
      brk: p.heapEnd,
      mmap_base: 0x7f0000000000,
      total_vm: 2000 + (exe.textSize >> 12),
    });
    p.data.argvPtr = l.argvPtr;
    p.data.envpPtr = l.envpPtr;
  }

  /**
   * setproctitle: writes `title` over the process's argument area (as nginx and postgres
   * name their workers), so /proc/PID/cmdline and mm->arg_start..arg_end show it.
   */
  setTitle(t: Task, title: string): void {
    const mem = this.k.mem;
    const p = t.proc;
    const start = Number(mem.readU64(p.mmLin + MM.arg_start));
    const room = Math.max(0, Number(mem.readU64(p.mmLin + MM.env_end)) - start - 1);
    const bytes = new TextEncoder().encode(title).subarray(0, room);
    const lin = p.user.translate(start, bytes.length + 1);
    if (lin < 0) return;
    mem.u8.set(bytes, lin);
    mem.u8[lin + bytes.length] = 0;
    mem.writeNum64(p.mmLin + MM.arg_end, start + bytes.length + 1);
    p.argv = [new TextDecoder().decode(bytes)];
  }

  /** The tracer's own process (comm `bpfsim`), created on first use as a child of init. */
  tracerTask(): Task {
    if (!this.tracer || this.tracer.exitState) {
      this.tracer = this.spawn({
        path: '/usr/bin/node',
        argv: ['bpfsim'],
        uid: 0,
        tty: 'pts/0',
        program: idleProgram,
      });
      this.tracer.setComm('bpfsim');
      this.k.mem.u8.set(this.tracer.commBytes, this.tracer.lin + TASK.comm);
    }
    return this.tracer;
  }

  // ---- fork ----

  /** clone/fork: a new process (or a thread with `thread`) running `prog`, first returning 0 from clone in the child. */
  fork(parent: Task, prog: Program, thread: boolean, flags: number, cloneNr: number): Task {
    const k = this.k;
    const pid = this.allocPid();
    const pp = parent.proc;
    let proc: Proc;
    if (thread) {
      proc = pp;
    } else {
      proc = new Proc(pid, copyUserSpace(k, pp.user), pp.container, pp.cred);
      this.objs.allocProc(proc);
      proc.exe = pp.exe;
      proc.argv = pp.argv;
      proc.bases = new Map(pp.bases);
      proc.strings = new Map(pp.strings);
      proc.stringAt = new Map(pp.stringAt);
      proc.bufs = new Map(pp.bufs);
      proc.heapStart = pp.heapStart;
      proc.heapNext = pp.heapNext;
      proc.heapEnd = pp.heapEnd;
      proc.stackTop = pp.stackTop;
      proc.cwd = pp.cwd;
      proc.umask = pp.umask;
      proc.ttyName = pp.ttyName;
      proc.data = { argvPtr: pp.data.argvPtr, envpPtr: pp.data.envpPtr };
      k.mem.u8.copyWithin(proc.mmLin + MM.arg_start, pp.mmLin + MM.arg_start, pp.mmLin + MM.env_end + 8);
      for (const f of ['start_code', 'end_code', 'start_data', 'end_data', 'start_brk', 'brk', 'start_stack', 'mmap_base', 'total_vm'] as const) {
        k.mem.writeU64(proc.mmLin + MM[f], k.mem.readU64(pp.mmLin + MM[f]));
      }
      this.objs.setTty(proc, proc.ttyName);
      k.s.vfs.dupFiles(pp, proc);
      k.s.vfs.copyFs(pp, proc);
    }
    const realParent = thread ? parent.parent : parent.leader;
    const child = this.newTask(pid, proc, realParent, parent.comm);
    child.leader = thread ? parent.leader : child;
    child.cpu = parent.cpu;
    child.ustk = parent.ustk;
    child.upend = parent.upend;
    child.uhere = parent.uhere;
    child.prio = parent.prio;
    proc.threads.push(child);
    this.objs.writeTask(child, this.cfsOf(child));
    if (thread) {
      k.mem.writeU32(proc.signalLin + SIGNAL.nr_threads, proc.threads.length);
    } else {
      pp.children.push(child);
      this.objs.linkChild(parent.leader, child);
    }
    k.tasks.set(pid, child);
    const H = k.hooks;
    const newtask = H.tp('task', 'task_newtask');
    if (newtask.on) k.tracepoint(newtask, parent, FORK_TP_STACK, [pid, child.comm, flags, 0]);
    const fork = H.tp('sched', 'sched_process_fork');
    if (fork.on) k.tracepoint(fork, parent, FORK_TP_STACK, [parent.comm, parent.pid, child.comm, pid]);
    // The child returns 0 from the same system call.
    child.prog = prog(child);
    child.sysNr = cloneNr;
    child.kgen = returnZero();
    k.s.mm.cacheAlloc(parent, 'task_struct', child.lin, FORK_TP_STACK);
    k.s.sched.wakeNew(child, parent);
    return child;
  }

  // ---- execve (execve.ts) ----

  /** Replaces the task's program image. Generator: reads the binary (may block on I/O). */
  *execve(t: Task, pathAddr: number, argvAddr: number, envpAddr: number): KGen {
    return yield* execve(this, t, pathAddr, argvAddr, envpAddr);
  }

  // ---- exit ----

  /** Exits a task with an exit code, or killed by `signaled`. The whole group exits when the last thread does. */
  exit(t: Task, code: number, signaled = 0): void {
    if (t.exitState) return;
    const k = this.k;
    const mem = k.mem;
    const p = t.proc;
    const H = k.hooks;
    const status = signaled ? signaled : (code & 0xff) << 8;
    const stack = kin('do_exit', ...EXIT_STACK_BASE);
    const doExit = H.k('do_exit');
    if (doExit.entry.on) k.kprobe(doExit, t, kat('do_exit', ...EXIT_STACK_BASE), status);
    const ti = p.threads.indexOf(t);
    if (ti >= 0) p.threads.splice(ti, 1);
    const groupDead = p.threads.length === 0;
    // As do_exit does: PF_EXITING (exit_signals) and exit_code are set before the task's
    // exit is traced, so sched_process_exit reads the status it dies with.
    mem.writeU32(t.lin + TASK.flags, mem.readU32(t.lin + TASK.flags) | PF_EXITING);
    mem.writeU32(t.lin + TASK.exit_code, status);
    t.exitCode = status;
    const hexit = H.tp('sched', 'sched_process_exit');
    if (hexit.on) k.tracepoint(hexit, t, stack, [t.comm, t.pid, t.prio, groupDead ? 1 : 0]);
    const prog = t.prog;
    t.prog = null;
    t.kgen = null;
    if (groupDead) {
      p.exitCode = status;
      k.s.vfs.exitFiles(t);
      this.reparentChildren(t);
    }
    const wasOnCpu = t.onCpu;
    const cpu = k.s.sched.cpus[t.cpu];
    const autoReap = t !== t.leader || !t.parent || !t.parent.proc.reaps || t.parent.exitState !== 0;
    t.exitState = autoReap ? EXIT_DEAD : EXIT_ZOMBIE;
    t.state = TaskState.DEAD;
    mem.writeU32(t.lin + TASK.exit_state, t.exitState);
    mem.writeU32(t.lin + TASK.__state, TaskState.DEAD);
    if (t.queued) {
      const i = cpu.rq.indexOf(t);
      if (i >= 0) cpu.rq.splice(i, 1);
      t.queued = false;
    }
    t.waitSeq++;
    if (groupDead && t === t.leader) {
      const parent = t.parent;
      if (parent && !parent.exitState) {
        this.send(SIGCHLD, parent, t, SI_KERNEL + 0);
        k.s.sched.wakeAll(parent.proc.childWait, 1, t);
      }
    }
    if (autoReap && (t !== t.leader || groupDead)) this.releaseTask(t, t);
    if (groupDead) for (const fn of k.exitListeners) fn(t.leader, status);
    if (wasOnCpu) k.s.sched.exitCurrent(cpu, t, stack);
    try {
      prog?.return(0);
    } catch {
      // a program's finally blocks may not yield; ignore their errors
    }
  }

  private reparentChildren(t: Task): void {
    const reaper = this.init;
    for (const c of t.proc.children) {
      if (c.exitState === EXIT_DEAD) continue;
      c.parent = reaper;
      this.objs.unlinkChild(c);
      this.k.mem.writePtr(c.lin + TASK.real_parent, reaper.lin);
      this.k.mem.writePtr(c.lin + TASK.parent, reaper.lin);
      if (reaper !== t) {
        reaper.proc.children.push(c);
        this.objs.linkChild(reaper, c);
        if (c.exitState === EXIT_ZOMBIE) this.releaseTask(c, reaper);
      }
    }
    t.proc.children.length = 0;
  }

  /** Frees a dead task: sched_process_free, release_task, and its memory. */
  releaseTask(t: Task, ctx: Task): void {
    const k = this.k;
    if (!k.tasks.has(t.pid) || k.tasks.get(t.pid) !== t) return;
    const H = k.hooks;
    const rel = H.k('release_task');
    if (rel.entry.on) k.kprobe(rel, ctx, RELEASE_STACK, t.lin);
    const free = H.tp('sched', 'sched_process_free');
    if (free.on) k.tracepoint(free, ctx, FREE_STACK, [t.comm, t.pid, t.prio]);
    t.exitState = EXIT_DEAD;
    k.mem.writeU32(t.lin + TASK.exit_state, EXIT_DEAD);
    k.tasks.delete(t.pid);
    if (t.parent) {
      const sib = t.parent.proc.children;
      const i = sib.indexOf(t);
      if (i >= 0) sib.splice(i, 1);
    }
    this.objs.unlinkChild(t);
    const lin = t.lin;
    // Free the task_struct a little later (RCU), so programs holding its address still read it.
    k.at(k.now + 20_000_000, () => {
      k.mem.free(lin);
      k.mem.free(t.pidLin);
      k.mem.free(t.regsLin);
    });
    if (t === t.leader && t.proc.threads.length === 0) k.s.vfs.releaseProcMemory(t.proc);
  }

  /** wait4: reaps a zombie child (pid, or any with -1); blocks until one exits. */
  *wait4(t: Task, pid: number, statusAddr: number, options: number): KGen {
    const k = this.k;
    const p = t.proc;
    const H = k.hooks;
    const stack = kin('do_wait', 'kernel_wait4', '__x64_sys_wait4', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
    const kw = H.k('kernel_wait4');
    if (kw.entry.on) k.kprobe(kw, t, kat('kernel_wait4', '__x64_sys_wait4', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'), pid, statusAddr, options, 0);
    const hwait = H.tp('sched', 'sched_process_wait');
    if (hwait.on) k.tracepoint(hwait, t, stack, [t.comm, pid, t.prio]);
    for (;;) {
      const kids = p.children.filter((c) => pid === -1 || c.pid === pid);
      if (kids.length === 0) return -ECHILD;
      const z = kids.find((c) => c.exitState === EXIT_ZOMBIE);
      if (z) {
        if (statusAddr) {
          const lin = p.user.translate(statusAddr, 4);
          if (lin >= 0) k.mem.writeU32(lin, z.exitCode);
        }
        this.releaseTask(z, t);
        return z.pid;
      }
      if (options & 1) return 0; // WNOHANG
      p.childWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, stack);
      if (r === -EINTR && !(t.sigPending & (1 << SIGCHLD))) return -EINTR;
      t.sigPending &= ~(1 << SIGCHLD);
    }
  }

  // ---- signals ----

  /** Generates a signal for a process (its leader) or thread; returns 0 or -ESRCH. */
  send(sig: number, target: Task, ctx: Task, code = SI_USER): number {
    const k = this.k;
    const H = k.hooks;
    if (!target || target.exitState) return -ESRCH;
    const dsi = H.k('do_send_sig_info');
    if (dsi.entry.on) k.kprobe(dsi, ctx, KSIGNAL_STACK, sig, 0, target.lin, 1);
    const bit = 1 << sig;
    const ignored = (target.sigIgnored & bit) !== 0 || ((DEFAULT_IGNORE & bit) !== 0 && (target.sigHandled & bit) === 0);
    const hgen = H.tp('signal', 'signal_generate');
    if (hgen.on) k.tracepoint(hgen, ctx, SIGNAL_STACK, [sig, 0, code, target.comm, target.pid, 1, ignored ? 1 : 0]);
    if (ignored && sig !== SIGKILL) return 0;
    // Deliver to the leader, or the first live thread.
    const dest = target.exitState ? target.proc.threads[0] : target;
    if (!dest) return 0;
    dest.sigPending |= bit;
    if (dest.state === TaskState.INTERRUPTIBLE || (sig === SIGKILL && dest.state !== TaskState.RUNNING)) k.s.sched.wake(dest, -EINTR, ctx);
    return 0;
  }

  /** Delivers pending signals on return to user mode; returns true if the task died. */
  deliverSignals(t: Task, stack: KStack): boolean {
    const k = this.k;
    const H = k.hooks;
    while (t.sigPending) {
      const sig = 31 - Math.clz32(t.sigPending & -t.sigPending);
      t.sigPending &= ~(1 << sig);
      const bit = 1 << sig;
      if (t.sigHandled & bit) {
        const hdel = H.tp('signal', 'signal_deliver');
        if (hdel.on) k.tracepoint(hdel, t, stack, [sig, 0, SI_USER, 0, 0]);
        const handlers = t.proc.data.onSignal as ((sig: number) => void) | undefined;
        handlers?.(sig);
        continue;
      }
      if (t.sigIgnored & bit || DEFAULT_IGNORE & bit) continue;
      const hdel = H.tp('signal', 'signal_deliver');
      if (hdel.on) k.tracepoint(hdel, t, stack, [sig, 0, SI_USER, 0, 0]);
      for (const other of [...t.proc.threads]) if (other !== t) this.exit(other, 0, sig);
      this.exit(t, 0, sig);
      return true;
    }
    return false;
  }

  credFor(uid: number, gid: number, caps?: bigint): Cred {
    return this.objs.cred(uid, gid, caps ?? (uid === 0 ? (1n << 41n) - 1n : 0n));
  }
}

function* returnZero(): KGen {
  return 0;
}

/** A process that sleeps in pause() until killed. */
function* idleProgram(t: Task): Generator<import('./task').UOp, number, number> {
  for (;;) yield t.sys(34);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function defaultEnv(uid: number): string[] {
  const home = uid === 0 ? '/root' : uid === 1000 ? '/home/alice' : '/';
  return ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${home}`, 'LANG=C.UTF-8', 'SHELL=/bin/bash', 'TERM=xterm-256color'];
}

/** Reads a NULL-terminated array of user string pointers. */

/** Copies a process's user mappings (fork's copy-on-write, done eagerly). */
function copyUserSpace(k: Kernel, from: UserSpace): UserSpace {
  const to = new UserSpace(k.mem);
  for (const m of from.mappings) {
    const lin = to.map(m.start, m.end - m.start, m.name);
    k.mem.u8.copyWithin(lin, m.lin, m.lin + (m.end - m.start));
  }
  return to;
}

export { internString };
