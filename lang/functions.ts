// The functions of bpftrace 0.26's standard library as a table: argument counts,
// documented signatures, how they run (in the BPF program, asynchronously in user space,
// at compile time, or as map/aggregation functions), whether they need --unsafe, which
// probes allow them, and whether an unused return value earns a warning. The type pass
// reads the counts and flags from here and implements each function's typing.
import type { Provider } from './probes';

export type CallMode = 'sync' | 'async' | 'compile-time' | 'map';

export interface FunctionSig {
  name: string;
  min: number;
  max: number;
  /** Documented signatures. */
  sigs: readonly string[];
  mode: CallMode;
  unsafe?: boolean;
  /** Warn when the return value is discarded. */
  discardWarn?: boolean;
  /** Providers it is limited to; undefined: all. */
  providers?: readonly Provider[];
  /** Needs user space at run time (formatting, symbolization, commands). */
  runtime?: boolean;
  doc: string;
}

const F = (name: string, min: number, max: number, mode: CallMode, sigs: string[], doc: string, extra: Partial<FunctionSig> = {}): FunctionSig => ({
  name,
  min,
  max,
  sigs,
  mode,
  doc,
  ...extra,
});

const MAX_VARARGS = 128;

export const FUNCTIONS: readonly FunctionSig[] = [
  // Output and control (asynchronous: events for the session).
  F('printf', 1, MAX_VARARGS, 'async', ['void printf(const string fmt, args...)'], 'Formats and prints data.', { runtime: true }),
  F('print', 1, 3, 'async', ['void print(T val)', 'void print(@map [, uint64 top [, uint64 div]])'], 'Prints a value or a map.', { runtime: true }),
  F('errorf', 1, MAX_VARARGS, 'async', ['void errorf(const string fmt, args...)'], 'Prints an error with the source location.', { runtime: true }),
  F('warnf', 1, MAX_VARARGS, 'async', ['void warnf(const string fmt, args...)'], 'Prints a warning with the source location.', { runtime: true }),
  F('debugf', 1, MAX_VARARGS, 'sync', ['void debugf(const string fmt, args...)'], 'Prints to the trace pipe with bpf_trace_printk.'),
  F('cat', 1, MAX_VARARGS, 'async', ['void cat(string namefmt, [...args])'], 'Prints the contents of a file.', { runtime: true }),
  F('system', 1, MAX_VARARGS, 'async', ['void system(string namefmt [, ...args])'], 'Runs a command and prints its output.', { unsafe: true, runtime: true }),
  F('time', 0, 1, 'async', ['void time(const string fmt)'], 'Prints the current wall time.', { runtime: true }),
  F('join', 1, 2, 'async', ['void join(char *arr[], [char * sep = " "])'], 'Prints an array of strings joined by sep.', { runtime: true }),
  F('exit', 0, 1, 'async', ['void exit([int code])'], 'Ends the session (END probes still run).', { runtime: true }),
  F('clear', 1, 1, 'async', ['void clear(map m)'], 'Removes every key of a map.', { runtime: true }),
  F('zero', 1, 1, 'async', ['void zero(map m)'], 'Sets every value of a map to zero.', { runtime: true }),
  F('fail', 1, MAX_VARARGS, 'compile-time', ['void fail(const string fmt, args...)'], 'Fails compilation with a message when reached.'),
  F('static_assert', 1, 2, 'compile-time', ['void static_assert(bool condition, string msg)'], 'Fails compilation when the condition is false.'),
  F('assert', 2, 2, 'sync', ['void assert(bool condition, string message)'], 'Exits with an error when the condition is false.', { runtime: true }),
  // Map functions.
  F('delete', 1, 2, 'map', ['bool delete(map m, mapkey k)', 'deprecated bool delete(mapkey k)'], 'Deletes one key of a map.'),
  F('has_key', 2, 2, 'map', ['boolean has_key(map m, mapkey k)'], 'Whether a key exists in a map.', { discardWarn: true }),
  F('find', 3, 3, 'map', ['boolean find(map m, mapkey k, mapvalue result)'], 'Looks a key up; on success stores its value in the variable result.'),
  F('len', 1, 1, 'map', ['int64 len(map m)', 'int64 len(ustack stack)', 'int64 len(kstack stack)'], 'Number of elements of a map, or depth of a stack.', { discardWarn: true }),
  // Aggregations (assigned to maps).
  F('count', 0, 0, 'map', ['count_t count()'], 'Counts calls.'),
  F('sum', 1, 1, 'map', ['sum_t sum(int64 n)'], 'Sums values.'),
  F('min', 1, 1, 'map', ['min_t min(int64 n)'], 'Minimum of values.'),
  F('max', 1, 1, 'map', ['max_t max(int64 n)'], 'Maximum of values.'),
  F('avg', 1, 1, 'map', ['avg_t avg(int64 n)'], 'Running average of values.'),
  F('stats', 1, 1, 'map', ['stats_t stats(int64 n)'], 'Count, average and total of values.'),
  F('hist', 1, 2, 'map', ['hist_t hist(int64 n[, int k])'], 'Log2 histogram with 2^k buckets per power of two.'),
  F('lhist', 4, 4, 'map', ['lhist_t lhist(int64 n, int64 min, int64 max, int64 step)'], 'Linear histogram.'),
  F('tseries', 3, 4, 'map', ['tseries_t tseries(int64 n, int64 interval_ns, int64 num_intervals[, const string agg])'], 'Time series of values.'),
  // Values computed in the program.
  F('str', 1, 2, 'sync', ['string str(char * data [, uint32 length])'], 'Reads a NUL-terminated string.', { discardWarn: true }),
  F('buf', 1, 2, 'sync', ['buffer buf(void * data, [int64 length])'], 'Reads bytes as a buffer (printed with %r).', { discardWarn: true }),
  F('ntop', 1, 2, 'sync', ['inet ntop([int64 af, ] int addr)', 'inet ntop([int64 af, ] char addr[4|16])'], 'An IPv4/IPv6 address for printing.', { discardWarn: true, runtime: true }),
  F('macaddr', 1, 1, 'sync', ['macaddr_t macaddr(char [6] mac)'], 'A MAC address for printing.', { discardWarn: true, runtime: true }),
  F('bswap', 1, 1, 'sync', ['uintN bswap(uintN n)'], 'Reverses the byte order of an integer.', { discardWarn: true }),
  F('kptr', 1, 1, 'sync', ['T * kptr(T * ptr)'], 'Marks a pointer as a kernel address.', { discardWarn: true }),
  F('uptr', 1, 1, 'sync', ['T * uptr(T * ptr)'], 'Marks a pointer as a user address.', { discardWarn: true }),
  F('reg', 1, 1, 'sync', ['uint64 reg(const string name)'], 'A register of the probed context.', { discardWarn: true, providers: ['kprobe', 'kretprobe', 'uprobe', 'uretprobe'] }),
  F('kstack', 0, 2, 'sync', ['kstack_t kstack([StackMode mode, ][int limit])'], 'Kernel stack trace.', { discardWarn: true, runtime: true }),
  F('ustack', 0, 2, 'sync', ['ustack_t ustack([StackMode mode, ][int limit])'], 'User stack trace.', { discardWarn: true, runtime: true }),
  F('ksym', 1, 1, 'async', ['ksym_t ksym(uint64 addr)'], 'Kernel symbol of an address (resolved in user space).', { discardWarn: true, runtime: true }),
  F('usym', 1, 1, 'async', ['usym_t usym(uint64 * addr)'], 'User symbol of an address (resolved in user space).', { discardWarn: true, runtime: true }),
  F('strftime', 2, 2, 'async', ['timestamp strftime(const string fmt, int64 timestamp_ns)'], 'Formats a timestamp (in user space).', { discardWarn: true, runtime: true }),
  F('strerror', 1, 1, 'async', ['string strerror(int error)'], 'Text of an errno value.', { discardWarn: true, runtime: true }),
  F('cgroup_path', 1, 2, 'async', ['cgroup_path_t cgroup_path(int cgroupid, string filter)'], 'Path of a cgroup id (resolved in user space).', { discardWarn: true, runtime: true }),
  F('strncmp', 3, 3, 'sync', ['int64 strncmp(char * s1, char * s2, int64 n)'], 'Compares up to n characters.', { discardWarn: true }),
  F('strcontains', 2, 2, 'sync', ['bool strcontains(string haystack, string needle)'], 'Whether haystack contains needle.', { discardWarn: true }),
  F('strstr', 2, 2, 'sync', ['int64 strstr(string haystack, string needle)'], 'Index of needle in haystack, or -1.', { discardWarn: true }),
  F('strlen', 1, 1, 'sync', ['uint64 strlen(string exp)'], 'Length of a string.', { discardWarn: true }),
  F('memcmp', 3, 3, 'sync', ['int memcmp(left, right, uint64 count)'], 'Compares the first count bytes.', { discardWarn: true }),
  F('path', 1, 2, 'sync', ['char * path(struct path * path [, int32 size])'], 'Full path of a struct path.', { discardWarn: true, providers: ['fentry', 'fexit'] }),
  F('override', 1, 1, 'sync', ['void override(uint64 rc)'], 'Makes the probed function return rc.', { unsafe: true, providers: ['kprobe'] }),
  F('signal', 1, 1, 'sync', ['void signal(const string sig)', 'void signal(uint32 signum)'], 'Sends a signal to the current process.', {
    unsafe: true,
    providers: ['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'profile', 'interval', 'tracepoint', 'software', 'hardware'],
  }),
  F('signal_thread', 1, 1, 'sync', ['void signal_thread(const string sig)', 'void signal_thread(uint32 signum)'], 'Sends a signal to the current thread.', {
    unsafe: true,
    providers: ['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'profile', 'interval', 'tracepoint', 'software', 'hardware'],
  }),
  F('socket_cookie', 1, 1, 'sync', ['uint64 socket_cookie(struct sock *sk)'], 'Cookie of a socket.', { discardWarn: true }),
  F('skboutput', 4, 4, 'sync', ['uint32 skboutput(const string path, struct sk_buff *skb, uint64 length, const uint64 offset)'], 'Writes packet data to a pcap file.', { runtime: true }),
  // Builtins callable with arguments.
  F('nsecs', 0, 1, 'sync', ['timestamp nsecs([TimestampMode mode])'], 'Timestamp of the given clock.', { discardWarn: true }),
  F('pid', 0, 1, 'sync', ['uint32 pid([curr_ns|init])'], 'Process ID.', { discardWarn: true }),
  F('tid', 0, 1, 'sync', ['uint32 tid([curr_ns|init])'], 'Thread ID.', { discardWarn: true }),
  F('comm', 0, 1, 'sync', ['string comm()', 'string comm(uint32 pid)'], 'Name of the current thread or a process.', { discardWarn: true }),
  F('pcomm', 0, 1, 'sync', ['string pcomm()', 'string pcomm(struct task_struct * task)'], 'Name of the process (group leader).', { discardWarn: true }),
  F('ppid', 0, 1, 'sync', ['uint32 ppid()', 'uint32 ppid(struct task_struct * task)'], 'PID of the parent process.', { discardWarn: true }),
  F('getopt', 1, 3, 'compile-time', ['bool getopt(string arg_name)', 'T getopt(string arg_name, T default_value [, string description])'], 'A named command line parameter.', { discardWarn: true }),
  // Compile time.
  F('kaddr', 1, 1, 'compile-time', ['uint64 kaddr(const string name)'], 'Address of a kernel symbol.', { discardWarn: true }),
  F('uaddr', 1, 1, 'compile-time', ['T * uaddr(const string sym)'], 'Address of a user symbol.', { discardWarn: true, providers: ['uprobe', 'uretprobe'] }),
  F('percpu_kaddr', 1, 2, 'sync', ['uint64 *percpu_kaddr(const string name [, int cpu])'], 'Address of a per-CPU kernel symbol.', { discardWarn: true }),
  F('cgroupid', 1, 1, 'compile-time', ['uint64 cgroupid(const string path)'], 'ID of the cgroup at path.', { discardWarn: true }),
  F('pton', 1, 1, 'compile-time', ['char addr[4] pton(const string addr_v4)', 'char addr[16] pton(const string addr_v6)'], 'Bytes of an IPv4/IPv6 address.', { discardWarn: true }),
  F('syscall_name', 1, 1, 'async', ['string syscall_name(int nr_syscall)'], 'Name of a syscall number.', { discardWarn: true, runtime: true }),
  F('unwatch', 1, 1, 'async', ['void unwatch(void * addr)'], 'Removes a watchpoint.', { runtime: true }),
];

const BY_NAME = new Map(FUNCTIONS.map((f) => [f.name, f]));

export function functionSig(name: string): FunctionSig | undefined {
  return BY_NAME.get(name);
}

/** The aggregation functions `@m = f(...)` assigns. */
export const AGG_FUNCTIONS = new Set(['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist', 'tseries']);
