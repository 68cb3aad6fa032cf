// The builtin variables of bpftrace 0.26 as a table: name, documented type, the probe
// providers they are valid in, and whether reading them needs the BPF helper named or
// user-space help. Types that depend on the probe (args, retval, probe, func) or on the
// config (kstack, ustack) are computed by the type pass; this file holds the data.
import type { Provider } from './probes';

export interface BuiltinVar {
  name: string;
  /** The documented type (`uint32`, `string[16]`, ...), or how the type pass derives it. */
  type: string;
  /** Providers it may be used in; undefined: all. */
  providers?: readonly Provider[];
  /** The BPF helper that reads it, if any. */
  helper?: string;
  /** Resolved in user space when printed (symbolization, uid to name, ...). */
  runtime?: boolean;
  doc: string;
}

const KPROBE_LIKE: readonly Provider[] = ['kprobe', 'uprobe', 'rawtracepoint'];

const B = (name: string, type: string, doc: string, extra: Partial<BuiltinVar> = {}): BuiltinVar => ({ name, type, doc, ...extra });

export const BUILTINS: readonly BuiltinVar[] = [
  B('pid', 'uint32', 'Process ID of the current thread (tgid).', { helper: 'get_current_pid_tgid' }),
  B('tid', 'uint32', 'Thread ID of the current thread.', { helper: 'get_current_pid_tgid' }),
  B('uid', 'uint64', 'User ID of the current thread.', { helper: 'get_current_uid_gid' }),
  B('gid', 'uint64', 'Group ID of the current thread.', { helper: 'get_current_uid_gid' }),
  B('nsecs', 'uint64', 'Nanoseconds since boot (CLOCK_BOOTTIME).', { helper: 'ktime_get_boot_ns' }),
  B('elapsed', 'uint64', 'Nanoseconds since bpftrace started.', { helper: 'ktime_get_boot_ns' }),
  B('cpu', 'uint32', 'ID of the processor running the program.', { helper: 'get_smp_processor_id' }),
  B('ncpus', 'uint64', 'Number of CPUs.'),
  B('numaid', 'uint32', 'ID of the NUMA node running the program.'),
  B('comm', 'string[16]', 'Name of the current thread.', { helper: 'get_current_comm' }),
  B('kstack', 'kstack', 'Kernel stack trace (stack_mode from the config).', { helper: 'get_stackid', runtime: true }),
  B('ustack', 'ustack', 'User stack trace (stack_mode from the config).', { helper: 'get_stackid', runtime: true }),
  B('retval', 'uint64', 'Return value of the traced function.', { providers: ['kretprobe', 'uretprobe', 'fexit'] }),
  B('func', 'string', 'Name of the traced function.', { providers: ['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'fentry', 'fexit'], runtime: true }),
  B('probe', 'string[N]', 'Full name of the probe that fired.'),
  B('probetype', 'string', 'Name of the probe type (`kprobe`, `special`, ...).'),
  B('curtask', 'struct task_struct *', 'The current task.', { helper: 'get_current_task' }),
  B('rand', 'uint32', 'A pseudo-random number.', { helper: 'get_prandom_u32' }),
  B('cgroup', 'uint64', 'ID of the cgroup of the current process (cgroup v2).', { helper: 'get_current_cgroup_id' }),
  B('jiffies', 'uint64', 'Jiffies of the kernel.', { helper: 'jiffies64' }),
  B('usermode', 'uint8', '1 if the current process is in user mode.'),
  B('username', 'username', 'Name of the current user.', { helper: 'get_current_uid_gid', runtime: true }),
  B('cpid', 'uint32', 'PID of the child process started with -c.'),
  B('has_cpid', 'bool', 'Whether cpid is available.'),
  B('ctx', 'pointer', 'The probe context (struct pt_regs * for kprobes).', { providers: ['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'profile', 'interval', 'software', 'hardware'] }),
  B('args', 'record', 'Arguments of the traced function or tracepoint.', { providers: ['tracepoint', 'fentry', 'fexit', 'uprobe', 'rawtracepoint'] }),
  ...[0, 1, 2, 3, 4, 5].map((i) => B(`arg${i}`, 'uint64', `Argument ${i} of the traced function (register).`, { providers: KPROBE_LIKE })),
];

const BY_NAME = new Map(BUILTINS.map((b) => [b.name, b]));

export function builtinVar(name: string): BuiltinVar | undefined {
  return BY_NAME.get(name);
}

/** `arg7` and friends beyond the register count: recognised so the error is precise. */
export function isArgN(name: string): boolean {
  return /^arg\d+$/.test(name);
}
