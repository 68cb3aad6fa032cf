// The assembler syntax of the bpf_conformance suite and ubpf: a mnemonic and
// comma-separated operands (`add32 %r0, 1`, `ldxw %r0, [%r1+4]`, `jeq %r1, 5, label`,
// `lock fetch add [%r10-8], %r1`). Registers arrive with `%` already stripped by the
// driver. `call`, `callx` and `exit`, common to both syntaxes, and the pseudo-C syntax
// live in syntax-c.ts.
import { Alu, Atomic, Class, Jmp, Mode, Size, Src } from '../isa/opcodes';
import { insn } from '../isa/insn';
import { lddw } from '../isa/build';
import type { Draft } from './draft';
import { AsmSyntaxError, isReg, parseBaseOff, parseImm32, parseImm64, parseReg, parseTarget, splitOperands } from './operands';

const ALU_OPS: Record<string, number> = {
  add: Alu.ADD, sub: Alu.SUB, mul: Alu.MUL, div: Alu.DIV, or: Alu.OR, and: Alu.AND, lsh: Alu.LSH, rsh: Alu.RSH,
  mod: Alu.MOD, xor: Alu.XOR, mov: Alu.MOV, arsh: Alu.ARSH, sdiv: Alu.DIV, smod: Alu.MOD,
};
const SIGNED_ALU = new Set(['sdiv', 'smod']);
const JMP_OPS: Record<string, number> = {
  jeq: Jmp.JEQ, jgt: Jmp.JGT, jge: Jmp.JGE, jset: Jmp.JSET, jne: Jmp.JNE, jsgt: Jmp.JSGT, jsge: Jmp.JSGE,
  jlt: Jmp.JLT, jle: Jmp.JLE, jslt: Jmp.JSLT, jsle: Jmp.JSLE,
};
const SIZES: Record<string, number> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };
const ATOMIC_OPS: Record<string, number> = { add: Atomic.ADD, or: Atomic.OR, and: Atomic.AND, xor: Atomic.XOR, xchg: Atomic.XCHG, cmpxchg: Atomic.CMPXCHG };

function want(ops: string[], n: number, mnemonic: string): void {
  if (ops.length !== n) throw new AsmSyntaxError(`'${mnemonic}' takes ${n} operand${n === 1 ? '' : 's'}, got ${ops.length}`);
}

function mem(text: string): { base: number; off: number } {
  const m = /^\[(.*)\]$/.exec(text.trim());
  if (!m) throw new AsmSyntaxError(`expected a memory operand like [r1+8], got '${text}'`);
  return parseBaseOff(m[1]);
}

/** Parses one instruction in conformance syntax; `mnemonic` is lower-case. */
export function parseUbpf(mnemonic: string, rest: string): Draft {
  const ops = splitOperands(rest);
  let m: RegExpExecArray | null;

  if (mnemonic === 'lddw') {
    want(ops, 2, mnemonic);
    return { insns: lddw(parseReg(ops[0]).reg, parseImm64(ops[1])) };
  }
  if (mnemonic === 'ja' || mnemonic === 'ja32') {
    want(ops, 1, mnemonic);
    const w = mnemonic === 'ja32';
    return { insns: [insn(w ? Class.JMP32 : Class.JMP)], target: { field: w ? 'imm' : 'off', to: parseTarget(ops[0]) } };
  }
  if ((m = /^(j[a-z]+?)(32)?$/.exec(mnemonic)) && JMP_OPS[m[1]] !== undefined) {
    want(ops, 3, mnemonic);
    const cls = m[2] ? Class.JMP32 : Class.JMP;
    const dst = parseReg(ops[0]).reg;
    const target = { field: 'off' as const, to: parseTarget(ops[2]) };
    if (isReg(ops[1])) return { insns: [insn(cls | JMP_OPS[m[1]] | Src.X, dst, parseReg(ops[1]).reg)], target };
    return { insns: [insn(cls | JMP_OPS[m[1]] | Src.K, dst, 0, 0, parseImm32(ops[1]))], target };
  }
  if ((m = /^neg(32|64)?$/.exec(mnemonic))) {
    want(ops, 1, mnemonic);
    return { insns: [insn((m[1] === '32' ? Class.ALU : Class.ALU64) | Alu.NEG, parseReg(ops[0]).reg)] };
  }
  if ((m = /^movsx(8|16|32)(32|64)$/.exec(mnemonic))) {
    want(ops, 2, mnemonic);
    const cls = m[2] === '32' ? Class.ALU : Class.ALU64;
    return { insns: [insn(cls | Alu.MOV | Src.X, parseReg(ops[0]).reg, parseReg(ops[1]).reg, Number(m[1]))] };
  }
  if ((m = /^(le|be|bswap|swap)(16|32|64)$/.exec(mnemonic))) {
    want(ops, 1, mnemonic);
    const code = m[1] === 'le' ? Class.ALU | Alu.END | Src.K : m[1] === 'be' ? Class.ALU | Alu.END | Src.X : Class.ALU64 | Alu.END | Src.K;
    return { insns: [insn(code, parseReg(ops[0]).reg, 0, 0, Number(m[2]))] };
  }
  if ((m = /^([a-z]+?)(32|64)?$/.exec(mnemonic)) && ALU_OPS[m[1]] !== undefined) {
    want(ops, 2, mnemonic);
    const cls = m[2] === '32' ? Class.ALU : Class.ALU64;
    const off = SIGNED_ALU.has(m[1]) ? 1 : 0;
    const dst = parseReg(ops[0]).reg;
    if (isReg(ops[1])) return { insns: [insn(cls | ALU_OPS[m[1]] | Src.X, dst, parseReg(ops[1]).reg, off)] };
    return { insns: [insn(cls | ALU_OPS[m[1]] | Src.K, dst, 0, off, parseImm32(ops[1]))] };
  }
  if ((m = /^ldx(s?)(b|h|w|dw)$/.exec(mnemonic))) {
    want(ops, 2, mnemonic);
    if (m[1] && m[2] === 'dw') throw new AsmSyntaxError(`unknown mnemonic '${mnemonic}'`);
    const { base, off } = mem(ops[1]);
    return { insns: [insn(Class.LDX | SIZES[m[2]] | (m[1] ? Mode.MEMSX : Mode.MEM), parseReg(ops[0]).reg, base, off)] };
  }
  if ((m = /^st(x?)(b|h|w|dw)$/.exec(mnemonic))) {
    want(ops, 2, mnemonic);
    const { base, off } = mem(ops[0]);
    if (m[1]) return { insns: [insn(Class.STX | SIZES[m[2]] | Mode.MEM, base, parseReg(ops[1]).reg, off)] };
    return { insns: [insn(Class.ST | SIZES[m[2]] | Mode.MEM, base, 0, off, parseImm32(ops[1]))] };
  }
  if (mnemonic === 'lock') {
    // `lock [fetch] op[32] [dst+off], src`: the op word and the first operand share `rest`.
    const lm = /^(fetch\s+)?([a-z]+?)(32|64)?\s+(\[.*)$/.exec(rest.trim());
    if (!lm || ATOMIC_OPS[lm[2]] === undefined) throw new AsmSyntaxError(`unknown atomic operation 'lock ${rest.trim()}'`);
    const aops = splitOperands(lm[4]);
    want(aops, 2, `lock ${lm[2]}`);
    const { base, off } = mem(aops[0]);
    const imm = ATOMIC_OPS[lm[2]] | (lm[1] ? Atomic.FETCH : 0);
    const size = lm[3] === '32' ? Size.W : Size.DW;
    return { insns: [insn(Class.STX | size | Mode.ATOMIC, base, parseReg(aops[1]).reg, off, imm)] };
  }
  throw new AsmSyntaxError(`unknown mnemonic '${mnemonic}'`);
}
