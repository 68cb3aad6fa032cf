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
// Comparisons and searches. Loops over bytes are branch-free (only their counters, which
// the verifier knows, decide jumps), so the verifier walks one path through them instead
// of forking at every byte and re-walking the rest of the program from each exit.

/** `reg = (reg == 0)` without a branch: 1 - (((reg | -reg) >> 63)). Uses `tmp`. */
function isZero(g: Gen, reg: number, tmp: number): void {
  g.b.mov(tmp, reg);
  g.b.alu('NEG', tmp, 0);
  g.b.aluR('OR', tmp, reg);
  g.b.alu('RSH', tmp, 63);
  g.b.mov(reg, tmp);
  g.b.alu('XOR', reg, 1);
}

/** Compares `n` bytes of `a` with a literal's bytes (immediates): 1 in a new register when equal. */
function compareLiteral(g: Gen, a: Place, lit: Uint8Array, n: number): number {
  const r = g.reg();
  const [base, off] = g.base(a, R1);
  // r = AND over the bytes up to the literal's terminator of (byte == literal byte)
  g.b.movImm(r, 1);
  for (let i = 0; i < n; i++) {
    g.b.load('B', R2, base, off + i);
    g.b.alu('XOR', R2, lit[i] ?? 0);
    isZero(g, R2, R3);
    g.b.aluR('AND', r, R2);
    if ((lit[i] ?? 0) === 0) break;
  }
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

/**
 * 1 in a new register when the first `n` bytes of `a` and `b` are equal; for strings,
 * bytes after a common terminator do not count. Per byte: differ |= (a != b) & !ended;
 * ended |= (a == 0).
 */
function compareBytes(g: Gen, a: Place, b: Place, n: number, isStr: boolean): number {
  const differ = g.reg();
  const ended = g.reg();
  g.b.movImm(differ, 0);
  g.b.movImm(ended, 0);
  const loop = g.b.label('cmp');
  const end = g.b.label('cmpd');
  g.b.movImm(R0, 0);
  g.b.bind(loop);
  g.b.jmpImm('JGE', R0, n, end);
  g.addr(a, R1);
  g.b.aluR('ADD', R1, R0);
  g.b.load('B', R3, R1, 0);
  g.addr(b, R2);
  g.b.aluR('ADD', R2, R0);
  g.b.load('B', R4, R2, 0);
  g.b.aluR('XOR', R4, R3);
  isZero(g, R4, R5);
  g.b.alu('XOR', R4, 1);
  // r4 = 1 when the bytes differ; count it only before a terminator.
  g.b.mov(R5, ended);
  g.b.alu('XOR', R5, 1);
  g.b.aluR('AND', R4, R5);
  g.b.aluR('OR', differ, R4);
  if (isStr) {
    isZero(g, R3, R5);
    g.b.aluR('OR', ended, R3);
  }
  g.b.alu('ADD', R0, 1);
  g.b.goto(loop);
  g.b.bind(end);
  g.free(ended);
  g.b.alu('XOR', differ, 1);
  return differ;
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
 * Index of `needle` in `hay` (strings in memory; a literal needle as bytes), in a new
 * register: -1 when absent. For each start position i: all = AND over the needle's bytes
 * of (hay[i + j] == needle[j] | needle[j] == 0); the first i where all holds is kept with
 * arithmetic (res += take * (i - res), take = all & (res < 0)), without a branch.
 */
function search(g: Gen, hay: Place, hsize: number, needle: Place | Uint8Array, nsize: number): number {
  const res = g.reg();
  const all = g.reg();
  g.b.movImm(res, -1);
  const lit = needle instanceof Uint8Array ? needle : undefined;
  const nlen = lit ? (lit.indexOf(0) < 0 ? lit.length : lit.indexOf(0)) : nsize;
  if (lit && nlen === 0) {
    g.b.movImm(res, 0);
    g.free(all);
    return res;
  }
  const outer = g.b.label('outer');
  const done = g.b.label('searched');
  const last = lit ? hsize - nlen : hsize - 1;
  // take = all & (res >> 63); res += take * (i - res), for position r0 + k.
  const keepFirst = (k: number): void => {
    g.b.mov(R2, res);
    g.b.alu('RSH', R2, 63);
    g.b.aluR('AND', R2, all);
    g.b.mov(R3, R0);
    if (k) g.b.alu('ADD', R3, k);
    g.b.aluR('SUB', R3, res);
    g.b.aluR('MUL', R3, R2);
    g.b.aluR('ADD', res, R3);
  };
  if (lit) {
    // Literal needles: eight start positions per iteration (fewer loop states for the
    // verifier to keep), then the remaining positions unrolled.
    const position = (k: number): void => {
      g.b.movImm(all, 1);
      g.addr(hay, R1);
      g.b.aluR('ADD', R1, R0);
      for (let j = 0; j < nlen; j++) {
        g.b.load('B', R3, R1, k + j);
        g.b.alu('XOR', R3, lit[j]);
        isZero(g, R3, R4);
        g.b.aluR('AND', all, R3);
      }
      keepFirst(k);
    };
    const STEP = 8;
    const blocks = Math.floor((last + 1) / STEP);
    g.b.movImm(R0, 0);
    if (blocks > 0) {
      g.b.bind(outer);
      g.b.jmpImm('JGE', R0, blocks * STEP, done);
      for (let k = 0; k < STEP; k++) position(k);
      g.b.alu('ADD', R0, STEP);
      g.b.goto(outer);
      g.b.bind(done);
    }
    for (let k = 0; k < (last + 1) % STEP; k++) position(k);
    g.free(all);
    return res;
  }
  g.b.movImm(R0, 0);
  g.b.bind(outer);
  g.b.jmpImm('JGT', R0, last, done);
  g.b.movImm(all, 1);
  {
    const inner = g.b.label('inner');
    const compared = g.b.label('compared');
    const have = g.b.label('hbyte');
    const inside = g.b.label('inside');
    g.b.movImm(R1, 0);
    g.b.bind(inner);
    g.b.jmpImm('JGE', R1, nsize, compared);
    g.addr(needle as Place, R5);
    g.b.aluR('ADD', R5, R1);
    g.b.load('B', R3, R5, 0);
    g.b.mov(R4, R0);
    g.b.aluR('ADD', R4, R1);
    g.b.jmpImm('JLT', R4, hsize, inside);
    g.b.movImm(R4, 0);
    g.b.goto(have);
    g.b.bind(inside);
    g.addr(hay, R5);
    g.b.aluR('ADD', R5, R4);
    g.b.load('B', R4, R5, 0);
    g.b.bind(have);
    g.b.aluR('XOR', R4, R3);
    isZero(g, R4, R5);
    isZero(g, R3, R5);
    g.b.aluR('OR', R4, R3);
    g.b.aluR('AND', all, R4);
    g.b.alu('ADD', R1, 1);
    g.b.goto(inner);
    g.b.bind(compared);
  }
  keepFirst(0);
  g.b.alu('ADD', R0, 1);
  g.b.goto(outer);
  g.b.bind(done);
  g.free(all);
  return res;
}

function haystackAndNeedle(g: Gen, e: A.Call): { hay: Place; hsize: number; needle: Place | Uint8Array; nsize: number } {
  const ht = tyOf(e.args[0]);
  const nt = tyOf(e.args[1]);
  if (ht.k !== 'string' || nt.k !== 'string') throw new LowerError(`${e.name}() compares strings in BPF memory`, e.span);
  const hay = mem(g, e.args[0]);
  const n = e.args[1];
  const needle = n.kind === 'str' ? literalBytes(n.value, nt.size) : mem(g, n);
  return { hay, hsize: ht.size, needle, nsize: nt.size };
}

export function strcontainsCall(g: Gen, e: A.Call): number {
  const m = g.mark();
  const { hay, hsize, needle, nsize } = haystackAndNeedle(g, e);
  const r = search(g, hay, hsize, needle, nsize);
  g.release(m);
  // Found: index >= 0, i.e. the sign bit clear.
  g.b.alu('RSH', r, 63);
  g.b.alu('XOR', r, 1);
  return r;
}

export function strstrCall(g: Gen, e: A.Call): number {
  const m = g.mark();
  const { hay, hsize, needle, nsize } = haystackAndNeedle(g, e);
  const r = search(g, hay, hsize, needle, nsize);
  g.release(m);
  return r;
}

/** strlen(s): bytes before the terminator (the buffer size when there is none): len += !ended; ended |= (byte == 0). */
export function strlenCall(g: Gen, e: A.Call): number {
  const t = tyOf(e.args[0]);
  const size = tySize(t);
  const m = g.mark();
  const p = mem(g, e.args[0]);
  const len = g.reg();
  const loop = g.b.label('strlen');
  const done = g.b.label('len');
  g.b.movImm(len, 0);
  g.b.movImm(R4, 0);
  g.b.movImm(R0, 0);
  g.b.bind(loop);
  g.b.jmpImm('JGE', R0, size, done);
  g.addr(p, R1);
  g.b.aluR('ADD', R1, R0);
  g.b.load('B', R2, R1, 0);
  isZero(g, R2, R3);
  g.b.aluR('OR', R4, R2);
  g.b.mov(R3, R4);
  g.b.alu('XOR', R3, 1);
  g.b.aluR('ADD', len, R3);
  g.b.alu('ADD', R0, 1);
  g.b.goto(loop);
  g.b.bind(done);
  g.release(m);
  return len;
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
