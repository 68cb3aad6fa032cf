// How every value is laid out in BPF memory: the one layout module the lowering writes
// with and the runtime reads with. It fixes the byte form of each bpftrace type (ints
// little-endian, strings NUL-terminated and zero-padded, tuples in C layout, stacks as
// stack ids, symbols as addresses, ...), the key and value layout of every map (scalar
// maps keyed by a zero u64, hist/lhist keys followed by a bucket index, aggregation
// values per CPU), the layout of ring-buffer events (a u64 event id, then the arguments
// as a C struct), and the global data map. No instructions here.
import type { AggFn } from '../ast';
import type { MapResource } from '../resources';
import { type Ty, U64, tupleLayout, tySize } from '../types';

export const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Whether values of a type travel in a register (integers, booleans, pointers, and the
 * types whose memory form is a single u64: ksym, username, strerror) or live in memory.
 */
export function isScalarTy(t: Ty): boolean {
  switch (t.k) {
    case 'int':
    case 'bool':
    case 'pointer':
    case 'ksym':
    case 'username':
    case 'strerror':
    case 'none':
    case 'void':
    case 'stackMode':
    case 'tsMode':
      return true;
    default:
      return false;
  }
}

/** Byte size of a scalar type's memory form (variables and maps widen integers to 8). */
export function scalarSize(t: Ty): 1 | 2 | 4 | 8 {
  if (t.k === 'int') return (t.bits / 8) as 1 | 2 | 4 | 8;
  if (t.k === 'bool') return 1;
  return 8;
}

// ---------------------------------------------------------------------------------------
// Memory forms of the special types (offsets within the value).

/** kstack: the stack id get_stackid returned (negative: none). */
export const KSTACK = { id: 0, size: 16 } as const;
/** ustack: the stack id and the process it belongs to (symbols are per process). */
export const USTACK = { id: 0, pid: 8, size: 24 } as const;
/** usym: an address and the process it belongs to. */
export const USYM = { addr: 0, pid: 8, size: 16 } as const;
/** ntop(): the address family (2 = AF_INET, 10 = AF_INET6) and 16 address bytes. */
export const INET = { af: 0, addr: 8, size: 24 } as const;
export const AF_INET = 2;
export const AF_INET6 = 10;
/** strftime(): boot-clock nanoseconds (converted to wall time when printed). */
export const TIMESTAMP = { ns: 0, size: 16 } as const;
/** cgroup_path(): the cgroup id. */
export const CGROUP_PATH = { id: 0, size: 16 } as const;
/** buf(): a u32 length then the bytes. */
export const BUFFER = { len: 0, data: 4 } as const;

// ---------------------------------------------------------------------------------------
// Maps.

/** Per-CPU value layouts of the aggregations. */
export const AGG_VALUE: Readonly<Record<AggFn, { size: number }>> = {
  count: { size: 8 },
  sum: { size: 8 },
  /** min/max: the value, then a u64 set flag (CPUs that never saw a value are skipped). */
  min: { size: 16 },
  max: { size: 16 },
  /** avg/stats: the total, then the count. */
  avg: { size: 16 },
  stats: { size: 16 },
  /** hist/lhist: one u64 count per (key, bucket) entry. */
  hist: { size: 8 },
  lhist: { size: 8 },
  tseries: { size: 8 },
};
export const MINMAX = { value: 0, isSet: 8 } as const;
export const AVG = { total: 0, count: 8 } as const;

export interface MapLayout {
  /** Key type as stored; undefined for a scalar map (keyed by a zero u64). */
  key?: Ty;
  keySize: number;
  /** hist/lhist: offset of the u64 bucket index inside the key. */
  bucketOff?: number;
  value: Ty;
  valueSize: number;
}

/** The layout of a map from its resource entry. */
export function mapLayout(m: MapResource): MapLayout {
  const value = m.value;
  const bucketed = value.k === 'agg' && (value.fn === 'hist' || value.fn === 'lhist' || value.fn === 'tseries');
  const base = m.key ? tySize(m.key) : 8;
  const keySize = bucketed ? align8(base) + 8 : Math.max(1, base);
  const valueSize = value.k === 'agg' ? AGG_VALUE[value.fn].size : Math.max(1, tySize(value));
  return { key: m.key, keySize, bucketOff: bucketed ? align8(base) : undefined, value, valueSize };
}

// ---------------------------------------------------------------------------------------
// Events.

/** Ring-buffer events start with this u64: the index of the event in the script's event table. */
export const EVENT_ID_SIZE = 8;

/** Offsets of event arguments after the id, and the event's size. */
export function eventLayout(args: readonly Ty[]): { offsets: number[]; size: number } {
  const l = tupleLayout([U64, ...args]);
  return { offsets: l.offsets.slice(1), size: Math.max(8, l.size) };
}

// ---------------------------------------------------------------------------------------
// Global data: one array map element the session fills before BEGIN and programs read
// through a direct value reference.

export const GLOBALS = {
  /** Boot-clock ns when the session started (for `elapsed`). */
  startNs: 0,
  /** Number of CPUs (`ncpus`). */
  ncpus: 8,
  /** PID of the -c child (`cpid`), 0 when none. */
  cpid: 16,
  size: 24,
} as const;

/** syscall_name()'s table: one array element of `count` NUL-padded names of `size` bytes, by number. */
export const SYSCALL_NAMES = { count: 512, size: 32 } as const;

/** Names of the internal maps, as map specs carry them. */
export const INTERNAL_MAPS = {
  ringbuf: 'ringbuf',
  scratch: 'scratch',
  globals: 'globals',
  syscallNames: 'syscall_names',
  stack: (kernel: boolean, mode: string, limit: number): string => `stack_${kernel ? 'k' : 'u'}${mode}_${limit}`,
} as const;
