// What the emitters of one function share: the writer, the function's plan, the local
// variable layout, and the module-wide indices (globals, imports, functions, fault
// table, page-cache sites). Filled in by compile.ts; read by emit*.ts.
import type { CodeWriter } from './wasm/writer';
import type { FnPlan } from './plan';
import type { FaultKind } from '../engine';
import type { BpfMap } from '../maps/map';

/**
 * Locals of every compiled function. Parameters 0-10 are r0-r10 (i64); the function
 * returns r0-r5, as a bpf-to-bpf call leaves them to its caller.
 */
export const Loc = {
  /** Instructions left in the budget (i32), synchronised with the global around calls. */
  LEFT: 11,
  /** The frame pointer's low 32 bits minus 512 (i32): the base of frame-relative accesses. */
  FPB: 12,
  /** Scratch: a full 64-bit address (i64). */
  ADDR: 13,
  /** Scratch: its linear offset (i32). */
  LIN: 14,
  /** Scratch: its upper half (i32). */
  HI: 15,
  /** Scratch (i32). */
  T32: 16,
  /** Scratch: the linear address of an atomic (i32). */
  A32: 17,
  /** Scratch: the old value of an atomic (i64). */
  OLD: 18,
  /** The dispatcher's block number (i32). */
  LABEL: 19,
} as const;

export const REG_COUNT = 11;
/** Registers a function returns: r0-r5. */
export const RESULT_REGS = 6;

export interface Site {
  base: number;
  lim: number;
  hi: number;
}

export interface ModCtx {
  staticFp: boolean;
  /** Global indices. */
  g: { left: number; depth: number; pc: number; r10: number };
  imp: {
    fault: number;
    budget: number;
    miss: number;
    callx: number;
    cpu: number;
    comm: number;
    helper: Map<number, number>;
    lookup: Map<BpfMap, number>;
    update: Map<BpfMap, number>;
  };
  /** Defined functions by entry slot. */
  fn: Map<number, number>;
  /** The function that empties every page-cache site, or -1 when there are none. */
  tlbReset: number;
  /** A fresh page-cache site (three globals). */
  newSite(): Site;
  /** Registers a fault raised at a slot and returns its index for the fault import. */
  faultIndex(kind: FaultKind, message: string, pc: number): number;
  /** Arguments each helper reads. */
  arity(id: number): number;
}

export interface FnCtx {
  w: CodeWriter;
  mod: ModCtx;
  plan: FnPlan;
}
