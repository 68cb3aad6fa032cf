// Pass `casts`: makes the conversions the type pass settled explicit, so the lowering
// never has to infer one. Where a value is stored in a variable or map (or used as a map
// key) of a different type than its own (a uint8 literal into a uint64 map value, a
// string[3] into a string[16] variable, an int into an int64 key), the value is wrapped
// in an implicit cast to the storage type. Implicit casts are not printed back.
import type * as A from '../ast';
import { rewriteExpr, rewriteStmts, type Rewriter } from '../ast-walk';
import type { Pass } from '../context';
import { type Ty, equalTy, tyToString } from '../types';

function wrap(e: A.Expr, to: Ty | undefined): A.Expr {
  const from = e.ty;
  if (!to || !from || to.k === 'none' || from.k === 'none' || equalTy(from, to)) return e;
  if (from.k === 'agg' && to.k !== 'int') return e;
  const convertible =
    (from.k === 'int' || from.k === 'bool' || from.k === 'agg') === (to.k === 'int' || to.k === 'bool') &&
    (from.k === to.k || from.k === 'agg' || from.k === 'bool' || to.k === 'bool');
  if (!convertible) return e;
  return { kind: 'cast', span: e.span, implicit: true, type: { kind: 'namedType', span: e.span, name: tyToString(to) }, expr: e, ty: to };
}

function castKey(m: A.MapExpr): void {
  if (m.key && m.keyTy) m.key = wrap(m.key, m.keyTy);
}

export const castsPass: Pass = {
  name: 'casts',
  run(ctx) {
    const maps = ctx.typed?.maps;
    const r: Rewriter = {
      expr(e) {
        if (e.kind === 'map') castKey(e);
        if (e.kind === 'call' && (e.name === 'delete' || e.name === 'has_key') && e.args.length === 2 && e.args[0].kind === 'map') {
          const key = maps?.get(e.args[0].name)?.key;
          e.args[1] = wrap(e.args[1], key);
        }
        return e;
      },
      stmt(s) {
        if (s.kind === 'assign' && s.op === '=' && s.target.kind !== 'discard') {
          const to = s.target.kind === 'var' ? s.target.binding?.ty : maps?.get(s.target.name)?.value;
          s.value = wrap(s.value, to);
        } else if (s.kind === 'let' && s.value) {
          s.value = wrap(s.value, s.var.binding?.ty);
        } else if (s.kind === 'aggregate') {
          castKey(s.map);
        }
        return s;
      },
    };
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe') continue;
      if (item.predicate) item.predicate = rewriteExpr(item.predicate, r);
      item.body.stmts = rewriteStmts(item.body.stmts, r);
    }
  },
};
