// The abstract machine state the verifier walks: registers (what each may hold), stack
// slots per frame, call frames, acquired references, and the links between checkpoints
// used for liveness. Register records are immutable values: every change makes a new
// one, so copying a state copies arrays of references. Transfer functions are elsewhere.
import { type Bounds, UNBOUNDED, boundsOf, known, syncBounds, unbounded } from './scalar';
import { Limits } from '../isa/opcodes';

/** What a register may hold (the kernel's enum bpf_reg_type, the kinds this VM has). */
export type RegType =
  | 'not_init'
  | 'scalar'
  /** The program's context record (r1 at entry). */
  | 'ctx'
  /** A map, loaded with lddw (CONST_PTR_TO_MAP). */
  | 'map_ptr'
  /** Pointer into a map value, with maybeNull before its null check. */
  | 'map_value'
  /** Pointer to a map key (the key argument of a for_each_map_elem callback). */
  | 'map_key'
  /** Pointer into a stack frame. */
  | 'fp'
  /** Ring buffer memory from ringbuf_reserve, with maybeNull before its null check. */
  | 'ringbuf_mem'
  /** A trusted pointer to a kernel object (get_current_task_btf). */
  | 'btf_id'
  /** A subprogram, loaded with lddw src=4 (callback argument). */
  | 'func'
  /** Plain memory of memSize bytes (the input buffer of a 'raw' program). */
  | 'mem';

export interface Reg extends Bounds {
  readonly type: RegType;
  readonly maybeNull: boolean;
  /** Fixed offset of a pointer (its variable part is in the bounds). */
  readonly off: number;
  /** Links copies: null checks of map_value_or_null, and range refinements of scalars. */
  readonly id: number;
  /**
   * A scalar linked to the others of its id with a constant difference: its value is
   * theirs plus `off` (the kernel's BPF_ADD_CONST). For pointers `off` is the fixed offset.
   */
  readonly addConst: boolean;
  /** The acquired reference a ringbuf_mem pointer stands for. */
  readonly refObjId: number;
  /** Map index (map_ptr, map_value, map_key). */
  readonly map: number;
  /** Bytes reachable from offset 0 (ringbuf_mem). */
  readonly memSize: number;
  /** Frame a stack pointer points into. */
  readonly frameno: number;
  /** Struct name of a btf_id pointer. */
  readonly btf: string;
  /** First instruction of the subprogram of a func pointer. */
  readonly subprog: number;
  /** Cached hash for loop detection (0: not computed yet); see prune.ts. */
  hash: number;
}

export const NOT_INIT: Reg = mkReg('not_init', UNBOUNDED);

/** Builds a register record with every field in one order (one object shape, fast copies). */
export function mkReg(t: RegType, b: Bounds, o: Partial<Reg> = {}): Reg {
  return {
    var: b.var, smin: b.smin, smax: b.smax, umin: b.umin, umax: b.umax, s32min: b.s32min, s32max: b.s32max, u32min: b.u32min, u32max: b.u32max,
    type: t, maybeNull: o.maybeNull ?? false, off: o.off ?? 0, id: o.id ?? 0, addConst: o.addConst ?? false, refObjId: o.refObjId ?? 0, map: o.map ?? -1, memSize: o.memSize ?? 0,
    frameno: o.frameno ?? 0, btf: o.btf ?? '', subprog: o.subprog ?? -1, hash: 0,
  };
}

/** A copy of r with some fields changed. */
export function withFields(r: Reg, o: Partial<Reg>): Reg {
  return {
    var: o.var ?? r.var, smin: o.smin ?? r.smin, smax: o.smax ?? r.smax, umin: o.umin ?? r.umin, umax: o.umax ?? r.umax,
    s32min: o.s32min ?? r.s32min, s32max: o.s32max ?? r.s32max, u32min: o.u32min ?? r.u32min, u32max: o.u32max ?? r.u32max,
    type: o.type ?? r.type, maybeNull: o.maybeNull ?? r.maybeNull, off: o.off ?? r.off, id: o.id ?? r.id, addConst: o.addConst ?? r.addConst, refObjId: o.refObjId ?? r.refObjId,
    map: o.map ?? r.map, memSize: o.memSize ?? r.memSize, frameno: o.frameno ?? r.frameno, btf: o.btf ?? r.btf, subprog: o.subprog ?? r.subprog, hash: 0,
  };
}

/** The same scalar value, linked to no other register. */
export const unlinked = (r: Reg): Reg => (r.type === 'scalar' && (r.id || r.addConst || r.off) ? withFields(r, { id: 0, off: 0, addConst: false }) : r);

export function scalarReg(b: Bounds, id = 0): Reg {
  return mkReg('scalar', b, { id });
}
export const constReg = (v: bigint): Reg => scalarReg(known(v));
export const unknownReg = (): Reg => scalarReg(unbounded());

/** A pointer of the given kind with a zero, known variable offset. */
const ZERO_BOUNDS = known(0n);
export function ptrReg(type: RegType, fields: Partial<Reg> = {}): Reg {
  return mkReg(type, ZERO_BOUNDS, fields);
}

export function withBounds(r: Reg, b: Bounds): Reg {
  const nb = boundsOf(b);
  syncBounds(nb);
  return mkReg(r.type, nb, r);
}

export const isPointer = (r: Reg): boolean => r.type !== 'scalar' && r.type !== 'not_init';
export const isConstScalar = (r: Reg): boolean => r.type === 'scalar' && r.var.mask === 0n;

/** Per-byte stack slot contents, as the kernel's STACK_* slot types. */
export const Slot = {
  INVALID: 0,
  /** Holds some initialised bytes of unknown value. */
  MISC: 1,
  /** Part of a spilled 8-byte register (kept in `spilled`). */
  SPILL: 2,
  /** Holds known zero. */
  ZERO: 3,
} as const;

/** Liveness marks (the kernel's REG_LIVE_*). */
export const Live = { NONE: 0, READ: 1, WRITTEN: 2 } as const;

export const STACK_SLOTS = Limits.STACK_SIZE / 8;

export interface Frame {
  regs: Reg[];
  /** Slot type of each stack byte; byte i is at fp-512+i. */
  bytes: Uint8Array;
  /** The register spilled into each 8-byte slot (slot 0 is fp-512..fp-505). */
  spilled: (Reg | null)[];
  regLive: Uint8Array;
  stackLive: Uint8Array;
  /** In a checkpoint: scalars some path below uses in a safety decision (precision marks). */
  regPrecise: Uint8Array;
  stackPrecise: Uint8Array;
  /** Instruction index of the call that created this frame (-1 for the main program). */
  callsite: number;
  /** First instruction of this frame's subprogram. */
  subprog: number;
  /** Deepest stack byte touched (positive; for the combined-stack check). */
  depth: number;
  /** For a callback frame: the helper call site and whether r0 must be checked as the callback's return. */
  callback: boolean;
}

export interface AcquiredRef {
  id: number;
  insn: number;
}

/**
 * One executed instruction of a path segment, newest first (a persistent list shared by
 * the branches that split from it): what precision backtracking walks back over.
 */
export interface HistNode {
  idx: number;
  /** Frame index the instruction ran in. */
  frame: number;
  /** For a fixed-offset stack access: frame * 64 + slot; -2 for a variable-offset stack access; -1 otherwise. */
  slot: number;
  /** A conditional jump whose refinement was copied to linked scalars. */
  linked: boolean;
  prev: HistNode | null;
}

export interface VState {
  frames: Frame[];
  /** The instructions executed since the parent checkpoint. */
  hist: HistNode | null;
  refs: AcquiredRef[];
  /** The checkpoint this state descends from (liveness marks propagate to it). */
  parent: VState | null;
  /** Paths still being explored below this checkpoint (0 once it is complete). */
  branches: number;
  /** Instruction index the state is at (for checkpoints and queued branches). */
  insn: number;
  /** Counters at the time the checkpoint was made (loop heuristics). */
  jmpsAt: number;
  insnsAt: number;
  /** Hits and misses against this checkpoint (the kernel frees states that never help). */
  hits: number;
  misses: number;
  /**
   * Callback entries simulated on this path (the kernel's callback_unroll_depth): two
   * iterations of a for_each_map_elem callback may reach an instruction in the same
   * state without looping, so the infinite-loop check only compares equal depths.
   */
  callbackUnrollDepth: number;
}

export function newFrame(callsite: number, subprog: number, frameno: number, callback = false): Frame {
  const regs: Reg[] = new Array(11).fill(NOT_INIT);
  regs[10] = ptrReg('fp', { frameno });
  return {
    regs,
    bytes: new Uint8Array(Limits.STACK_SIZE),
    spilled: new Array(STACK_SLOTS).fill(null),
    regLive: new Uint8Array(11),
    stackLive: new Uint8Array(STACK_SLOTS),
    regPrecise: NO_REG_MARKS,
    stackPrecise: NO_SLOT_MARKS,
    callsite,
    subprog,
    depth: 0,
    callback,
  };
}

/** Precision marks of states that are not checkpoints: never read, never written. */
const NO_REG_MARKS = new Uint8Array(11);
const NO_SLOT_MARKS = new Uint8Array(STACK_SLOTS);

export function copyFrame(f: Frame, keepLive: boolean, checkpoint = false): Frame {
  return {
    regs: f.regs.slice(),
    bytes: f.bytes.slice(),
    spilled: f.spilled.slice(),
    regLive: keepLive ? f.regLive.slice() : new Uint8Array(11),
    stackLive: keepLive ? f.stackLive.slice() : new Uint8Array(STACK_SLOTS),
    regPrecise: checkpoint ? new Uint8Array(11) : NO_REG_MARKS,
    stackPrecise: checkpoint ? new Uint8Array(STACK_SLOTS) : NO_SLOT_MARKS,
    callsite: f.callsite,
    subprog: f.subprog,
    depth: f.depth,
    callback: f.callback,
  };
}

/** A copy of a state; `checkpoint` gives it its own precision marks (explored states only). */
export function copyState(s: VState, keepLive: boolean, checkpoint = false): VState {
  return {
    frames: s.frames.map((f) => copyFrame(f, keepLive, checkpoint)),
    refs: s.refs.slice(),
    hist: s.hist,
    parent: s.parent,
    branches: 0,
    insn: s.insn,
    jmpsAt: s.jmpsAt,
    insnsAt: s.insnsAt,
    hits: 0,
    misses: 0,
    callbackUnrollDepth: s.callbackUnrollDepth,
  };
}

export const curFrame = (s: VState): Frame => s.frames[s.frames.length - 1];

/** Name of a register type as the kernel's log prints it (reg_type_str). */
export function typeName(r: Reg): string {
  const n = r.maybeNull ? '_or_null' : '';
  switch (r.type) {
    case 'not_init':
      return '?';
    case 'scalar':
      return 'scalar';
    case 'ctx':
      return 'ctx';
    case 'map_ptr':
      return 'map_ptr';
    case 'map_value':
      return `map_value${n}`;
    case 'map_key':
      return 'map_key';
    case 'fp':
      return 'fp';
    case 'ringbuf_mem':
      return `ringbuf_mem${n}`;
    case 'btf_id':
      return `trusted_ptr_${n ? 'or_null_' : ''}${r.btf}`;
    case 'func':
      return 'func';
    case 'mem':
      return `mem${n}`;
    default: {
      const never: never = r.type;
      return String(never);
    }
  }
}

/** The kernel's generic type names used in "expected=" lists. */
export function baseTypeName(t: RegType): string {
  return t === 'btf_id' ? 'ptr_' : t === 'ringbuf_mem' ? 'ringbuf_mem' : t === 'not_init' ? '?' : t;
}
