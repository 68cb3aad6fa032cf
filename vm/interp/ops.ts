// The register operations the interpreter's dispatch calls out to: 64-bit shifts on
// (lo, hi) halves, byte swaps, 32-bit division and remainder, and the atomic
// read-modify-write operations on the shared memory. The dispatch itself and calls live
// in interpreter.ts; 64-bit multiplication and division in alu64.ts.
import { VmFault } from '../engine';
import { Atomic } from '../isa/opcodes';
import { bswap16, bswap32 } from './alu64';

const TWO32 = 4294967296;

export function shl64(L: Int32Array, H: Int32Array, d: number, n: number): void {
  if (n === 0) return;
  if (n < 32) {
    H[d] = (H[d] << n) | (L[d] >>> (32 - n));
    L[d] = L[d] << n;
  } else {
    H[d] = L[d] << (n - 32);
    L[d] = 0;
  }
}

export function shr64(L: Int32Array, H: Int32Array, d: number, n: number): void {
  if (n === 0) return;
  if (n < 32) {
    L[d] = (L[d] >>> n) | (H[d] << (32 - n));
    H[d] = H[d] >>> n;
  } else {
    L[d] = H[d] >>> (n - 32);
    H[d] = 0;
  }
}

export function sar64(L: Int32Array, H: Int32Array, d: number, n: number): void {
  if (n === 0) return;
  if (n < 32) {
    L[d] = (L[d] >>> n) | (H[d] << (32 - n));
    H[d] = H[d] >> n;
  } else {
    L[d] = H[d] >> (n - 32);
    H[d] = H[d] >> 31;
  }
}

/** Byte swap of the low 16, 32 or all 64 bits (be16/32/64 and bswap16/32/64); the rest is cleared. False for another width. */
export function swap(L: Int32Array, H: Int32Array, d: number, width: number): boolean {
  if (width === 16) {
    L[d] = bswap16(L[d]);
    H[d] = 0;
  } else if (width === 32) {
    L[d] = bswap32(L[d]);
    H[d] = 0;
  } else if (width === 64) {
    const lo = L[d];
    L[d] = bswap32(H[d]);
    H[d] = bswap32(lo);
  } else return false;
  return true;
}

/** 32-bit division; x / 0 = 0; signed INT32_MIN / -1 = INT32_MIN. */
export function div32(a: number, b: number, signed: boolean): number {
  if (b === 0) return 0;
  return signed ? Math.trunc(a / b) | 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

/** 32-bit remainder; x % 0 = x; the sign follows the dividend. */
export function mod32(a: number, b: number, signed: boolean): number {
  if (b === 0) return a;
  return signed ? a % b | 0 : (a >>> 0) % (b >>> 0) | 0;
}

const { ADD: ATOMIC_ADD, OR: ATOMIC_OR, AND: ATOMIC_AND, XOR: ATOMIC_XOR, FETCH, XCHG, CMPXCHG } = Atomic;

export function atomic32(dv: DataView, lin: number, L: Int32Array, H: Int32Array, s: number, op: number, pc: number): void {
  const old = dv.getInt32(lin, true);
  let v: number;
  switch (op & ~FETCH) {
    case ATOMIC_ADD:
      v = (old + L[s]) | 0;
      break;
    case ATOMIC_OR:
      v = old | L[s];
      break;
    case ATOMIC_AND:
      v = old & L[s];
      break;
    case ATOMIC_XOR:
      v = old ^ L[s];
      break;
    case XCHG & ~FETCH:
      if (op !== XCHG) throw badAtomic(pc, op);
      v = L[s];
      break;
    case CMPXCHG & ~FETCH:
      if (op !== CMPXCHG) throw badAtomic(pc, op);
      v = old === L[0] ? L[s] : old;
      dv.setInt32(lin, v, true);
      L[0] = old;
      H[0] = 0;
      return;
    default:
      throw badAtomic(pc, op);
  }
  dv.setInt32(lin, v, true);
  if (op & FETCH) {
    L[s] = old;
    H[s] = 0;
  }
}

export function atomic64(dv: DataView, lin: number, L: Int32Array, H: Int32Array, s: number, op: number, pc: number): void {
  const olo = dv.getInt32(lin, true);
  const ohi = dv.getInt32(lin + 4, true);
  let lo: number;
  let hi: number;
  switch (op & ~FETCH) {
    case ATOMIC_ADD: {
      const t = (olo >>> 0) + (L[s] >>> 0);
      lo = t | 0;
      hi = (ohi + H[s] + (t >= TWO32 ? 1 : 0)) | 0;
      break;
    }
    case ATOMIC_OR:
      lo = olo | L[s];
      hi = ohi | H[s];
      break;
    case ATOMIC_AND:
      lo = olo & L[s];
      hi = ohi & H[s];
      break;
    case ATOMIC_XOR:
      lo = olo ^ L[s];
      hi = ohi ^ H[s];
      break;
    case XCHG & ~FETCH:
      if (op !== XCHG) throw badAtomic(pc, op);
      lo = L[s];
      hi = H[s];
      break;
    case CMPXCHG & ~FETCH:
      if (op !== CMPXCHG) throw badAtomic(pc, op);
      if (olo === L[0] && ohi === H[0]) {
        dv.setInt32(lin, L[s], true);
        dv.setInt32(lin + 4, H[s], true);
      }
      L[0] = olo;
      H[0] = ohi;
      return;
    default:
      throw badAtomic(pc, op);
  }
  dv.setInt32(lin, lo, true);
  dv.setInt32(lin + 4, hi, true);
  if (op & FETCH) {
    L[s] = olo;
    H[s] = ohi;
  }
}

function badAtomic(pc: number, op: number): VmFault {
  return new VmFault('bad_insn', `unknown atomic operation 0x${op.toString(16)}`, pc);
}
