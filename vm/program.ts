// The serialisable description of a program, as a compiler (or `bpfvm`) hands it to the
// loader: instructions, program type, the ctx layout the verifier checks accesses
// against, and the source span of each instruction for diagnostics.
import type { Insn } from './isa/insn';
import type { MapSpec } from './maps/types';

/** Program types (Linux's BPF_PROG_TYPE_*, the ones bpfsim attaches); 'raw' is the conformance/`--mem` harness. */
export type ProgType = 'kprobe' | 'tracepoint' | 'perf_event' | 'raw';

/** A readable field of the ctx record. Accesses must fall inside one field (narrower loads are allowed). */
export interface CtxField {
  name: string;
  offset: number;
  size: number;
}

/** What r1 points to at entry: the ctx record, read-only for tracing programs. */
export interface CtxLayout {
  /** C name of the record: 'struct pt_regs', 'struct bpf_perf_event_data', a tracepoint's record name. */
  name: string;
  size: number;
  fields: readonly CtxField[];
}

/** A location in a source text (byte offsets), attached to instructions a compiler emits. */
export interface SourceSpan {
  /** File name as diagnostics show it ('stdin' for -e). */
  file: string;
  start: number;
  end: number;
}

export interface ProgramSpec {
  name: string;
  type: ProgType;
  insns: Insn[];
  /**
   * The maps the program may reference: `lddw` with src MAP_FD or MAP_IDX carries an index
   * into this array in imm (the fd of the map once loaded). Programs of one script share
   * the same array, so the same index means the same live map.
   */
  maps: readonly MapSpec[];
  ctx: CtxLayout;
  license?: string;
  /** Source span per instruction slot (same length as insns), when compiled from a script. */
  spans?: readonly (SourceSpan | undefined)[];
  /** The full source texts the spans point into, by file name. */
  sources?: Readonly<Record<string, string>>;
}
