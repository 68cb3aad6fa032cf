// Pass `map-sugar`: turns `@m[k] = count()` and the other aggregation assignments into
// aggregate statements the lowering emits as in-kernel map updates, rewrites the
// deprecated `delete(@m[k])` into `delete(@m, k)`, and reports aggregation calls used
// anywhere else ("count() must be assigned directly to a map").
import type * as A from '../ast';
import { rewriteExpr, rewriteStmts, visitExpr, type Rewriter } from '../ast-walk';
import type { Pass } from '../context';
import { AGG_FUNCTIONS } from '../functions';

export const mapSugarPass: Pass = {
  name: 'map-sugar',
  run(ctx) {
    const reportStray = (e: A.Expr): void => {
      visitExpr(e, {
        expr: (x) => {
          if (x.kind === 'call' && AGG_FUNCTIONS.has(x.name)) ctx.diags.error(`${x.name}() must be assigned directly to a map`, x.span);
        },
      });
    };
    const r: Rewriter = {
      expr(e) {
        if (e.kind === 'call' && e.name === 'delete' && e.args.length === 1) {
          const a = e.args[0];
          if (a.kind === 'map' && a.key) {
            const map: A.MapExpr = { ...a, key: undefined, span: a.nameSpan };
            e.args = [map, a.key];
          }
        }
        return e;
      },
      stmt(s) {
        if (s.kind === 'assign' && s.target.kind === 'map' && s.value.kind === 'call' && AGG_FUNCTIONS.has(s.value.name)) {
          const call = s.value;
          if (s.op !== '=') {
            ctx.diags.error(`${call.name}() must be assigned directly to a map`, call.span);
            return s;
          }
          call.args.forEach(reportStray);
          if (s.target.key) reportStray(s.target.key);
          return { kind: 'aggregate', span: s.span, map: s.target, fn: call.name as A.AggFn, call } satisfies A.AggregateStmt;
        }
        return s;
      },
    };
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe') continue;
      if (item.predicate) item.predicate = rewriteExpr(item.predicate, r);
      item.body.stmts = rewriteStmts(item.body.stmts, r);
      // Aggregations anywhere but directly on the right of a map assignment.
      const walkStmt = (s: A.Stmt): void => {
        if (s.kind === 'aggregate') return;
        switch (s.kind) {
          case 'exprStmt':
            reportStray(s.expr);
            break;
          case 'assign':
            if (s.target.kind === 'map' && s.target.key) reportStray(s.target.key);
            reportStray(s.value);
            break;
          case 'let':
            if (s.value) reportStray(s.value);
            break;
          case 'if':
            reportStray(s.cond);
            s.then.stmts.forEach(walkStmt);
            if (s.else) ('kind' in s.else ? [s.else] : s.else.stmts).forEach(walkStmt);
            break;
          case 'while':
            reportStray(s.cond);
            s.body.stmts.forEach(walkStmt);
            break;
          case 'unroll':
            reportStray(s.count);
            s.body.stmts.forEach(walkStmt);
            break;
          case 'for':
            if (s.iter.kind === 'range') {
              reportStray(s.iter.start);
              reportStray(s.iter.end);
            }
            s.body.stmts.forEach(walkStmt);
            break;
          case 'jump':
            if (s.value) reportStray(s.value);
            break;
          case 'blockStmt':
            s.block.stmts.forEach(walkStmt);
            break;
          default:
            break;
        }
      };
      if (item.predicate) reportStray(item.predicate);
      item.body.stmts.forEach(walkStmt);
    }
  },
};
