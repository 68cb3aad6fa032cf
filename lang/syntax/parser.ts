// The parser: the only module that imports ohm-js. It matches the grammar in
// bpftrace.ohm and builds the AST (ast.ts) with a span on every node. A failed match
// becomes one bpftrace-style syntax error; malformed literals and other problems found
// while building become diagnostics too. Nothing here throws on bad input. Which of its
// entry points a REPL line answers to is fragment.ts.
import * as ohm from 'ohm-js';
import grammarRecipe from './bpftrace.ohm';
import type * as A from '../ast';
import type { Diagnostic } from '../diagnostics';
import { decodeInt, decodeString } from './literals';
import { useFastSpaces } from './spaces';
import { type Expected, nestingError, syntaxError } from './syntax-errors';

type N = ohm.Node;
type Act = (this: N, ...children: N[]) => unknown;

let grammarCache: ohm.Grammar | undefined;
let semanticsCache: ohm.Semantics | undefined;
/** Diagnostics found while building the AST of the current match (parsing is synchronous). */
let pending: Diagnostic[] = [];

function sp(n: N): A.Span {
  return { start: n.source.startIdx, end: n.source.endIdx };
}
function ast<T>(n: N): T {
  return n['ast']() as T;
}
/** The child of an optional (`X?`) iteration node, if present. */
function opt<T>(n: N): T | undefined {
  return n.numChildren ? ast<T>(n.children[0]) : undefined;
}
function list<T>(n: N): T[] {
  return n.asIteration().children.map((c) => ast<T>(c));
}
function fail(message: string, span: A.Span): void {
  pending.push({ severity: 'error', message, span });
}

/** C precedence of the binary operators (higher binds tighter). */
const PREC: Readonly<Record<A.BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/** Builds left-associative binary nodes from a flat `a op b op c ...` by precedence. */
function climb(operands: A.Expr[], ops: { op: A.BinaryOp; span: A.Span }[]): A.Expr {
  const out: A.Expr[] = [operands[0]];
  const stack: { op: A.BinaryOp; span: A.Span }[] = [];
  const reduce = (): void => {
    const o = stack.pop()!;
    const right = out.pop()!;
    const left = out.pop()!;
    out.push({ kind: 'binop', span: { start: left.span.start, end: right.span.end }, op: o.op, left, right, opSpan: o.span });
  };
  ops.forEach((o, i) => {
    while (stack.length && PREC[stack[stack.length - 1].op] >= PREC[o.op]) reduce();
    stack.push(o);
    out.push(operands[i + 1]);
  });
  while (stack.length) reduce();
  return out[0];
}

/** The tree of a flat `operand (op operand)*` sequence. */
function binary(first: N, ops: N, rest: N): A.Expr {
  if (ops.numChildren === 0) return ast(first);
  const operands = [ast<A.Expr>(first), ...ast<A.Expr[]>(rest)];
  const opList = ops.children.map((o) => ({ op: o.sourceString as A.BinaryOp, span: sp(o) }));
  return climb(operands, opList);
}

type PostfixFn = (e: A.Expr, end: number) => A.Expr;

function incdec(op: '++' | '--', prefix: boolean): Act {
  return function (this: N, a: N, b: N) {
    return { kind: 'incdec', span: sp(this), op, prefix, target: ast(prefix ? b : a) } satisfies A.IncDec;
  };
}

/** Splits a statement list into statements and a trailing expression without semicolon. */
interface StmtsResult {
  stmts: A.Stmt[];
  last?: A.Stmt;
}

const actions: Record<string, Act> = {
  Program(shebang, items) {
    const list: A.TopItem[] = [];
    const sb = opt<A.ShebangItem>(shebang);
    if (sb) list.push(sb);
    list.push(...ast<A.TopItem[]>(items));
    return { kind: 'program', span: sp(this), file: '', source: this.source.sourceString, items: list } satisfies A.Program;
  },
  TopItem_struct(d, _semi) {
    return ast(d);
  },
  TopItem_enum(d, _semi) {
    return ast(d);
  },
  TopItem_config(d, _semi) {
    return ast(d);
  },
  shebang(_bang, rest) {
    return { kind: 'shebang', span: sp(this), text: '#!' + rest.sourceString } satisfies A.ShebangItem;
  },
  include(_hash, _hs, _kw, _hs2, target, _rest) {
    const t = target.sourceString;
    return { kind: 'include', span: sp(this), path: t.slice(1, -1), system: t.startsWith('<') } satisfies A.IncludeItem;
  },
  define(_hash, _hs, _kw, _hs2, name, params, body) {
    const text = body.sourceString.replace(/\\\n/g, ' ').trim();
    const item: A.DefineItem = { kind: 'define', span: sp(this), name: name.sourceString, text };
    if (params.numChildren) {
      item.params = params.sourceString
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s);
    } else if (text) {
      const offset = body.source.startIdx + (body.sourceString.length - body.sourceString.trimStart().length);
      const r = parseExpression(text);
      if (r.expr) item.value = shiftSpans(r.expr, offset);
    }
    return item;
  },
  preproc(_hash, rest) {
    return { kind: 'preproc', span: sp(this), text: '#' + rest.sourceString } satisfies A.PreprocItem;
  },
  Config(_kw, _eq, _lb, entries, _semi, _rb) {
    return { kind: 'config', span: sp(this), entries: list(entries) } satisfies A.ConfigItem;
  },
  ConfigEntry(name, _eq, value) {
    return { name: name.sourceString, value: ast(value), span: sp(this) };
  },
  MapDecl(_let, name, _eq, kind, _lp, args, _rp, _semi) {
    return { kind: 'mapDecl', span: sp(this), name: name.sourceString.slice(1), mapKind: kind.sourceString, args: list(args) } satisfies A.MapDeclItem;
  },
  Macro(_kw, name, _lp, params, _rp, body) {
    return { kind: 'macro', span: sp(this), name: name.sourceString, params: list(params), body: ast(body) } satisfies A.MacroItem;
  },
  MacroParam_var(v) {
    return { kind: 'var', name: v.sourceString.slice(1), span: sp(this) } satisfies A.MacroParam;
  },
  MacroParam_map(m) {
    return { kind: 'map', name: m.sourceString.slice(1), span: sp(this) } satisfies A.MacroParam;
  },
  MacroParam_ident(i) {
    return { kind: 'ident', name: i.sourceString, span: sp(this) } satisfies A.MacroParam;
  },
  CStructDef(kw, name, _lb, fields, _rb) {
    return { kind: 'cstruct', span: sp(this), keyword: kw.sourceString as 'struct' | 'union', name: name.sourceString, fields: ast<A.CField[][]>(fields).flat() } satisfies A.CStructDef;
  },
  CInlineStruct(kw, name, _lb, fields, _rb) {
    const def: A.CStructDef = {
      kind: 'cstruct',
      span: sp(this),
      keyword: kw.sourceString as 'struct' | 'union',
      name: name.numChildren ? name.sourceString : '',
      fields: ast<A.CField[][]>(fields).flat(),
    };
    return { kind: 'inlineStruct', span: sp(this), def } satisfies A.TypeExpr;
  },
  CField_inline(inl, decls, _semi) {
    const base = ast<A.TypeExpr>(inl);
    const ds = list<Declarator>(decls);
    if (ds.length === 0) return [{ span: sp(this), name: '', type: base }];
    return ds.map((d) => declField(base, d));
  },
  CField_plain(words, decls, _semi) {
    const base = ast<A.TypeExpr>(words);
    return list<Declarator>(decls).map((d) => declField(base, d));
  },
  CTypeWords_tagged(s) {
    return ast(s);
  },
  CTypeWords_words(_words, _ahead) {
    return { kind: 'identType', span: sp(this), name: this.sourceString.split(/\s+/).join(' ') } satisfies A.TypeExpr;
  },
  CDeclarator(stars, name, dims, bits) {
    const d: Declarator = {
      span: sp(this),
      stars: stars.numChildren,
      name: name.sourceString,
      dims: ast<(number | undefined)[]>(dims),
      bits: opt<number>(bits),
    };
    return d;
  },
  CArrayDim(_lb, n, _rb) {
    const v = opt<A.IntLit>(n);
    return v ? Number(v.value) : undefined;
  },
  CBits(_c, n) {
    return Number(ast<A.IntLit>(n).value);
  },
  CEnumDef(_kw, name, _lb, values, _comma, _rb) {
    return { kind: 'cenum', span: sp(this), name: name.numChildren ? name.sourceString : undefined, values: list(values) } satisfies A.CEnumDef;
  },
  CEnumValue(name, _eq, value) {
    return { name: name.sourceString, value: opt<A.Expr>(value), span: sp(this) };
  },
  Probe(aps, _comma, pred, body) {
    const attachPoints = aps.asIteration().children.map((c): A.AttachPoint => ({ span: sp(c), raw: c.sourceString }));
    return { kind: 'probe', span: sp(this), attachPoints, predicate: opt(pred), body: ast(body) } satisfies A.Probe;
  },
  Predicate(_s, e, _s2) {
    return ast(e);
  },
  Block(_lb, stmts, _rb) {
    const r = ast<StmtsResult>(stmts);
    return { span: sp(this), stmts: r.last ? [...r.stmts, r.last] : r.stmts } satisfies A.Block;
  },
  BlockExpr(_lb, stmts, _rb) {
    const r = ast<StmtsResult>(stmts);
    if (r.last?.kind === 'exprStmt') return { kind: 'blockExpr', span: sp(this), stmts: r.stmts, result: r.last.expr } satisfies A.BlockExpr;
    return { kind: 'blockExpr', span: sp(this), stmts: r.last ? [...r.stmts, r.last] : r.stmts } satisfies A.BlockExpr;
  },
  Stmts(items, last) {
    return { stmts: ast<A.Stmt[]>(items), last: opt<A.Stmt>(last) } satisfies StmtsResult;
  },
  StmtItem_simple(s, _semi) {
    return ast(s);
  },
  StmtItem_compound(s, _semi) {
    return ast(s);
  },
  CompoundStmt_while(_kw, _lp, cond, _rp, body) {
    return { kind: 'while', span: sp(this), cond: ast(cond), body: ast(body) } satisfies A.WhileStmt;
  },
  CompoundStmt_unroll(_kw, _lp, count, _rp, body) {
    return { kind: 'unroll', span: sp(this), count: ast(count), body: ast(body) } satisfies A.UnrollStmt;
  },
  CompoundStmt_forParens(_kw, _lp, v, _c, iter, _rp, body) {
    return { kind: 'for', span: sp(this), var: varNode(v), iter: ast(iter), body: ast(body), parens: true } satisfies A.ForStmt;
  },
  CompoundStmt_forBare(_kw, v, _c, iter, body) {
    return { kind: 'for', span: sp(this), var: varNode(v), iter: ast(iter), body: ast(body), parens: false } satisfies A.ForStmt;
  },
  CompoundStmt_block(b) {
    return { kind: 'blockStmt', span: sp(this), block: ast(b) } satisfies A.BlockStmt;
  },
  If(_kw, _lp, cond, _rp, then, _else, elseBody) {
    return { kind: 'if', span: sp(this), cond: ast(cond), then: ast(then), else: opt(elseBody) } satisfies A.IfStmt;
  },
  ForIter_range(a, _dd, b) {
    return { kind: 'range', start: ast(a), end: ast(b), span: sp(this) };
  },
  ForIter_map(m) {
    return { kind: 'mapIter', map: mapNode(m, undefined, sp(m)) };
  },
  SimpleStmt_let(_kw, v, _colon, type, _eq, value) {
    return { kind: 'let', span: sp(this), var: varNode(v), type: opt(type), value: opt(value) } satisfies A.LetStmt;
  },
  SimpleStmt_assign(target, op, value) {
    return { kind: 'assign', span: sp(this), target: ast(target), op: op.sourceString as A.AssignOp, value: ast(value) } satisfies A.AssignStmt;
  },
  SimpleStmt_return(_kw, value) {
    return { kind: 'jump', span: sp(this), op: 'return', value: opt(value) } satisfies A.JumpStmt;
  },
  SimpleStmt_break(_kw) {
    return { kind: 'jump', span: sp(this), op: 'break' } satisfies A.JumpStmt;
  },
  SimpleStmt_continue(_kw) {
    return { kind: 'jump', span: sp(this), op: 'continue' } satisfies A.JumpStmt;
  },
  SimpleStmt_badAssign(lhs, _eq, value) {
    const target = ast<A.Expr>(lhs);
    if (target.kind === 'tupleIndex') {
      fail('Tuples are immutable once created. Consider creating a new tuple and assigning it instead.', sp(this));
    } else {
      fail(`syntax error, unexpected =`, sp(_eq));
    }
    return { kind: 'exprStmt', span: sp(this), expr: ast(value) } satisfies A.ExprStmt;
  },
  SimpleStmt_expr(e) {
    return { kind: 'exprStmt', span: sp(this), expr: ast(e) } satisfies A.ExprStmt;
  },
  AssignTarget_map(_ahead, m) {
    return ast(m);
  },
  AssignTarget_var(v) {
    return varNode(v);
  },
  AssignTarget_discard(_d) {
    return { kind: 'discard', span: sp(this) };
  },
  Expr(first, ops, rest, _ahead, tail) {
    const cond = binary(first, ops, rest);
    const r = opt<{ then?: A.Expr; else: A.Expr }>(tail);
    if (!r) return cond;
    return { kind: 'ternary', span: sp(this), cond, then: r.then, else: r.else } satisfies A.Ternary;
  },
  TernaryRest_elvis(_q, _c, alt) {
    return { else: ast(alt) };
  },
  TernaryRest_full(_q, then, _c, alt) {
    return { then: ast(then), else: ast(alt) };
  },
  CastE_cast(_lp, type, _rp, e) {
    return { kind: 'cast', span: sp(this), type: ast(type), expr: ast(e) } satisfies A.Cast;
  },
  CastE_op(op, e) {
    return { kind: 'unop', span: sp(this), op: op.sourceString as A.UnaryOp, expr: ast(e) } satisfies A.Unop;
  },
  CastE_preinc: incdec('++', true),
  CastE_predec: incdec('--', true),
  Postfix(primary, _ahead, ops) {
    let e = ast<A.Expr>(primary);
    if (ops.numChildren === 0) return e;
    for (const o of ops.children) e = ast<PostfixFn>(o)(e, o.source.endIdx);
    return e;
  },
  PostfixOp_tupleIndex(_dot, n) {
    const lit = ast<A.IntLit>(n);
    if (!/^\d+$/.test(lit.raw)) fail(`syntax error, unexpected integer`, sp(n));
    return ((e, end) => ({ kind: 'tupleIndex', span: { start: e.span.start, end }, expr: e, index: Number(lit.value) })) satisfies PostfixFn;
  },
  PostfixOp_field(_dot, name) {
    return ((e, end) => ({ kind: 'field', span: { start: e.span.start, end }, expr: e, field: name.sourceString, arrow: false })) satisfies PostfixFn;
  },
  PostfixOp_arrow(_arrow, name) {
    return ((e, end) => ({ kind: 'field', span: { start: e.span.start, end }, expr: e, field: name.sourceString, arrow: true })) satisfies PostfixFn;
  },
  PostfixOp_index(_lb, idx, _rb) {
    const index = ast<A.Expr>(idx);
    return ((e, end) => ({ kind: 'index', span: { start: e.span.start, end }, expr: e, index })) satisfies PostfixFn;
  },
  PostfixOp_postinc(_op) {
    return ((e, end) => ({ kind: 'incdec', span: { start: e.span.start, end }, op: '++', prefix: false, target: e })) satisfies PostfixFn;
  },
  PostfixOp_postdec(_op) {
    return ((e, end) => ({ kind: 'incdec', span: { start: e.span.start, end }, op: '--', prefix: false, target: e })) satisfies PostfixFn;
  },
  ParenPrimary_unit(_l, _r) {
    return { kind: 'tuple', span: sp(this), elems: [] } satisfies A.TupleExpr;
  },
  ParenPrimary_record(_l, fields, _comma, _r) {
    return { kind: 'record', span: sp(this), fields: list(fields) } satisfies A.RecordExpr;
  },
  ParenPrimary_tuple1(_l, e, _c, _r) {
    return { kind: 'tuple', span: sp(this), elems: [ast(e)] } satisfies A.TupleExpr;
  },
  ParenPrimary_tuple(_l, e, _c, rest, _comma, _r) {
    return { kind: 'tuple', span: sp(this), elems: [ast<A.Expr>(e), ...list<A.Expr>(rest)] } satisfies A.TupleExpr;
  },
  ParenPrimary_paren(_l, e, _r) {
    return ast(e);
  },
  Primary_sizeofType(_kw, _l, t, _r) {
    return { kind: 'sizeof', span: sp(this), arg: { type: ast(t) } } satisfies A.SizeofExpr;
  },
  Primary_sizeofExpr(_kw, _l, e, _r) {
    return { kind: 'sizeof', span: sp(this), arg: { expr: ast(e) } } satisfies A.SizeofExpr;
  },
  Primary_offsetofType(_kw, _l, t, _c, path, _r) {
    return { kind: 'offsetof', span: sp(this), base: { type: ast(t) }, path: ast(path) } satisfies A.OffsetofExpr;
  },
  Primary_offsetofExpr(_kw, _l, e, _c, path, _r) {
    return { kind: 'offsetof', span: sp(this), base: { expr: ast(e) }, path: ast(path) } satisfies A.OffsetofExpr;
  },
  Primary_call(name, _l, args, _r) {
    return { kind: 'call', span: sp(this), name: name.sourceString, args: list(args), nameSpan: sp(name) } satisfies A.Call;
  },
  Primary_map(_ahead, m) {
    return ast(m);
  },
  Primary_int(_ahead, n) {
    return ast(n);
  },
  Primary_string(_ahead, s) {
    return ast(s);
  },
  Primary_var(_ahead, v) {
    return varNode(v);
  },
  Primary_paramCount(_p) {
    return { kind: 'param', span: sp(this), index: 0, count: true } satisfies A.Param;
  },
  Primary_param(p) {
    const n = Number(p.sourceString.slice(1));
    if (!Number.isSafeInteger(n) || n < 1) fail(`param ${p.sourceString} is out of integer range [1, 9223372036854775807]`, sp(p));
    return { kind: 'param', span: sp(this), index: n, count: false } satisfies A.Param;
  },
  Primary_bool(b) {
    return { kind: 'bool', span: sp(this), value: b.sourceString === 'true' } satisfies A.BoolLit;
  },
  Primary_ident(i) {
    return { kind: 'ident', span: sp(this), name: i.sourceString } satisfies A.Ident;
  },
  RecordField(name, _eq, value) {
    return { name: name.sourceString, value: ast(value), span: sp(this) };
  },
  MapRef_keyed(name, _l, keys, _r) {
    const ks = list<A.Expr>(keys);
    const key: A.Expr = ks.length === 1 ? ks[0] : { kind: 'tuple', span: { start: ks[0].span.start, end: ks[ks.length - 1].span.end }, elems: ks };
    return mapNode(name, key, sp(this));
  },
  MapRef_bare(name) {
    return mapNode(name, undefined, sp(this));
  },
  FieldPath(path) {
    return path.asIteration().children.map((c) => c.sourceString);
  },
  Type_ptr(t, _star) {
    return { kind: 'pointerType', span: sp(this), to: ast(t) } satisfies A.TypeExpr;
  },
  Type_array(t, _lb, n, _rb) {
    return arrayType(sp(this), ast(t), opt<A.IntLit>(n));
  },
  BaseType_named(t) {
    return { kind: 'namedType', span: sp(this), name: t.sourceString } satisfies A.TypeExpr;
  },
  StructName(kw, name) {
    return { kind: 'structType', span: sp(this), keyword: kw.sourceString as 'struct' | 'union' | 'enum', name: name.sourceString } satisfies A.TypeExpr;
  },
  CastType_ptr(t, _star) {
    return { kind: 'pointerType', span: sp(this), to: ast(t) } satisfies A.TypeExpr;
  },
  CastType_array(t, _lb, n, _rb) {
    return arrayType(sp(this), ast(t), opt<A.IntLit>(n));
  },
  CastType_typedefPtr(i, _ahead) {
    return { kind: 'identType', span: sp(this), name: i.sourceString } satisfies A.TypeExpr;
  },
  CastType_alias(a) {
    return { kind: 'identType', span: sp(this), name: a.sourceString } satisfies A.TypeExpr;
  },
  SizeofType_ptr(t, _star) {
    return { kind: 'pointerType', span: sp(this), to: ast(t) } satisfies A.TypeExpr;
  },
  SizeofType_array(t, _lb, n, _rb) {
    return arrayType(sp(this), ast(t), ast<A.IntLit>(n));
  },
  intLit_hex(_n, _suffix) {
    return intNode(this);
  },
  intLit_dec(_n, _suffix) {
    return intNode(this);
  },
  stringLit(_q, _escapes, _chars, _q2) {
    const body = this.sourceString.slice(1, -1);
    const r = decodeString(body);
    if (!r.ok) {
      const s = this.source.startIdx + 1 + r.offset;
      fail(r.message, { start: s, end: s + r.length });
      return { kind: 'str', span: sp(this), value: '' } satisfies A.StrLit;
    }
    return { kind: 'str', span: sp(this), value: r.value } satisfies A.StrLit;
  },
  _iter(...children) {
    return children.map((c) => c['ast']());
  },
  _terminal() {
    return this.sourceString;
  },
};

interface Declarator {
  span: A.Span;
  stars: number;
  name: string;
  dims: (number | undefined)[];
  bits?: number;
}

function declField(base: A.TypeExpr, d: Declarator): A.CField {
  let type = base;
  for (let i = 0; i < d.stars; i++) type = { kind: 'pointerType', span: d.span, to: type };
  for (let i = d.dims.length - 1; i >= 0; i--) type = { kind: 'arrayType', span: d.span, of: type, len: d.dims[i] ?? 0 };
  return { span: d.span, name: d.name, type, bits: d.bits };
}

function arrayType(span: A.Span, of: A.TypeExpr, n: A.IntLit | undefined): A.TypeExpr {
  const len = n === undefined ? undefined : Number(n.value);
  if (of.kind === 'namedType' && (of.name === 'string' || of.name === 'inet' || of.name === 'buffer') && of.size === undefined && len !== undefined) {
    return { kind: 'namedType', span, name: of.name, size: len };
  }
  return { kind: 'arrayType', span, of, len };
}

function varNode(v: N): A.Var {
  return { kind: 'var', span: sp(v), name: v.sourceString.slice(1) };
}

function mapNode(name: N, key: A.Expr | undefined, span: A.Span): A.MapExpr {
  return { kind: 'map', span, name: name.sourceString.slice(1), key, nameSpan: sp(name) };
}

function intNode(n: N): A.IntLit {
  const raw = n.sourceString;
  const r = decodeInt(raw);
  if (!r.ok) {
    fail(r.message, sp(n));
    return { kind: 'int', span: sp(n), value: 0n, raw };
  }
  return { kind: 'int', span: sp(n), value: r.value, raw };
}

/** Moves every span of an expression parsed on its own by `offset` (for #define bodies). */
function shiftSpans<T>(node: T, offset: number): T {
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (!x || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'span' || k === 'nameSpan' || k === 'opSpan') && v && typeof v === 'object' && 'start' in v) {
        const s = v as A.Span;
        (x as Record<string, unknown>)[k] = { start: s.start + offset, end: s.end + offset };
      } else visit(v);
    }
  };
  visit(node);
  return node;
}

function semantics(): { g: ohm.Grammar; s: ohm.Semantics } {
  if (!grammarCache || !semanticsCache) {
    // ohm-js exports makeRecipe at run time without declaring it in its types.
    const { makeRecipe } = ohm as unknown as { makeRecipe(recipe: unknown): ohm.Grammar };
    grammarCache = makeRecipe(JSON.parse(grammarRecipe));
    // Ohm's hook for adapting each match's state (its indentation-sensitive grammar uses
    // it too): skip spaces with a scanner rather than a rule application.
    (grammarCache as unknown as { _matchStateInitializer?: typeof useFastSpaces })._matchStateInitializer = useFastSpaces;
    semanticsCache = grammarCache.createSemantics().addOperation('ast', actions as unknown as ohm.ActionDict<unknown>);
  }
  return { g: grammarCache, s: semanticsCache };
}

interface Failed {
  getRightmostFailurePosition(): number;
  getRightmostFailures?(): { getText(): string; getType(): string; isFluffy(): boolean }[];
}

/** What a stack overflow in the parser or a pass becomes. */
export const TOO_COMPLEX = 'Program too complex: its expressions nest too deeply to compile';

function run<T>(text: string, start: string): { value?: T; diagnostics: Diagnostic[] } {
  const deep = nestingError(text);
  if (deep) return { diagnostics: [deep] };
  const { g, s } = semantics();
  let m: ohm.MatchResult;
  try {
    m = g.match(text, start);
  } catch (e) {
    if (e instanceof RangeError) return { diagnostics: [{ severity: 'error', message: TOO_COMPLEX }] };
    throw e;
  }
  if (m.failed()) {
    const f = m as unknown as Failed;
    const pos = f.getRightmostFailurePosition();
    let expected: Expected[] = [];
    try {
      expected = (f.getRightmostFailures?.() ?? []).filter((x) => !x.isFluffy()).map((x) => ({ type: x.getType(), text: x.getText() }));
    } catch {
      expected = [];
    }
    return { diagnostics: [syntaxError(text, pos, expected)] };
  }
  // Building may parse nested texts (#define bodies): keep the outer run's diagnostics.
  const outer = pending;
  pending = [];
  try {
    const value = s(m)['ast']() as T;
    return { value, diagnostics: pending };
  } catch (e) {
    if (e instanceof RangeError) return { diagnostics: [{ severity: 'error', message: TOO_COMPLEX }] };
    throw e;
  } finally {
    pending = outer;
  }
}

export interface ParseResult {
  program?: A.Program;
  diagnostics: Diagnostic[];
}

/** Parses a whole script. `file` is the name diagnostics print ('stdin' for -e). */
export function parse(source: string, file = 'stdin'): ParseResult {
  const r = run<A.Program>(source, 'Program');
  if (!r.value || r.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: r.diagnostics };
  r.value.file = file;
  r.value.source = source;
  r.value.span = { start: 0, end: source.length };
  return { program: r.value, diagnostics: r.diagnostics };
}

/** Parses a lone expression (the REPL's `nsecs`, `1 << 10`, `@m[1]`). */
export function parseExpression(source: string): { expr?: A.Expr; diagnostics: Diagnostic[] } {
  const r = run<A.Expr>(source, 'ExprOnly');
  if (r.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: r.diagnostics };
  return { expr: r.value, diagnostics: r.diagnostics };
}

/** Parses a statement list as found inside a probe body. */
export function parseStatements(source: string): { stmts?: A.Stmt[]; diagnostics: Diagnostic[] } {
  const r = run<StmtsResult>(source, 'StmtsOnly');
  if (!r.value || r.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: r.diagnostics };
  return { stmts: r.value.last ? [...r.value.stmts, r.value.last] : r.value.stmts, diagnostics: r.diagnostics };
}
