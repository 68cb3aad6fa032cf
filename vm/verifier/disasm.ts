// Instructions as the kernel's verifier log prints them (kernel/bpf/disasm.c):
// `(bf) r0 = r2`, `(79) r1 = *(u64 *)(r0 +0)`, `(15) if r0 == 0x0 goto pc+2`,
// `(85) call bpf_map_lookup_elem#1`. This is the log's format only; the project's
// disassembler (llvm-objdump syntax, which the assembler reads back) is vm/asm.
import { type Insn, isLddw, lddwImm } from '../isa/insn';
import { Alu, Atomic, Class, Jmp, Mode, PseudoCall, PseudoLd, Src, aluOpOf, classOf, modeOf, sizeBytes, sizeOf } from '../isa/opcodes';
import { helperById } from '../helpers/protos';
import { kfuncById } from '../helpers/kfuncs';

const ALU_SYM: Record<number, string> = {
  [Alu.ADD]: '+=', [Alu.SUB]: '-=', [Alu.MUL]: '*=', [Alu.DIV]: '/=', [Alu.OR]: '|=', [Alu.AND]: '&=', [Alu.LSH]: '<<=',
  [Alu.RSH]: '>>=', [Alu.MOD]: '%=', [Alu.XOR]: '^=', [Alu.MOV]: '=', [Alu.ARSH]: 's>>=',
};
const JMP_SYM: Record<number, string> = {
  [Jmp.JEQ]: '==', [Jmp.JGT]: '>', [Jmp.JGE]: '>=', [Jmp.JSET]: '&', [Jmp.JNE]: '!=', [Jmp.JSGT]: 's>', [Jmp.JSGE]: 's>=',
  [Jmp.JLT]: '<', [Jmp.JLE]: '<=', [Jmp.JSLT]: 's<', [Jmp.JSLE]: 's<=',
};
export const ALU_OP_NAMES = ALU_SYM;

const code2 = (c: number): string => `(${c.toString(16).padStart(2, '0')})`;
const sgn = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
const sizeName = (code: number): string => `u${sizeBytes(sizeOf(code)) * 8}`;

/** The log text of the instruction at slot n, without the leading index. */
export function logInsn(prog: readonly Insn[], n: number, mapName?: (idx: number) => string): string {
  const i = prog[n];
  const c = i.code;
  const cls = classOf(c);
  const w = (r: number, is32: boolean): string => `${is32 ? 'w' : 'r'}${r}`;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const is32 = cls === Class.ALU;
      const op = aluOpOf(c);
      if (op === Alu.NEG) return `${code2(c)} ${w(i.dst, is32)} = -${w(i.dst, is32)}`;
      if (op === Alu.END) {
        if (cls === Class.ALU64) return `${code2(c)} r${i.dst} = bswap${i.imm} r${i.dst}`;
        return `${code2(c)} r${i.dst} = ${(c & Src.X) !== 0 ? 'be' : 'le'}${i.imm} r${i.dst}`;
      }
      const sym = (op === Alu.DIV || op === Alu.MOD) && i.off === 1 ? `s${ALU_SYM[op]}` : (ALU_SYM[op] ?? '?=');
      if ((c & Src.X) !== 0) {
        if (op === Alu.MOV && i.off !== 0) return `${code2(c)} ${w(i.dst, is32)} = (s${i.off})${w(i.src, is32)}`;
        return `${code2(c)} ${w(i.dst, is32)} ${sym} ${w(i.src, is32)}`;
      }
      return `${code2(c)} ${w(i.dst, is32)} ${sym} ${i.imm}`;
    }
    case Class.LDX:
      return `${code2(c)} r${i.dst} = *(${modeOf(c) === Mode.MEMSX ? 's' : 'u'}${sizeBytes(sizeOf(c)) * 8} *)(r${i.src} ${sgn(i.off)})`;
    case Class.ST:
      return `${code2(c)} *(${sizeName(c)} *)(r${i.dst} ${sgn(i.off)}) = ${i.imm}`;
    case Class.STX: {
      const mem = `(${sizeName(c)} *)(r${i.dst} ${sgn(i.off)})`;
      if (modeOf(c) !== Mode.ATOMIC) return `${code2(c)} *${mem} = r${i.src}`;
      const is64 = sizeBytes(sizeOf(c)) === 8;
      const r = (x: number): string => `${is64 ? 'r' : 'w'}${x}`;
      const fn = is64 ? 'atomic64' : 'atomic';
      const base = i.imm & ~Atomic.FETCH;
      const name: Record<number, string> = { [Atomic.ADD]: 'add', [Atomic.OR]: 'or', [Atomic.AND]: 'and', [Atomic.XOR]: 'xor' };
      const sym: Record<number, string> = { [Atomic.ADD]: '+=', [Atomic.OR]: '|=', [Atomic.AND]: '&=', [Atomic.XOR]: '^=' };
      if (i.imm === Atomic.XCHG) return `${code2(c)} ${r(i.src)} = ${fn}_xchg(${mem}, ${r(i.src)})`;
      if (i.imm === Atomic.CMPXCHG) return `${code2(c)} r0 = ${fn}_cmpxchg(${mem}, r0, ${r(i.src)})`;
      if ((i.imm & Atomic.FETCH) !== 0) return `${code2(c)} ${r(i.src)} = ${fn}_fetch_${name[base] ?? '?'}(${mem}, ${r(i.src)})`;
      return `${code2(c)} lock *${mem} ${sym[base] ?? '?='} ${r(i.src)}`;
    }
    case Class.LD: {
      if (!isLddw(i)) return `${code2(c)} BUG_ld_${c.toString(16)}`;
      const imm = lddwImm(prog, n);
      switch (i.src) {
        case PseudoLd.MAP_FD:
        case PseudoLd.MAP_IDX:
          return `${code2(c)} r${i.dst} = map[id:${mapName ? mapName(i.imm) : i.imm}]`;
        case PseudoLd.MAP_VALUE:
        case PseudoLd.MAP_IDX_VALUE:
          return `${code2(c)} r${i.dst} = map[id:${mapName ? mapName(i.imm) : i.imm}][0]+${prog[n + 1]?.imm ?? 0}`;
        case PseudoLd.FUNC:
          return `${code2(c)} r${i.dst} = func pc${sgn(i.imm)}`;
        default:
          return `${code2(c)} r${i.dst} = 0x${imm.toString(16)}`;
      }
    }
    case Class.JMP:
    case Class.JMP32: {
      const op = aluOpOf(c);
      if (cls === Class.JMP && op === Jmp.CALL) {
        if (i.src === PseudoCall.LOCAL) return `${code2(c)} call pc${sgn(i.imm)}`;
        if (i.src === PseudoCall.KFUNC) return `${code2(c)} call ${kfuncById(i.imm)?.name ?? 'kernel-function'}#${i.imm}`;
        const h = helperById(i.imm);
        return `${code2(c)} call ${h ? `bpf_${h.name}` : 'unknown'}#${i.imm}`;
      }
      if (cls === Class.JMP && op === Jmp.EXIT) return `${code2(c)} exit`;
      if (op === Jmp.JA) return cls === Class.JMP ? `${code2(c)} goto pc${sgn(i.off)}` : `${code2(c)} gotol pc${sgn(i.imm)}`;
      const is32 = cls === Class.JMP32;
      const rhs = (c & Src.X) !== 0 ? `${is32 ? 'w' : 'r'}${i.src}` : `0x${(i.imm >>> 0).toString(16)}`;
      return `${code2(c)} if ${is32 ? 'w' : 'r'}${i.dst} ${JMP_SYM[op] ?? '?'} ${rhs} goto pc${sgn(i.off)}`;
    }
    default:
      return `${code2(c)} BUG_${c.toString(16)}`;
  }
}
