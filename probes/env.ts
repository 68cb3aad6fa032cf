// The HelperEnv a program sees when it runs: the current task and CPU of the firing, the
// kernel's clocks, the world-independent random stream, user memory of the current
// process, kernel and user stacks at the site, and the side effects (signals and
// override_return are applied by the kernel after the programs of a firing have run;
// trace_printk lines go to the kernel's trace pipe).
import type { HelperEnv } from '../vm/helpers/env';
import type { UserTranslator } from '../vm/memory/memory';
import type { Kernel } from '../workloads/kernel/kernel';
import type { KStack } from '../workloads/kernel/stacks';
import type { Task } from '../workloads/kernel/task';
import type { UStack } from '../workloads/user/ustack';

const EMPTY: readonly bigint[] = [];
const TRACE_PIPE_MAX = 10_000;

export class KernelEnv implements HelperEnv {
  task!: Task;
  cpuId = 0;
  kstack: KStack | null = null;
  ustack: UStack | null = null;
  /** Whether user frames apply (false for kernel threads and idle). */
  withUser = true;
  func = 0n;
  /** Outcomes requested by the programs of this firing. */
  signal = 0;
  override: bigint | null = null;
  overrideAllowed = false;

  constructor(private readonly k: Kernel) {}

  /** Prepares the env for one firing. */
  set(task: Task, cpu: number, kstack: KStack | null, ustack: UStack | null, funcIp: bigint, overrideAllowed = false): this {
    this.task = task;
    this.cpuId = cpu;
    this.kstack = kstack;
    this.ustack = ustack;
    this.withUser = !task.kthread && !task.idle;
    this.func = funcIp;
    this.signal = 0;
    this.override = null;
    this.overrideAllowed = overrideAllowed;
    return this;
  }

  ktimeNs(): bigint {
    return BigInt(Math.floor(this.k.now));
  }

  bootNs(): bigint {
    return BigInt(Math.floor(this.k.now));
  }

  jiffies(): bigint {
    return BigInt(this.k.jiffies());
  }

  cpu(): number {
    return this.cpuId;
  }

  nrCpus(): number {
    return this.k.nrCpus;
  }

  prandomU32(): number {
    return this.k.prandom.u32();
  }

  pidTgid(): bigint {
    const t = this.task;
    return (BigInt(t.tgid) << 32n) | BigInt(t.pid);
  }

  uidGid(): bigint {
    const c = this.task.proc.cred;
    return (BigInt(c.gid) << 32n) | BigInt(c.uid);
  }

  comm(): Uint8Array {
    return this.task.commBytes;
  }

  currentTask(): bigint {
    return this.k.mem.addr(this.task.lin);
  }

  cgroupId(): bigint {
    return this.task.proc.container.cgroupId;
  }

  userSpace(): UserTranslator | null {
    return this.withUser ? this.task.proc.user : null;
  }

  kernelStack(): readonly bigint[] {
    return this.kstack ? this.kstack.addrs() : EMPTY;
  }

  userStack(): readonly bigint[] {
    return this.withUser && this.ustack ? this.ustack.addrs(this.task.proc) : EMPTY;
  }

  funcIp(): bigint {
    return this.func;
  }

  sendSignal(sig: number): number {
    if (sig <= 0 || sig > 64) return -22;
    if (this.task.idle || this.task.kthread) return -1;
    this.signal = sig;
    return 0;
  }

  overrideReturn(rc: bigint): number {
    this.override = rc;
    return 0;
  }

  tracePrintk(line: string): void {
    const pipe = this.k.tracePipe;
    const t = this.task;
    pipe.push(`${t.comm.padStart(16)}-${t.pid} [${String(this.cpuId).padStart(3, '0')}] d..1. ${(this.k.now / 1e9).toFixed(6)}: bpf_trace_printk: ${line}`);
    if (pipe.length > TRACE_PIPE_MAX) pipe.splice(0, pipe.length - TRACE_PIPE_MAX);
  }
}
