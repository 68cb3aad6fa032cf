// 64-bit arithmetic on registers held as two 32-bit halves (the interpreter's register
// representation): multiplication, division and remainder. Results land in RES to avoid
// allocating; the division paths fall back to BigInt only when an operand
// needs more than 32 bits.

/** The result of the last operation: [lo, hi]. */
export const RES = new Int32Array(2);

/** High 32 bits of the unsigned 64-bit product of two u32 values. */
function umulhi(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  RES[0] = Math.imul(alo, blo);
  RES[1] = (umulhi(alo >>> 0, blo >>> 0) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

const toBig = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

function fromBig(v: bigint): void {
  RES[0] = Number(BigInt.asIntN(32, v));
  RES[1] = Number(BigInt.asIntN(32, v >> 32n));
}

/** Unsigned (signed = false) or signed 64-bit division; x / 0 = 0, INT64_MIN / -1 = INT64_MIN. */
export function div64(alo: number, ahi: number, blo: number, bhi: number, signed: boolean): void {
  if (blo === 0 && bhi === 0) {
    RES[0] = RES[1] = 0;
    return;
  }
  if (!signed && ahi === 0 && bhi === 0) {
    RES[0] = Math.floor((alo >>> 0) / (blo >>> 0)) | 0;
    RES[1] = 0;
    return;
  }
  if (signed) fromBig(BigInt.asIntN(64, BigInt.asIntN(64, toBig(alo, ahi)) / BigInt.asIntN(64, toBig(blo, bhi))));
  else fromBig(toBig(alo, ahi) / toBig(blo, bhi));
}

/** Unsigned or signed 64-bit remainder; x % 0 = x; the sign follows the dividend. */
export function mod64(alo: number, ahi: number, blo: number, bhi: number, signed: boolean): void {
  if (blo === 0 && bhi === 0) {
    RES[0] = alo;
    RES[1] = ahi;
    return;
  }
  if (!signed && ahi === 0 && bhi === 0) {
    RES[0] = (alo >>> 0) % (blo >>> 0) | 0;
    RES[1] = 0;
    return;
  }
  if (signed) fromBig(BigInt.asIntN(64, toBig(alo, ahi)) % BigInt.asIntN(64, toBig(blo, bhi)));
  else fromBig(toBig(alo, ahi) % toBig(blo, bhi));
}

/** Signed 64-bit comparison a > b (1), a == b (0), a < b (-1). */
export function scmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (ahi !== bhi) return ahi > bhi ? 1 : -1;
  const a = alo >>> 0;
  const b = blo >>> 0;
  return a === b ? 0 : a > b ? 1 : -1;
}

/** Unsigned 64-bit comparison. */
export function ucmp64(alo: number, ahi: number, blo: number, bhi: number): number {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  if (ah !== bh) return ah > bh ? 1 : -1;
  const a = alo >>> 0;
  const b = blo >>> 0;
  return a === b ? 0 : a > b ? 1 : -1;
}

export function bswap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

export function bswap16(x: number): number {
  return ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
}
