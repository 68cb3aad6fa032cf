// Argument checks shared by the typing of calls: literal arguments, argument kinds, and
// the predicates for integer, pointer and string-like arguments, with bpftrace's messages.
import type * as A from '../../ast';
import { type Ty, isCastableAgg, isInt, isIntLike, kindName } from '../../types';
import type { Checker } from './checker';
import { typeExpr } from './exprs';

/** Whether an argument is a literal of the wanted kind. */
export function literalKind(e: A.Expr): 'string' | 'int' | undefined {
  if (e.kind === 'str') return 'string';
  if (e.kind === 'int' || (e.kind === 'unop' && e.op === '-' && e.expr.kind === 'int')) return 'int';
  return undefined;
}

/** Requires argument `i` to be a literal; returns false (after an error) when it is not. */
export function wantLiteral(c: Checker, e: A.Call, i: number, kind: 'string' | 'int'): boolean {
  const a = e.args[i];
  const t = a.ty ?? typeExpr(c, a);
  if (literalKind(a) !== kind) {
    c.error(`${e.name}() expects a ${kind === 'int' ? 'int' : 'string'} literal (${kindName(t)} provided)`, e.span);
    return false;
  }
  return true;
}

/** Requires argument `i` to satisfy `ok`; reports `want` otherwise. */
export function want(c: Checker, e: A.Call, i: number, ok: (t: Ty) => boolean, wantName: string): boolean {
  const t = e.args[i].ty ?? typeExpr(c, e.args[i]);
  if (t.k === 'none') return false;
  if (!ok(t)) {
    c.error(`${e.name}() only supports ${wantName} arguments (${kindName(t)} provided)`, e.span);
    return false;
  }
  return true;
}

export const intArg = (t: Ty): boolean => isIntLike(t) || isCastableAgg(t);
export const intOrPtr = (t: Ty): boolean => intArg(t) || t.k === 'pointer';
export const stringish = (t: Ty): boolean => t.k === 'string' || (t.k === 'pointer' && t.to.k === 'int' && t.to.bits === 8) || (t.k === 'array' && isInt(t.of) && t.of.bits === 8);

export function bareMap(e: A.Expr): A.MapExpr | undefined {
  return e.kind === 'map' && !e.key ? e : undefined;
}
