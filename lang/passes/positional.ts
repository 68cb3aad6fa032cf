// Pass `positional`: replaces `$1`..`$N` by the command line's values and `$#` by their
// count, as bpftrace does before typing: a numeric parameter becomes an integer literal,
// any other a string literal; inside str() a parameter is always a string; a missing one
// is 0 (or "" inside str()).
import type * as A from '../ast';
import { rewriteExpr, rewriteStmts, type Rewriter } from '../ast-walk';
import { constInt } from '../consteval';
import type { Pass } from '../context';

function literalFor(text: string | undefined, p: A.Param, asString: boolean): A.Expr {
  const tag = p.count ? '$#' : `$${p.index}`;
  if (asString) return { kind: 'str', span: p.span, value: text ?? '', fromParam: tag };
  const t = (text ?? '0').trim();
  const m = /^(-?)(0[xX][0-9a-fA-F]+|\d+)$/.exec(t);
  if (m) {
    const lit: A.IntLit = { kind: 'int', span: p.span, value: BigInt(m[2]), raw: m[2], fromParam: tag };
    if (lit.value >= 1n << 64n) return { kind: 'str', span: p.span, value: t, fromParam: tag };
    return m[1] ? { kind: 'unop', span: p.span, op: '-', expr: lit } : lit;
  }
  return { kind: 'str', span: p.span, value: text ?? '', fromParam: tag };
}

export const positionalPass: Pass = {
  name: 'positional',
  run(ctx) {
    const params = ctx.options.params ?? [];
    const replace = (e: A.Expr, inStr: boolean): A.Expr => {
      if (e.kind !== 'param') return e;
      if (e.count) return { kind: 'int', span: e.span, value: BigInt(params.length), raw: String(params.length), fromParam: '$#' };
      return literalFor(params[e.index - 1], e, inStr);
    };
    const r: Rewriter = {
      expr: (e) => {
        if (e.kind === 'call' && e.name === 'str' && e.args.length > 0) {
          const a = e.args[0];
          // str($1 + 1): the parameter as a string, offset by a constant.
          if (a.kind === 'str' && a.fromParam) return e;
        }
        return replace(e, false);
      },
      enterExpr: (e) => {
        if (e.kind === 'call' && e.name === 'str' && e.args.length > 0) {
          const a = e.args[0];
          if (a.kind === 'param') e.args[0] = replace(a, true);
          else if (a.kind === 'binop' && a.op === '+' && a.left.kind === 'param' && !a.left.count) {
            // str($1 + k): the parameter's text from offset k.
            const text = params[a.left.index - 1] ?? '';
            const k = constInt(a.right);
            if (k === undefined || k < 0n || k > BigInt(text.length)) {
              ctx.diags.error(`Only addition of a single constant, less or equal to the length of the supplied string, is allowed on $${a.left.index} ("${text}")`, a.span);
            } else e.args[0] = { kind: 'str', span: a.span, value: text.slice(Number(k)), fromParam: `$${a.left.index}` };
          }
        }
        return true;
      },
    };
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe') continue;
      if (item.predicate) item.predicate = rewriteExpr(item.predicate, r);
      item.body.stmts = rewriteStmts(item.body.stmts, r);
    }
  },
};
