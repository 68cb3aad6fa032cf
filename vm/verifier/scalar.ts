// Scalar ranges as the Linux verifier tracks them: signed and unsigned bounds of the whole
// 64-bit value and of its low 32 bits, plus the known bits (tnum), kept consistent with
// each other by `syncBounds` (the kernel's reg_bounds_sync). This file holds the bounds
// record, its normalisation and the arithmetic transfer functions of each ALU operation;
// pointers and the register record itself are in state.ts, jumps in branch.ts.
import {
  type Tnum, TNUM_UNKNOWN, U32, U64, tnumAdd, tnumAnd, tnumArshift, tnumCast, tnumClearSubreg, tnumConst, tnumIntersect,
  tnumIsConst, tnumLshift, tnumMul, tnumOr, tnumRange, tnumRshift, tnumSub, tnumSubreg, tnumSubregIsConst, tnumXor,
} from './tnum';

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const U64_MAX = U64;
export const S32_MIN = -(1n << 31n);
export const S32_MAX = (1n << 31n) - 1n;
export const U32_MAX = U32;

/** What is known of a scalar (or of a pointer's variable offset). Signed fields hold signed bigints, unsigned fields unsigned ones. */
export interface Bounds {
  var: Tnum;
  smin: bigint;
  smax: bigint;
  umin: bigint;
  umax: bigint;
  s32min: bigint;
  s32max: bigint;
  u32min: bigint;
  u32max: bigint;
}

const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export const UNBOUNDED: Readonly<Bounds> = {
  var: TNUM_UNKNOWN, smin: S64_MIN, smax: S64_MAX, umin: 0n, umax: U64_MAX,
  s32min: S32_MIN, s32max: S32_MAX, u32min: 0n, u32max: U32_MAX,
};

/** Bounds of the single value v (taken modulo 2^64). */
export function known(v: bigint): Bounds {
  const u = u64(v);
  const l = u32(u);
  return { var: tnumConst(u), smin: s64(u), smax: s64(u), umin: u, umax: u, s32min: s32(l), s32max: s32(l), u32min: l, u32max: l };
}

export const isConst = (b: Bounds): boolean => tnumIsConst(b.var);
export const isConst32 = (b: Bounds): boolean => tnumSubregIsConst(b.var);

function mark64Unbounded(b: Bounds): void {
  b.smin = S64_MIN; b.smax = S64_MAX; b.umin = 0n; b.umax = U64_MAX;
}
function mark32Unbounded(b: Bounds): void {
  b.s32min = S32_MIN; b.s32max = S32_MAX; b.u32min = 0n; b.u32max = U32_MAX;
}
export function mark32Known(b: Bounds, v: bigint): void {
  b.var = { value: (b.var.value & ~U32) | u32(v), mask: b.var.mask & ~U32 & U64 };
  b.s32min = b.s32max = s32(v);
  b.u32min = b.u32max = u32(v);
}

function updateBounds32(b: Bounds): void {
  const v = tnumSubreg(b.var);
  b.s32min = max(b.s32min, s32(v.value | (v.mask & (1n << 31n))));
  b.s32max = min(b.s32max, s32(v.value | (v.mask & S32_MAX)));
  b.u32min = max(b.u32min, v.value);
  b.u32max = min(b.u32max, v.value | v.mask);
}
function updateBounds64(b: Bounds): void {
  const v = b.var;
  b.smin = max(b.smin, s64(v.value | (v.mask & (1n << 63n))));
  b.smax = min(b.smax, s64(v.value | (v.mask & S64_MAX)));
  b.umin = max(b.umin, v.value);
  b.umax = min(b.umax, v.value | v.mask);
}
export function updateBounds(b: Bounds): void {
  updateBounds32(b);
  updateBounds64(b);
}

function deduce32(b: Bounds): void {
  if (b.umin >> 32n === b.umax >> 32n) {
    b.u32min = max(b.u32min, u32(b.umin));
    b.u32max = min(b.u32max, u32(b.umax));
    if (s32(b.umin) <= s32(b.umax)) {
      b.s32min = max(b.s32min, s32(b.umin));
      b.s32max = min(b.s32max, s32(b.umax));
    }
  }
  if (b.smin >> 32n === b.smax >> 32n) {
    if (u32(b.smin) <= u32(b.smax)) {
      b.u32min = max(b.u32min, u32(b.smin));
      b.u32max = min(b.u32max, u32(b.smax));
    }
    if (s32(b.smin) <= s32(b.smax)) {
      b.s32min = max(b.s32min, s32(b.smin));
      b.s32max = min(b.s32max, s32(b.smax));
    }
  }
  if (s32(b.u32min) <= s32(b.u32max)) {
    b.s32min = max(b.s32min, s32(b.u32min));
    b.s32max = min(b.s32max, s32(b.u32max));
  }
  if (u32(b.s32min) <= u32(b.s32max)) {
    b.u32min = max(b.u32min, u32(b.s32min));
    b.u32max = min(b.u32max, u32(b.s32max));
  }
}
function deduce64(b: Bounds): void {
  if (s64(b.umin) <= s64(b.umax)) {
    b.smin = max(b.smin, s64(b.umin));
    b.smax = min(b.smax, s64(b.umax));
  }
  if (u64(b.smin) <= u64(b.smax)) {
    b.umin = max(b.umin, u64(b.smin));
    b.umax = min(b.umax, u64(b.smax));
  }
}
function deduceMixed(b: Bounds): void {
  const hiMask = ~U32;
  b.umin = max(b.umin, (b.umin & hiMask) | b.u32min);
  b.umax = min(b.umax, (b.umax & hiMask) | b.u32max);
  b.smin = max(b.smin, (b.smin & hiMask) | b.u32min);
  b.smax = min(b.smax, (b.smax & hiMask) | b.u32max);
  if (u32(b.s32min) <= u32(b.s32max)) {
    b.umin = max(b.umin, (b.umin & hiMask) | u32(b.s32min));
    b.umax = min(b.umax, (b.umax & hiMask) | u32(b.s32max));
    b.smin = max(b.smin, (b.smin & hiMask) | u32(b.s32min));
    b.smax = min(b.smax, (b.smax & hiMask) | u32(b.s32max));
  }
}
function boundOffset(b: Bounds): void {
  const v64 = tnumIntersect(b.var, tnumRange(b.umin, b.umax));
  const v32 = tnumIntersect(tnumSubreg(v64), tnumRange(b.u32min, b.u32max));
  b.var = tnumOr(tnumClearSubreg(v64), v32);
}

/** Brings the four ranges and the tnum into agreement (reg_bounds_sync). */
export function syncBounds(b: Bounds): void {
  updateBounds(b);
  deduce32(b);
  deduce64(b);
  deduceMixed(b);
  deduce64(b);
  boundOffset(b);
  updateBounds(b);
}

/** True when the bounds describe no value at all (a branch that cannot be taken). */
export function boundsInvalid(b: Bounds): boolean {
  return b.smin > b.smax || b.umin > b.umax || b.s32min > b.s32max || b.u32min > b.u32max || (b.var.value & b.var.mask) !== 0n ||
    (tnumIsConst(b.var) && (b.var.value < b.umin || b.var.value > b.umax));
}

/** The upper 32 bits become zero: the result of every 32-bit ALU operation. */
export function zext32(b: Bounds): void {
  b.var = tnumSubreg(b.var);
  assign32Into64(b);
}
function assign32Into64(b: Bounds): void {
  b.umin = b.u32min;
  b.umax = b.u32max;
  if (b.s32min >= 0n && b.s32max >= 0n) {
    b.smin = b.s32min;
    b.smax = b.s32max;
  } else {
    b.smin = 0n;
    b.smax = U32_MAX;
  }
}

/** Truncates to the low `bytes` bytes, zero-extended (a narrow load or a 32-bit move). */
export function coerceToSize(b: Bounds, bytes: number): void {
  if (bytes >= 8) return;
  const lim = (1n << BigInt(bytes * 8)) - 1n;
  b.var = tnumCast(b.var, bytes);
  if (b.umin >> BigInt(bytes * 8) === b.umax >> BigInt(bytes * 8)) {
    b.umin &= lim;
    b.umax &= lim;
  } else {
    b.umin = 0n;
    b.umax = lim;
  }
  b.smin = b.umin;
  b.smax = b.umax;
  b.u32min = b.umin;
  b.u32max = b.umax;
  b.s32min = s32(b.umin) <= s32(b.umax) ? s32(b.umin) : S32_MIN;
  b.s32max = s32(b.umin) <= s32(b.umax) ? s32(b.umax) : S32_MAX;
  if (bytes === 4) {
    b.s32min = S32_MIN;
    b.s32max = S32_MAX;
  }
  syncBounds(b);
}

/**
 * Sign-extends from the low `bytes` bytes (sign-extending loads and movsx) to 64 bits;
 * with `from32` the source is the low 32 bits (a 32-bit movsx; the caller zero-extends).
 * A value whose signed range already fits the narrow type does not change.
 */
export function signExtend(b: Bounds, bytes: number, from32 = false): void {
  const bits = bytes * 8;
  const half = 1n << BigInt(bits - 1);
  if (from32 ? isConst32(b) : isConst(b)) {
    Object.assign(b, known(BigInt.asIntN(bits, b.var.value)));
    return;
  }
  const lo = from32 ? b.s32min : b.smin;
  const hi = from32 ? b.s32max : b.smax;
  if (lo >= -half && hi <= half - 1n) {
    if (!from32) return;
    Object.assign(b, { ...UNBOUNDED, smin: lo, smax: hi });
    syncBounds(b);
    return;
  }
  Object.assign(b, { ...UNBOUNDED, smin: -half, smax: half - 1n });
  syncBounds(b);
}

export function unbounded(): Bounds {
  return { ...UNBOUNDED };
}

/** A scalar known only to fit in `bytes` bytes (zero-extended). */
export function unknownOfSize(bytes: number): Bounds {
  const b = unbounded();
  coerceToSize(b, bytes);
  return b;
}

// ---- ALU transfer functions (adjust_scalar_min_max_vals) ----------------------------

function addOverflows(a: bigint, b: bigint, lo: bigint, hi: bigint): boolean {
  const r = a + b;
  return r < lo || r > hi;
}

function add32(d: Bounds, s: Bounds): void {
  if (addOverflows(d.s32min, s.s32min, S32_MIN, S32_MAX) || addOverflows(d.s32max, s.s32max, S32_MIN, S32_MAX)) {
    d.s32min = S32_MIN; d.s32max = S32_MAX;
  } else {
    d.s32min += s.s32min; d.s32max += s.s32max;
  }
  if (d.u32min + s.u32min > U32_MAX || d.u32max + s.u32max > U32_MAX) {
    d.u32min = 0n; d.u32max = U32_MAX;
  } else {
    d.u32min += s.u32min; d.u32max += s.u32max;
  }
}
function add64(d: Bounds, s: Bounds): void {
  if (addOverflows(d.smin, s.smin, S64_MIN, S64_MAX) || addOverflows(d.smax, s.smax, S64_MIN, S64_MAX)) {
    d.smin = S64_MIN; d.smax = S64_MAX;
  } else {
    d.smin += s.smin; d.smax += s.smax;
  }
  if (d.umin + s.umin > U64_MAX || d.umax + s.umax > U64_MAX) {
    d.umin = 0n; d.umax = U64_MAX;
  } else {
    d.umin += s.umin; d.umax += s.umax;
  }
}
function sub32(d: Bounds, s: Bounds): void {
  if (addOverflows(d.s32min, -s.s32max, S32_MIN, S32_MAX) || addOverflows(d.s32max, -s.s32min, S32_MIN, S32_MAX)) {
    d.s32min = S32_MIN; d.s32max = S32_MAX;
  } else {
    const lo = d.s32min - s.s32max;
    d.s32max = d.s32max - s.s32min;
    d.s32min = lo;
  }
  if (d.u32min < s.u32max) {
    d.u32min = 0n; d.u32max = U32_MAX;
  } else {
    const lo = d.u32min - s.u32max;
    d.u32max = d.u32max - s.u32min;
    d.u32min = lo;
  }
}
function sub64(d: Bounds, s: Bounds): void {
  if (addOverflows(d.smin, -s.smax, S64_MIN, S64_MAX) || addOverflows(d.smax, -s.smin, S64_MIN, S64_MAX)) {
    d.smin = S64_MIN; d.smax = S64_MAX;
  } else {
    const lo = d.smin - s.smax;
    d.smax = d.smax - s.smin;
    d.smin = lo;
  }
  if (d.umin < s.umax) {
    d.umin = 0n; d.umax = U64_MAX;
  } else {
    const lo = d.umin - s.umax;
    d.umax = d.umax - s.umin;
    d.umin = lo;
  }
}
function mul32(d: Bounds, s: Bounds): void {
  const uhi = d.u32max * s.u32max;
  if (uhi > U32_MAX) {
    d.u32min = 0n; d.u32max = U32_MAX;
  } else {
    d.u32min *= s.u32min; d.u32max = uhi;
  }
  const p = [d.s32min * s.s32min, d.s32min * s.s32max, d.s32max * s.s32min, d.s32max * s.s32max];
  if (p.some((x) => x < S32_MIN || x > S32_MAX)) {
    d.s32min = S32_MIN; d.s32max = S32_MAX;
  } else {
    d.s32min = p.reduce(min);
    d.s32max = p.reduce(max);
  }
}
function mul64(d: Bounds, s: Bounds): void {
  const uhi = d.umax * s.umax;
  if (uhi > U64_MAX) {
    d.umin = 0n; d.umax = U64_MAX;
  } else {
    d.umin *= s.umin; d.umax = uhi;
  }
  const p = [d.smin * s.smin, d.smin * s.smax, d.smax * s.smin, d.smax * s.smax];
  if (p.some((x) => x < S64_MIN || x > S64_MAX)) {
    d.smin = S64_MIN; d.smax = S64_MAX;
  } else {
    d.smin = p.reduce(min);
    d.smax = p.reduce(max);
  }
}
function signedFromUnsigned32(d: Bounds): void {
  if (s32(d.u32min) <= s32(d.u32max)) {
    d.s32min = s32(d.u32min); d.s32max = s32(d.u32max);
  } else {
    d.s32min = S32_MIN; d.s32max = S32_MAX;
  }
}
function signedFromUnsigned64(d: Bounds): void {
  if (s64(d.umin) <= s64(d.umax)) {
    d.smin = s64(d.umin); d.smax = s64(d.umax);
  } else {
    d.smin = S64_MIN; d.smax = S64_MAX;
  }
}
function and32(d: Bounds, s: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  const v = tnumSubreg(d.var);
  if (srcKnown && dstKnown) return mark32Known(d, v.value);
  d.u32min = v.value;
  d.u32max = min(d.u32max, s.u32max);
  signedFromUnsigned32(d);
}
function and64(d: Bounds, s: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  if (srcKnown && dstKnown) return void Object.assign(d, known(d.var.value));
  d.umin = d.var.value;
  d.umax = min(d.umax, s.umax);
  signedFromUnsigned64(d);
  updateBounds(d);
}
function or32(d: Bounds, s: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  const v = tnumSubreg(d.var);
  if (srcKnown && dstKnown) return mark32Known(d, v.value);
  d.u32min = max(d.u32min, s.u32min);
  d.u32max = v.value | v.mask;
  signedFromUnsigned32(d);
}
function or64(d: Bounds, s: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  if (srcKnown && dstKnown) return void Object.assign(d, known(d.var.value));
  d.umin = max(d.umin, s.umin);
  d.umax = d.var.value | d.var.mask;
  signedFromUnsigned64(d);
  updateBounds(d);
}
function xor32(d: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  const v = tnumSubreg(d.var);
  if (srcKnown && dstKnown) return mark32Known(d, v.value);
  d.u32min = v.value;
  d.u32max = v.value | v.mask;
  signedFromUnsigned32(d);
}
function xor64(d: Bounds, srcKnown: boolean, dstKnown: boolean): void {
  if (srcKnown && dstKnown) return void Object.assign(d, known(d.var.value));
  d.umin = d.var.value;
  d.umax = d.var.value | d.var.mask;
  signedFromUnsigned64(d);
  updateBounds(d);
}
function lsh32Bounds(d: Bounds, umin: bigint, umax: bigint): void {
  d.s32min = S32_MIN; d.s32max = S32_MAX;
  if (umax > 31n || d.u32max > 1n << (31n - umax)) {
    d.u32min = 0n; d.u32max = U32_MAX;
  } else {
    d.u32min <<= umin; d.u32max <<= umax;
  }
}
function lsh64Bounds(d: Bounds, umin: bigint, umax: bigint): void {
  d.smax = umin === 32n && umax === 32n && d.s32max >= 0n ? d.s32max << 32n : S64_MAX;
  d.smin = umin === 32n && umax === 32n && d.s32min >= 0n ? d.s32min << 32n : S64_MIN;
  if (d.umax > 1n << (63n - umax)) {
    d.umin = 0n; d.umax = U64_MAX;
  } else {
    d.umin <<= umin; d.umax <<= umax;
  }
}

/** The ALU operations whose results are tracked; the others give an unknown scalar. */
export type ScalarOp = 'ADD' | 'SUB' | 'MUL' | 'AND' | 'OR' | 'XOR' | 'LSH' | 'RSH' | 'ARSH';

/**
 * dst = dst op src on scalars, 64-bit or 32-bit (then zero-extended), returning the new
 * bounds. Shifts are tracked only by a known amount below the width, as in the kernel.
 */
export function scalarAlu(op: ScalarOp, dst: Bounds, src: Bounds, alu32: boolean): Bounds {
  if (dst.var.mask === 0n && src.var.mask === 0n) {
    const folded = foldConst(op, dst.var.value, src.var.value, alu32);
    if (folded !== undefined) return known(folded);
  }
  const d: Bounds = boundsOf(dst);
  const width = alu32 ? 32n : 64n;
  const srcKnown = alu32 ? isConst32(src) : isConst(src);
  const dstKnown = alu32 ? isConst32(d) : isConst(d);
  if ((op === 'LSH' || op === 'RSH' || op === 'ARSH') && !(srcKnown && (alu32 ? src.u32max : src.umax) < width)) {
    // Not tracked: a fully unknown scalar, even for 32-bit shifts, as in the kernel.
    return unbounded();
  }
  switch (op) {
    case 'ADD':
      add32(d, src); add64(d, src);
      d.var = tnumAdd(d.var, src.var);
      break;
    case 'SUB':
      sub32(d, src); sub64(d, src);
      d.var = tnumSub(d.var, src.var);
      break;
    case 'MUL':
      d.var = tnumMul(d.var, src.var);
      mul32(d, src); mul64(d, src);
      break;
    case 'AND':
      d.var = tnumAnd(d.var, src.var);
      and32(d, src, srcKnown, dstKnown); and64(d, src, srcKnown, dstKnown);
      break;
    case 'OR':
      d.var = tnumOr(d.var, src.var);
      or32(d, src, srcKnown, dstKnown); or64(d, src, srcKnown, dstKnown);
      break;
    case 'XOR':
      d.var = tnumXor(d.var, src.var);
      xor32(d, srcKnown, dstKnown); xor64(d, srcKnown, dstKnown);
      break;
    case 'LSH':
      if (alu32) {
        const sub = tnumSubreg(d.var);
        lsh32Bounds(d, src.u32min, src.u32max);
        d.var = tnumSubreg(tnumLshift(sub, Number(src.u32min)));
        mark64Unbounded(d);
        updateBounds32(d);
      } else {
        lsh64Bounds(d, src.umin, src.umax);
        lsh32Bounds(d, src.umin, src.umax);
        d.var = tnumLshift(d.var, Number(src.umin));
        updateBounds(d);
      }
      break;
    case 'RSH':
      if (alu32) {
        const sub = tnumSubreg(d.var);
        d.s32min = S32_MIN; d.s32max = S32_MAX;
        d.var = tnumRshift(sub, Number(src.u32min));
        d.u32min >>= src.u32max;
        d.u32max >>= src.u32min;
        mark64Unbounded(d);
        updateBounds32(d);
      } else {
        d.smin = S64_MIN; d.smax = S64_MAX;
        d.var = tnumRshift(d.var, Number(src.umin));
        d.umin >>= src.umax;
        d.umax >>= src.umin;
        mark32Unbounded(d);
        updateBounds(d);
      }
      break;
    case 'ARSH':
      if (alu32) {
        const sh = src.u32min;
        d.s32min >>= sh;
        d.s32max >>= sh;
        d.var = tnumArshift(tnumSubreg(d.var), Number(sh), 32);
        d.u32min = 0n; d.u32max = U32_MAX;
        mark64Unbounded(d);
        updateBounds32(d);
      } else {
        const sh = src.umin;
        d.smin >>= sh;
        d.smax >>= sh;
        d.var = tnumArshift(d.var, Number(sh), 64);
        d.umin = 0n; d.umax = U64_MAX;
        mark32Unbounded(d);
        updateBounds(d);
      }
      break;
    default: {
      const never: never = op;
      throw new Error(`unhandled scalar op ${String(never)}`);
    }
  }
  if (alu32) zext32(d);
  syncBounds(d);
  return d;
}

/** dst op src on known values, as the machine computes it; undefined for shifts out of range. */
function foldConst(op: ScalarOp, a: bigint, b: bigint, alu32: boolean): bigint | undefined {
  const w = alu32 ? 32 : 64;
  const x = BigInt.asUintN(w, a);
  const y = BigInt.asUintN(w, b);
  let r: bigint;
  switch (op) {
    case 'ADD': r = x + y; break;
    case 'SUB': r = x - y; break;
    case 'MUL': r = x * y; break;
    case 'AND': r = x & y; break;
    case 'OR': r = x | y; break;
    case 'XOR': r = x ^ y; break;
    case 'LSH': if (y >= BigInt(w)) return undefined; r = x << y; break;
    case 'RSH': if (y >= BigInt(w)) return undefined; r = x >> y; break;
    case 'ARSH': if (y >= BigInt(w)) return undefined; r = BigInt.asIntN(w, x) >> y; break;
    default: return undefined;
  }
  return BigInt.asUintN(w, r);
}

/** Keeps only the bounds fields of a larger record (a register). */
export function boundsOf(b: Bounds): Bounds {
  return { var: b.var, smin: b.smin, smax: b.smax, umin: b.umin, umax: b.umax, s32min: b.s32min, s32max: b.s32max, u32min: b.u32min, u32max: b.u32max };
}

export const rangeWithin = (old: Bounds, cur: Bounds): boolean =>
  old.umin <= cur.umin && old.umax >= cur.umax && old.smin <= cur.smin && old.smax >= cur.smax &&
  old.u32min <= cur.u32min && old.u32max >= cur.u32max && old.s32min <= cur.s32min && old.s32max >= cur.s32max;

export { tnumRange, tnumConst, tnumIsConst };
