// What every execution engine (the interpreter here, the WebAssembly JIT beside it)
// returns and how it reports faults. A fault is a result, never a host exception: a
// helper that must abort the program throws VmFault, which the engine turns into one.

export type FaultKind =
  /** A load, store or atomic touched an address with no mapping (or the wrong prefix for its pages). */
  | 'memory'
  /** The instruction budget ran out. */
  | 'budget'
  /** More than 8 nested bpf-to-bpf frames. */
  | 'call_depth'
  /** An opcode, register or pseudo source the machine does not know. */
  | 'bad_insn'
  /** Control left the program (a jump or call target outside it, or running off its end). */
  | 'bad_jump'
  /** A call to a helper the machine does not provide, or a helper that aborted the program. */
  | 'helper';

export interface Fault {
  kind: FaultKind;
  /** Slot index of the faulting instruction. */
  pc: number;
  message: string;
}

export type RunResult = { ok: true; r0: bigint; insns: number } | { ok: false; fault: Fault; insns: number };

/** Thrown by helpers (and engine internals) to end the program with a fault. */
export class VmFault extends Error {
  constructor(
    readonly kind: FaultKind,
    message: string,
    /** The pc, when the thrower knows it; engines fill in the call site otherwise. */
    readonly pc = -1,
  ) {
    super(message);
    this.name = 'VmFault';
  }
}

/** Default instruction budget per run (the kernel's processed-instruction limit). */
export const DEFAULT_BUDGET = 1_000_000;

export function faultResult(e: unknown, pc: number, insns: number): RunResult {
  if (e instanceof VmFault) return { ok: false, fault: { kind: e.kind, pc: e.pc >= 0 ? e.pc : pc, message: e.message }, insns };
  throw e;
}
