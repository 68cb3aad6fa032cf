// Strings in bytecode: str() through probe_read_*_str into a zeroed buffer (with a
// constant or clamped dynamic length), buf(), byte comparisons of strings (stopping at
// the terminator, over the shorter buffer, as bpftrace's strncmp does) and of tuples,
// arrays and buffers (all bytes), strncmp, strcontains, strstr and strlen as bounded
// loops over the bytes.
import type * as A from '../ast';
import { type Ty, tySize } from '../types';
import { R0, R1, R2, R3, R4, R5 } from './builder';
import { constValue, scalar } from './exprs';
import { probeReadHelper } from './fields';
import { type Gen, LowerError, type Place, at } from './gen';
import { BUFFER } from './layout';
import { literalBytes, mem, memInto } from './memory';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

function spaceOf(t: Ty): 'kernel' | 'user' | 'none' {
  if (t.k === 'pointer') return t.dataLoc ? 'kernel' : t.as;
  return 'none';
}

/** str(ptr[, len]) into `dest` (a string of the call's type). */
export function strCall(g: Gen, e: A.Call, dest: Place): Place {
  const t = tyOf(e);
  const size = tySize(t);
  const src = e.args[0];
  const st = tyOf(src);
  if (st.k === 'string' || st.k === 'array') {
    // Already bytes in BPF memory (a literal, comm, a char array): copy what fits.
    memInto(g, src, dest, t.k === 'string' && st.k === 'string' ? t : st);
    if (st.k === 'array') g.zero(at(dest, Math.min(size, tySize(st))), Math.max(0, size - tySize(st)));
    if (e.args[1]) clampString(g, e, dest, size);
    return dest;
  }
  g.zero(dest, size);
  const r = scalar(g, src);
  const ptr = g.spill(r);
  lengthInto(g, e.args[1], size, R2);
  g.loadReg(R3, ptr, 8);
  g.addr(dest, R1);
  g.b.call(probeReadHelper(spaceOf(st), true));
  return dest;
}

/** `reg = min(len, max)` for str/buf's optional length (max when absent). */
function lengthInto(g: Gen, len: A.Expr | undefined, max: number, reg: number): void {
  if (!len) {
    g.b.movImm(reg, max);
    return;
  }
  const c = constValue(len);
  if (c !== undefined) {
    g.b.movImm(reg, Math.max(0, Math.min(max, Number(c))));
    return;
  }
  const r = scalar(g, len);
  const ok = g.b.label('len');
  g.b.jmpImm('JLE', r, max, ok);
  g.b.movImm(r, max);
  g.b.bind(ok);
  const s = g.spill(r);
  g.loadReg(reg, s, 8);
}

/** str(string, n): terminates the copy at n - 1 (bpftrace keeps n - 1 characters). */
function clampString(g: Gen, e: A.Call, dest: Place, size: number): void {
  const c = constValue(e.args[1]);
  if (c !== undefined && c > 0n && c < BigInt(size)) g.zero(at(dest, Number(c) - 1), size - Number(c) + 1);
}

/** buf(ptr, len) into `dest`: a u32 length, then the bytes. */
export function bufCall(g: Gen, e: A.Call, dest: Place): Place {
  const t = tyOf(e);
  const size = t.k === 'buffer' ? t.size : tySize(t) - 4;
  const src = e.args[0];
  const st = tyOf(src);
  g.zero(dest, size + BUFFER.data);
  if (st.k === 'array' || st.k === 'string') {
    const m = g.mark();
    const p = mem(g, src);
    g.copy(at(dest, BUFFER.data), p, Math.min(size, tySize(st)));
    g.release(m);
    lengthInto(g, e.args[1], Math.min(size, tySize(st)), R0);
    g.storeReg(at(dest, BUFFER.len), R0, 4);
    return dest;
  }
  const r = scalar(g, src);
  const ptr = g.spill(r);
  const lenSlot = g.slot();
  lengthInto(g, e.args[1], size, R2);
  g.storeReg(lenSlot, R2, 8);
  g.loadReg(R3, ptr, 8);
  g.addr(at(dest, BUFFER.data), R1);
  g.b.call(probeReadHelper(spaceOf(st) === 'none' ? 'kernel' : spaceOf(st), false));
  g.loadReg(R0, lenSlot, 8);
  g.storeReg(at(dest, BUFFER.len), R0, 4);
  return dest;
}

// ---------------------------------------------------------------------------------------
// Comparisons.

/** Puts the addresses of two places in r1 and r2. */
function twoAddrs(g: Gen, a: Place, b: Place): void {
  g.addr(b, R2);
  g.addr(a, R1);
}

/**
 * A byte loop over n bytes at r1 and r2: jumps to `diff` at the first differing byte and,
 * for strings, to `same` at a common terminator; falls through when all n bytes match.
 */
function byteLoop(g: Gen, n: number, stopAtNul: boolean, diff: import('./builder').Label, same: import('./builder').Label): void {
  if (n <= 0) return;
  const loop = g.b.label('cmp');
  g.b.movImm(R3, n);
  g.b.bind(loop);
  g.b.load('B', R4, R1, 0);
  g.b.load('B', R5, R2, 0);
  g.b.jmpReg('JNE', R4, R5, diff);
  if (stopAtNul) g.b.jmpImm('JEQ', R4, 0, same);
  g.b.alu('ADD', R1, 1);
  g.b.alu('ADD', R2, 1);
  g.b.alu('SUB', R3, 1);
  g.b.jmpImm('JNE', R3, 0, loop);
}

/** Compares `n` bytes of `a` with a literal's bytes (immediates): 1 in a new register when equal. */
function compareLiteral(g: Gen, a: Place, lit: Uint8Array, n: number): number {
  const r = g.reg();
  const diff = g.b.label('ne');
  const end = g.b.label('cmpd');
  const [base, off] = g.base(a, R1);
  for (let i = 0; i < n; i++) {
    g.b.load('B', R2, base, off + i);
    g.b.jmpImm('JNE', R2, lit[i] ?? 0, diff);
    if ((lit[i] ?? 0) === 0) break;
  }
  g.b.movImm(r, 1);
  g.b.goto(end);
  g.b.bind(diff);
  g.b.movImm(r, 0);
  g.b.bind(end);
  return r;
}

/** `a == b` for memory values: 1 in a register when equal (0 otherwise). */
export function compareMem(g: Gen, e: A.Binop): number {
  const lt = tyOf(e.left);
  const rt = tyOf(e.right);
  const isStr = lt.k === 'string' && rt.k === 'string';
  const m = g.mark();
  if (isStr && (e.right.kind === 'str' || e.left.kind === 'str')) {
    const [other, lit] = e.right.kind === 'str' ? [e.left, e.right] : [e.right as A.Expr, e.left as A.StrLit];
    const bytes = literalBytes(lit.value, tySize(tyOf(lit)));
    const p = mem(g, other);
    const r = compareLiteral(g, p, bytes, Math.min(bytes.length, tySize(tyOf(other))));
    g.release(m);
    return r;
  }
  const n = Math.min(tySize(lt), tySize(rt));
  const a = mem(g, e.left);
  const b = mem(g, e.right);
  const r = compareBytes(g, a, b, n, isStr);
  g.release(m);
  return r;
}

function compareBytes(g: Gen, a: Place, b: Place, n: number, isStr: boolean): number {
  const diff = g.b.label('ne');
  const same = g.b.label('eq');
  const end = g.b.label('cmpd');
  twoAddrs(g, a, b);
  byteLoop(g, n, isStr, diff, same);
  g.b.bind(same);
  const r = g.reg();
  g.b.movImm(r, 1);
  g.b.goto(end);
  g.b.bind(diff);
  g.b.movImm(r, 0);
  g.b.bind(end);
  return r;
}

/** strncmp(a, b, n): 0 when the first n characters match (up to a common terminator), else 1. */
export function strncmpCall(g: Gen, e: A.Call): number {
  const n = Number(constValue(e.args[2]) ?? 0n);
  const m = g.mark();
  const a = mem(g, e.args[0]);
  const b = mem(g, e.args[1]);
  const lim = Math.min(n, tySize(tyOf(e.args[0])), tySize(tyOf(e.args[1])));
  const eq = compareBytes(g, a, b, lim, true);
  g.release(m);
  g.b.alu('XOR', eq, 1);
  return eq;
}

/**
 * Index of `needle` in `hay` (both strings in memory), in a new register: -1 when absent.
 * Outer loop over start positions, inner loop over the needle, both bounded by the sizes.
 */
function search(g: Gen, hay: Place, hsize: number, needle: Place, nsize: number): number {
  const res = g.slot();
  g.storeImm(res, -1, 8);
  const found = g.b.label('found');
  const done = g.b.label('searched');
  const outer = g.b.label('outer');
  const inner = g.b.label('inner');
  const next = g.b.label('next');
  // r0: i (start), r3: j (offset in needle); r1/r2: addresses; r4/r5: bytes.
  g.b.movImm(R0, 0);
  g.b.bind(outer);
  g.b.jmpImm('JGE', R0, hsize, done);
  g.b.movImm(R3, 0);
  g.b.bind(inner);
  g.b.jmpImm('JGE', R3, nsize, found);
  g.addr(needle, R2);
  g.b.aluR('ADD', R2, R3);
  g.b.load('B', R5, R2, 0);
  g.b.jmpImm('JEQ', R5, 0, found);
  g.b.mov(R4, R0);
  g.b.aluR('ADD', R4, R3);
  g.b.jmpImm('JGE', R4, hsize, done);
  g.addr(hay, R1);
  g.b.aluR('ADD', R1, R4);
  g.b.load('B', R4, R1, 0);
  g.b.jmpImm('JEQ', R4, 0, done);
  g.b.jmpReg('JNE', R4, R5, next);
  g.b.alu('ADD', R3, 1);
  g.b.goto(inner);
  g.b.bind(next);
  g.b.alu('ADD', R0, 1);
  g.b.goto(outer);
  g.b.bind(found);
  g.storeReg(res, R0, 8);
  g.b.bind(done);
  const r = g.reg();
  g.loadReg(r, res, 8);
  return r;
}

function haystackAndNeedle(g: Gen, e: A.Call): { hay: Place; hsize: number; needle: Place; nsize: number } {
  const ht = tyOf(e.args[0]);
  const nt = tyOf(e.args[1]);
  if (ht.k !== 'string' || nt.k !== 'string') throw new LowerError(`${e.name}() compares strings in BPF memory`, e.span);
  const hay = mem(g, e.args[0]);
  const needle = mem(g, e.args[1]);
  return { hay, hsize: ht.size, needle, nsize: nt.size };
}

export function strcontainsCall(g: Gen, e: A.Call): number {
  const m = g.mark();
  const { hay, hsize, needle, nsize } = haystackAndNeedle(g, e);
  const r = search(g, hay, hsize, needle, nsize);
  g.release(m);
  // Found: index >= 0.
  const no = g.b.label('absent');
  const end = g.b.label('contains');
  g.b.jmpImm('JSLT', r, 0, no);
  g.b.movImm(r, 1);
  g.b.goto(end);
  g.b.bind(no);
  g.b.movImm(r, 0);
  g.b.bind(end);
  return r;
}

export function strstrCall(g: Gen, e: A.Call): number {
  const m = g.mark();
  const { hay, hsize, needle, nsize } = haystackAndNeedle(g, e);
  const r = search(g, hay, hsize, needle, nsize);
  g.release(m);
  return r;
}

/** strlen(s): bytes before the terminator (the buffer size when there is none). */
export function strlenCall(g: Gen, e: A.Call): number {
  const t = tyOf(e.args[0]);
  const size = tySize(t);
  const m = g.mark();
  const p = mem(g, e.args[0]);
  const done = g.b.label('len');
  const loop = g.b.label('strlen');
  g.b.movImm(R0, 0);
  g.b.bind(loop);
  g.b.jmpImm('JGE', R0, size, done);
  g.addr(p, R1);
  g.b.aluR('ADD', R1, R0);
  g.b.load('B', R2, R1, 0);
  g.b.jmpImm('JEQ', R2, 0, done);
  g.b.alu('ADD', R0, 1);
  g.b.goto(loop);
  g.b.bind(done);
  g.release(m);
  const r = g.reg();
  g.b.mov(r, R0);
  return r;
}

/** memcmp(a, b, n): 0 when the first n bytes are equal, else 1. */
export function memcmpCall(g: Gen, e: A.Call): number {
  const n = Number(constValue(e.args[2]) ?? 0n);
  const m = g.mark();
  const a = mem(g, e.args[0]);
  const b = mem(g, e.args[1]);
  const lim = Math.min(n, tySize(tyOf(e.args[0])), tySize(tyOf(e.args[1])));
  const eq = compareBytes(g, a, b, lim, false);
  g.release(m);
  g.b.alu('XOR', eq, 1);
  return eq;
}
