// Memory values: strings, buffers, tuples, records, arrays, structs, stacks, symbols,
// addresses and timestamps, built in a place (a stack slot or the scratch buffer) in
// their layout.ts form. `mem` evaluates an expression into a place (a caller's
// destination, a fresh temporary, or, for variables, their own place read-only);
// `memInto` converts between compatible types on the way (a string into a larger
// buffer, a tuple of narrow ints into a tuple of 64-bit ones). Scalars are exprs.ts's.
import type * as A from '../ast';
import { type Ty, equalTy, tySize, tupleLayout } from '../types';
import { R0 } from './builder';
import { builtinMem } from './builtins';
import { callMem } from './calls';
import { canonicalize, loadScalarAt, scalar, branch, tupleOffset } from './exprs';
import { derefMem, fieldMem, indexMem } from './fields';
import { type Gen, LowerError, type Place, at } from './gen';
import { isScalarTy, scalarSize } from './layout';
import { mapReadMem } from './maps';
import { needsCpuSum, perCpuReadMem } from './percpu';
import { blockExprStmts } from './stmts';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

const utf8 = new TextEncoder();

/** Bytes of a string literal in a buffer of `size` (NUL-terminated, zero-padded, truncated to fit). */
export function literalBytes(value: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const b = utf8.encode(value);
  out.set(b.subarray(0, Math.max(0, size - 1)));
  return out;
}

/**
 * Evaluates a memory-typed expression. With `dest`, the value is written there; without,
 * the result may be a variable's own place: callers must not write into it.
 */
export function mem(g: Gen, e: A.Expr, dest?: Place): Place {
  return g.at(e.span, () => memInner(g, e, dest));
}

function memInner(g: Gen, e: A.Expr, dest?: Place): Place {
  const t = tyOf(e);
  const size = tySize(t);
  const out = (): Place => dest ?? g.temp(size);
  switch (e.kind) {
    case 'str': {
      const p = out();
      g.writeBytes(p, literalBytes(e.value, size));
      return p;
    }
    case 'builtin':
      return builtinMem(g, e, out);
    case 'var': {
      if (!e.binding) throw new LowerError(`unbound variable $${e.name}`, e.span);
      const src = g.vars.get(e.binding.id);
      if (!src) {
        const p = out();
        g.zero(p, size);
        return p;
      }
      if (!dest) return src;
      g.copy(dest, src, size);
      return dest;
    }
    case 'map': {
      const m = g.s.userMap(e.name);
      return needsCpuSum(m) ? perCpuReadMem(g, e, m, out()) : mapReadMem(g, e, out());
    }
    case 'tuple':
    case 'record': {
      const p = out();
      const elems = e.kind === 'tuple' ? e.elems : e.fields.map((f) => f.value);
      const tys = t.k === 'tuple' ? t.elems : t.k === 'record' ? t.fields.map((f) => f.ty) : [];
      const l = tupleLayout(tys);
      // Padding must be zero: tuples are compared and hashed as bytes.
      g.zero(p, l.size);
      elems.forEach((x, i) => storeValue(g, x, at(p, l.offsets[i]), tys[i]));
      return p;
    }
    case 'ternary': {
      const p = out();
      const no = g.b.label('else');
      const end = g.b.label('tend');
      if (!e.then) throw new LowerError('?: needs a scalar condition value', e.span);
      branch(g, e.cond, no, false);
      memInto(g, e.then, p, t);
      g.b.goto(end);
      g.b.bind(no);
      memInto(g, e.else, p, t);
      g.b.bind(end);
      return p;
    }
    case 'cast': {
      const from = tyOf(e.expr);
      if (t.k === 'array' && isScalarTy(from)) {
        // (uint8[4])x: the integer's bytes.
        const p = out();
        const r = scalar(g, e.expr);
        g.storeReg(p, r, scalarSize(from) as 1 | 2 | 4 | 8);
        g.free(r);
        return p;
      }
      if (equalTy(from, t)) return mem(g, e.expr, dest);
      const p = out();
      memInto(g, e.expr, p, t);
      return p;
    }
    case 'field':
      return fieldMem(g, e, out);
    case 'tupleIndex': {
      const bt = tyOf(e.expr);
      if (bt.k !== 'tuple') throw new LowerError('tuple index on a non-tuple', e.span);
      const base = mem(g, e.expr);
      const src = at(base, tupleOffset(bt.elems, e.index));
      if (!dest) return src;
      g.copy(dest, src, size);
      return dest;
    }
    case 'index':
      return indexMem(g, e, out);
    case 'unop':
      if (e.op === '*') return derefMem(g, e, out);
      throw new LowerError(`operator ${e.op} does not give a ${t.k}`, e.span);
    case 'call':
      return callMem(g, e, out);
    case 'blockExpr':
      blockExprStmts(g, e);
      if (!e.result) throw new LowerError('block has no value', e.span);
      return mem(g, e.result, dest);
    default:
      throw new LowerError(`cannot build a ${t.k} value from a ${e.kind} expression`, e.span);
  }
}

/** Stores the value of `e` (scalar or memory) at `p` in the memory form of type `t`. */
export function storeValue(g: Gen, e: A.Expr, p: Place, t: Ty): void {
  if (isScalarTy(t)) {
    const r = scalar(g, e);
    canonicalize(g, r, t);
    g.storeReg(p, r, scalarSize(t));
    g.free(r);
    return;
  }
  memInto(g, e, p, t);
}

/** Evaluates `e` into `dest`, converting to type `to` (string and buffer sizes, tuple element types). */
export function memInto(g: Gen, e: A.Expr, dest: Place, to: Ty): void {
  const from = tyOf(e);
  if (isScalarTy(to)) {
    storeValue(g, e, dest, to);
    return;
  }
  if (equalTy(from, to)) {
    mem(g, e, dest);
    return;
  }
  if ((from.k === 'string' || from.k === 'buffer' || from.k === 'inet') && from.k === to.k) {
    const fs = tySize(from);
    const ts = tySize(to);
    if (fs <= ts) {
      mem(g, e, dest);
      g.zero(at(dest, fs), ts - fs);
      return;
    }
    // A longer string into a shorter buffer: keep what fits and terminate it.
    const m = g.mark();
    const src = mem(g, e);
    g.copy(dest, src, ts);
    if (to.k === 'string') g.storeImm(at(dest, ts - 1), 0, 1);
    g.release(m);
    return;
  }
  if ((from.k === 'tuple' && to.k === 'tuple') || (from.k === 'record' && to.k === 'record')) {
    const m = g.mark();
    const src = mem(g, e);
    convert(g, src, from, dest, to);
    g.release(m);
    return;
  }
  if (tySize(from) === tySize(to)) {
    mem(g, e, dest);
    return;
  }
  throw new LowerError(`cannot convert ${from.k} to ${to.k}`, e.span);
}

/** Converts a value already in memory from type `from` at `src` to type `to` at `dst`. */
export function convert(g: Gen, src: Place, from: Ty, dst: Place, to: Ty): void {
  if (equalTy(from, to)) {
    g.copy(dst, src, tySize(to));
    return;
  }
  if (isScalarTy(to) && isScalarTy(from)) {
    loadScalarAt(g, R0, src, from);
    canonicalize(g, R0, to);
    g.storeReg(dst, R0, scalarSize(to));
    return;
  }
  if ((from.k === 'string' || from.k === 'buffer' || from.k === 'inet') && from.k === to.k) {
    const fs = tySize(from);
    const ts = tySize(to);
    g.copy(dst, src, Math.min(fs, ts));
    if (fs < ts) g.zero(at(dst, fs), ts - fs);
    else if (fs > ts && to.k === 'string') g.storeImm(at(dst, ts - 1), 0, 1);
    return;
  }
  const elems = (t: Ty): Ty[] => (t.k === 'tuple' ? t.elems : t.k === 'record' ? t.fields.map((f) => f.ty) : []);
  if ((from.k === 'tuple' && to.k === 'tuple') || (from.k === 'record' && to.k === 'record')) {
    const fe = elems(from);
    const te = elems(to);
    const fl = tupleLayout(fe);
    const tl = tupleLayout(te);
    g.zero(dst, tl.size);
    // Records match fields by name; tuples by position.
    te.forEach((tt, i) => {
      const j = from.k === 'record' && to.k === 'record' ? from.fields.findIndex((f) => f.name === to.fields[i].name) : i;
      if (j >= 0) convert(g, at(src, fl.offsets[j]), fe[j], at(dst, tl.offsets[i]), tt);
    });
    return;
  }
  g.copy(dst, src, Math.min(tySize(from), tySize(to)));
}
