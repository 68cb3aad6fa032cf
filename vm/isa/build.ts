// Instruction constructors: what a compiler front end (ours in lang/, or a test) uses to
// emit eBPF without spelling opcode bits. Jump offsets here are numeric; the symbolic-label
// builder of lang/ resolves its labels to these.
import { Alu, Atomic, Class, Jmp, Mode, PseudoCall, PseudoLd, Size, Src } from './opcodes';
import { insn, type Insn } from './insn';

export type AluOp = keyof typeof Alu;
export type JmpOp = Exclude<keyof typeof Jmp, 'CALL' | 'EXIT'>;
export type SizeName = keyof typeof Size;
export type AtomicOp = 'ADD' | 'OR' | 'AND' | 'XOR' | 'XCHG' | 'CMPXCHG';

const i32 = (x: number): number => x | 0;

/** `dst op= imm` (64-bit unless `w32`). */
export function aluImm(op: AluOp, dst: number, imm: number, w32 = false, off = 0): Insn {
  return insn((w32 ? Class.ALU : Class.ALU64) | Alu[op] | Src.K, dst, 0, off, i32(imm));
}

/** `dst op= src` (64-bit unless `w32`). */
export function aluReg(op: AluOp, dst: number, src: number, w32 = false, off = 0): Insn {
  return insn((w32 ? Class.ALU : Class.ALU64) | Alu[op] | Src.X, dst, src, off, 0);
}

export const movImm = (dst: number, imm: number, w32 = false): Insn => aluImm('MOV', dst, imm, w32);
export const movReg = (dst: number, src: number, w32 = false): Insn => aluReg('MOV', dst, src, w32);

/** `dst = *(size *)(src + off)`; `signed` gives the sign-extending load. */
export function ldx(size: SizeName, dst: number, src: number, off: number, signed = false): Insn {
  return insn(Class.LDX | Size[size] | (signed ? Mode.MEMSX : Mode.MEM), dst, src, off, 0);
}

/** `*(size *)(dst + off) = src`. */
export function stx(size: SizeName, dst: number, off: number, src: number): Insn {
  return insn(Class.STX | Size[size] | Mode.MEM, dst, src, off, 0);
}

/** `*(size *)(dst + off) = imm`. */
export function st(size: SizeName, dst: number, off: number, imm: number): Insn {
  return insn(Class.ST | Size[size] | Mode.MEM, dst, 0, off, i32(imm));
}

/** An atomic read-modify-write of `*(size *)(dst + off)` with src (size W or DW). */
export function atomic(op: AtomicOp, size: 'W' | 'DW', dst: number, off: number, src: number, fetch = false): Insn {
  const imm = Atomic[op] | (fetch ? Atomic.FETCH : 0);
  return insn(Class.STX | Size[size] | Mode.ATOMIC, dst, src, off, imm);
}

/** `if dst op imm goto +off`. */
export function jmpImm(op: JmpOp, dst: number, imm: number, off: number, w32 = false): Insn {
  return insn((w32 ? Class.JMP32 : Class.JMP) | Jmp[op] | Src.K, dst, 0, off, i32(imm));
}

/** `if dst op src goto +off`. */
export function jmpReg(op: JmpOp, dst: number, src: number, off: number, w32 = false): Insn {
  return insn((w32 ? Class.JMP32 : Class.JMP) | Jmp[op] | Src.X, dst, src, off, 0);
}

/** `goto +off`. */
export const ja = (off: number): Insn => insn(Class.JMP | Jmp.JA, 0, 0, off, 0);

/** A helper call by Linux helper number. */
export const call = (helper: number): Insn => insn(Class.JMP | Jmp.CALL, 0, PseudoCall.HELPER, 0, helper);

/** A kernel function call (BPF_PSEUDO_KFUNC_CALL) to the kfunc with this BTF id. */
export const callKfunc = (btfId: number): Insn => insn(Class.JMP | Jmp.CALL, 0, PseudoCall.KFUNC, 0, btfId);

/** A bpf-to-bpf call to the instruction `rel` slots after the next one. */
export const callLocal = (rel: number): Insn => insn(Class.JMP | Jmp.CALL, 0, PseudoCall.LOCAL, 0, rel);

export const exit = (): Insn => insn(Class.JMP | Jmp.EXIT);

/** The two slots of `dst = imm64 ll`, with an optional pseudo source. */
export function lddw(dst: number, imm64: bigint, pseudo: number = PseudoLd.IMM64): [Insn, Insn] {
  const v = BigInt.asUintN(64, imm64);
  return [insn(Class.LD | Size.DW | Mode.IMM, dst, pseudo, 0, i32(Number(v & 0xffffffffn))), insn(0, 0, 0, 0, i32(Number(v >> 32n)))];
}

/** The two slots loading a map pointer by fd. */
export const ldMapFd = (dst: number, fd: number): [Insn, Insn] => lddw(dst, BigInt(fd), PseudoLd.MAP_FD);

/** The two slots loading a pointer to offset `off` of an array map's first value. */
export function ldMapValue(dst: number, fd: number, off: number): [Insn, Insn] {
  return lddw(dst, (BigInt(off >>> 0) << 32n) | BigInt(fd >>> 0), PseudoLd.MAP_VALUE);
}
