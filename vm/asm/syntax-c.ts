// The kernel / llvm-objdump pseudo-C assembler syntax: `r0 = 1`, `w1 += w2`,
// `r1 = *(u32 *)(r2 + 4)`, `*(u64 *)(r10 - 8) = r1`, `if r1 s> 5 goto +2`,
// `lock *(u64 *)(r10 - 8) += r1`, `r0 = cmpxchg_64(r10 - 8, r0, r1)`, `r1 = 0x11 ll`,
// `r1 = map[counts] ll`, `call 1`, `call +3` (a local call), `callx r2`, `exit`, and the
// cpu v4 spellings LLVM 18 prints (`r0 s/= r1`, `r0 = (s8)r1`, `r0 = *(s16 *)(r1 + 0)`,
// `r0 = bswap32 r0`, `gotol +5`). The conformance syntax lives in syntax-ubpf.ts.
import { Alu, Atomic, Class, Jmp, Mode, PseudoCall, PseudoLd, Size, Src } from '../isa/opcodes';
import { insn } from '../isa/insn';
import { lddw } from '../isa/build';
import { helperByName } from '../helpers/protos';
import { kfuncByName } from '../helpers/kfuncs';
import type { Draft } from './draft';
import {
  AsmSyntaxError,
  isLabel,
  isNumber,
  isReg,
  parseBaseOff,
  parseImm32,
  parseImm64,
  parseNumber,
  parseReg,
  parseTarget,
  type Target,
} from './operands';

/** Compound assignment operators -> ALU op and the `off` field (1 for signed division). */
const ASSIGN_OPS: Record<string, [number, number]> = {
  '+=': [Alu.ADD, 0], '-=': [Alu.SUB, 0], '*=': [Alu.MUL, 0], '/=': [Alu.DIV, 0], 's/=': [Alu.DIV, 1],
  '%=': [Alu.MOD, 0], 's%=': [Alu.MOD, 1], '|=': [Alu.OR, 0], '&=': [Alu.AND, 0], '<<=': [Alu.LSH, 0],
  '>>=': [Alu.RSH, 0], 's>>=': [Alu.ARSH, 0], '^=': [Alu.XOR, 0],
};
export const JMP_SYMBOLS: Record<string, number> = {
  '==': Jmp.JEQ, '!=': Jmp.JNE, '>': Jmp.JGT, '>=': Jmp.JGE, '<': Jmp.JLT, '<=': Jmp.JLE,
  's>': Jmp.JSGT, 's>=': Jmp.JSGE, 's<': Jmp.JSLT, 's<=': Jmp.JSLE, '&': Jmp.JSET,
};
const ATOMIC_ASSIGN: Record<string, number> = { '+=': Atomic.ADD, '|=': Atomic.OR, '&=': Atomic.AND, '^=': Atomic.XOR };
const FETCH_NAMES: Record<string, number> = { add: Atomic.ADD, or: Atomic.OR, and: Atomic.AND, xor: Atomic.XOR };
const USIZES: Record<string, number> = { u8: Size.B, u16: Size.H, u32: Size.W, u64: Size.DW };
const SSIZES: Record<string, number> = { s8: Size.B, s16: Size.H, s32: Size.W };

const REG = '([rw]\\d+)';
const MEM = '\\*\\s*\\(\\s*([us]\\d+)\\s*\\*\\s*\\)\\s*\\(([^)]*)\\)';

function aluClass(wide: boolean): number {
  return wide ? Class.ALU64 : Class.ALU;
}

function sizeOfType(t: string, signedOk: boolean): { size: number; signed: boolean } {
  if (USIZES[t] !== undefined) return { size: USIZES[t], signed: false };
  if (signedOk && SSIZES[t] !== undefined) return { size: SSIZES[t], signed: true };
  throw new AsmSyntaxError(`unknown access type '${t}'`);
}

function jump(code: number, dst = 0, src = 0, imm = 0, to: Target, field: 'off' | 'imm' = 'off'): Draft {
  return { insns: [insn(code, dst, src, 0, imm)], target: { field, to } };
}

/** `call N` (helper), `call +N`/`call -N` (local), `call NAME` (helper name or local label), `call local L`, `call kfunc ID|NAME`, `callx rN`. */
function parseCall(word: string, rest: string): Draft {
  const arg = rest.trim().replace(/\s*<[^>]*>$/, '');
  if (word === 'callx' || isReg(arg)) return { insns: [insn(Class.JMP | Jmp.CALL | Src.X, parseReg(arg).reg)] };
  const kf = /^kfunc\s+(\S+)$/.exec(arg);
  if (kf) {
    const id = isNumber(kf[1]) ? parseImm32(kf[1]) : kfuncByName(kf[1])?.id;
    if (id === undefined) throw new AsmSyntaxError(`unknown kernel function '${kf[1]}'`);
    return { insns: [insn(Class.JMP | Jmp.CALL, 0, PseudoCall.KFUNC, 0, id)] };
  }
  const local = /^local\s+(.*)$/.exec(arg);
  if (local) return jump(Class.JMP | Jmp.CALL, 0, PseudoCall.LOCAL, 0, parseTarget(local[1]), 'imm');
  if (/^[+-]/.test(arg)) return jump(Class.JMP | Jmp.CALL, 0, PseudoCall.LOCAL, 0, parseTarget(arg), 'imm');
  if (isNumber(arg)) return { insns: [insn(Class.JMP | Jmp.CALL, 0, PseudoCall.HELPER, 0, parseImm32(arg))] };
  const helper = helperByName(arg);
  if (helper) return { insns: [insn(Class.JMP | Jmp.CALL, 0, PseudoCall.HELPER, 0, helper.id)] };
  if (isLabel(arg)) return jump(Class.JMP | Jmp.CALL, 0, PseudoCall.LOCAL, 0, { kind: 'label', name: arg }, 'imm');
  throw new AsmSyntaxError(`expected a helper number, helper name or local target after 'call', got '${arg}'`);
}

/** The right-hand side of `rN = ... ll`: a 64-bit constant or a pseudo source. */
function parseLddw(dst: number, rhs: string): Draft {
  let m: RegExpExecArray | null;
  if ((m = /^map\[\s*([^\]\s]+)\s*\]$/.exec(rhs))) return { insns: lddw(dst, 0n, PseudoLd.MAP_FD), mapRef: { name: m[1] } };
  if ((m = /^map_value\[\s*([^\]\s]+)\s*\](?:\s*\+\s*(\S+))?$/.exec(rhs))) {
    const off = m[2] ? parseImm32(m[2]) : 0;
    return { insns: lddw(dst, BigInt(off >>> 0) << 32n, PseudoLd.MAP_VALUE), mapRef: { name: m[1] } };
  }
  if ((m = /^(map_fd|map_idx|btf_id)\(\s*(\S+?)\s*\)$/.exec(rhs))) {
    const pseudo = m[1] === 'map_fd' ? PseudoLd.MAP_FD : m[1] === 'map_idx' ? PseudoLd.MAP_IDX : PseudoLd.BTF_ID;
    return { insns: lddw(dst, BigInt(parseImm32(m[2]) >>> 0), pseudo) };
  }
  if ((m = /^(map_value|map_idx_value)\(\s*(\S+?)\s*\)(?:\s*\+\s*(\S+))?$/.exec(rhs))) {
    const pseudo = m[1] === 'map_value' ? PseudoLd.MAP_VALUE : PseudoLd.MAP_IDX_VALUE;
    const off = m[3] ? parseImm32(m[3]) : 0;
    return { insns: lddw(dst, (BigInt(off >>> 0) << 32n) | BigInt(parseImm32(m[2]) >>> 0), pseudo) };
  }
  if ((m = /^func\(\s*(\S+?)\s*\)$/.exec(rhs))) return { insns: lddw(dst, 0n, PseudoLd.FUNC), target: { field: 'imm', to: parseTarget(m[1]) } };
  return { insns: lddw(dst, parseImm64(rhs)) };
}

/** `dst = rhs` where dst is a register. */
function parseAssign(dstText: string, rhs: string): Draft {
  const { reg: dst, wide } = parseReg(dstText);
  const cls = aluClass(wide);
  let m: RegExpExecArray | null;
  if ((m = /^(.*\S)\s+ll$/.exec(rhs))) {
    if (!wide) throw new AsmSyntaxError(`a 64-bit immediate load needs an r register, got '${dstText}'`);
    return parseLddw(dst, m[1]);
  }
  if ((m = new RegExp(`^${MEM}$`).exec(rhs))) {
    const { size, signed } = sizeOfType(m[1], true);
    const { base, off } = parseBaseOff(m[2]);
    return { insns: [insn(Class.LDX | size | (signed ? Mode.MEMSX : Mode.MEM), dst, base, off)] };
  }
  if ((m = new RegExp(`^atomic_fetch_(add|or|and|xor)\\(\\s*\\(\\s*(u32|u64)\\s*\\*\\s*\\)\\s*\\(([^)]*)\\)\\s*,\\s*${REG}\\s*\\)$`).exec(rhs))) {
    const { base, off } = parseBaseOff(m[3]);
    const src = parseReg(m[4]).reg;
    if (src !== dst) throw new AsmSyntaxError(`atomic_fetch_${m[1]} returns into its source register: write ${m[4]} = atomic_fetch_${m[1]}(...)`);
    return { insns: [insn(Class.STX | USIZES[m[2]] | Mode.ATOMIC, base, src, off, FETCH_NAMES[m[1]] | Atomic.FETCH)] };
  }
  if ((m = new RegExp(`^xchg(32_32|_64)\\(([^,]*),\\s*${REG}\\s*\\)$`).exec(rhs))) {
    const { base, off } = parseBaseOff(m[2]);
    const src = parseReg(m[3]).reg;
    if (src !== dst) throw new AsmSyntaxError(`xchg returns into its source register`);
    return { insns: [insn(Class.STX | (m[1] === '_64' ? Size.DW : Size.W) | Mode.ATOMIC, base, src, off, Atomic.XCHG)] };
  }
  if ((m = new RegExp(`^cmpxchg(32_32|_64)\\(([^,]*),\\s*${REG}\\s*,\\s*${REG}\\s*\\)$`).exec(rhs))) {
    const { base, off } = parseBaseOff(m[2]);
    if (dst !== 0 || parseReg(m[3]).reg !== 0) throw new AsmSyntaxError(`cmpxchg compares with and returns into r0`);
    return { insns: [insn(Class.STX | (m[1] === '_64' ? Size.DW : Size.W) | Mode.ATOMIC, base, parseReg(m[4]).reg, off, Atomic.CMPXCHG)] };
  }
  if ((m = new RegExp(`^-\\s*${REG}$`).exec(rhs))) {
    if (parseReg(m[1]).reg !== dst) throw new AsmSyntaxError(`negation works in place: write ${dstText} = -${dstText}`);
    return { insns: [insn(cls | Alu.NEG, dst)] };
  }
  if ((m = new RegExp(`^\\(\\s*s(8|16|32)\\s*\\)\\s*${REG}$`).exec(rhs))) {
    return { insns: [insn(cls | Alu.MOV | Src.X, dst, parseReg(m[2]).reg, Number(m[1]))] };
  }
  if ((m = new RegExp(`^(be|le|bswap)(16|32|64)\\s+${REG}$`).exec(rhs))) {
    if (parseReg(m[3]).reg !== dst) throw new AsmSyntaxError(`byte swaps work in place: write ${dstText} = ${m[1]}${m[2]} ${dstText}`);
    const code = m[1] === 'le' ? Class.ALU | Alu.END | Src.K : m[1] === 'be' ? Class.ALU | Alu.END | Src.X : Class.ALU64 | Alu.END | Src.K;
    return { insns: [insn(code, dst, 0, 0, Number(m[2]))] };
  }
  if (isReg(rhs)) return { insns: [insn(cls | Alu.MOV | Src.X, dst, parseReg(rhs).reg)] };
  if (isNumber(rhs)) return { insns: [insn(cls | Alu.MOV | Src.K, dst, 0, 0, parseImm32(rhs))] };
  throw new AsmSyntaxError(`cannot parse the right-hand side '${rhs}'`);
}

/** Parses one instruction in pseudo-C syntax (comments and labels already removed). */
export function parseC(line: string): Draft {
  let m: RegExpExecArray | null;
  if (line === 'exit') return { insns: [insn(Class.JMP | Jmp.EXIT)] };
  if ((m = /^(call|callx)\s+(.*)$/.exec(line))) return parseCall(m[1], m[2]);
  if ((m = /^(goto|gotol)\s+(.*)$/.exec(line))) {
    return m[1] === 'goto' ? jump(Class.JMP | Jmp.JA, 0, 0, 0, parseTarget(m[2])) : jump(Class.JMP32 | Jmp.JA, 0, 0, 0, parseTarget(m[2]), 'imm');
  }
  if ((m = new RegExp(`^if\\s+${REG}\\s*(==|!=|s>=|s<=|s>|s<|>=|<=|>|<|&)\\s*(\\S+)\\s+goto\\s+(.*)$`).exec(line))) {
    const { reg: dst, wide } = parseReg(m[1]);
    const cls = wide ? Class.JMP : Class.JMP32;
    const op = JMP_SYMBOLS[m[2]];
    if (isReg(m[3])) return jump(cls | op | Src.X, dst, parseReg(m[3]).reg, 0, parseTarget(m[4]));
    return jump(cls | op | Src.K, dst, 0, parseImm32(m[3]), parseTarget(m[4]));
  }
  if ((m = new RegExp(`^lock\\s+${MEM}\\s*(\\+=|\\|=|&=|\\^=)\\s*${REG}$`).exec(line))) {
    const { size } = sizeOfType(m[1], false);
    if (size !== Size.W && size !== Size.DW) throw new AsmSyntaxError(`atomic operations work on u32 or u64, not ${m[1]}`);
    const { base, off } = parseBaseOff(m[2]);
    return { insns: [insn(Class.STX | size | Mode.ATOMIC, base, parseReg(m[4]).reg, off, ATOMIC_ASSIGN[m[3]])] };
  }
  if ((m = new RegExp(`^${MEM}\\s*=\\s*(.+)$`).exec(line))) {
    const { size } = sizeOfType(m[1], false);
    const { base, off } = parseBaseOff(m[2]);
    const v = m[3].trim();
    if (isReg(v)) return { insns: [insn(Class.STX | size | Mode.MEM, base, parseReg(v).reg, off)] };
    return { insns: [insn(Class.ST | size | Mode.MEM, base, 0, off, parseImm32(v))] };
  }
  if ((m = new RegExp(`^${REG}\\s*(s/=|s%=|s>>=|<<=|>>=|[-+*/%|&^]=)\\s*(\\S+)$`).exec(line))) {
    const { reg: dst, wide } = parseReg(m[1]);
    const [op, off] = ASSIGN_OPS[m[2]];
    if (isReg(m[3])) return { insns: [insn(aluClass(wide) | op | Src.X, dst, parseReg(m[3]).reg, off)] };
    return { insns: [insn(aluClass(wide) | op | Src.K, dst, 0, off, parseImm32(m[3]))] };
  }
  if ((m = new RegExp(`^${REG}\\s*=\\s*(.+)$`).exec(line))) return parseAssign(m[1], m[2].trim());
  throw new AsmSyntaxError(`cannot parse '${line}'`);
}

/** True when `line` starts like a pseudo-C instruction rather than a conformance mnemonic. */
export function looksLikeC(line: string): boolean {
  return /^(exit$|call\b|callx\b|goto\b|gotol\b|if\b|lock\s+\*|\*|[rw]\d+\s*(=|[-+*/%|&^<>s]+=))/.test(line);
}
