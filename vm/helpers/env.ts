// What helpers need from the host that runs a program: the current task, the clock, the
// CPU, stacks, user memory, and the side effects of the few helpers that act. vm/ does
// not know the simulated kernel; the kernel (through probes/) implements this interface
// for each firing, and tests implement it with fixed values.
import type { UserTranslator } from '../memory/memory';

export interface HelperEnv {
  /** bpf_ktime_get_ns: simulated CLOCK_MONOTONIC in ns. */
  ktimeNs(): bigint;
  /** bpf_ktime_get_boot_ns: ns since boot including suspend. */
  bootNs(): bigint;
  /** bpf_jiffies64. */
  jiffies(): bigint;
  /** bpf_get_smp_processor_id. */
  cpu(): number;
  /** Number of possible CPUs (sizes per-CPU maps). */
  nrCpus(): number;
  /** bpf_get_prandom_u32: next value of the seeded generator. */
  prandomU32(): number;
  /** bpf_get_current_pid_tgid: tgid << 32 | pid. */
  pidTgid(): bigint;
  /** bpf_get_current_uid_gid: gid << 32 | uid. */
  uidGid(): bigint;
  /** The current task's comm, at most 16 bytes including the NUL. */
  comm(): Uint8Array;
  /** bpf_get_current_task: kernel address of the current task_struct (0n if none). */
  currentTask(): bigint;
  /** bpf_get_current_cgroup_id. */
  cgroupId(): bigint;
  /** The current process's user address space (null for kernel threads). */
  userSpace(): UserTranslator | null;
  /** Kernel stack at the probe site: return addresses, innermost first. */
  kernelStack(): readonly bigint[];
  /** User stack of the current task, innermost first (empty for kernel threads). */
  userStack(): readonly bigint[];
  /** bpf_get_func_ip: address of the probed function (0n when not a function probe). */
  funcIp(): bigint;
  /** bpf_send_signal: signal the current process; returns 0 or a negative errno. */
  sendSignal(sig: number): number;
  /** bpf_override_return: make the probed function return rc; returns 0 or a negative errno. */
  overrideReturn(rc: bigint): number;
  /** bpf_trace_printk: one formatted line for the trace pipe. */
  tracePrintk(line: string): void;
}
