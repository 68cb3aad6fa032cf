// What the compiler knows about the system it compiles for, received as an argument
// (ARCHITECTURE decision 6): probe kinds, kernel functions, tracepoint formats, user
// binaries, kernel types (a BTF-like table) and helper prototypes. probes/ builds the
// real catalogue from the simulated kernel; tests may build small ones. This file is
// types only.
import type { HelperProto } from '../vm/helpers/protos';

/** A C type as the type table records it. */
export type CType =
  | { kind: 'void' }
  | { kind: 'int'; size: 1 | 2 | 4 | 8; signed: boolean; name?: string }
  | { kind: 'bool' }
  | { kind: 'ptr'; to: CType }
  | { kind: 'array'; of: CType; len: number }
  | { kind: 'struct'; name: string }
  | { kind: 'union'; name: string }
  | { kind: 'enum'; name: string; size: 4 | 8 }
  | { kind: 'typedef'; name: string }
  | { kind: 'func' };

export interface FieldDef {
  name: string;
  type: CType;
  /** Byte offset in the enclosing struct. */
  offset: number;
  /** For bitfields: bit offset within the byte at `offset`, and width. */
  bitOffset?: number;
  bitSize?: number;
}

export interface RecordDef {
  kind: 'struct' | 'union';
  name: string;
  size: number;
  fields: readonly FieldDef[];
}

export interface EnumDef {
  name: string;
  size: 4 | 8;
  values: Readonly<Record<string, number>>;
}

/** The BTF-like kernel type table. */
export interface TypeTable {
  records: ReadonlyMap<string, RecordDef>;
  enums: ReadonlyMap<string, EnumDef>;
  typedefs: ReadonlyMap<string, CType>;
}

export interface FuncArg {
  name: string;
  type: CType;
}

/** A kernel function that kprobes can attach to. */
export interface KernelFunc {
  name: string;
  args: readonly FuncArg[];
  ret: CType;
  /** The kernel module, when not vmlinux. */
  module?: string;
}

/** One field of a tracepoint record, as in /sys/kernel/tracing/events/CAT/NAME/format. */
export interface TracepointField {
  name: string;
  /** The declaration's type text, e.g. 'const char *', 'char[16]', 'int', '__data_loc char[]'. */
  decl: string;
  type: CType;
  offset: number;
  size: number;
  signed: boolean;
  /** `__data_loc` fields: a u32 holding (length << 16 | offset) of a string in the record. */
  dataLoc?: boolean;
}

export interface Tracepoint {
  category: string;
  name: string;
  fields: readonly TracepointField[];
  /** Record size in bytes (the common_* header included). */
  size: number;
}

/** Bytes kept after a record's fixed part, per `__data_loc` field, when `args` is used as a whole value. */
export const DATA_LOC_ROOM = 256;

/**
 * Size of a tracepoint's `args` as a whole value (print(args), `$a = args`): the fixed
 * record, then room for the `__data_loc` strings that follow it in the ctx record, so the
 * copy carries them and their (length << 16 | offset) words still locate them.
 */
export function tracepointValueSize(tp: Tracepoint): number {
  const n = tp.fields.filter((f) => f.dataLoc).length;
  return tp.size + n * DATA_LOC_ROOM;
}

export interface UserSymbol {
  name: string;
  /** Virtual address in the binary's address space. */
  addr: number;
  size: number;
  args?: readonly FuncArg[];
  ret?: CType;
}

/** A user binary or library that uprobes attach to. */
export interface UserBinary {
  path: string;
  symbols: readonly UserSymbol[];
}

/** A probe kind: its canonical name, aliases and the shape of its attach point. */
export interface ProbeKind {
  name: string;
  aliases: readonly string[];
  /**
   * Parts after the kind, e.g. ['func'] for kprobe:FUNC, ['category', 'event'] for
   * tracepoint:CAT:NAME, ['binary', 'func'] for uprobe, ['unit', 'rate'] for profile/interval.
   */
  parts: readonly string[];
  /** Whether the kind supports `*` wildcards in its parts. */
  wildcards: boolean;
  /** Program type of the compiled program. */
  progType: 'kprobe' | 'tracepoint' | 'perf_event' | 'special';
  /** Return probe (retval is valid). */
  isReturn?: boolean;
  doc: string;
}

export interface ProbeCatalogue {
  kinds: readonly ProbeKind[];
  kernelFuncs: readonly KernelFunc[];
  tracepoints: readonly Tracepoint[];
  binaries: readonly UserBinary[];
  /** Event names for software:EVENT:N and hardware:EVENT:N. */
  softwareEvents: readonly string[];
  hardwareEvents: readonly string[];
}

export interface Catalogue {
  probes: ProbeCatalogue;
  types: TypeTable;
  helpers: readonly HelperProto[];
}
