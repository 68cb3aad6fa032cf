// Tasks (threads) and processes (thread groups) as the kernel tracks them in JavaScript,
// each mirrored by kernel objects in simulated memory (task_struct, mm_struct, ...)
// whose fields the kernel keeps current. A task runs a program: a generator that yields
// user operations (system calls, CPU bursts) and receives their results.
import type { UserSpace } from '../../vm/memory/user-space';
import type { Rng } from '../rng';
import type { BinaryInfo } from '../user/binaries';
import type { UStack } from '../user/ustack';
import type { KStack } from './stacks';

/** Task states (`__state`) and exit states, with Linux's values. */
export const TaskState = {
  RUNNING: 0,
  INTERRUPTIBLE: 1,
  UNINTERRUPTIBLE: 2,
  STOPPED: 4,
  DEAD: 0x80,
  NOLOAD: 0x400,
  IDLE: 0x402,
} as const;
export const EXIT_DEAD = 0x10;
export const EXIT_ZOMBIE = 0x20;

/** A user operation a program yields. One buffer per task is reused for every yield. */
export interface UOp {
  /** 0: system call, 1: CPU burst in user mode. */
  op: number;
  nr: number;
  a0: number;
  a1: number;
  a2: number;
  a3: number;
  a4: number;
  a5: number;
  /** CPU burst length (op 1). */
  ns: number;
  /** For clone: the program the child runs. */
  child: Program | null;
  /** The libc function making the call (its uprobe and uretprobe fire around it), or null. */
  uh: import('./hook-table').UserHooks | null;
  usym: string;
  /** The program frames below the libc function. */
  uhere: UStack | null;
  /** The libc function's own arguments, for its uprobe. */
  u0: number;
  u1: number;
  u2: number;
  u3: number;
}

export type Prog = Generator<UOp, number, number>;
/** A program: a generator function run by a new task. */
export type Program = (t: Task) => Prog;

/** What a kernel path (a system call in progress) yields. */
export interface KOp {
  /** 0: CPU work in the kernel for `ns`; 1: block (on `until` and/or a wake-up). */
  w: number;
  ns: number;
  /** Absolute wake time for a timed block (Infinity: only a wake-up ends it). */
  until: number;
  /** State while blocked: INTERRUPTIBLE, UNINTERRUPTIBLE or IDLE. */
  state: number;
  /** The kernel chain at the block point (what sched_switch's stack shows under schedule). */
  stack: KStack;
}

export type KGen = Generator<KOp, number, number>;

export interface Cred {
  uid: number;
  gid: number;
  euid: number;
  egid: number;
  /** Effective capabilities (a CAP_* bit mask). */
  caps: bigint;
  lin: number;
}

/** A container or host context: cgroup, namespaces and their kernel objects. */
export interface Container {
  /** Short id shown as hostname in the container (12 hex chars), or the host name. */
  name: string;
  /** cgroup v2 path. */
  cgroupPath: string;
  cgroupId: bigint;
  /** Linear offsets of the shared kernel objects. */
  nsproxyLin: number;
  cssSetLin: number;
  pidNsLin: number;
  pidNsLevel: number;
  /** Next pid inside the container's pid namespace. */
  nextNsPid: number;
  host: boolean;
  /** memory.max of the cgroup in bytes (0: no limit), and the anonymous memory charged to it (only tracked under a limit). */
  memLimit: number;
  memUsage: number;
}

export interface FdEntry {
  /** The open file (vfs/ or net/ object). */
  file: OpenFileLike;
  cloexec: boolean;
}

/** What an fd refers to: regular files, pipes, sockets, ttys all implement this. */
export interface OpenFileLike {
  /** Linear offset of `struct file`. */
  lin: number;
  refs: number;
  readonly kind: 'file' | 'dir' | 'pipe' | 'socket' | 'tty' | 'null' | 'epoll' | 'event';
}

/** A thread group: the state its threads share. */
export class Proc {
  readonly threads: Task[] = [];
  /** Child processes (their leaders), living or zombie. */
  readonly children: Task[] = [];
  fds: (FdEntry | null)[] = [];
  /** Load address of each mapped binary by path. */
  bases = new Map<string, number>();
  exe: BinaryInfo | null = null;
  argv: string[] = [];
  /** Interned user strings: text -> user address, and back. */
  strings = new Map<string, number>();
  stringAt = new Map<number, string>();
  heapStart = 0;
  heapNext = 0;
  heapEnd = 0;
  /** Dynamic heap area (buffers) starts here; strings are allocated below it until it fills. */
  bufs = new Map<string, number>();
  stackTop = 0;
  mmLin = 0;
  filesLin = 0;
  fdArrLin = 0;
  fdCap = 64;
  fsLin = 0;
  signalLin = 0;
  /** Dentry of the working directory (vfs/ object). */
  cwd: unknown = null;
  umask = 0o022;
  ttyName = '';
  exitCode = 0;
  exiting = false;
  /** Cached absolute user stacks by chain. */
  ustackCache = new Map<UStack, bigint[]>();
  /** Per-process data a program keeps (its own state between calls). */
  data: Record<string, unknown> = {};
  /** The process waits for its children (else they are reaped as they exit). */
  reaps = false;
  /** Anonymous memory charged to its cgroup (tracked only under a memory limit), and whether the OOM killer chose it. */
  anonBytes = 0;
  oomVictim = false;
  /** Where the process waits for children (wait4). */
  readonly childWait = new WaitQueue();

  constructor(
    readonly tgid: number,
    public user: UserSpace,
    public container: Container,
    public cred: Cred,
  ) {}
}

export class Task {
  /** The kernel the task lives in (programs reach the system through it). */
  kernel!: import('./kernel').Kernel;
  comm = '';
  readonly commBytes = new Uint8Array(16);
  /** Linear offsets of this task's kernel objects. */
  lin = 0;
  pidLin = 0;
  regsLin = 0;
  /** The parent process's leader (real_parent). */
  parent: Task | null = null;
  leader: Task;
  state: number = TaskState.RUNNING;
  exitState = 0;
  exitCode = 0;
  /** CPU the task last ran on / is queued on. */
  cpu = 0;
  onCpu = false;
  queued = false;
  kthread = false;
  idle = false;
  /** Scheduler accounting (ns). */
  vruntime = 0;
  sumExec = 0;
  execStart = 0;
  lastQueued = 0;
  runDelay = 0;
  pcount = 0;
  nvcsw = 0;
  nivcsw = 0;
  utime = 0;
  stime = 0;
  nrMigrations = 0;
  minFlt = 0;
  majFlt = 0;
  startTime = 0;
  prio = 120;
  /** Pid as seen inside the task's pid namespace. */
  nsPid = 0;

  // ---- execution ----
  prog: Prog | null = null;
  kgen: KGen | null = null;
  /** System call in progress (-1: none). */
  sysNr = -1;
  sysStart = 0;
  /** Value for the next resume of the program / the kernel path. */
  uval = 0;
  kval = 0;
  /** Remaining CPU burst (ns) and whether it runs in the kernel. */
  burst = 0;
  burstKernel = false;
  /** Where the current burst ends if uninterrupted. */
  burstEnd = 0;
  /** Current user frames (null: none, e.g. kernel threads). */
  ustk: UStack | null = null;
  /** Kernel chain while blocked or in a kernel burst. */
  kstk: KStack | null = null;
  /** The chain the task last left the CPU on (its wait site under schedule), where it resumes. */
  switchStk: KStack | null = null;
  /** Incremented on every block; wake-ups and timeouts for an older block are ignored. */
  waitSeq = 0;
  /** Pending signals (bit 1 << sig). */
  sigPending = 0;
  /** Signals with handlers installed (bit 1 << sig); others take the default action. */
  sigHandled = 0;
  /** Signals ignored (bit 1 << sig). */
  sigIgnored = 0;
  /** The task waits in wait4 for this pid (-1 any, 0 none). */
  waitFor = 0;
  readonly uop: UOp = { op: 0, nr: 0, a0: 0, a1: 0, a2: 0, a3: 0, a4: 0, a5: 0, ns: 0, child: null, uh: null, usym: '', uhere: null, u0: 0, u1: 0, u2: 0, u3: 0 };
  /** The libc function whose call is in progress (its uretprobe fires when the call returns). */
  upend: import('./hook-table').UserHooks | null = null;
  uhere: UStack | null = null;
  readonly kop: KOp = { w: 0, ns: 0, until: 0, state: 0, stack: null as unknown as KStack };
  /** How many times in a row the program ran without leaving the CPU (fairness guard). */
  streak = 0;
  /** Page faults the task will take when it next runs user code (new memory to touch). */
  faultDebt = 0;
  /** The task's hrtimer_sleeper (nanosleep), allocated on first use. */
  sleeperLin = 0;

  constructor(
    readonly pid: number,
    public proc: Proc,
    public rng: Rng,
  ) {
    this.leader = this;
  }

  get tgid(): number {
    return this.proc.tgid;
  }

  setComm(name: string): void {
    const bytes = new TextEncoder().encode(name).subarray(0, 15);
    this.comm = new TextDecoder().decode(bytes);
    this.commBytes.fill(0);
    this.commBytes.set(bytes);
  }

  // ---- helpers programs use to build operations ----

  /** A system call operation (yield it; the result comes back from the yield). */
  sys(nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): UOp {
    const o = this.uop;
    o.op = 0;
    o.nr = nr;
    o.a0 = a0;
    o.a1 = a1;
    o.a2 = a2;
    o.a3 = a3;
    o.a4 = a4;
    o.a5 = a5;
    o.child = null;
    o.uh = null;
    return o;
  }

  /** A burst of user-mode CPU work. */
  cpuWork(ns: number): UOp {
    const o = this.uop;
    o.op = 1;
    o.ns = ns;
    return o;
  }

  // ---- helpers kernel paths use ----

  /** Kernel CPU work on the current chain (yield it). */
  kcpu(ns: number, stack: KStack): KOp {
    const o = this.kop;
    o.w = 0;
    o.ns = ns;
    o.stack = stack;
    return o;
  }

  /** Block until woken or until `until` (yield it; resumes with the wake value, or 0 on timeout). */
  block(state: number, stack: KStack, until = Infinity): KOp {
    const o = this.kop;
    o.w = 1;
    o.state = state;
    o.until = until;
    o.stack = stack;
    return o;
  }
}

/**
 * Tasks waiting for an event (data, a child's exit, an I/O completion). Each entry records
 * the wait it belongs to, so a task that waited on several queues (poll) and was woken by
 * one is not woken again later by a stale entry in another.
 */
export class WaitQueue {
  readonly tasks: Task[] = [];
  readonly seqs: number[] = [];

  /** Adds `t` for the block it is about to enter. */
  add(t: Task): void {
    this.tasks.push(t);
    this.seqs.push(t.waitSeq + 1);
  }

  get length(): number {
    return this.tasks.length;
  }
}
