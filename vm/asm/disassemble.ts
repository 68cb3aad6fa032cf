// The disassembler: the one canonical printer of instructions, in the kernel /
// llvm-objdump pseudo-C syntax that assemble() reads back. Two layouts: 'objdump' (slot
// index, raw bytes, text, as `llvm-objdump -d` prints) and 'plain' (text only, one
// instruction a line). Both reassemble to the same bytes: a slot whose text would not
// (reserved fields set, unknown opcodes) is printed as a `.raw` directive instead.
import { Alu, Atomic, Class, Jmp, Mode, PseudoCall, PseudoLd, Size, Src, aluOpOf, classOf, modeOf, sizeOf, srcOf } from '../isa/opcodes';
import { encode, isLddw, lddwImm, type Insn } from '../isa/insn';
import { AsmSyntaxError } from './operands';
import { assembleOne } from './assemble';

export interface DisasmOptions {
  /** 'objdump' (default): `   3:\tb7 00 00 00 01 00 00 00\tr0 = 1`; 'plain': `r0 = 1`. */
  layout?: 'objdump' | 'plain';
  /** Map names by index: lddw map references print as `map[NAME]` instead of `map_fd(N)`. */
  mapNames?: readonly string[];
  /** Name jump and local call targets: `L3:` lines before them and `goto L3` in place of offsets. */
  labels?: boolean;
}

const ALU_SYM: Record<number, string> = {
  [Alu.ADD]: '+=', [Alu.SUB]: '-=', [Alu.MUL]: '*=', [Alu.DIV]: '/=', [Alu.OR]: '|=', [Alu.AND]: '&=',
  [Alu.LSH]: '<<=', [Alu.RSH]: '>>=', [Alu.MOD]: '%=', [Alu.XOR]: '^=', [Alu.ARSH]: 's>>=',
};
const JMP_SYM: Record<number, string> = {
  [Jmp.JEQ]: '==', [Jmp.JGT]: '>', [Jmp.JGE]: '>=', [Jmp.JSET]: '&', [Jmp.JNE]: '!=', [Jmp.JSGT]: 's>',
  [Jmp.JSGE]: 's>=', [Jmp.JLT]: '<', [Jmp.JLE]: '<=', [Jmp.JSLT]: 's<', [Jmp.JSLE]: 's<=',
};
const TYPE: Record<number, string> = { [Size.B]: 'u8', [Size.H]: 'u16', [Size.W]: 'u32', [Size.DW]: 'u64' };
const STYPE: Record<number, string> = { [Size.B]: 's8', [Size.H]: 's16', [Size.W]: 's32' };
const FETCH_NAME: Record<number, string> = { [Atomic.ADD]: 'add', [Atomic.OR]: 'or', [Atomic.AND]: 'and', [Atomic.XOR]: 'xor' };
const LOCK_SYM: Record<number, string> = { [Atomic.ADD]: '+=', [Atomic.OR]: '|=', [Atomic.AND]: '&=', [Atomic.XOR]: '^=' };

const rel = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
const addr = (reg: number, off: number): string => `r${reg} ${off < 0 ? '-' : '+'} ${Math.abs(off)}`;

function imm64Text(v: bigint): string {
  const s = BigInt.asIntN(64, v);
  return s >= -(1n << 31n) && s < 1n << 32n ? s.toString() : `0x${v.toString(16)}`;
}

/** The text of one lddw (two slots). */
function lddwText(prog: readonly Insn[], n: number, opts: DisasmOptions): string {
  const i = prog[n];
  const hi = prog[n + 1]?.imm ?? 0;
  const named = (idx: number): string | undefined => opts.mapNames?.[idx];
  switch (i.src) {
    case PseudoLd.IMM64:
      return `r${i.dst} = ${imm64Text(lddwImm(prog, n))} ll`;
    case PseudoLd.MAP_FD: {
      const name = named(i.imm);
      return name ? `r${i.dst} = map[${name}] ll` : `r${i.dst} = map_fd(${i.imm}) ll`;
    }
    case PseudoLd.MAP_VALUE: {
      const name = named(i.imm);
      return name ? `r${i.dst} = map_value[${name}] + ${hi} ll` : `r${i.dst} = map_value(${i.imm}) + ${hi} ll`;
    }
    case PseudoLd.MAP_IDX:
      return `r${i.dst} = map_idx(${i.imm}) ll`;
    case PseudoLd.MAP_IDX_VALUE:
      return `r${i.dst} = map_idx_value(${i.imm}) + ${hi} ll`;
    case PseudoLd.BTF_ID:
      return `r${i.dst} = btf_id(${i.imm}) ll`;
    case PseudoLd.FUNC:
      return `r${i.dst} = func(${rel(i.imm)}) ll`;
    default:
      return '';
  }
}

function aluText(i: Insn): string {
  const wide = classOf(i.code) === Class.ALU64;
  const p = wide ? 'r' : 'w';
  const d = `${p}${i.dst}`;
  const x = srcOf(i.code) === Src.X;
  const operand = x ? `${p}${i.src}` : `${i.imm}`;
  const op = aluOpOf(i.code);
  switch (op) {
    case Alu.NEG:
      return `${d} = -${d}`;
    case Alu.MOV:
      if (i.off !== 0 && x) return `${d} = (s${i.off})${p}${i.src}`;
      return `${d} = ${operand}`;
    case Alu.END:
      if (wide) return `r${i.dst} = bswap${i.imm} r${i.dst}`;
      return `r${i.dst} = ${x ? 'be' : 'le'}${i.imm} r${i.dst}`;
    case Alu.DIV:
    case Alu.MOD:
      return `${d} ${i.off === 1 ? 's' : ''}${ALU_SYM[op]} ${operand}`;
    default:
      return ALU_SYM[op] ? `${d} ${ALU_SYM[op]} ${operand}` : '';
  }
}

function jmpText(i: Insn): string {
  const cls = classOf(i.code);
  const op = aluOpOf(i.code);
  if (op === Jmp.JA) return cls === Class.JMP ? `goto ${rel(i.off)}` : `gotol ${rel(i.imm)}`;
  if (op === Jmp.EXIT) return 'exit';
  if (op === Jmp.CALL) {
    if (srcOf(i.code) === Src.X) return `callx r${i.dst}`;
    if (i.src === PseudoCall.LOCAL) return `call ${rel(i.imm)}`;
    if (i.src === PseudoCall.KFUNC) return `call kfunc ${i.imm}`;
    return i.src === PseudoCall.HELPER ? `call ${i.imm}` : '';
  }
  const sym = JMP_SYM[op];
  if (!sym) return '';
  const p = cls === Class.JMP ? 'r' : 'w';
  const operand = srcOf(i.code) === Src.X ? `${p}${i.src}` : `${i.imm}`;
  return `if ${p}${i.dst} ${sym} ${operand} goto ${rel(i.off)}`;
}

function memText(i: Insn): string {
  const cls = classOf(i.code);
  const size = sizeOf(i.code);
  const mode = modeOf(i.code);
  if (cls === Class.LDX) {
    const type = mode === Mode.MEMSX ? STYPE[size] : mode === Mode.MEM ? TYPE[size] : undefined;
    return type ? `r${i.dst} = *(${type} *)(${addr(i.src, i.off)})` : '';
  }
  if (cls === Class.ST) return mode === Mode.MEM ? `*(${TYPE[size]} *)(${addr(i.dst, i.off)}) = ${i.imm}` : '';
  if (mode === Mode.MEM) return `*(${TYPE[size]} *)(${addr(i.dst, i.off)}) = r${i.src}`;
  if (mode !== Mode.ATOMIC || (size !== Size.W && size !== Size.DW)) return '';
  const w = size === Size.W;
  const p = w ? 'w' : 'r';
  if (i.imm === Atomic.XCHG) return `${p}${i.src} = ${w ? 'xchg32_32' : 'xchg_64'}(${addr(i.dst, i.off)}, ${p}${i.src})`;
  if (i.imm === Atomic.CMPXCHG) return `${p}0 = ${w ? 'cmpxchg32_32' : 'cmpxchg_64'}(${addr(i.dst, i.off)}, ${p}0, ${p}${i.src})`;
  const base = i.imm & ~Atomic.FETCH;
  if (!FETCH_NAME[base]) return '';
  if (i.imm & Atomic.FETCH) return `${p}${i.src} = atomic_fetch_${FETCH_NAME[base]}((${TYPE[size]} *)(${addr(i.dst, i.off)}), ${p}${i.src})`;
  return `lock *(${TYPE[size]} *)(${addr(i.dst, i.off)}) ${LOCK_SYM[base]} r${i.src}`;
}

/** The u64 a `.raw` directive (and a conformance `-- raw` line) gives for a slot. */
export function rawText(i: Insn): string {
  const lo = BigInt((((i.off & 0xffff) << 16) | ((i.src & 0xf) << 12) | ((i.dst & 0xf) << 8) | (i.code & 0xff)) >>> 0);
  const v = (BigInt(i.imm >>> 0) << 32n) | lo;
  return `.raw 0x${v.toString(16).padStart(16, '0')}`;
}

function sameSlots(a: readonly Insn[], b: readonly Insn[]): boolean {
  return a.length === b.length && a.every((x, k) => x.code === b[k].code && x.dst === b[k].dst && x.src === b[k].src && x.off === b[k].off && x.imm === b[k].imm);
}

/** Text for the instruction at slot n and the slots it takes (2 for lddw). Falls back to `.raw` when the text would not reassemble to the same slots. */
export function formatInsn(prog: readonly Insn[], n: number, opts: DisasmOptions = {}): { text: string; slots: number } {
  const i = prog[n];
  const slots = isLddw(i) && n + 1 < prog.length ? 2 : 1;
  const text = slots === 2 ? lddwText(prog, n, {}) : slotText(i);
  if (text !== '') {
    try {
      if (sameSlots(assembleOne(text), prog.slice(n, n + slots))) return { text: slots === 2 && opts.mapNames ? lddwText(prog, n, opts) : text, slots };
    } catch (e) {
      if (!(e instanceof AsmSyntaxError)) throw e;
    }
  }
  return { text: rawText(i), slots: 1 };
}

function slotText(i: Insn): string {
  switch (classOf(i.code)) {
    case Class.ALU:
    case Class.ALU64:
      return aluText(i);
    case Class.JMP:
    case Class.JMP32:
      return jmpText(i);
    case Class.LDX:
    case Class.ST:
    case Class.STX:
      return memText(i);
    default:
      return '';
  }
}

function hexBytes(prog: readonly Insn[], n: number, slots: number): string {
  return Array.from(encode(prog.slice(n, n + slots)), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Slot targeted by the jump or call at slot n (its text ends in the relative offset), or -1. */
function targetOf(prog: readonly Insn[], n: number, text: string): number {
  const i = prog[n];
  const cls = classOf(i.code);
  if (cls !== Class.JMP && cls !== Class.JMP32) return -1;
  const op = aluOpOf(i.code);
  if (/^(goto|if) /.test(text)) return n + 1 + (op === Jmp.JA && cls === Class.JMP32 ? i.imm : i.off);
  if (/^gotol /.test(text) || /^call [+-]/.test(text)) return n + 1 + i.imm;
  return -1;
}

/** Disassembles a program, one instruction a line, each line ending in a newline. */
export function disassemble(prog: readonly Insn[], opts: DisasmOptions = {}): string {
  const lines: { n: number; text: string; slots: number; target: number }[] = [];
  for (let n = 0; n < prog.length; ) {
    const { text, slots } = formatInsn(prog, n, opts);
    lines.push({ n, text, slots, target: opts.labels ? targetOf(prog, n, text) : -1 });
    n += slots;
  }
  const starts = new Set(lines.map((l) => l.n));
  const named = new Set(lines.filter((l) => starts.has(l.target)).map((l) => l.target));
  let out = '';
  for (const { n, text, slots, target } of lines) {
    if (named.has(n)) out += `L${n}:\n`;
    const shown = named.has(target) ? text.replace(/[+-]\d+(\) ll)?$/, (_m, ll: string | undefined) => `L${target}${ll ?? ''}`) : text;
    out += opts.layout === 'plain' ? `${shown}\n` : `${String(n).padStart(8)}:\t${hexBytes(prog, n, slots)}\t${shown}\n`;
  }
  return out;
}
