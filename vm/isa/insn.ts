// One eBPF instruction slot as a plain object, and its 8-byte little-endian encoding.
// A program is an array of slots; `lddw` takes two, the second holding the upper 32 bits
// of the immediate in its imm field (all its other fields zero).
import { Class, Mode, Size } from './opcodes';

export interface Insn {
  /** The opcode byte. */
  code: number;
  /** Destination register, 0-10 (4 bits). */
  dst: number;
  /** Source register, 0-10 (4 bits), or a pseudo source for `lddw` and calls. */
  src: number;
  /** Signed 16-bit offset. */
  off: number;
  /** Signed 32-bit immediate. */
  imm: number;
}

export const INSN_SIZE = 8;

export function insn(code: number, dst = 0, src = 0, off = 0, imm = 0): Insn {
  return { code, dst, src, off, imm };
}

/** True when the slot is the first half of a two-slot `lddw`. */
export function isLddw(i: Insn): boolean {
  return i.code === (Class.LD | Size.DW | Mode.IMM);
}

/** Encodes slots to bytes. Fields are truncated to their widths (off to 16 bits, imm to 32). */
export function encode(prog: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(prog.length * INSN_SIZE);
  const dv = new DataView(out.buffer);
  prog.forEach((i, n) => {
    const at = n * INSN_SIZE;
    dv.setUint8(at, i.code & 0xff);
    dv.setUint8(at + 1, ((i.src & 0xf) << 4) | (i.dst & 0xf));
    dv.setInt16(at + 2, i.off, true);
    dv.setInt32(at + 4, i.imm, true);
  });
  return out;
}

/** Decodes bytes to slots; the length must be a multiple of 8. */
export function decode(bytes: Uint8Array): Insn[] {
  if (bytes.length % INSN_SIZE !== 0) throw new RangeError(`bytecode length ${bytes.length} is not a multiple of ${INSN_SIZE}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Insn[] = [];
  for (let at = 0; at < bytes.length; at += INSN_SIZE) {
    const regs = dv.getUint8(at + 1);
    out.push({ code: dv.getUint8(at), dst: regs & 0xf, src: regs >> 4, off: dv.getInt16(at + 2, true), imm: dv.getInt32(at + 4, true) });
  }
  return out;
}

/** The 64-bit immediate of an `lddw` at slot n, as an unsigned bigint. */
export function lddwImm(prog: readonly Insn[], n: number): bigint {
  const lo = BigInt(prog[n].imm >>> 0);
  const hi = BigInt((prog[n + 1]?.imm ?? 0) >>> 0);
  return (hi << 32n) | lo;
}
