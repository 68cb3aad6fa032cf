// Tracked numbers ("tnums", as in the Linux verifier's tnum.c): what is known about the
// bits of a 64-bit value. A tnum is a pair (value, mask): bits set in mask are unknown,
// the others equal the bits of value (and value & mask is always 0). Values are unsigned
// 64-bit bigints. This file holds the lattice operations only; ranges live in scalar.ts.

export interface Tnum {
  readonly value: bigint;
  readonly mask: bigint;
}

export const U64 = (1n << 64n) - 1n;
export const U32 = (1n << 32n) - 1n;

const u64 = (x: bigint): bigint => x & U64;

export const tnumConst = (v: bigint): Tnum => ({ value: u64(v), mask: 0n });
export const TNUM_UNKNOWN: Tnum = { value: 0n, mask: U64 };

/** The tnum of every value in [min, max] (unsigned). */
export function tnumRange(min: bigint, max: bigint): Tnum {
  const chi = min ^ max;
  if (chi === 0n) return tnumConst(min);
  const bits = BigInt(bitLength(chi));
  if (bits > 63n) return TNUM_UNKNOWN;
  const delta = (1n << bits) - 1n;
  return { value: min & ~delta & U64, mask: delta };
}

/** Number of significant bits of a non-negative value below 2^64. */
function bitLength(x: bigint): number {
  if (x < 0x100000000n) return 32 - Math.clz32(Number(x));
  return 64 - Math.clz32(Number(x >> 32n));
}

export const tnumIsConst = (a: Tnum): boolean => a.mask === 0n;
export const tnumIsUnknown = (a: Tnum): boolean => a.mask === U64;
export const tnumEqualsConst = (a: Tnum, v: bigint): boolean => a.mask === 0n && a.value === u64(v);

export const tnumLshift = (a: Tnum, s: number): Tnum => ({ value: u64(a.value << BigInt(s)), mask: u64(a.mask << BigInt(s)) });
export const tnumRshift = (a: Tnum, s: number): Tnum => ({ value: a.value >> BigInt(s), mask: a.mask >> BigInt(s) });

/** Arithmetic right shift of the low `width` bits (32 or 64); the result is zero-extended from width. */
export function tnumArshift(a: Tnum, s: number, width: 32 | 64): Tnum {
  const w = BigInt(width);
  const lim = (1n << w) - 1n;
  const sx = (x: bigint): bigint => BigInt.asIntN(width, x);
  return { value: (sx(a.value) >> BigInt(s)) & lim, mask: (sx(a.mask) >> BigInt(s)) & lim };
}

export function tnumAdd(a: Tnum, b: Tnum): Tnum {
  const sm = u64(a.mask + b.mask);
  const sv = u64(a.value + b.value);
  const sigma = u64(sm + sv);
  const chi = sigma ^ sv;
  const mu = chi | a.mask | b.mask;
  return { value: sv & ~mu & U64, mask: mu };
}

export function tnumSub(a: Tnum, b: Tnum): Tnum {
  const dv = u64(a.value - b.value);
  const alpha = u64(dv + a.mask);
  const beta = u64(dv - b.mask);
  const chi = alpha ^ beta;
  const mu = chi | a.mask | b.mask;
  return { value: dv & ~mu & U64, mask: mu };
}

export function tnumAnd(a: Tnum, b: Tnum): Tnum {
  const alpha = a.value | a.mask;
  const beta = b.value | b.mask;
  const v = a.value & b.value;
  return { value: v, mask: alpha & beta & ~v & U64 };
}

export function tnumOr(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask | b.mask;
  return { value: v, mask: mu & ~v & U64 };
}

export function tnumXor(a: Tnum, b: Tnum): Tnum {
  const v = a.value ^ b.value;
  const mu = a.mask | b.mask;
  return { value: v & ~mu & U64, mask: mu };
}

/** Multiplication by shift-and-add over the bits of a (Harishankar et al., as in Linux). */
export function tnumMul(a: Tnum, b: Tnum): Tnum {
  let acc_v = u64(a.value * b.value);
  let acc_m: Tnum = { value: 0n, mask: 0n };
  let x = a;
  let y = b;
  while (x.value !== 0n || x.mask !== 0n) {
    if ((x.value & 1n) !== 0n) acc_m = tnumAdd(acc_m, { value: 0n, mask: y.mask });
    else if ((x.mask & 1n) !== 0n) acc_m = tnumAdd(acc_m, { value: 0n, mask: y.value | y.mask });
    x = tnumRshift(x, 1);
    y = tnumLshift(y, 1);
  }
  acc_v = u64(acc_v);
  return tnumAdd(tnumConst(acc_v), acc_m);
}

/** Bits known in either (the two must describe a common value). */
export function tnumIntersect(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask & b.mask;
  return { value: v & ~mu & U64, mask: mu };
}

/** The smallest tnum holding every value of both. */
export function tnumUnion(a: Tnum, b: Tnum): Tnum {
  const v = a.value & b.value;
  const mu = a.mask | b.mask | (a.value ^ b.value);
  return { value: v & ~mu & U64, mask: mu };
}

/** The low `bytes` bytes (zero-extended). */
export function tnumCast(a: Tnum, bytes: number): Tnum {
  const lim = (1n << BigInt(bytes * 8)) - 1n;
  return { value: a.value & lim, mask: a.mask & lim };
}

export const tnumIsAligned = (a: Tnum, size: number): boolean => size === 0 || ((a.value | a.mask) & BigInt(size - 1)) === 0n;

/** True when every value of b is a value of a. */
export const tnumIn = (a: Tnum, b: Tnum): boolean => (b.mask & ~a.mask & U64) === 0n && (b.value & ~a.mask & U64) === a.value;

export const tnumSubreg = (a: Tnum): Tnum => tnumCast(a, 4);
export const tnumClearSubreg = (a: Tnum): Tnum => tnumLshift(tnumRshift(a, 32), 32);
export const tnumWithSubreg = (reg: Tnum, subreg: Tnum): Tnum => tnumOr(tnumClearSubreg(reg), tnumSubreg(subreg));
export const tnumSubregIsConst = (a: Tnum): boolean => (a.mask & U32) === 0n;

export const tnumEq = (a: Tnum, b: Tnum): boolean => a.value === b.value && a.mask === b.mask;

/** `(0x0; 0xff)` as the kernel's log prints a tnum. */
export const tnumStr = (a: Tnum): string => `(${hex(a.value)}; ${hex(a.mask)})`;

export const hex = (x: bigint): string => `0x${x.toString(16)}`;
