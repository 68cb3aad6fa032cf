// Helper prototypes by Linux helper number: argument and return kinds as the kernel's
// `struct bpf_func_proto` declares them. The verifier checks calls against this table,
// the interpreter and JIT dispatch by number, and the docs and REPL list it. The
// implementations live beside it (implementations.ts); this file is data only.

/** Argument kinds (Linux's `enum bpf_arg_type`, the ones these helpers use). */
export type ArgKind =
  /** Any scalar (or pointer: helpers taking ANYTHING accept pointers as numbers). */
  | 'anything'
  /** A map pointer loaded with lddw. */
  | 'const_map_ptr'
  /** Pointer to initialised memory of the map's key size (stack or map value). */
  | 'ptr_to_map_key'
  /** Pointer to initialised memory of the map's value size. */
  | 'ptr_to_map_value'
  /** Pointer to readable initialised memory; its size is the next argument. */
  | 'ptr_to_mem'
  /** Pointer to writable memory the helper fills; its size is the next argument. */
  | 'ptr_to_uninit_mem'
  /** Size of the previous memory argument: a known-bounded scalar > 0. */
  | 'const_size'
  /** As const_size, but 0 is allowed. */
  | 'const_size_or_zero'
  /** Size of memory the helper allocates (ringbuf_reserve): a known constant. */
  | 'const_alloc_size_or_zero'
  /** The program's ctx pointer, unmodified. */
  | 'ptr_to_ctx'
  /** Memory obtained from ringbuf_reserve, released by this call. */
  | 'ptr_to_ringbuf_mem'
  /** A callback: a pointer loaded with lddw src=4 (BPF_PSEUDO_FUNC). */
  | 'ptr_to_func'
  /** A stack pointer or NULL (the callback context of for_each_map_elem). */
  | 'ptr_to_stack_or_null';

/** Return kinds (Linux's `enum bpf_return_type`). */
export type RetKind =
  | 'integer'
  | 'void'
  | 'ptr_to_map_value_or_null'
  /** Ring buffer memory of the reserved size, or NULL. */
  | 'ptr_to_ringbuf_mem_or_null'
  /** A trusted pointer to a kernel object of the named BTF type. */
  | 'ptr_to_btf_id';

export interface HelperProto {
  id: number;
  /** The name without the `bpf_` prefix, as the kernel log prints `bpf_<name>#<id>`. */
  name: string;
  args: readonly ArgKind[];
  ret: RetKind;
  /** For ptr_to_btf_id returns: the kernel struct pointed to. */
  retBtf?: string;
  /** Helpers that change the system and need bpftrace's --unsafe. */
  unsafe?: boolean;
  /** Only for program types that attach to kernel functions (kprobe). */
  kprobeOnly?: boolean;
  /** Number of arguments for variadic helpers such as trace_printk (extras are 'anything'). */
  maxArgs?: number;
  doc: string;
}

const R = (id: number, name: string, args: ArgKind[], ret: RetKind, doc: string, extra: Partial<HelperProto> = {}): HelperProto => ({
  id,
  name,
  args,
  ret,
  doc,
  ...extra,
});

const PROBE_READ: ArgKind[] = ['ptr_to_uninit_mem', 'const_size_or_zero', 'anything'];

export const HELPERS: readonly HelperProto[] = [
  R(1, 'map_lookup_elem', ['const_map_ptr', 'ptr_to_map_key'], 'ptr_to_map_value_or_null', 'Pointer to the value stored under key, or NULL.'),
  R(2, 'map_update_elem', ['const_map_ptr', 'ptr_to_map_key', 'ptr_to_map_value', 'anything'], 'integer', 'Create or update an element; flags BPF_ANY, BPF_NOEXIST, BPF_EXIST.'),
  R(3, 'map_delete_elem', ['const_map_ptr', 'ptr_to_map_key'], 'integer', 'Delete the element under key; -ENOENT if absent.'),
  R(4, 'probe_read', PROBE_READ, 'integer', 'Read size bytes from a kernel or user address (decided by the address) into dst.'),
  R(5, 'ktime_get_ns', [], 'integer', 'Nanoseconds since boot, excluding suspend (CLOCK_MONOTONIC).'),
  R(6, 'trace_printk', ['ptr_to_mem', 'const_size', 'anything', 'anything', 'anything'], 'integer', 'printk-style output to the trace pipe.', { maxArgs: 5 }),
  R(7, 'get_prandom_u32', [], 'integer', 'A pseudo-random u32.'),
  R(8, 'get_smp_processor_id', [], 'integer', 'The current CPU number.'),
  R(14, 'get_current_pid_tgid', [], 'integer', 'tgid << 32 | pid of the current task.'),
  R(15, 'get_current_uid_gid', [], 'integer', 'gid << 32 | uid of the current task.'),
  R(16, 'get_current_comm', ['ptr_to_uninit_mem', 'const_size'], 'integer', "Copy the current task's comm (NUL-terminated) into buf."),
  R(25, 'perf_event_output', ['ptr_to_ctx', 'const_map_ptr', 'anything', 'ptr_to_mem', 'const_size_or_zero'], 'integer', 'Write a record to a perf event array (flags select the CPU).'),
  R(27, 'get_stackid', ['ptr_to_ctx', 'const_map_ptr', 'anything'], 'integer', 'Walk the kernel or user stack, store it in a stack trace map, return its id.'),
  R(35, 'get_current_task', [], 'integer', "Address of the current task's task_struct."),
  R(45, 'probe_read_str', PROBE_READ, 'integer', 'Read a NUL-terminated string from a kernel or user address; returns the length with the NUL.'),
  R(58, 'override_return', ['ptr_to_ctx', 'anything'], 'integer', 'Make the probed kernel function return rc without running.', { unsafe: true, kprobeOnly: true }),
  R(67, 'get_stack', ['ptr_to_ctx', 'ptr_to_uninit_mem', 'const_size_or_zero', 'anything'], 'integer', 'Copy the kernel or user stack (instruction pointers) into buf; returns bytes written.'),
  R(80, 'get_current_cgroup_id', [], 'integer', "The current task's cgroup v2 id."),
  R(109, 'send_signal', ['anything'], 'integer', 'Send a signal to the current process.', { unsafe: true }),
  R(112, 'probe_read_user', PROBE_READ, 'integer', 'Read size bytes from a user address.'),
  R(113, 'probe_read_kernel', PROBE_READ, 'integer', 'Read size bytes from a kernel address.'),
  R(114, 'probe_read_user_str', PROBE_READ, 'integer', 'Read a NUL-terminated string from a user address.'),
  R(115, 'probe_read_kernel_str', PROBE_READ, 'integer', 'Read a NUL-terminated string from a kernel address.'),
  R(118, 'jiffies64', [], 'integer', 'The 64-bit jiffies counter.'),
  R(125, 'ktime_get_boot_ns', [], 'integer', 'Nanoseconds since boot, including suspend.'),
  R(130, 'ringbuf_output', ['const_map_ptr', 'ptr_to_mem', 'const_size_or_zero', 'anything'], 'integer', 'Copy data into a ring buffer record.'),
  R(131, 'ringbuf_reserve', ['const_map_ptr', 'const_alloc_size_or_zero', 'anything'], 'ptr_to_ringbuf_mem_or_null', 'Reserve size bytes in a ring buffer.'),
  R(132, 'ringbuf_submit', ['ptr_to_ringbuf_mem', 'anything'], 'void', 'Submit a reserved ring buffer record.'),
  R(133, 'ringbuf_discard', ['ptr_to_ringbuf_mem', 'anything'], 'void', 'Discard a reserved ring buffer record.'),
  R(158, 'get_current_task_btf', [], 'ptr_to_btf_id', 'The current task as a trusted task_struct pointer.', { retBtf: 'task_struct' }),
  R(164, 'for_each_map_elem', ['const_map_ptr', 'ptr_to_func', 'ptr_to_stack_or_null', 'anything'], 'integer', 'Call a callback for each element; returns the number of elements visited.'),
  R(173, 'get_func_ip', ['ptr_to_ctx'], 'integer', 'Address of the traced function.'),
  R(195, 'map_lookup_percpu_elem', ['const_map_ptr', 'ptr_to_map_key', 'anything'], 'ptr_to_map_value_or_null', 'Pointer to the value stored under key for one CPU of a per-CPU map, or NULL (also for a CPU past the last).'),
];

const BY_ID = new Map(HELPERS.map((h) => [h.id, h]));
const BY_NAME = new Map(HELPERS.map((h) => [h.name, h]));

export function helperById(id: number): HelperProto | undefined {
  return BY_ID.get(id);
}

export function helperByName(name: string): HelperProto | undefined {
  return BY_NAME.get(name.startsWith('bpf_') ? name.slice(4) : name);
}
