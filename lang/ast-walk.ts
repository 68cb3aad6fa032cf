// Traversal of the AST: the one default walker every pass builds on. `children` lists an
// expression's direct sub-expressions; `rewrite*` rebuilds a tree bottom-up through a
// callback that may replace expressions or statements; `visit*` walks read-only. Each
// switch is exhaustive over its union.
import type * as A from './ast';
import { unreachable } from './types';

/** Direct sub-expressions of an expression, in source order. */
export function children(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'int':
    case 'str':
    case 'bool':
    case 'ident':
    case 'builtin':
    case 'var':
    case 'param':
      return [];
    case 'map':
      return e.key ? [e.key] : [];
    case 'unop':
      return [e.expr];
    case 'incdec':
      return [e.target];
    case 'binop':
      return [e.left, e.right];
    case 'ternary':
      return e.then ? [e.cond, e.then, e.else] : [e.cond, e.else];
    case 'cast':
      return [e.expr];
    case 'field':
    case 'tupleIndex':
      return [e.expr];
    case 'index':
      return [e.expr, e.index];
    case 'call':
      return e.args;
    case 'tuple':
      return e.elems;
    case 'record':
      return e.fields.map((f) => f.value);
    case 'sizeof':
      return 'expr' in e.arg ? [e.arg.expr] : [];
    case 'offsetof':
      return 'expr' in e.base ? [e.base.expr] : [];
    case 'blockExpr':
      return e.result ? [e.result] : [];
    default:
      return unreachable(e);
  }
}

export interface Rewriter {
  /** Called after an expression's children were rewritten; returns its replacement. */
  expr?(e: A.Expr): A.Expr;
  /** Called after a statement's parts were rewritten; may replace it by several. */
  stmt?(s: A.Stmt): A.Stmt | A.Stmt[];
  /** Called before descending into an expression; returning false skips its subtree. */
  enterExpr?(e: A.Expr): boolean;
}

export function rewriteExpr(e: A.Expr, r: Rewriter): A.Expr {
  if (r.enterExpr && !r.enterExpr(e)) return e;
  const x = (c: A.Expr): A.Expr => rewriteExpr(c, r);
  switch (e.kind) {
    case 'int':
    case 'str':
    case 'bool':
    case 'ident':
    case 'builtin':
    case 'var':
    case 'param':
      break;
    case 'map':
      if (e.key) e.key = x(e.key);
      break;
    case 'unop':
      e.expr = x(e.expr);
      break;
    case 'incdec':
      e.target = x(e.target);
      break;
    case 'binop':
      e.left = x(e.left);
      e.right = x(e.right);
      break;
    case 'ternary':
      e.cond = x(e.cond);
      if (e.then) e.then = x(e.then);
      e.else = x(e.else);
      break;
    case 'cast':
    case 'field':
    case 'tupleIndex':
      e.expr = x(e.expr);
      break;
    case 'index':
      e.expr = x(e.expr);
      e.index = x(e.index);
      break;
    case 'call':
      e.args = e.args.map(x);
      break;
    case 'tuple':
      e.elems = e.elems.map(x);
      break;
    case 'record':
      for (const f of e.fields) f.value = x(f.value);
      break;
    case 'sizeof':
      if ('expr' in e.arg) e.arg = { expr: x(e.arg.expr) };
      break;
    case 'offsetof':
      if ('expr' in e.base) e.base = { expr: x(e.base.expr) };
      break;
    case 'blockExpr':
      e.stmts = rewriteStmts(e.stmts, r);
      if (e.result) e.result = x(e.result);
      break;
    default:
      return unreachable(e);
  }
  return r.expr ? r.expr(e) : e;
}

export function rewriteBlock(b: A.Block, r: Rewriter): A.Block {
  b.stmts = rewriteStmts(b.stmts, r);
  return b;
}

export function rewriteStmts(stmts: A.Stmt[], r: Rewriter): A.Stmt[] {
  const out: A.Stmt[] = [];
  for (const s of stmts) {
    const n = rewriteStmt(s, r);
    if (Array.isArray(n)) out.push(...n);
    else out.push(n);
  }
  return out;
}

export function rewriteStmt(s: A.Stmt, r: Rewriter): A.Stmt | A.Stmt[] {
  const x = (c: A.Expr): A.Expr => rewriteExpr(c, r);
  switch (s.kind) {
    case 'exprStmt':
      s.expr = x(s.expr);
      break;
    case 'assign':
      if (s.target.kind !== 'discard') s.target = x(s.target) as A.MapExpr | A.Var;
      s.value = x(s.value);
      break;
    case 'let':
      s.var = x(s.var) as A.Var;
      if (s.value) s.value = x(s.value);
      break;
    case 'aggregate':
      s.map = x(s.map) as A.MapExpr;
      s.call.args = s.call.args.map(x);
      break;
    case 'if':
      s.cond = x(s.cond);
      rewriteBlock(s.then, r);
      if (s.else) {
        if ('kind' in s.else) {
          const e = rewriteStmt(s.else, r);
          if (!Array.isArray(e) && e.kind === 'if') s.else = e;
        } else rewriteBlock(s.else, r);
      }
      break;
    case 'while':
      s.cond = x(s.cond);
      rewriteBlock(s.body, r);
      break;
    case 'unroll':
      s.count = x(s.count);
      rewriteBlock(s.body, r);
      break;
    case 'for':
      if (s.iter.kind === 'range') {
        s.iter.start = x(s.iter.start);
        s.iter.end = x(s.iter.end);
      } else {
        s.iter.map = x(s.iter.map) as A.MapExpr;
      }
      s.var = x(s.var) as A.Var;
      rewriteBlock(s.body, r);
      break;
    case 'jump':
      if (s.value) s.value = x(s.value);
      break;
    case 'blockStmt':
      rewriteBlock(s.block, r);
      break;
    default:
      return unreachable(s);
  }
  return r.stmt ? r.stmt(s) : s;
}

/** Rewrites every expression and statement of the program's probes, macros, defines and config. */
export function rewriteProgram(p: A.Program, r: Rewriter): void {
  for (const item of p.items) {
    if (item.kind === 'probe') {
      if (item.predicate) item.predicate = rewriteExpr(item.predicate, r);
      rewriteBlock(item.body, r);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Read-only walks.

export interface Visitor {
  expr?(e: A.Expr): void;
  stmt?(s: A.Stmt): void;
}

export function visitExpr(e: A.Expr, v: Visitor): void {
  v.expr?.(e);
  if (e.kind === 'blockExpr') visitStmts(e.stmts, v);
  for (const c of children(e)) visitExpr(c, v);
}

export function visitStmts(stmts: readonly A.Stmt[], v: Visitor): void {
  for (const s of stmts) visitStmt(s, v);
}

export function visitStmt(s: A.Stmt, v: Visitor): void {
  v.stmt?.(s);
  for (const e of stmtExprs(s)) visitExpr(e, v);
  for (const b of stmtBlocks(s)) visitStmts(b.stmts, v);
}

/** Expressions directly inside a statement (not in nested blocks). */
export function stmtExprs(s: A.Stmt): A.Expr[] {
  switch (s.kind) {
    case 'exprStmt':
      return [s.expr];
    case 'assign':
      return s.target.kind === 'discard' ? [s.value] : [s.target, s.value];
    case 'let':
      return s.value ? [s.var, s.value] : [s.var];
    case 'aggregate':
      return [s.map, ...s.call.args];
    case 'if':
      return [s.cond];
    case 'while':
      return [s.cond];
    case 'unroll':
      return [s.count];
    case 'for':
      return s.iter.kind === 'range' ? [s.var, s.iter.start, s.iter.end] : [s.var, s.iter.map];
    case 'jump':
      return s.value ? [s.value] : [];
    case 'blockStmt':
      return [];
    default:
      return unreachable(s);
  }
}

/** Blocks directly inside a statement (an else-if counts as a one-statement block). */
export function stmtBlocks(s: A.Stmt): A.Block[] {
  switch (s.kind) {
    case 'if': {
      const out = [s.then];
      if (s.else) out.push('kind' in s.else ? { span: s.else.span, stmts: [s.else] } : s.else);
      return out;
    }
    case 'while':
    case 'unroll':
    case 'for':
      return [s.body];
    case 'blockStmt':
      return [s.block];
    default:
      return [];
  }
}

export function visitProbe(p: A.Probe, v: Visitor): void {
  if (p.predicate) visitExpr(p.predicate, v);
  visitStmts(p.body.stmts, v);
}
