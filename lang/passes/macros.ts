// Pass `macros`: expands bpftrace macros (`macro name($v, e, @m) { ... }`) at their call
// sites into block expressions, hygienically: `$v` parameters bind a caller variable (or
// an expression), `@m` parameters a caller map, bare-identifier parameters an expression;
// other variables of the body are renamed so they cannot clash with the caller's, and
// maps not passed in are errors. Nested calls expand too; recursion is an error.
import type * as A from '../ast';
import { rewriteExpr, rewriteStmts, type Rewriter } from '../ast-walk';
import type { Ctx, Pass } from '../context';

class Expander {
  constructor(
    private readonly ctx: Ctx,
    private readonly macros: Map<string, A.MacroItem>,
  ) {}

  private isMacroCall(e: A.Expr): boolean {
    return (e.kind === 'call' || e.kind === 'ident') && this.macros.has(e.name);
  }

  /** Expands every macro call in a statement list; `stack` holds the macros being expanded. */
  expandList(stmts: A.Stmt[], stack: string[]): A.Stmt[] {
    const r: Rewriter = { expr: (e) => this.expandAt(e, stack, false) };
    // A call in statement position may expand to a body without a final expression.
    forEachList(stmts, (list) => {
      for (const s of list) {
        if (s.kind === 'exprStmt' && this.isMacroCall(s.expr)) {
          if (s.expr.kind === 'call') s.expr.args = s.expr.args.map((a) => rewriteExpr(a, r));
          s.expr = this.expandAt(s.expr, stack, true);
        }
      }
    });
    return rewriteStmts(stmts, r);
  }

  expandExpr(e: A.Expr, stack: string[]): A.Expr {
    return rewriteExpr(e, { expr: (x) => this.expandAt(x, stack, false) });
  }

  private expandAt(e: A.Expr, stack: string[], statement: boolean): A.Expr {
    if (e.kind !== 'call' && e.kind !== 'ident') return e;
    const macro = this.macros.get(e.name);
    if (!macro) return e;
    const i = stack.indexOf(e.name);
    if (i >= 0) {
      this.ctx.diags.error(`Recursive macro call detected. Call chain: ${[...stack.slice(i), e.name].join(' > ')}`, e.span);
      return e;
    }
    if (e.kind === 'ident' && macro.params.length > 0) {
      this.ctx.diags.error(`Call to macro has no number arguments. Expected: ${macro.params.length}`, e.span);
      return e;
    }
    const args = e.kind === 'call' ? e.args : [];
    if (args.length !== macro.params.length) {
      this.ctx.diags.error(`Call to macro has wrong number arguments. Expected: ${macro.params.length} but got ${args.length}`, e.span);
      return e;
    }
    return this.expand(macro, args, e.span, [...stack, e.name], statement) ?? e;
  }

  private expand(macro: A.MacroItem, args: A.Expr[], span: A.Span, stack: string[], statement: boolean): A.Expr | undefined {
    const varBinds = new Map<string, string>();
    const exprBinds = new Map<string, A.Expr>();
    const mapBinds = new Map<string, string>();
    for (let i = 0; i < args.length; i++) {
      const p = macro.params[i];
      const a = args[i];
      const bareMap = a.kind === 'map' && !a.key;
      if (p.kind === 'map') {
        if (bareMap) mapBinds.set(p.name, (a as A.MapExpr).name);
        else {
          this.ctx.diags.error(`Mismatched arg to macro call. Macro expects a map for arg @${p.name} but got ${a.kind === 'var' ? 'a variable' : 'an expression'}.`, span);
          return undefined;
        }
      } else if (p.kind === 'var') {
        if (a.kind === 'var') varBinds.set(p.name, a.name);
        else if (bareMap) {
          this.ctx.diags.error(`Mismatched arg to macro call. Macro expects a variable for arg $${p.name} but got a map.`, span);
          return undefined;
        } else exprBinds.set('$' + p.name, a);
      } else exprBinds.set(p.name, a);
    }

    if (!macro.body.result && !statement) {
      this.ctx.diags.error(
        `Macro '${macro.name}' expanded to a block instead of a block expression. Try removing the semicolon from the end of the last statement in the macro body.`,
        span,
      );
      return undefined;
    }
    for (const s of macro.body.stmts) {
      if (s.kind === 'assign' && s.target.kind === 'var' && exprBinds.has('$' + s.target.name)) {
        this.ctx.diags.error(`Macro '${macro.name}' assigns to parameter '$${s.target.name}', meaning it expects a variable, not an expression.`, args[macro.params.findIndex((p) => p.kind === 'var' && p.name === (s.target as A.Var).name)].span);
        return undefined;
      }
      if (s.kind === 'let' && (exprBinds.has('$' + s.var.name) || varBinds.has(s.var.name))) {
        this.ctx.diags.error(`Variable declaration shadows macro arg $${s.var.name}`, s.span);
        return undefined;
      }
    }

    const body = structuredClone(macro.body);
    const hygiene: Rewriter = {
      expr: (e) => {
        switch (e.kind) {
          case 'var': {
            const bound = varBinds.get(e.name);
            if (bound !== undefined) return { ...e, name: bound };
            const ex = exprBinds.get('$' + e.name);
            if (ex) return structuredClone(ex);
            return { ...e, name: `__${macro.name}_${e.name}` };
          }
          case 'ident': {
            const ex = exprBinds.get(e.name);
            return ex ? structuredClone(ex) : e;
          }
          case 'map': {
            const bound = mapBinds.get(e.name);
            if (bound !== undefined) return { ...e, name: bound };
            this.ctx.diags.error(`Unhygienic access to map: @${e.name}. Maps must be passed into the macro as arguments.`, e.nameSpan);
            return e;
          }
          default:
            return e;
        }
      },
    };
    let stmts = rewriteStmts(body.stmts, hygiene);
    let result = body.result ? rewriteExpr(body.result, hygiene) : undefined;
    stmts = this.expandList(stmts, stack);
    if (result) result = this.expandExpr(result, stack);
    return { kind: 'blockExpr', span, stmts, result, macro: macro.name };
  }
}

/** Calls `fn` on a statement list and every nested one. */
function forEachList(stmts: A.Stmt[], fn: (s: A.Stmt[]) => void): void {
  fn(stmts);
  for (const s of stmts) {
    switch (s.kind) {
      case 'if':
        forEachList(s.then.stmts, fn);
        if (s.else) forEachList('kind' in s.else ? [s.else] : s.else.stmts, fn);
        break;
      case 'while':
      case 'unroll':
      case 'for':
        forEachList(s.body.stmts, fn);
        break;
      case 'blockStmt':
        forEachList(s.block.stmts, fn);
        break;
      default:
        break;
    }
  }
}

export const macrosPass: Pass = {
  name: 'macros',
  run(ctx) {
    const macros = new Map<string, A.MacroItem>();
    for (const item of ctx.program.items) {
      if (item.kind !== 'macro') continue;
      if (macros.has(item.name)) {
        ctx.diags.error(`Redefinition of macro: ${item.name}`, item.span);
        continue;
      }
      const seen = new Set<string>();
      for (const p of item.params) {
        const key = (p.kind === 'map' ? '@' : p.kind === 'var' ? '$' : '') + p.name;
        if (seen.has(key)) ctx.diags.error(`${p.kind === 'map' ? 'Map' : 'Variable'} for macro argument has already been used: ${key}`, p.span);
        seen.add(key);
      }
      macros.set(item.name, item);
    }
    if (macros.size === 0 || ctx.diags.hasErrors()) return;
    const ex = new Expander(ctx, macros);
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe') continue;
      if (item.predicate) item.predicate = ex.expandExpr(item.predicate, []);
      item.body.stmts = ex.expandList(item.body.stmts, []);
    }
  },
};
