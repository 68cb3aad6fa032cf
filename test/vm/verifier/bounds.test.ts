// Property tests of the abstract domain against concrete 64-bit arithmetic: every tnum
// operation, every tracked ALU transfer function (64- and 32-bit) and every branch
// refinement must keep each concrete value its inputs allowed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Tnum, tnumAdd, tnumAnd, tnumArshift, tnumConst, tnumIn, tnumLshift, tnumMul, tnumOr, tnumRange, tnumRshift, tnumSub, tnumXor } from '../../../vm/verifier/tnum';
import { type Bounds, type ScalarOp, known, scalarAlu, syncBounds, boundsInvalid, unbounded } from '../../../vm/verifier/scalar';
import { NEGATE, refine, scalarBranchTaken, JSET_NOT } from '../../../vm/verifier/jmp';
import { Jmp } from '../../../vm/isa/opcodes';

const U64 = (1n << 64n) - 1n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Interesting 64-bit values: small, around sign and word boundaries, random. */
const val = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: -300n, max: -1n }).map(u64),
  fc.constantFrom(0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 1n << 63n, U64, (1n << 63n) - 1n),
  fc.bigInt({ min: 0n, max: U64 }),
);

/** A tnum and a member of it: a value with some bits made unknown. */
const tnumWithMember = fc.tuple(val, fc.bigInt({ min: 0n, max: U64 }), fc.nat(3)).map(([x, m, k]): [Tnum, bigint] => {
  const mask = k === 0 ? 0n : k === 1 ? m & 0xffn : k === 2 ? m & 0xffffffffn : m;
  return [{ value: x & ~mask & U64, mask }, x];
});

/** Abstract bounds built from a concrete range (as comparisons would leave them), and a member. */
const boundsWithMember = fc.tuple(val, val, fc.nat(4)).map(([a, b, k]): [Bounds, bigint] => {
  let lo = a < b ? a : b;
  let hi = a < b ? b : a;
  if (k === 0) hi = lo;
  if (k === 1 && hi - lo > 1000n) hi = lo + 1000n;
  const x = lo + (k === 3 ? hi - lo : k === 2 ? (hi - lo) / 2n : 0n);
  const bd: Bounds = { ...unbounded(), umin: lo, umax: hi, var: tnumRange(lo, hi) };
  syncBounds(bd);
  return [bd, x];
});

function member(b: Bounds, x: bigint): boolean {
  const lo = x & 0xffffffffn;
  return b.umin <= x && x <= b.umax && b.smin <= s64(x) && s64(x) <= b.smax && b.u32min <= lo && lo <= b.u32max &&
    b.s32min <= BigInt.asIntN(32, lo) && BigInt.asIntN(32, lo) <= b.s32max && tnumIn(b.var, tnumConst(x));
}

describe('tnum operations contain the concrete results', () => {
  const ops: [string, (a: Tnum, b: Tnum) => Tnum, (x: bigint, y: bigint) => bigint][] = [
    ['add', tnumAdd, (x, y) => u64(x + y)],
    ['sub', tnumSub, (x, y) => u64(x - y)],
    ['and', tnumAnd, (x, y) => x & y],
    ['or', tnumOr, (x, y) => x | y],
    ['xor', tnumXor, (x, y) => x ^ y],
    ['mul', tnumMul, (x, y) => u64(x * y)],
  ];
  for (const [name, op, conc] of ops) {
    it(name, () => {
      fc.assert(fc.property(tnumWithMember, tnumWithMember, ([a, x], [b, y]) => tnumIn(op(a, b), tnumConst(conc(x, y)))), { numRuns: 300 });
    });
  }
  it('shifts', () => {
    fc.assert(
      fc.property(tnumWithMember, fc.nat(63), ([a, x], s) => {
        const sh = BigInt(s);
        expect(tnumIn(tnumLshift(a, s), tnumConst(u64(x << sh)))).toBe(true);
        expect(tnumIn(tnumRshift(a, s), tnumConst(x >> sh))).toBe(true);
        expect(tnumIn(tnumArshift(a, s, 64), tnumConst(u64(s64(x) >> sh)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

const SCALAR_OPS: ScalarOp[] = ['ADD', 'SUB', 'MUL', 'AND', 'OR', 'XOR', 'LSH', 'RSH', 'ARSH'];

function concrete(op: ScalarOp, x: bigint, y: bigint, w32: boolean): bigint {
  const w = w32 ? 32 : 64;
  const a = BigInt.asUintN(w, x);
  const b = BigInt.asUintN(w, y);
  const sh = b & BigInt(w - 1);
  let r: bigint;
  switch (op) {
    case 'ADD': r = a + b; break;
    case 'SUB': r = a - b; break;
    case 'MUL': r = a * b; break;
    case 'AND': r = a & b; break;
    case 'OR': r = a | b; break;
    case 'XOR': r = a ^ b; break;
    case 'LSH': r = a << sh; break;
    case 'RSH': r = a >> sh; break;
    case 'ARSH': r = BigInt.asIntN(w, a) >> sh; break;
  }
  return BigInt.asUintN(w, r);
}

describe('ALU transfer functions contain the concrete results', () => {
  for (const op of SCALAR_OPS) {
    for (const w32 of [false, true]) {
      it(`${op}${w32 ? ' (32-bit)' : ''}`, () => {
        fc.assert(
          fc.property(boundsWithMember, boundsWithMember, ([a, x], [b, y]) => {
            const r = scalarAlu(op, a, b, w32);
            expect(boundsInvalid(r)).toBe(false);
            const c = concrete(op, x, y, w32);
            expect(member(r, c), `${op} ${x} ${y} -> ${c} not in ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`).toBe(true);
          }),
          { numRuns: 250 },
        );
      });
    }
  }
});

const JMPS = [Jmp.JEQ, Jmp.JNE, Jmp.JGT, Jmp.JGE, Jmp.JLT, Jmp.JLE, Jmp.JSGT, Jmp.JSGE, Jmp.JSLT, Jmp.JSLE, Jmp.JSET, JSET_NOT];

function holds(op: number, x: bigint, y: bigint, w32: boolean): boolean {
  const w = w32 ? 32 : 64;
  const a = BigInt.asUintN(w, x);
  const b = BigInt.asUintN(w, y);
  const sa = BigInt.asIntN(w, x);
  const sb = BigInt.asIntN(w, y);
  switch (op) {
    case Jmp.JEQ: return a === b;
    case Jmp.JNE: return a !== b;
    case Jmp.JGT: return a > b;
    case Jmp.JGE: return a >= b;
    case Jmp.JLT: return a < b;
    case Jmp.JLE: return a <= b;
    case Jmp.JSGT: return sa > sb;
    case Jmp.JSGE: return sa >= sb;
    case Jmp.JSLT: return sa < sb;
    case Jmp.JSLE: return sa <= sb;
    case Jmp.JSET: return (a & b) !== 0n;
    default: return (a & b) === 0n;
  }
}

describe('branch decisions and refinements keep every possible value', () => {
  for (const w32 of [false, true]) {
    it(`conditional jumps${w32 ? ' (32-bit)' : ''}`, () => {
      fc.assert(
        fc.property(boundsWithMember, boundsWithMember, fc.constantFrom(...JMPS), fc.boolean(), ([a, x], [b0, y0], op, constSrc) => {
          const [b, y] = constSrc ? [known(y0), y0] : [b0, y0];
          const h = holds(op, x, y, w32);
          const taken = scalarBranchTaken(a, b, op, w32);
          if (taken === 1) expect(h).toBe(true);
          if (taken === 0) expect(h).toBe(false);
          const a2 = { ...a };
          const b2 = { ...b };
          refine(a2, b2, h ? op : NEGATE[op], w32);
          syncBounds(a2);
          syncBounds(b2);
          expect(member(a2, x)).toBe(true);
          expect(member(b2, y)).toBe(true);
        }),
        { numRuns: 600 },
      );
    });
  }
});
