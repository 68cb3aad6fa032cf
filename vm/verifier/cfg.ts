// Structural checks made before the walk, in the kernel's order: every opcode known and
// its unused fields zero, lddw well formed and its map references valid, subprograms
// found from call targets, every jump inside its subprogram, no fall-through past the
// end of a subprogram, every instruction reachable, no jump into the second slot of an
// lddw. Also marks the prune points (jump targets, conditional jumps, instructions after
// calls) where the walk records and compares states. Semantics are checked by the walk.
import type { ProgramSpec } from '../program';
import { type Insn, isLddw } from '../isa/insn';
import { Alu, Atomic, Class, Jmp, Limits, Mode, PseudoCall, PseudoLd, Size, Src, aluOpOf, classOf, modeOf, sizeOf } from '../isa/opcodes';
import { MapType } from '../maps/types';
import { helperById } from '../helpers/protos';

export interface Cfg {
  /** Start index of each subprogram, ascending; [0] is the main program. */
  subprogs: number[];
  /** Subprogram start of each instruction. */
  subprogOf: Int32Array;
  prunePoint: Uint8Array;
  /** Prune points where a checkpoint is always taken (calls of callback-calling helpers). */
  forceCheckpoint: Uint8Array;
  /** Local call edges: caller subprog start -> callee starts (for the stack-depth check). */
  callees: Map<number, Set<number>>;
}

/** A structural rejection (not an Error: no stack trace is captured). */
export class StructuralError {
  constructor(
    readonly message: string,
    readonly insn: number,
  ) {}
}

const fail = (msg: string, insn: number): never => {
  throw new StructuralError(msg, insn);
};

const VALID_ATOMIC = new Set<number>([
  Atomic.ADD, Atomic.OR, Atomic.AND, Atomic.XOR, Atomic.ADD | Atomic.FETCH, Atomic.OR | Atomic.FETCH, Atomic.AND | Atomic.FETCH,
  Atomic.XOR | Atomic.FETCH, Atomic.XCHG, Atomic.CMPXCHG,
]);

/** True when the opcode byte names an instruction of the ISA (bpf_opcode_in_insntable). */
export function opcodeKnown(code: number): boolean {
  const cls = classOf(code);
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const op = aluOpOf(code);
      if (op > Alu.END) return false;
      if (op === Alu.END && cls === Class.ALU64 && (code & Src.X) !== 0) return false;
      if (op === Alu.NEG && (code & Src.X) !== 0) return false;
      return true;
    }
    case Class.JMP:
    case Class.JMP32: {
      const op = aluOpOf(code);
      if (op > Jmp.JSLE) return false;
      if (cls === Class.JMP32 && (op === Jmp.CALL || op === Jmp.EXIT)) return false;
      if ((op === Jmp.JA || op === Jmp.EXIT) && (code & Src.X) !== 0) return false;
      return true;
    }
    case Class.LD:
      return code === (Class.LD | Size.DW | Mode.IMM);
    case Class.LDX:
      return modeOf(code) === Mode.MEM || (modeOf(code) === Mode.MEMSX && sizeOf(code) !== Size.DW);
    case Class.ST:
      return modeOf(code) === Mode.MEM;
    case Class.STX:
      return modeOf(code) === Mode.MEM || (modeOf(code) === Mode.ATOMIC && (sizeOf(code) === Size.W || sizeOf(code) === Size.DW));
    default:
      return false;
  }
}

/** The kernel's "uses reserved fields" checks for one instruction, or null when clean. */
export function reservedFieldError(i: Insn): string | null {
  const cls = classOf(i.code);
  const op = aluOpOf(i.code);
  const x = (i.code & Src.X) !== 0;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64:
      if (op === Alu.END || op === Alu.NEG) {
        if (op === Alu.NEG && (i.src !== 0 || i.off !== 0 || i.imm !== 0 || x)) return 'BPF_NEG uses reserved fields';
        if (op === Alu.END && (i.src !== 0 || i.off !== 0 || (i.imm !== 16 && i.imm !== 32 && i.imm !== 64))) return 'BPF_END uses reserved fields';
        return null;
      }
      if (op === Alu.MOV) {
        if (x) {
          if (i.imm !== 0 || (i.off !== 0 && i.off !== 8 && i.off !== 16 && (i.off !== 32 || cls === Class.ALU))) return 'BPF_MOV uses reserved fields';
        } else if (i.src !== 0 || i.off !== 0) return 'BPF_MOV uses reserved fields';
        return null;
      }
      if ((op === Alu.DIV || op === Alu.MOD) && i.off !== 0 && i.off !== 1) return 'BPF_ALU uses reserved fields';
      if (op !== Alu.DIV && op !== Alu.MOD && i.off !== 0) return 'BPF_ALU uses reserved fields';
      if (x ? i.imm !== 0 : i.src !== 0) return 'BPF_ALU uses reserved fields';
      return null;
    case Class.LDX:
      return i.imm !== 0 ? 'BPF_LDX uses reserved fields' : null;
    case Class.ST:
      return i.src !== 0 ? 'BPF_ST uses reserved fields' : null;
    case Class.STX:
      if (modeOf(i.code) === Mode.ATOMIC) return VALID_ATOMIC.has(i.imm) ? null : `BPF_ATOMIC uses invalid atomic opcode ${(i.imm >>> 0).toString(16).padStart(2, '0')}`;
      return i.imm !== 0 ? 'BPF_STX uses reserved fields' : null;
    case Class.JMP:
    case Class.JMP32:
      if (op === Jmp.CALL) {
        // callx: the helper number in the dst register (the conformance suite's `call %r2`).
        if (x) return i.off !== 0 || i.src !== 0 || i.imm !== 0 ? 'BPF_CALL uses reserved fields' : null;
        if (i.off !== 0 || i.dst !== 0) return 'BPF_CALL uses reserved fields';
        if (i.src !== PseudoCall.HELPER && i.src !== PseudoCall.LOCAL && i.src !== PseudoCall.KFUNC) return 'BPF_CALL uses reserved fields';
        return null;
      }
      if (op === Jmp.EXIT) return i.imm !== 0 || i.src !== 0 || i.dst !== 0 || i.off !== 0 ? 'BPF_EXIT uses reserved fields' : null;
      if (op === Jmp.JA) {
        if (cls === Class.JMP) return i.imm !== 0 || i.src !== 0 || i.dst !== 0 ? 'BPF_JA uses reserved fields' : null;
        return i.off !== 0 || i.src !== 0 || i.dst !== 0 ? 'BPF_JA uses reserved fields' : null;
      }
      if (x ? i.imm !== 0 : i.src !== 0) return 'BPF_JMP/JMP32 uses reserved fields';
      return null;
    default:
      return null;
  }
}

const isJmpClass = (c: number): boolean => classOf(c) === Class.JMP || classOf(c) === Class.JMP32;

/** Target of a jump instruction at n (undefined for calls and exit). */
export function jumpTarget(i: Insn, n: number): number | undefined {
  if (!isJmpClass(i.code)) return undefined;
  const op = aluOpOf(i.code);
  if (op === Jmp.CALL || op === Jmp.EXIT) return undefined;
  if (i.code === (Class.JMP32 | Jmp.JA)) return n + i.imm + 1;
  return n + i.off + 1;
}

const CALLBACK_HELPERS = new Set([164]);

export function isCallbackHelper(id: number): boolean {
  return CALLBACK_HELPERS.has(id);
}

/** Runs the structural checks; throws StructuralError with a kernel-style message. */
export function buildCfg(spec: ProgramSpec): Cfg {
  const insns = spec.insns;
  const n = insns.length;
  if (n === 0) fail('program has no instructions', 0);
  if (n > Limits.MAX_INSNS) fail(`program of ${n} insns is too large (limit ${Limits.MAX_INSNS})`, 0);

  // Subprograms: targets of local calls and of lddw func references.
  const starts = new Set<number>([0]);
  for (let i = 0; i < n; i++) {
    const ins = insns[i];
    if (ins.code === (Class.JMP | Jmp.CALL) && ins.src === PseudoCall.LOCAL) {
      const t = i + ins.imm + 1;
      if (t < 0 || t >= n) fail('call to invalid destination', i);
      starts.add(t);
    } else if (isLddw(ins) && ins.src === PseudoLd.FUNC) {
      const t = i + ins.imm + 1;
      if (t < 0 || t >= n) fail('call to invalid destination', i);
      starts.add(t);
    }
    if (isLddw(ins)) i++;
  }
  const subprogs = [...starts].sort((a, b) => a - b);
  if (subprogs.length > 256) fail('too many subprograms', 0);
  const subprogOf = new Int32Array(n);
  const callees = new Map<number, Set<number>>();
  for (let s = 0; s < subprogs.length; s++) {
    const start = subprogs[s];
    const end = s + 1 < subprogs.length ? subprogs[s + 1] : n;
    callees.set(start, new Set());
    for (let i = start; i < end; i++) {
      subprogOf[i] = start;
      const ins = insns[i];
      const t = jumpTarget(ins, i);
      if (t !== undefined && (t < start || t >= end)) fail(`jump out of range from insn ${i} to ${t}`, i);
      if (ins.code === (Class.JMP | Jmp.CALL) && ins.src === PseudoCall.LOCAL) callees.get(start)!.add(i + ins.imm + 1);
    }
    const last = insns[end - 1];
    if (last.code !== (Class.JMP | Jmp.EXIT) && last.code !== (Class.JMP | Jmp.JA) && last.code !== (Class.JMP32 | Jmp.JA)) {
      fail('last insn is not an exit or jmp', end - 1);
    }
  }

  // resolve_pseudo_ldimm64: opcodes, lddw pairs, map references.
  for (let i = 0; i < n; i++) {
    const ins = insns[i];
    if (!opcodeKnown(ins.code)) fail(`unknown opcode ${(ins.code & 0xff).toString(16).padStart(2, '0')}`, i);
    if (classOf(ins.code) === Class.LDX && modeOf(ins.code) === Mode.MEMSX && sizeOf(ins.code) === Size.DW) fail(`unknown opcode ${ins.code.toString(16)}`, i);
    if (!isLddw(ins)) continue;
    const second = insns[i + 1];
    if (i === n - 1 || !second || second.code !== 0 || second.dst !== 0 || second.src !== 0 || second.off !== 0) fail('invalid bpf_ld_imm64 insn', i);
    if (ins.off !== 0) fail('invalid bpf_ld_imm64 insn', i);
    switch (ins.src) {
      case PseudoLd.IMM64:
      case PseudoLd.FUNC:
        break;
      case PseudoLd.MAP_FD:
      case PseudoLd.MAP_IDX:
      case PseudoLd.MAP_VALUE:
      case PseudoLd.MAP_IDX_VALUE: {
        const m = spec.maps[ins.imm];
        if (ins.imm < 0 || !m) fail(`fd ${ins.imm} is not pointing to valid bpf_map`, i);
        if (ins.src === PseudoLd.MAP_FD || ins.src === PseudoLd.MAP_IDX) {
          if (second.imm !== 0) fail('invalid bpf_ld_imm64 insn', i);
        } else {
          if (m.type !== MapType.ARRAY) fail('no direct value access support for this map type', i);
          const off = second.imm >>> 0;
          if (off >= m.valueSize || m.maxEntries !== 1) fail(`invalid access to map value pointer, value_size=${m.valueSize} off=${off}`, i);
        }
        break;
      }
      default:
        fail('unrecognized bpf_ld_imm64 insn', i);
    }
    i++;
  }

  // check_cfg: depth-first walk from each subprogram entry reached; marks prune points.
  const prunePoint = new Uint8Array(n);
  const forceCheckpoint = new Uint8Array(n);
  const visited = new Uint8Array(n);
  const work: number[] = [0];
  visited[0] = 1;
  const push = (from: number, to: number): void => {
    if (to < 0 || to >= n) fail(`jump out of range from insn ${from} to ${to}`, from);
    if (!visited[to]) {
      visited[to] = 1;
      work.push(to);
    }
  };
  while (work.length) {
    const t = work.pop()!;
    const ins = insns[t];
    const cls = classOf(ins.code);
    if (isLddw(ins)) {
      if (ins.src === PseudoLd.FUNC) push(t, t + ins.imm + 1);
      push(t, t + 2);
      continue;
    }
    if (cls !== Class.JMP && cls !== Class.JMP32) {
      push(t, t + 1);
      continue;
    }
    const op = aluOpOf(ins.code);
    if (op === Jmp.EXIT) continue;
    if (op === Jmp.CALL) {
      push(t, t + 1);
      prunePoint[t + 1] = 1;
      if (ins.src === PseudoCall.LOCAL) {
        prunePoint[t] = 1;
        push(t, t + ins.imm + 1);
      } else if (ins.src === PseudoCall.HELPER && isCallbackHelper(ins.imm) && helperById(ins.imm)) {
        prunePoint[t] = 1;
        forceCheckpoint[t] = 1;
      }
      continue;
    }
    const target = jumpTarget(ins, t)!;
    if (op === Jmp.JA) {
      push(t, target);
      prunePoint[target] = 1;
      continue;
    }
    prunePoint[t] = 1;
    push(t, t + 1);
    push(t, target);
    prunePoint[target] = 1;
  }
  for (let i = 0; i < n; i++) {
    if (!visited[i]) fail(`unreachable insn ${i}`, i);
    if (isLddw(insns[i])) {
      if (visited[i + 1]) fail(`jump into the middle of ldimm64 insn ${i}`, i);
      i++;
    }
  }
  return { subprogs, subprogOf, prunePoint, forceCheckpoint, callees };
}
