// The value model of everything bpftrace prints: primitives (integers, strings, buffers,
// tuples, records, pointers, symbols, addresses, timestamps, stacks, ...) and the printable
// map values built from map snapshots (hist/lhist rows, stats, ordered maps). Plain data:
// no formatting here (see text-primitive.ts, text-output.ts, json-output.ts) and no
// knowledge of how the session decodes ring-buffer events or map memory.

/** Byte widths of bpftrace integer types (int8 .. uint64). */
export type IntSize = 1 | 2 | 4 | 8;

/** How a stack is printed: `kstack(perf)`, `ustack(raw)`, ... (bpftrace's StackMode). */
export type StackMode = 'bpftrace' | 'perf' | 'raw';

/** One frame of a kernel or user stack, symbolised by the session (or not). */
export interface StackFrame {
  addr: bigint;
  /** Function name; absent when the address did not resolve. */
  symbol?: string;
  /** Offset of `addr` into `symbol`. */
  offset?: bigint;
  /** Binary or library path (user stacks; printed in perf mode). */
  module?: string;
}

/**
 * A basic printable value (bpftrace's output::Primitive). Integers keep their bpftrace
 * type (size and signedness) because printf casts and key sorting depend on it.
 */
export type Primitive =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint; signed: boolean; size: IntSize }
  | { kind: 'string'; value: string }
  | { kind: 'buffer'; bytes: Uint8Array }
  | { kind: 'tuple'; elems: readonly Primitive[]; names?: readonly string[] }
  | { kind: 'record'; fields: readonly (readonly [string, Primitive])[] }
  | { kind: 'array'; elems: readonly Primitive[] }
  /** A number printed as a name in text and as the number in JSON (enums, hist labels). */
  | { kind: 'symbolic'; symbol: string; value: bigint }
  | { kind: 'pointer'; addr: bigint }
  | { kind: 'ksym' | 'usym'; addr: bigint; symbol?: string }
  | { kind: 'inet'; bytes: Uint8Array }
  | { kind: 'mac'; bytes: Uint8Array }
  /** `strftime(fmt, ns)`: wall-clock nanoseconds since the epoch, formatted when printed. */
  | { kind: 'timestamp'; format: string; epochNs: bigint }
  | { kind: 'stack'; which: 'kstack' | 'ustack'; mode: StackMode; frames: readonly StackFrame[] };

export type PrimitiveKind = Primitive['kind'];

/**
 * A histogram ready to print (bpftrace's Value::Histogram): `labels[i]` is the exclusive
 * upper bound of bucket i; bucket 0's lower bound is `lowerBound` (absent: unbounded,
 * printed `(..., x)`); a final bucket without a label has no upper bound (`[x, ...)`).
 */
export interface Histogram {
  lowerBound?: Primitive;
  labels: Primitive[];
  counts: bigint[];
}

/** Keyed entries in print order (bpftrace's Value::OrderedMap). */
export interface OrderedMap {
  entries: { key: Primitive; value: MapValue }[];
}

/**
 * What `print(@m)` and the exit dump print for one map (bpftrace's output::Value):
 * a scalar map gives its value directly, a keyed map an ordered map; avg/stats maps are
 * wrapped in `stats` because JSON labels them differently.
 */
export type MapValue =
  | { kind: 'primitive'; value: Primitive }
  | { kind: 'hist'; hist: Histogram }
  | { kind: 'map'; map: OrderedMap }
  | { kind: 'stats'; value: { kind: 'primitive'; value: Primitive } | { kind: 'map'; map: OrderedMap } };

// ---------------------------------------------------------------------------------------
// Constructors: short names so callers and tests read like the values they build.

export const none: Primitive = { kind: 'none' };

export function bool(value: boolean): Primitive {
  return { kind: 'bool', value };
}

/** A signed integer of `size` bytes (int64 by default), wrapped to that width. */
export function int(value: bigint | number, size: IntSize = 8): Primitive {
  return { kind: 'int', value: BigInt.asIntN(size * 8, BigInt(value)), signed: true, size };
}

/** An unsigned integer of `size` bytes (uint64 by default), wrapped to that width. */
export function uint(value: bigint | number, size: IntSize = 8): Primitive {
  return { kind: 'int', value: BigInt.asUintN(size * 8, BigInt(value)), signed: false, size };
}

export function str(value: string): Primitive {
  return { kind: 'string', value };
}

export function buffer(bytes: Uint8Array | readonly number[]): Primitive {
  return { kind: 'buffer', bytes: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes) };
}

export function tuple(...elems: Primitive[]): Primitive {
  return { kind: 'tuple', elems };
}

/** A named tuple `(a = 1, b = 2)`. */
export function namedTuple(fields: readonly (readonly [string, Primitive])[]): Primitive {
  return { kind: 'tuple', elems: fields.map((f) => f[1]), names: fields.map((f) => f[0]) };
}

/** A struct value `{ .a = 1, .b = 2 }`. */
export function record(fields: readonly (readonly [string, Primitive])[]): Primitive {
  return { kind: 'record', fields };
}

export function array(elems: readonly Primitive[]): Primitive {
  return { kind: 'array', elems };
}

export function symbolic(symbol: string, value: bigint | number): Primitive {
  return { kind: 'symbolic', symbol, value: BigInt(value) };
}

export function pointer(addr: bigint | number): Primitive {
  return { kind: 'pointer', addr: BigInt.asUintN(64, BigInt(addr)) };
}

export function ksym(addr: bigint | number, symbol?: string): Primitive {
  return symbol === undefined ? { kind: 'ksym', addr: BigInt(addr) } : { kind: 'ksym', addr: BigInt(addr), symbol };
}

export function usym(addr: bigint | number, symbol?: string): Primitive {
  return symbol === undefined ? { kind: 'usym', addr: BigInt(addr) } : { kind: 'usym', addr: BigInt(addr), symbol };
}

/** `ntop()`: 4 bytes for IPv4, 16 for IPv6, in network order. */
export function inet(bytes: Uint8Array | readonly number[]): Primitive {
  const b = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  if (b.length !== 4 && b.length !== 16) throw new RangeError(`inet address must be 4 or 16 bytes, got ${b.length}`);
  return { kind: 'inet', bytes: b };
}

export function mac(bytes: Uint8Array | readonly number[]): Primitive {
  const b = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  if (b.length !== 6) throw new RangeError(`MAC address must be 6 bytes, got ${b.length}`);
  return { kind: 'mac', bytes: b };
}

export function timestamp(format: string, epochNs: bigint | number): Primitive {
  return { kind: 'timestamp', format, epochNs: BigInt(epochNs) };
}

export function stack(which: 'kstack' | 'ustack', frames: readonly StackFrame[], mode: StackMode = 'bpftrace'): Primitive {
  return { kind: 'stack', which, mode, frames };
}

export function primitiveValue(value: Primitive): MapValue {
  return { kind: 'primitive', value };
}
