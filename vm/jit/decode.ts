// Decoding instruction slots into the operations the JIT emits code for, with exactly
// the reference interpreter's reading of each opcode byte: which bytes exist, which
// fields matter (div/mod signedness from off = 1, movsx widths, byte-swap widths, atomic
// operations in imm, call kinds in src), and which combinations end the program with a
// 'bad_insn' fault. Jump and call targets are absolute slots here (possibly outside the
// program: the code generator turns those into 'bad_jump' faults). Code generation is
// elsewhere (emit-*.ts); this file only reads bits.
import { type Insn, isLddw } from '../isa/insn';
import { Alu, Atomic, Class, Jmp, Mode, PseudoCall, PseudoLd, Size, Src, aluOpOf, classOf, modeOf, sizeBytes, sizeOf } from '../isa/opcodes';
import { funcAddress } from '../isa/pseudo';

export type AluOpName = 'add' | 'sub' | 'mul' | 'div' | 'sdiv' | 'or' | 'and' | 'lsh' | 'rsh' | 'mod' | 'smod' | 'xor' | 'arsh';
export type CmpName = 'jeq' | 'jne' | 'jgt' | 'jge' | 'jlt' | 'jle' | 'jsgt' | 'jsge' | 'jslt' | 'jsle' | 'jset';
export type AtomicOpName = 'add' | 'or' | 'and' | 'xor' | 'xchg' | 'cmpxchg';
export type MemWhat = 'read' | 'write' | 'atomic access';

/** A register or a sign-extended immediate operand. */
export type Operand = { reg: number } | { imm: number };

export type Op =
  | { t: 'alu'; w64: boolean; op: AluOpName; dst: number; src: Operand }
  | { t: 'mov'; w64: boolean; dst: number; src: Operand; /** Sign-extend from this many bits (0: plain move). */ sx: 0 | 8 | 16 | 32 }
  | { t: 'neg'; w64: boolean; dst: number }
  /** le16/32/64: keep the low bits (a truncation on a little-endian machine). */
  | { t: 'le'; dst: number; width: 16 | 32 | 64 }
  /** be16/32/64 and bswap16/32/64: byte swap of the low bits, the rest cleared. */
  | { t: 'swap'; dst: number; width: 16 | 32 | 64 }
  | { t: 'load'; dst: number; base: number; off: number; bytes: 1 | 2 | 4 | 8; signed: boolean }
  | { t: 'store'; base: number; off: number; bytes: 1 | 2 | 4 | 8; value: Operand }
  | { t: 'atomic'; base: number; off: number; bytes: 4 | 8; src: number; op: AtomicOpName; fetch: boolean }
  /** An atomic with an operation the machine does not know: the address is checked, then the program faults. */
  | { t: 'atomic_bad'; base: number; off: number; bytes: 4 | 8; imm: number }
  | { t: 'lddw'; dst: number; value: bigint }
  | { t: 'ja'; target: number }
  | { t: 'jcond'; w64: boolean; cmp: CmpName; dst: number; src: Operand; target: number }
  | { t: 'helper'; id: number }
  /** callx: the helper number is the low 32 bits (signed) of a register. */
  | { t: 'callx'; reg: number }
  | { t: 'local_call'; target: number }
  | { t: 'exit' }
  | { t: 'bad'; message: string };

const ALU_OPS: Record<number, AluOpName> = {
  [Alu.ADD]: 'add', [Alu.SUB]: 'sub', [Alu.MUL]: 'mul', [Alu.DIV]: 'div', [Alu.OR]: 'or', [Alu.AND]: 'and', [Alu.LSH]: 'lsh',
  [Alu.RSH]: 'rsh', [Alu.MOD]: 'mod', [Alu.XOR]: 'xor', [Alu.ARSH]: 'arsh',
};

const CMPS: Record<number, CmpName> = {
  [Jmp.JEQ]: 'jeq', [Jmp.JNE]: 'jne', [Jmp.JGT]: 'jgt', [Jmp.JGE]: 'jge', [Jmp.JLT]: 'jlt', [Jmp.JLE]: 'jle',
  [Jmp.JSGT]: 'jsgt', [Jmp.JSGE]: 'jsge', [Jmp.JSLT]: 'jslt', [Jmp.JSLE]: 'jsle', [Jmp.JSET]: 'jset',
};

const ATOMIC_OPS: Record<number, AtomicOpName> = { [Atomic.ADD]: 'add', [Atomic.OR]: 'or', [Atomic.AND]: 'and', [Atomic.XOR]: 'xor' };

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const badOpcode = (code: number): Op => ({ t: 'bad', message: `unknown opcode 0x${hex2(code)}` });

/** Slots an instruction occupies on the path that executes it (lddw takes two). */
export function widthAt(insns: readonly Insn[], pc: number): 1 | 2 {
  return isLddw(insns[pc]) ? 2 : 1;
}

const regOf = (o: Operand): number => ('reg' in o ? o.reg : 0);

/** The highest register field an operation reads or writes (the others are unused). */
function highestRegister(op: Op): number {
  switch (op.t) {
    case 'alu':
    case 'mov':
    case 'jcond':
      return Math.max(op.dst, regOf(op.src));
    case 'neg':
    case 'le':
    case 'swap':
    case 'lddw':
      return op.dst;
    case 'load':
      return Math.max(op.dst, op.base);
    case 'store':
      return Math.max(op.base, regOf(op.value));
    case 'atomic':
      return Math.max(op.base, op.src);
    case 'atomic_bad':
      return op.base;
    case 'callx':
      return op.reg;
    case 'ja':
    case 'helper':
    case 'local_call':
    case 'exit':
    case 'bad':
      return 0;
    default: {
      const never: never = op;
      throw new Error(`unhandled op ${String(never)}`);
    }
  }
}

/**
 * Decodes the instruction at slot pc. A register field past r10 that the operation uses
 * is a 'bad_insn' fault (the machine has no such register).
 */
export function decodeAt(insns: readonly Insn[], pc: number): Op {
  const op = decodeFields(insns, pc);
  const r = highestRegister(op);
  return r <= 10 ? op : { t: 'bad', message: `unknown register r${r}` };
}

function decodeFields(insns: readonly Insn[], pc: number): Op {
  const i = insns[pc];
  const code = i.code;
  const k = (code & Src.X) === 0;
  const operand: Operand = k ? { imm: i.imm } : { reg: i.src };
  switch (classOf(code)) {
    case Class.ALU:
    case Class.ALU64: {
      const w64 = classOf(code) === Class.ALU64;
      const op = aluOpOf(code);
      if (op === Alu.NEG) return k ? { t: 'neg', w64, dst: i.dst } : badOpcode(code);
      if (op === Alu.END) {
        const width = i.imm;
        if ((w64 && !k) || (width !== 16 && width !== 32 && width !== 64)) return badOpcode(code);
        return !w64 && k ? { t: 'le', dst: i.dst, width } : { t: 'swap', dst: i.dst, width };
      }
      if (op === Alu.MOV) {
        if (k) return { t: 'mov', w64, dst: i.dst, src: { imm: i.imm }, sx: 0 };
        const sx = i.off;
        if (sx === 0 || sx === 8 || sx === 16 || (w64 && sx === 32)) return { t: 'mov', w64, dst: i.dst, src: { reg: i.src }, sx };
        return badOpcode(code);
      }
      let name = ALU_OPS[op];
      if (!name) return badOpcode(code);
      if (i.off === 1 && name === 'div') name = 'sdiv';
      if (i.off === 1 && name === 'mod') name = 'smod';
      return { t: 'alu', w64, op: name, dst: i.dst, src: operand };
    }
    case Class.LDX: {
      const mode = modeOf(code);
      const bytes = sizeBytes(sizeOf(code));
      if (mode === Mode.MEM) return { t: 'load', dst: i.dst, base: i.src, off: i.off, bytes, signed: false };
      if (mode === Mode.MEMSX && bytes !== 8) return { t: 'load', dst: i.dst, base: i.src, off: i.off, bytes, signed: true };
      return badOpcode(code);
    }
    case Class.ST:
      if (modeOf(code) !== Mode.MEM) return badOpcode(code);
      return { t: 'store', base: i.dst, off: i.off, bytes: sizeBytes(sizeOf(code)), value: { imm: i.imm } };
    case Class.STX: {
      const mode = modeOf(code);
      if (mode === Mode.MEM) return { t: 'store', base: i.dst, off: i.off, bytes: sizeBytes(sizeOf(code)), value: { reg: i.src } };
      if (mode !== Mode.ATOMIC || (sizeOf(code) !== Size.W && sizeOf(code) !== Size.DW)) return badOpcode(code);
      const bytes = sizeOf(code) === Size.W ? 4 : 8;
      const base = { base: i.dst, off: i.off, bytes } as const;
      if (i.imm === Atomic.XCHG) return { t: 'atomic', ...base, src: i.src, op: 'xchg', fetch: true };
      if (i.imm === Atomic.CMPXCHG) return { t: 'atomic', ...base, src: i.src, op: 'cmpxchg', fetch: true };
      const name = ATOMIC_OPS[i.imm & ~Atomic.FETCH];
      if (!name) return { t: 'atomic_bad', ...base, imm: i.imm };
      return { t: 'atomic', ...base, src: i.src, op: name, fetch: (i.imm & Atomic.FETCH) !== 0 };
    }
    case Class.LD: {
      if (!isLddw(i)) return badOpcode(code);
      const hasHigh = pc + 1 < insns.length;
      if (hasHigh && i.src === PseudoLd.FUNC) return { t: 'lddw', dst: i.dst, value: funcAddress(pc + 1 + i.imm) };
      // An unresolved map reference: the loader must have rewritten it, so the machine sees opcode 0.
      if (hasHigh && i.src !== PseudoLd.IMM64) return badOpcode(0);
      const lo = BigInt(i.imm >>> 0);
      const hi = hasHigh ? BigInt(insns[pc + 1].imm >>> 0) : 0n;
      return { t: 'lddw', dst: i.dst, value: (hi << 32n) | lo };
    }
    case Class.JMP:
    case Class.JMP32: {
      const w64 = classOf(code) === Class.JMP;
      const op = aluOpOf(code);
      if (op === Jmp.JA) {
        if (!k) return badOpcode(code);
        return { t: 'ja', target: pc + 1 + (w64 ? i.off : i.imm) };
      }
      if (op === Jmp.CALL) {
        if (!w64) return badOpcode(code);
        if (!k) return { t: 'callx', reg: i.dst };
        if (i.src === PseudoCall.LOCAL) return { t: 'local_call', target: pc + 1 + i.imm };
        if (i.src === PseudoCall.HELPER || i.src === PseudoCall.KFUNC) return { t: 'helper', id: i.imm };
        return badOpcode(code);
      }
      if (op === Jmp.EXIT) return w64 && k ? { t: 'exit' } : badOpcode(code);
      const cmp = CMPS[op];
      if (!cmp) return badOpcode(code);
      return { t: 'jcond', w64, cmp, dst: i.dst, src: operand, target: pc + 1 + i.off };
    }
    default:
      return badOpcode(code);
  }
}

/** How control leaves an operation: on to the next slot, or as the block's terminator. */
export type Flow = 'next' | 'jump' | 'cond' | 'exit' | 'fault';

export function flowOf(op: Op): Flow {
  switch (op.t) {
    case 'ja':
      return 'jump';
    case 'jcond':
      return 'cond';
    case 'exit':
      return 'exit';
    case 'bad':
    case 'atomic_bad':
      return 'fault';
    case 'alu':
    case 'mov':
    case 'neg':
    case 'le':
    case 'swap':
    case 'load':
    case 'store':
    case 'atomic':
    case 'lddw':
    case 'helper':
    case 'callx':
    case 'local_call':
      return 'next';
    default: {
      const never: never = op;
      throw new Error(`unhandled op ${String(never)}`);
    }
  }
}

/** The register an operation writes (for the check that r10 keeps its frame-pointer value), or -1. */
export function writtenReg(op: Op): number {
  switch (op.t) {
    case 'alu':
    case 'mov':
    case 'neg':
    case 'le':
    case 'swap':
    case 'load':
    case 'lddw':
      return op.dst;
    case 'atomic':
      return op.op === 'cmpxchg' ? 0 : op.fetch ? op.src : -1;
    default:
      return -1;
  }
}
