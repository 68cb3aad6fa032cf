// Type names and explicit conversions: resolving a written type (`uint32`, `struct sock *`,
// `int8[8]`, a typedef, `enum e`) against the type environment, and typing casts with
// bpftrace's rules (integers and pointers, bool, arrays to and from integers of the same
// size, C type spellings rejected with a hint).
import type * as A from '../../ast';
import { constInt } from '../../consteval';
import { type AddrSpace, type Ty, BOOL, NONE, VOID, agg, int, isCastableAgg, isInt, isIntLike, ptr, tySize, tyToString } from '../../types';
import type { Checker } from './checker';
import { typeExpr } from './exprs';

export const INT_NAMES: Readonly<Record<string, [8 | 16 | 32 | 64, boolean]>> = {
  uint8: [8, false],
  uint16: [16, false],
  uint32: [32, false],
  uint64: [64, false],
  int8: [8, true],
  int16: [16, true],
  int32: [32, true],
  int64: [64, true],
};
const C_ALIASES: Readonly<Record<string, string>> = { char: 'int8', short: 'int16', int: 'int32', long: 'int64' };

/** The type a type expression names, reporting unknown names (undefined then). */
export function resolveType(c: Checker, t: A.TypeExpr, as: AddrSpace): Ty | undefined {
  switch (t.kind) {
    case 'namedType': {
      const i = INT_NAMES[t.name];
      if (i) return int(i[0], i[1]);
      switch (t.name) {
        case 'bool':
          return BOOL;
        case 'void':
          return VOID;
        case 'string':
          return { k: 'string', size: t.size ?? 0 };
        case 'inet':
          return { k: 'inet', size: t.size ?? 16 };
        case 'buffer':
          return { k: 'buffer', size: t.size ?? 0 };
        case 'timestamp':
          return { k: 'timestamp', mode: 'boot' };
        case 'macaddr_t':
          return { k: 'macaddr' };
        case 'cgroup_path_t':
          return { k: 'cgroupPath' };
        case 'strerror_t':
          return { k: 'strerror' };
        case 'ksym_t':
          return { k: 'ksym' };
        case 'usym_t':
          return { k: 'usym' };
        default: {
          const m = /^(u?)(count|sum|min|max|avg|stats)_t$/.exec(t.name);
          if (m) return agg(m[2] as A.AggFn, m[1] !== 'u');
          return undefined;
        }
      }
    }
    case 'identType': {
      const ct = c.ctx.env.cType(t.name);
      if (ct && t.name in C_ALIASES === false) return c.ctx.env.fromC(ct, as);
      c.error(`Cannot resolve unknown type "${t.name}"`, t.span);
      return undefined;
    }
    case 'structType': {
      if (t.keyword === 'enum') {
        const def = c.ctx.env.findEnum(t.name);
        if (!def) {
          c.error(`Unknown enum: ${t.name}`, t.span);
          return undefined;
        }
        return { ...int(def.size === 8 ? 64 : 32, false), enumName: t.name };
      }
      const def = c.ctx.env.findRecord(`${t.keyword} ${t.name}`);
      if (!def) {
        c.error(`Cannot resolve unknown type "${t.keyword} ${t.name}"`, t.span);
        return undefined;
      }
      return c.ctx.env.recordTy(def, as);
    }
    case 'pointerType': {
      // A pointer to an undefined struct is still a pointer (as in C).
      if (t.to.kind === 'structType' && t.to.keyword !== 'enum' && !c.ctx.env.findRecord(`${t.to.keyword} ${t.to.name}`)) {
        c.error(`Cannot resolve unknown type "${t.to.keyword} ${t.to.name}"`, t.to.span);
        return undefined;
      }
      const to = resolveType(c, t.to, as);
      return to ? ptr(to, as) : undefined;
    }
    case 'arrayType': {
      const of = resolveType(c, t.of, as);
      return of ? { k: 'array', of, len: t.len ?? 0, as } : undefined;
    }
    case 'inlineStruct':
      c.error('A struct definition can not be used here', t.span);
      return undefined;
    default:
      return undefined;
  }
}

/** The type of an explicit cast, with bpftrace's rules for integers, pointers, bools and arrays. */
export function cast(c: Checker, e: A.Cast): Ty {
  const rhs = typeExpr(c, e.expr);
  if (e.implicit && e.ty) return e.ty;
  const te = e.type;
  if (te.kind === 'identType' && C_ALIASES[te.name]) {
    c.error(`Cannot cast to "${te.name}"`, e.span, `Did you mean "${C_ALIASES[te.name]}"?`);
    return NONE;
  }
  const as = rhs.k === 'pointer' ? (rhs.as === 'none' ? c.defaultAs() : rhs.as) : c.defaultAs();
  let target = resolveType(c, te, as);
  if (!target) return NONE;
  if (rhs.k === 'none') return target;
  if (rhs.k === 'struct') {
    c.error(`Cannot cast from struct type "${tyToString(rhs)}"`, e.span);
    return NONE;
  }
  const tgtOk =
    isInt(target) || target.k === 'pointer' || target.k === 'bool' || (target.k === 'array' && (isInt(target.of) || target.of.k === 'bool'));
  if (!tgtOk) {
    c.error(`Cannot cast to "${tyToString(target)}"`, e.span);
    return NONE;
  }
  if (target.k === 'array') {
    const elem = tySize(target.of);
    // An integer literal is as wide as the array (if that is an integer width and the
    // value fits), or 64 bits for an unsized array.
    const v = isIntLike(rhs) ? constInt(e.expr) : undefined;
    const want = tySize(target.of) * target.len;
    const fits = v !== undefined && [1, 2, 4, 8].includes(want) && (v >= 0n ? v < 1n << BigInt(want * 8) : -v <= 1n << BigInt(want * 8 - 1));
    const srcSize = v !== undefined && target.len === 0 ? 8 : fits ? want : tySize(rhs);
    if (target.len === 0) {
      if (elem === 0) {
        c.error('Could not determine size of the array', e.span);
        return NONE;
      }
      if (srcSize % elem !== 0) {
        c.error('Cannot determine array size: the element size is incompatible with the cast integer size', e.span);
        return NONE;
      }
      target = { ...target, len: srcSize / elem };
    }
    if (!(isIntLike(rhs) && tySize(target) === srcSize)) {
      c.error(`Cannot cast from "${tyToString(rhs)}" to "${tyToString(target)}"`, e.span);
      return NONE;
    }
    return target;
  }
  if (rhs.k === 'array') {
    if (!isInt(target) || tySize(target) !== tySize(rhs)) {
      c.error(`Cannot cast from "${tyToString(rhs)}" to "${tyToString(target)}"`, e.span);
      return NONE;
    }
    return target;
  }
  if (target.k === 'bool') {
    if (!(isIntLike(rhs) || rhs.k === 'string' || rhs.k === 'pointer' || isCastableAgg(rhs))) {
      c.error(`Cannot cast from "${tyToString(rhs)}" to "${tyToString(target)}"`, e.span);
      return NONE;
    }
    return BOOL;
  }
  if (isInt(target) && !(isIntLike(rhs) || rhs.k === 'pointer' || isCastableAgg(rhs))) {
    c.error(`Cannot cast from "${tyToString(rhs)}" to "${tyToString(target)}"`, e.span);
    return NONE;
  }
  if (target.k === 'pointer' && !(isIntLike(rhs) || rhs.k === 'pointer')) {
    c.error(`Cannot cast from "${tyToString(rhs)}" to "${tyToString(target)}"`, e.span);
    return NONE;
  }
  if (target.k === 'pointer') {
    const src = rhs.k === 'pointer' ? rhs : undefined;
    return { ...target, as: src && src.as !== 'none' ? src.as : c.defaultAs(), ...(src?.ctx ? { ctx: true } : {}) };
  }
  if (isInt(target) && target.enumName) {
    const v = constInt(e.expr);
    const def = c.ctx.env.findEnum(target.enumName);
    if (v !== undefined && def && !Object.values(def.values).some((x) => BigInt(x) === v)) {
      c.error(`Enum: ${target.enumName} doesn't contain a variant value of ${v}`, e.span);
    }
  }
  return target;
}
