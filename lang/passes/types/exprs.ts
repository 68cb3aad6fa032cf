// Typing of expressions (everything but calls, which calls.ts types): literals, builtins,
// variables, maps, operators with bpftrace's integer promotion and signedness rules,
// pointer arithmetic, casts, field access through structs and pointers (auto-deref),
// tuples and records, indexing, sizeof/offsetof, block expressions. Each function sets
// `e.ty` and returns it; diagnostics go through the checker (reported on its final walk).
import type * as A from '../../ast';
import { constInt } from '../../consteval';
import {
  type AddrSpace,
  type Ty,
  BOOL,
  I64,
  I8,
  NONE,
  U64,
  U8,
  VOID,
  equalTy,
  int,
  isCastableAgg,
  isInt,
  isIntLike,
  isSigned,
  joinInts,
  kindName,
  literalIntTy,
  ptr,
  sameType,
  str,
  tySize,
  tyToString,
} from '../../types';
import type { Checker } from './checker';
import { typeCall } from './calls';
import { INT_NAMES, cast, resolveType } from './conversions';

export { resolveType };

export function typeExpr(c: Checker, e: A.Expr): Ty {
  const t = compute(c, e);
  e.ty = t;
  return t;
}

function compute(c: Checker, e: A.Expr): Ty {
  switch (e.kind) {
    case 'int':
      if (e.enumName) return { ...int(64, false), enumName: e.enumName };
      return literalIntTy(e.value, !!e.negative && e.value !== 0n);
    case 'str':
      if (e.value.length > c.ctx.config.maxStrlen - 1 && !c.inFormat) {
        c.error(`String is too long (over ${c.ctx.config.maxStrlen} bytes): ${e.value}`, e.span);
      }
      return str(utf8Length(e.value) + 1);
    case 'bool':
      return BOOL;
    case 'ident':
      return identifier(c, e);
    case 'builtin':
      return c.builtin(e);
    case 'var':
      return c.readVar(e);
    case 'param':
      return I64;
    case 'map':
      return c.maps.read(e);
    case 'unop':
      return unop(c, e);
    case 'incdec':
      return incdec(c, e);
    case 'binop':
      return binop(c, e);
    case 'ternary':
      return ternary(c, e);
    case 'cast':
      return cast(c, e);
    case 'field':
      return field(c, e);
    case 'tupleIndex':
      return tupleIndex(c, e);
    case 'index':
      return index(c, e);
    case 'call':
      return typeCall(c, e);
    case 'tuple': {
      const elems = e.elems.map((x) => typeExpr(c, x));
      for (let i = 0; i < elems.length; i++) {
        if (elems[i].k === 'agg') c.error(`Map type ${tyToString(elems[i])} cannot exist inside a tuple.`, e.elems[i].span);
      }
      if (elems.some((x) => x.k === 'none' || x.k === 'void')) return NONE;
      return { k: 'tuple', elems };
    }
    case 'record': {
      const seen = new Set<string>();
      const fields: { name: string; ty: Ty }[] = [];
      for (const f of e.fields) {
        if (seen.has(f.name)) c.error(`Duplicate field name in record: ${f.name}`, f.span);
        seen.add(f.name);
        const t = typeExpr(c, f.value);
        if (t.k === 'agg') c.error(`Map type ${tyToString(t)} cannot exist inside a record.`, f.value.span);
        fields.push({ name: f.name, ty: t });
      }
      if (fields.some((f) => f.ty.k === 'none' || f.ty.k === 'void')) return NONE;
      return { k: 'record', fields };
    }
    case 'sizeof':
      return sizeofExpr(c, e);
    case 'offsetof':
      return offsetofExpr(c, e);
    case 'blockExpr':
      return c.blockExpr(e);
    default:
      return NONE;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

function identifier(c: Checker, e: A.Ident): Ty {
  if (c.ctx.env.findRecord(e.name)) {
    const r = c.ctx.env.findRecord(e.name)!;
    return c.ctx.env.recordTy(r, 'none');
  }
  c.error(`Unknown identifier: '${e.name}'`, e.span);
  return NONE;
}

// ---------------------------------------------------------------------------------------
// Operators.

function unop(c: Checker, e: A.Unop): Ty {
  // A negative literal is one constant of the smallest signed type holding it.
  if (e.op === '-' && e.expr.kind === 'int' && !e.expr.negative && !e.expr.enumName) {
    typeExpr(c, e.expr);
    return literalIntTy(e.expr.value, e.expr.value !== 0n);
  }
  if (e.op === '&') return addressOf(c, e);
  const t = typeExpr(c, e.expr);
  if (t.k === 'none') return NONE;
  const bad = (): Ty => {
    c.error(`The ${e.op} operator can not be used on expressions of type '${tyToString(t)}'`, e.span);
    return NONE;
  };
  switch (e.op) {
    case '*':
      if (t.k === 'pointer') {
        if (t.to.k === 'void') {
          c.error(`Can not dereference a pointer to void ('${tyToString(t)}')`, e.span);
          return NONE;
        }
        return withAs(t.to, t.as, t.ctx);
      }
      if (t.k === 'struct') {
        if (t.ctx) return t;
        c.error(`Can not dereference struct/union of type '${t.name}'. It is not a pointer.`, e.span);
        return NONE;
      }
      if (isInt(t)) return U64;
      return bad();
    case '!':
      if (isIntLike(t) || t.k === 'pointer' || isCastableAgg(t)) return BOOL;
      return bad();
    case '~':
      if (isInt(t)) return int(t.bits, t.signed);
      if (isCastableAgg(t)) return I64;
      return bad();
    case '-':
      if (isIntLike(t) || isCastableAgg(t)) return int(64, isSigned(t));
      return bad();
    default:
      return bad();
  }
}

function addressOf(c: Checker, e: A.Unop): Ty {
  const t = typeExpr(c, e.expr);
  if (t.k === 'none') return NONE;
  const target = e.expr;
  // Fields reached through a pointer and dereferenced pointers live in memory.
  if ((target.kind === 'field' && target.layout?.deref) || (target.kind === 'unop' && target.op === '*') || (target.kind === 'field' && target.expr.kind === 'field')) {
    if (c.ctx.config.unstableAddr === 'error') c.error(`The address-of operator (&) is an unstable feature and 'unstable_addr' is set to 'error'`, e.span);
    else if (!c.ctx.configSet.has('unstableAddr')) c.warn(`The address-of operator (&) is an unstable feature. Set the 'unstable_addr' config variable to 'enable' to silence this warning.`, e.span);
    const as = t.k === 'struct' || t.k === 'array' ? (t.as ?? c.defaultAs()) : c.defaultAs();
    return ptr(t, as);
  }
  c.error(`The & operator can only take the address of a field or dereference, not of an expression of type '${tyToString(t)}'`, e.span);
  return NONE;
}

function withAs(t: Ty, as: AddrSpace, ctx?: boolean): Ty {
  if (t.k === 'struct' || t.k === 'array') return { ...t, as, ...(ctx ? { ctx } : {}) };
  if (t.k === 'pointer' && t.as === 'none') return { ...t, as };
  return t;
}

function incdec(c: Checker, e: A.IncDec): Ty {
  const tgt = e.target;
  if (tgt.kind === 'map') {
    const t = c.maps.inc(tgt);
    tgt.ty = t;
    return t;
  }
  if (tgt.kind !== 'var') {
    typeExpr(c, tgt);
    c.error(`The ${e.op} operator must be applied to a map or variable`, e.span);
    return NONE;
  }
  const t = typeExpr(c, tgt);
  if (t.k === 'none') return NONE;
  if (!isInt(t) && t.k !== 'pointer') {
    c.error(`The ${e.op} operator can not be used on expressions of type '${tyToString(t)}'`, e.span);
    return NONE;
  }
  return t;
}

const COMPARISON = new Set<A.BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);
const ARITH = new Set<A.BinaryOp>(['+', '-', '*', '/', '%']);

function binop(c: Checker, e: A.Binop): Ty {
  const l = typeExpr(c, e.left);
  const r = typeExpr(c, e.right);
  return binopTypes(c, e, l, r);
}

/** The type of `l op r` (also used for compound assignments). */
export function binopTypes(c: Checker, e: A.Binop, l: Ty, r: Ty): Ty {
  if (l.k === 'none' || r.k === 'none') return NONE;
  const cmp = COMPARISON.has(e.op);
  const logical = e.op === '&&' || e.op === '||';
  const opText = e.op;
  const invalid = (): Ty => {
    c.error(`The ${opText} operator can not be used on expressions of types ${tyToString(l)}, ${tyToString(r)}`, e.opSpan);
    return NONE;
  };
  if (l.k === 'bool' && r.k === 'bool') {
    if (cmp || logical || e.op === '&' || e.op === '|' || e.op === '^') return BOOL;
  }
  if (l.k === 'pointer' || r.k === 'pointer') return pointerBinop(c, e, l, r, invalid);
  const intLike = (t: Ty): boolean => isIntLike(t) || isCastableAgg(t);
  if (intLike(l) && intLike(r)) {
    if (logical) return BOOL;
    warnSigns(c, e, l, r);
    if (cmp) return BOOL;
    // C-like promotion to 64 bits: a signed operand makes the result signed unless the
    // other is a uint64; shifts keep the left operand's signedness.
    const ls = isSigned(l);
    const rs = isSigned(r);
    const lb = isInt(l) ? l.bits : 64;
    const rb = isInt(r) ? r.bits : 64;
    const signed = e.op === '<<' || e.op === '>>' ? ls : (ls && rs) || (ls && rb < 64) || (rs && lb < 64);
    return int(64, signed);
  }
  if (logical) {
    const ok = (t: Ty): boolean => intLike(t) || t.k === 'pointer';
    if (ok(l) && ok(r)) return BOOL;
    return invalid();
  }
  if (l.k === 'array' && r.k === 'array') {
    if (e.op !== '==' && e.op !== '!=') c.error(`The ${opText} operator cannot be used on arrays.`, e.opSpan);
    else if (l.len !== r.len) c.error('Only arrays of same size support comparison operators.', e.opSpan);
    else if (!isInt(l.of) || !equalTy(l.of, r.of)) c.error('Only arrays of same sized integer support comparison operators.', e.opSpan);
    return BOOL;
  }
  if (l.k !== r.k) {
    c.error(`Type mismatch for '${opText}': comparing ${tyToString(l)} with ${tyToString(r)}`, e.opSpan);
    return NONE;
  }
  if (e.op === '==' || e.op === '!=') {
    if (l.k === 'tuple' && !sameType(l, r)) {
      c.error(`Type mismatch for '${opText}': comparing ${tyToString(l)} with ${tyToString(r)}`, e.opSpan);
      return NONE;
    }
    return BOOL;
  }
  return invalid();
}

function warnSigns(c: Checker, e: A.Binop, l: Ty, r: Ty): void {
  const ls = isSigned(l);
  const rs = isSigned(r);
  // A non-negative constant is representable in either signedness.
  const lc = constNonNegative(e.left);
  const rc = constNonNegative(e.right);
  if (ls !== rs && !lc && !rc) {
    if (COMPARISON.has(e.op)) {
      c.warn(`comparison of integers of different signs: '${tyToString(l)}' and '${tyToString(r)}' can lead to undefined behavior`, e.opSpan);
    } else if (ARITH.has(e.op)) {
      c.warn(`arithmetic on integers of different signs: '${tyToString(l)}' and '${tyToString(r)}' can lead to undefined behavior`, e.opSpan);
    }
  }
  if ((e.op === '/' || e.op === '%') && ((ls && !lc) || (rs && !rc))) {
    c.warn(`signed operands for '${e.op}' can lead to undefined behavior (cast to unsigned to silence warning)`, e.opSpan);
  }
}

function constNonNegative(e: A.Expr): boolean {
  const v = constInt(e);
  return v !== undefined && v >= 0n;
}

function pointerBinop(c: Checker, e: A.Binop, l: Ty, r: Ty, invalid: () => Ty): Ty {
  const cmp = COMPARISON.has(e.op);
  const logical = e.op === '&&' || e.op === '||';
  const leftPtr = l.k === 'pointer';
  const p = (leftPtr ? l : r) as Extract<Ty, { k: 'pointer' }>;
  const other = leftPtr ? r : l;
  if (other.k === 'pointer') {
    if (cmp) {
      if (!sameType(p.to, other.to) && p.to.k !== 'void' && other.to.k !== 'void') {
        c.warn(`comparison of distinct pointer types: ${tyToString(l.k === 'pointer' ? l.to : l)}, ${tyToString(r.k === 'pointer' ? r.to : r)}`, e.opSpan);
      }
      return BOOL;
    }
    if (logical) return BOOL;
    if (e.op === '-') return I64;
    return invalid();
  }
  if (isIntLike(other) || isCastableAgg(other)) {
    if (e.op === '-' && !leftPtr) return invalid();
    if (e.op === '+' || e.op === '-') return ptr(p.to, p.as);
    if (cmp || logical) return BOOL;
    return invalid();
  }
  return invalid();
}

function ternary(c: Checker, e: A.Ternary): Ty {
  const cond = typeExpr(c, e.cond);
  const lhs = e.then ? typeExpr(c, e.then) : cond;
  const rhs = typeExpr(c, e.else);
  if (cond.k !== 'none' && !isIntLike(cond) && cond.k !== 'pointer' && !isCastableAgg(cond) && !(e.then === undefined && lhs.k !== 'none')) {
    c.error(`Invalid condition in ternary: ${kindName(cond)}`, e.cond.span);
    return NONE;
  }
  if (lhs.k === 'none' || rhs.k === 'none') return lhs.k === 'void' || rhs.k === 'void' ? VOID : NONE;
  const bothInt = isIntLike(lhs) && isIntLike(rhs);
  if (!bothInt && !sameType(lhs, rhs)) {
    c.error(`Ternary operator must return the same type: have '${tyToString(lhs)}' and '${tyToString(rhs)}'`, e.span);
    return NONE;
  }
  if (lhs.k === 'stack' && rhs.k === 'stack' && (lhs.mode !== rhs.mode || lhs.limit !== rhs.limit)) {
    c.error('Ternary operator must have the same stack type on the right and left sides.', e.span);
    return NONE;
  }
  if (bothInt) {
    if (lhs.k === 'bool' && rhs.k === 'bool') return BOOL;
    return joinInts(isInt(lhs) ? lhs : U8, isInt(rhs) ? rhs : U8) ?? I64;
  }
  if (lhs.k === 'string' && rhs.k === 'string') return str(Math.max(lhs.size, rhs.size));
  if (lhs.k === 'tuple' && rhs.k === 'tuple') return c.join(lhs, rhs) ?? lhs;
  return tySize(lhs) >= tySize(rhs) ? lhs : rhs;
}

// ---------------------------------------------------------------------------------------
// Fields, tuples, indexing.

function field(c: Checker, e: A.FieldAccess): Ty {
  const base = typeExpr(c, e.expr);
  if (base.k === 'none') return NONE;
  if (base.k === 'record') {
    const f = base.fields.find((x) => x.name === e.field);
    if (!f) {
      c.error(`Record does not contain a field named '${e.field}'`, e.span);
      return NONE;
    }
    return f.ty;
  }
  let rec: Extract<Ty, { k: 'struct' }> | undefined;
  let deref = false;
  let as: AddrSpace = 'none';
  let ctxAccess = false;
  if (base.k === 'struct') {
    rec = base;
    as = base.as ?? c.defaultAs();
    ctxAccess = !!base.ctx;
  } else if (base.k === 'pointer' && base.to.k === 'struct') {
    rec = base.to;
    deref = true;
    as = base.as === 'none' ? c.defaultAs() : base.as;
    ctxAccess = !!base.ctx;
  }
  if (!rec) {
    c.error(`Can not access field '${e.field}' on expression of type '${tyToString(base)}'`, e.span);
    return NONE;
  }
  const tp = c.tracepointOf(rec.name);
  if (tp) return tracepointField(c, e, rec.name);
  const def = c.ctx.env.findRecord(rec.name);
  if (!def) {
    c.error(`Unknown struct/union: '${rec.name}'`, e.span);
    return NONE;
  }
  const fi = c.ctx.env.field({ ...rec, as }, e.field);
  if (!fi) {
    c.error(`Struct/union of type '${rec.name}' does not contain a field named '${e.field}'`, e.span);
    return NONE;
  }
  e.layout = { offset: fi.offset, size: fi.size, bitOffset: fi.bitOffset, bitSize: fi.bitSize, deref };
  const t = withAs(fi.ty, as, ctxAccess && (fi.ty.k === 'struct' || fi.ty.k === 'array'));
  return t;
}

/** `args.field` of tracepoints: the field in every attach point's record. */
function tracepointField(c: Checker, e: A.FieldAccess, recName: string): Ty {
  let ty: Ty | undefined;
  const layouts: Record<string, A.FieldLayout> = {};
  let differs = false;
  for (const cp of c.probeCtx.concretes) {
    if (!cp.tracepoint) continue;
    const name = c.tracepointRecordName(cp.tracepoint);
    const f = cp.tracepoint.fields.find((x) => x.name === e.field);
    if (!f) {
      c.error(`Struct/union of type '${name}' does not contain a field named '${e.field}'`, e.span);
      return NONE;
    }
    if (f.offset < 8) {
      c.error('BPF does not support accessing common tracepoint fields', e.span);
      return NONE;
    }
    const as: AddrSpace = cp.tracepoint.category === 'syscalls' ? 'user' : 'kernel';
    const fty: Ty = f.dataLoc ? { k: 'pointer', to: int(8, true), as: 'kernel', dataLoc: true } : c.ctx.env.fromC(f.type, as);
    const layout: A.FieldLayout = { offset: f.offset, size: f.size, deref: false };
    if (ty && !equalTy(ty, fty)) {
      c.error(`The type of field '${e.field}' differs between the probe's tracepoints: '${tyToString(ty)}' and '${tyToString(fty)}'`, e.span);
      return NONE;
    }
    const first = Object.values(layouts)[0];
    if (first && first.offset !== layout.offset) differs = true;
    layouts[cp.name] = layout;
    ty = fty;
  }
  if (!ty) {
    c.error(`Struct/union of type '${recName}' does not contain a field named '${e.field}'`, e.span);
    return NONE;
  }
  e.layout = Object.values(layouts)[0];
  if (differs) e.layoutByProbe = layouts;
  return ty;
}

function tupleIndex(c: Checker, e: A.TupleIndex): Ty {
  const base = typeExpr(c, e.expr);
  if (base.k === 'none') return NONE;
  if (base.k !== 'tuple') {
    c.error(`Can not access index '${e.index}' on expression of type '${tyToString(base)}'`, e.span);
    return NONE;
  }
  if (e.index >= base.elems.length) {
    c.error(`Invalid tuple index: ${e.index}. Found ${base.elems.length} elements in tuple.`, e.span);
    return NONE;
  }
  return base.elems[e.index];
}

function index(c: Checker, e: A.IndexExpr): Ty {
  const base = typeExpr(c, e.expr);
  const it = typeExpr(c, e.index);
  if (base.k === 'none') return NONE;
  if (base.k === 'tuple') {
    // Tuples index like arrays when the index is a constant: `(1, "x")[1 - 1]`.
    const i = constInt(e.index);
    if (i === undefined) {
      c.error('The index of a tuple must be a constant integer expression.', e.index.span);
      return NONE;
    }
    if (i < 0n || i >= BigInt(base.elems.length)) {
      c.error(`Invalid tuple index: ${i}. Found ${base.elems.length} elements in tuple.`, e.span);
      return NONE;
    }
    return base.elems[Number(i)];
  }
  if (base.k === 'string') {
    // bpftrace 0.26 indexes strings: one int8 character, the literal index within the buffer.
    if (it.k !== 'none' && !isIntLike(it)) {
      c.error(`The array index operator [] only accepts integer indices, found ${tyToString(it)}.`, e.index.span);
      return NONE;
    }
    const v = constInt(e.index);
    if (v !== undefined && v < 0n) {
      c.error('The array index operator [] only accepts positive literal integer indices.', e.span);
      return NONE;
    }
    if (v !== undefined && v >= BigInt(base.size)) {
      c.error(`the index ${v} is out of bounds for array of size ${base.size}`, e.span);
      return NONE;
    }
    return I8;
  }
  if (base.k !== 'array' && base.k !== 'pointer') {
    c.error(`The array index operator [] can only be used on arrays and pointers, found ${kindName(base)}.`, e.span);
    return NONE;
  }
  if (it.k !== 'none' && !isIntLike(it)) {
    c.error(`The array index operator [] only accepts integer indices, found ${tyToString(it)}.`, e.index.span);
    return NONE;
  }
  if (base.k === 'pointer' && (base.to.k === 'void' || tySize(base.to) === 0)) {
    c.error('The array index operator [] cannot be used on a pointer to an unsized type (void *).', e.span);
    return NONE;
  }
  const v = constInt(e.index);
  if (v !== undefined && v < 0n) {
    c.error('The array index operator [] only accepts positive literal integer indices.', e.span);
    return NONE;
  }
  if (base.k === 'array') {
    if (v !== undefined && base.len !== 0 && v >= BigInt(base.len)) {
      c.error(`the index ${v} is out of bounds for array of size ${base.len}`, e.span);
      return NONE;
    }
    return withAs(base.of, base.as ?? c.defaultAs());
  }
  return withAs(base.to, base.as === 'none' ? c.defaultAs() : base.as);
}

// ---------------------------------------------------------------------------------------
// sizeof / offsetof.

function sizeofExpr(c: Checker, e: A.SizeofExpr): Ty {
  let t: Ty | undefined;
  if ('type' in e.arg) t = resolveType(c, e.arg.type, 'none');
  else if (e.arg.expr.kind === 'ident') {
    const name = e.arg.expr.name;
    const i = INT_NAMES[name];
    if (i) t = int(i[0], i[1]);
    else {
      const ct = c.ctx.env.cType(name);
      if (ct) t = c.ctx.env.fromC(ct, 'none');
      else {
        c.error(`Unknown identifier: '${name}'`, e.arg.expr.span);
        return U64;
      }
    }
    e.arg.expr.ty = t;
  } else t = typeExpr(c, e.arg.expr);
  if (t && t.k !== 'none') e.value = tySize(t);
  return U64;
}

function offsetofExpr(c: Checker, e: A.OffsetofExpr): Ty {
  let t: Ty | undefined;
  if ('type' in e.base) t = resolveType(c, e.base.type, 'none');
  else if (e.base.expr.kind === 'ident') {
    const def = c.ctx.env.findRecord(e.base.expr.name);
    if (def) t = c.ctx.env.recordTy(def, 'none');
    else c.error(`Unknown identifier: '${e.base.expr.name}'`, e.base.expr.span);
  } else t = typeExpr(c, e.base.expr);
  if (!t || t.k === 'none') return U64;
  let offset = 0;
  let cur: Ty = t;
  for (const f of e.path) {
    if (cur.k !== 'struct') {
      c.error(`'${tyToString(cur)}' is not a record type.`, e.span);
      return U64;
    }
    const def = c.ctx.env.findRecord(cur.name);
    if (!def) {
      c.error(`'${cur.name}' does not exist.`, e.span);
      return U64;
    }
    const fi = c.ctx.env.field(cur, f);
    if (!fi) {
      c.error(`'${cur.name}' has no field named '${f}'`, e.span);
      return U64;
    }
    offset += fi.offset;
    cur = fi.ty;
  }
  e.value = offset;
  return U64;
}

