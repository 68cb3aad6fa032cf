// The resource summary the resource pass produces for the lowering and the runtime:
// every map with its key and value layout, aggregation and declared kind; every format
// (printf, system, cat, errorf, warnf, time, strftime, print of a value, join) with its
// argument types and id; every use of a builtin or function that needs help at run time;
// the stack traces to collect; and per probe its concrete attach points, scratch
// variables and the BPF stack bytes it needs. Types only.
import type { AggFn, Span, VarBinding } from './ast';
import type { ConcreteProbe } from './probes';
import type { StackMode, Ty } from './types';

export type MapDeclKind = 'hash' | 'lruhash' | 'percpuhash' | 'percpulruhash' | 'array' | 'percpuarray';

export interface AggParams {
  fn: AggFn;
  /** hist(n, k): buckets per power of two are 2^k. */
  bits?: number;
  /** lhist(n, min, max, step). */
  min?: number;
  max?: number;
  step?: number;
  /** tseries(n, interval_ns, num_intervals, agg). */
  intervalNs?: number;
  numIntervals?: number;
  tseriesAgg?: string;
}

export interface MapResource {
  /** Without the `@` ('' for the anonymous map `@`). */
  name: string;
  /** Key type as stored (integers 64-bit); undefined for a scalar map. */
  key?: Ty;
  /** Value type (an aggregate type for count/sum/hist/...). */
  value: Ty;
  agg?: AggParams;
  /** From `let @m = lruhash(N)`. */
  decl?: { kind: MapDeclKind; maxEntries: number };
  /** Linux map type number (HASH = 1, PERCPU_HASH = 5, LRU_HASH = 9, ...). */
  mapType: number;
  maxEntries: number;
  keySize: number;
  /** Bytes per entry (per CPU for per-CPU maps); hist/lhist store one u64 per bucket. */
  valueSize: number;
  /** Indices of the probes that use it. */
  probes: number[];
}

export type FormatFn = 'printf' | 'system' | 'cat' | 'errorf' | 'warnf' | 'debugf' | 'time' | 'strftime' | 'print' | 'join';

export interface FormatResource {
  /** Index in Resources.formats; the call node's formatId. */
  id: number;
  fn: FormatFn;
  /** The format text (time/strftime: the strftime format; print/join: ''). */
  format: string;
  /** Types of the values the program sends (after the format for printf-like calls). */
  args: Ty[];
  /**
   * The event record as bpftrace lays it out: a u64 format id at offset 0, then the
   * arguments in C layout with integers, booleans and pointers widened to 8 bytes.
   */
  argOffsets: number[];
  recordSize: number;
  span: Span;
  probe: number;
}

/** A builtin or function whose value or effect is completed by user space at run time. */
export interface RuntimeUse {
  name: string;
  span: Span;
  probe: number;
}

export interface StackResource {
  kernel: boolean;
  mode: StackMode;
  limit: number;
}

export interface ProbeResource {
  /** Probe index in program order. */
  index: number;
  concrete: ConcreteProbe[];
  /** Scratch variables of the probe with their types. */
  vars: VarBinding[];
  /** Estimated BPF stack bytes (variables, keys, values, event records up to on_stack_limit each). */
  stackBytes: number;
  /** Bytes of larger objects placed in per-CPU scratch memory instead of the stack. */
  scratchBytes: number;
}

export interface Resources {
  maps: MapResource[];
  formats: FormatResource[];
  runtime: RuntimeUse[];
  stacks: StackResource[];
  probes: ProbeResource[];
  /** Some program sends events to user space (printf, print, exit, ...). */
  needsRingbuf: boolean;
  /** Named parameters read by getopt(): name, type and default. */
  namedParams: { name: string; ty: Ty; default?: string | bigint | boolean; description?: string }[];
}
