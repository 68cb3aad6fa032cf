// The bpftrace abstract syntax tree: a discriminated union of plain objects, each with a
// source span. The parser builds it; the passes annotate it in place (types, resolved
// names, attach point expansions). Traversal helpers live in ast-walk.ts, the source
// printer in printer.ts; this file holds only the shapes.
import type { Ty } from './types';
import type { ConcreteProbe } from './probes';

/** Half-open range of UTF-16 offsets into the source text of `Program.file`. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------
// Type expressions, as written in casts, sizeof, `let $x: T`, struct definitions.

export type TypeExpr =
  /** int8..uint64, bool, string, inet, buffer, count_t, void, ... (optionally sized: string[16]). */
  | { kind: 'namedType'; span: Span; name: string; size?: number }
  /** A bare identifier used as a type: a typedef (`(task_struct *)`) or a C type name. */
  | { kind: 'identType'; span: Span; name: string }
  | { kind: 'structType'; span: Span; keyword: 'struct' | 'union' | 'enum'; name: string }
  | { kind: 'pointerType'; span: Span; to: TypeExpr }
  /** `T[N]`, or `T[]` (len undefined) in casts. */
  | { kind: 'arrayType'; span: Span; of: TypeExpr; len?: number }
  /** An inline struct/union body inside a C definition (`struct { int a; } b;`). */
  | { kind: 'inlineStruct'; span: Span; def: CStructDef };

// ---------------------------------------------------------------------------------------
// Expressions. Every expression may carry `ty` once the type pass has run.

interface ExprBase {
  span: Span;
  /** The bpftrace type, set by the type pass. */
  ty?: Ty;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
export type UnaryOp = '-' | '!' | '~' | '*' | '&';
export type CompoundOp = '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';
export type AssignOp = '=' | CompoundOp;

export interface IntLit extends ExprBase {
  kind: 'int';
  /** Unsigned magnitude (0 .. 2^64-1); negative literals are `unop '-'` around this. */
  value: bigint;
  /** The literal as written (`0x10`, `1_000`, `5s`), for printing back. */
  raw: string;
  /** Set when a pass folded a negative literal or a constant: the signed value. */
  negative?: boolean;
  /** Set by the positional-parameter pass: this literal came from `$N` or `$#`. */
  fromParam?: string;
  /** Set by the name pass for enum constants: the enum it belongs to (printf %s prints its name). */
  enumName?: string;
  /** Set by the name pass for constants from `#define` or an enum: the name as written. */
  constName?: string;
}
export interface StrLit extends ExprBase {
  kind: 'str';
  /** Decoded value (escapes resolved). */
  value: string;
  fromParam?: string;
}
export interface BoolLit extends ExprBase {
  kind: 'bool';
  value: boolean;
}
/** A bare identifier: resolved by the name pass to a builtin, enum constant, macro, ... */
export interface Ident extends ExprBase {
  kind: 'ident';
  name: string;
}
/** A builtin variable (`pid`, `comm`, `args`, `arg0`, `retval`, ...), after name resolution. */
export interface Builtin extends ExprBase {
  kind: 'builtin';
  name: string;
}
export interface Var extends ExprBase {
  kind: 'var';
  /** Without the `$`. */
  name: string;
  /** The binding it refers to, set by the type pass. */
  binding?: VarBinding;
}
/** `$1`..`$N` (index >= 1) or `$#` (index 0, count). Replaced by literals before typing. */
export interface Param extends ExprBase {
  kind: 'param';
  index: number;
  count: boolean;
}
export interface MapExpr extends ExprBase {
  kind: 'map';
  /** Without the `@` ('' for the anonymous map `@`). */
  name: string;
  /** Key expression; a tuple for `@m[a, b]`. Undefined for scalar access or the map itself. */
  key?: Expr;
  /** Span of the `@name` token only. */
  nameSpan: Span;
  /** Type of the key as stored in the map (ints widened to 64 bits), set by the type pass. */
  keyTy?: Ty;
}
export interface Unop extends ExprBase {
  kind: 'unop';
  op: UnaryOp;
  expr: Expr;
}
export interface IncDec extends ExprBase {
  kind: 'incdec';
  op: '++' | '--';
  prefix: boolean;
  target: Expr;
}
export interface Binop extends ExprBase {
  kind: 'binop';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /** Span of the operator token (bpftrace points binop diagnostics there). */
  opSpan: Span;
}
export interface Ternary extends ExprBase {
  kind: 'ternary';
  cond: Expr;
  /** Undefined for the Elvis form `a ?: b` (the condition is the value). */
  then?: Expr;
  else: Expr;
}
export interface Cast extends ExprBase {
  kind: 'cast';
  type: TypeExpr;
  expr: Expr;
  /** Inserted by a pass (not written): the printer omits it. */
  implicit?: boolean;
}
export interface FieldAccess extends ExprBase {
  kind: 'field';
  expr: Expr;
  field: string;
  /** Written with `->`. */
  arrow: boolean;
  /** Layout of the field in its record, set by the type pass (absent for tuples/records). */
  layout?: FieldLayout;
  /**
   * When the probe's attach points give the field different layouts (args of several
   * tracepoints), the layout per concrete probe name.
   */
  layoutByProbe?: Record<string, FieldLayout>;
}
export interface FieldLayout {
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
  /** The base was a pointer and is dereferenced by this access. */
  deref: boolean;
}
export interface TupleIndex extends ExprBase {
  kind: 'tupleIndex';
  expr: Expr;
  index: number;
}
export interface IndexExpr extends ExprBase {
  kind: 'index';
  expr: Expr;
  index: Expr;
}
export interface Call extends ExprBase {
  kind: 'call';
  name: string;
  args: Expr[];
  nameSpan: Span;
  /** Set by the resource pass for printf/system/cat/errorf/warnf/time/strftime/join/print: index into Resources.formats. */
  formatId?: number;
  /** Set by the type pass when the call's return value is unused. */
  discarded?: boolean;
}
export interface TupleExpr extends ExprBase {
  kind: 'tuple';
  elems: Expr[];
}
export interface RecordExpr extends ExprBase {
  kind: 'record';
  fields: { name: string; value: Expr; span: Span }[];
}
export interface SizeofExpr extends ExprBase {
  kind: 'sizeof';
  arg: { type: TypeExpr } | { expr: Expr };
  /** Computed size, set by the type pass. */
  value?: number;
}
export interface OffsetofExpr extends ExprBase {
  kind: 'offsetof';
  base: { type: TypeExpr } | { expr: Expr };
  path: string[];
  value?: number;
}
/** `{ stmt; ...; expr }`: a block used as an expression (also what macros expand to). */
export interface BlockExpr extends ExprBase {
  kind: 'blockExpr';
  stmts: Stmt[];
  /** The final expression without a trailing semicolon, if any. */
  result?: Expr;
  /** Set for the expansion of a macro call. */
  macro?: string;
}

export type Expr =
  | IntLit
  | StrLit
  | BoolLit
  | Ident
  | Builtin
  | Var
  | Param
  | MapExpr
  | Unop
  | IncDec
  | Binop
  | Ternary
  | Cast
  | FieldAccess
  | TupleIndex
  | IndexExpr
  | Call
  | TupleExpr
  | RecordExpr
  | SizeofExpr
  | OffsetofExpr
  | BlockExpr;

// ---------------------------------------------------------------------------------------
// Scratch variable bindings (filled by the type pass).

/** One scratch variable: every `var` node naming it points here. */
export interface VarBinding {
  name: string;
  /** Unique within the probe: `name` plus a counter when block scoping makes two distinct variables share a name. */
  id: string;
  ty: Ty;
  /** The node that introduced it (let, first assignment, for). */
  declSpan: Span;
}

// ---------------------------------------------------------------------------------------
// Statements.

export interface Block {
  span: Span;
  stmts: Stmt[];
}

export interface ExprStmt {
  kind: 'exprStmt';
  span: Span;
  expr: Expr;
}
/** `target op value` where target is a map, a variable or `_` (discard). */
export interface AssignStmt {
  kind: 'assign';
  span: Span;
  target: MapExpr | Var | { kind: 'discard'; span: Span };
  op: AssignOp;
  value: Expr;
}
/** `let $x [: T] [= value]`. */
export interface LetStmt {
  kind: 'let';
  span: Span;
  var: Var;
  type?: TypeExpr;
  value?: Expr;
}
/** `@m[k] = count()` and friends, after the map-sugar pass (written as an assignment). */
export interface AggregateStmt {
  kind: 'aggregate';
  span: Span;
  map: MapExpr;
  fn: AggFn;
  /** The call as written; its arguments are the aggregation's operands. */
  call: Call;
}
export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'stats' | 'hist' | 'lhist' | 'tseries';
export interface IfStmt {
  kind: 'if';
  span: Span;
  cond: Expr;
  then: Block;
  /** `else { }` or `else if (...)`. */
  else?: Block | IfStmt;
}
export interface WhileStmt {
  kind: 'while';
  span: Span;
  cond: Expr;
  body: Block;
}
export interface UnrollStmt {
  kind: 'unroll';
  span: Span;
  count: Expr;
  body: Block;
}
export interface ForStmt {
  kind: 'for';
  span: Span;
  var: Var;
  iter: { kind: 'mapIter'; map: MapExpr } | { kind: 'range'; start: Expr; end: Expr; span: Span };
  body: Block;
  /** Whether the loop variable was written inside parentheses (printing only). */
  parens: boolean;
}
export interface JumpStmt {
  kind: 'jump';
  span: Span;
  op: 'break' | 'continue' | 'return';
  value?: Expr;
}
/** A `{ ... }` block on its own as a statement. */
export interface BlockStmt {
  kind: 'blockStmt';
  span: Span;
  block: Block;
}

export type Stmt = ExprStmt | AssignStmt | LetStmt | AggregateStmt | IfStmt | WhileStmt | UnrollStmt | ForStmt | JumpStmt | BlockStmt;

// ---------------------------------------------------------------------------------------
// Top level.

export interface AttachPoint {
  span: Span;
  /** The text as written (quotes kept), e.g. `kprobe:vfs_*`, `uprobe:"/a b":f`. */
  raw: string;
  /** Concrete probes it expands to, set by the attach-point pass. */
  expansions?: ConcreteProbe[];
}

export interface Probe {
  kind: 'probe';
  span: Span;
  attachPoints: AttachPoint[];
  predicate?: Expr;
  body: Block;
  /** Index in program order among probes (stable name source for the lowering). */
  index?: number;
  /** Its scratch variables, set by the type pass. */
  vars?: VarBinding[];
}

export interface CField {
  span: Span;
  name: string;
  type: TypeExpr;
  /** Bitfield width. */
  bits?: number;
}
export interface CStructDef {
  kind: 'cstruct';
  span: Span;
  keyword: 'struct' | 'union';
  name: string;
  /** Fields in order; an anonymous struct/union member has an empty name. */
  fields: CField[];
}
export interface CEnumDef {
  kind: 'cenum';
  span: Span;
  name?: string;
  values: { name: string; value?: Expr; span: Span }[];
}

export interface ShebangItem {
  kind: 'shebang';
  span: Span;
  text: string;
}
export interface IncludeItem {
  kind: 'include';
  span: Span;
  path: string;
  system: boolean;
}
export interface DefineItem {
  kind: 'define';
  span: Span;
  name: string;
  /** Replacement text as written. */
  text: string;
  /** The replacement parsed as an expression, when it is one. */
  value?: Expr;
  /** Function-like macro parameter list (unsupported; reported by a pass). */
  params?: string[];
}
/** Other preprocessor lines (`#if`, `#ifdef`, ...), kept for printing. */
export interface PreprocItem {
  kind: 'preproc';
  span: Span;
  text: string;
}
export interface ConfigItem {
  kind: 'config';
  span: Span;
  entries: { name: string; value: Expr; span: Span }[];
}
export interface MapDeclItem {
  kind: 'mapDecl';
  span: Span;
  name: string;
  mapKind: string;
  args: Expr[];
}
export type MacroParam = { kind: 'var' | 'map' | 'ident'; name: string; span: Span };
export interface MacroItem {
  kind: 'macro';
  span: Span;
  name: string;
  params: MacroParam[];
  body: BlockExpr;
}

export type TopItem = ShebangItem | IncludeItem | DefineItem | PreprocItem | CStructDef | CEnumDef | ConfigItem | MapDeclItem | MacroItem | Probe;

export interface Program {
  kind: 'program';
  span: Span;
  /** File name diagnostics show ('stdin' for -e). */
  file: string;
  source: string;
  items: TopItem[];
}

/** A lone statement or expression, as the REPL evaluates. */
export type Fragment = { kind: 'expr'; expr: Expr } | { kind: 'stmts'; stmts: Stmt[] } | { kind: 'program'; program: Program };

// ---------------------------------------------------------------------------------------
// Helpers.

export function probesOf(p: Program): Probe[] {
  return p.items.filter((i): i is Probe => i.kind === 'probe');
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
