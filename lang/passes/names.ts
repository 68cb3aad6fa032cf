// Pass `names`: resolves bare identifiers. Builtin variables (`pid`, `comm`, `args`,
// `arg0`, ...) and their call forms without arguments (`pid()`, `kstack()`) become
// builtin nodes; `#define` constants are substituted; enum constants (from the script or
// the catalogue) become integer literals that remember their enum. Identifiers that only
// mean something as a function argument (`perf`, `monotonic`, `init`) or a type name in
// sizeof are left for the type pass, which reports the unknown ones.
import type * as A from '../ast';
import { rewriteExpr, rewriteStmts, type Rewriter } from '../ast-walk';
import { builtinVar, isArgN } from '../builtins';
import type { Ctx, Pass } from '../context';

/** Functions whose bare name is a call with no arguments (`pcomm` is `pcomm()`). */
const BARE_CALLS = new Set(['pcomm', 'ppid']);

function isBuiltinName(name: string): boolean {
  return builtinVar(name) !== undefined || isArgN(name) || /^sarg\d+$/.test(name);
}

function resolver(ctx: Ctx, expanding: Set<string>): Rewriter {
  return {
    expr(e) {
      if (e.kind === 'call' && e.args.length === 0 && isBuiltinName(e.name) && !isArgN(e.name)) {
        return { kind: 'builtin', span: e.span, name: e.name } satisfies A.Builtin;
      }
      if (e.kind !== 'ident') return e;
      if (isBuiltinName(e.name)) return { kind: 'builtin', span: e.span, name: e.name } satisfies A.Builtin;
      const def = ctx.defines.get(e.name);
      if (def && !def.params) {
        if (!def.value) {
          ctx.diags.error(`Can not use macro ${e.name}: its value "${def.text}" is not an expression`, e.span);
          return e;
        }
        if (expanding.has(e.name)) return e;
        expanding.add(e.name);
        const value = rewriteExpr(withSpan(structuredClone(def.value), e.span), resolver(ctx, expanding));
        expanding.delete(e.name);
        if (value.kind === 'int') value.constName = e.name;
        return value;
      }
      if (BARE_CALLS.has(e.name) && !ctx.env.enumConstant(e.name)) {
        return { kind: 'call', span: e.span, name: e.name, args: [], nameSpan: e.span } satisfies A.Call;
      }
      const c = ctx.env.enumConstant(e.name);
      if (c) {
        const negative = c.value < 0n;
        return { kind: 'int', span: e.span, value: negative ? -c.value : c.value, raw: String(c.value), negative, enumName: c.enumName, constName: e.name } satisfies A.IntLit;
      }
      return e;
    },
  };
}

/** Gives every node of a substituted expression the span of the identifier it replaces. */
function withSpan(e: A.Expr, span: A.Span): A.Expr {
  return rewriteExpr(e, {
    expr: (x) => {
      x.span = span;
      if (x.kind === 'binop') x.opSpan = span;
      if (x.kind === 'map') x.nameSpan = span;
      if (x.kind === 'call') x.nameSpan = span;
      return x;
    },
  });
}

export const namesPass: Pass = {
  name: 'names',
  run(ctx) {
    const r = resolver(ctx, new Set());
    for (const item of ctx.program.items) {
      if (item.kind === 'probe') {
        if (item.predicate) item.predicate = rewriteExpr(item.predicate, r);
        item.body.stmts = rewriteStmts(item.body.stmts, r);
      } else if (item.kind === 'mapDecl') {
        item.args = item.args.map((a) => rewriteExpr(a, r));
      }
    }
  },
};
