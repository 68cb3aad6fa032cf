// The source printer: prints an AST back as valid bpftrace that parses to the same tree
// (the round-trip tests' oracle and the REPL's `.save`). Parentheses are inserted only
// where precedence needs them; implicit casts inserted by passes are not printed. The
// layout is canonical (two-space indentation), not the original formatting.
import type * as A from './ast';
import { quoteString } from './syntax/literals';
import { unreachable } from './types';

const INDENT = '  ';

// Precedence levels, lowest first (C's).
const P_TERNARY = 1;
const BINOP_PREC: Readonly<Record<A.BinaryOp, number>> = {
  '||': 2,
  '&&': 3,
  '|': 4,
  '^': 5,
  '&': 6,
  '==': 7,
  '!=': 7,
  '<': 8,
  '<=': 8,
  '>': 8,
  '>=': 8,
  '<<': 9,
  '>>': 9,
  '+': 10,
  '-': 10,
  '*': 11,
  '/': 11,
  '%': 11,
};
const P_CAST = 12;
const P_POSTFIX = 13;
const P_PRIMARY = 14;

function precOf(e: A.Expr): number {
  switch (e.kind) {
    case 'ternary':
      return P_TERNARY;
    case 'binop':
      return BINOP_PREC[e.op];
    case 'cast':
      return e.implicit ? precOf(e.expr) : P_CAST;
    case 'unop':
      return P_CAST;
    case 'incdec':
      return e.prefix ? P_CAST : P_POSTFIX;
    case 'field':
    case 'tupleIndex':
    case 'index':
      return P_POSTFIX;
    default:
      return P_PRIMARY;
  }
}

/** Prints `e` so that it parses at precedence level `min` or tighter. */
function at(e: A.Expr, min: number): string {
  const s = printExpr(e);
  return precOf(e) < min ? `(${s})` : s;
}

function prefixOp(op: string, operand: string): string {
  const clash = operand.startsWith(op[0]) || (op === '-' && operand.startsWith('+'));
  return clash ? `${op} ${operand}` : `${op}${operand}`;
}

export function printExpr(e: A.Expr): string {
  switch (e.kind) {
    case 'int':
      return e.raw;
    case 'str':
      return quoteString(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'ident':
    case 'builtin':
      return e.name;
    case 'var':
      return `$${e.name}`;
    case 'param':
      return e.count ? '$#' : `$${e.index}`;
    case 'map': {
      const name = `@${e.name}`;
      if (!e.key) return name;
      if (e.key.kind === 'tuple' && e.key.elems.length >= 2) return `${name}[${e.key.elems.map(printExpr).join(', ')}]`;
      return `${name}[${printExpr(e.key)}]`;
    }
    case 'unop':
      return prefixOp(e.op, at(e.expr, P_CAST));
    case 'incdec':
      return e.prefix ? `${e.op}${at(e.target, P_POSTFIX)}` : `${at(e.target, P_POSTFIX)}${e.op}`;
    case 'binop': {
      const p = BINOP_PREC[e.op];
      return `${at(e.left, p)} ${e.op} ${at(e.right, p + 1)}`;
    }
    case 'ternary':
      if (!e.then) return `${at(e.cond, P_TERNARY + 1)} ?: ${at(e.else, P_TERNARY)}`;
      return `${at(e.cond, P_TERNARY + 1)} ? ${printExpr(e.then)} : ${at(e.else, P_TERNARY)}`;
    case 'cast':
      if (e.implicit) return printExpr(e.expr);
      return `(${printType(e.type)})${at(e.expr, P_CAST)}`;
    case 'field':
      return `${at(e.expr, P_POSTFIX)}${e.arrow ? '->' : '.'}${e.field}`;
    case 'tupleIndex':
      return `${at(e.expr, P_POSTFIX)}.${e.index}`;
    case 'index':
      return `${at(e.expr, P_POSTFIX)}[${printExpr(e.index)}]`;
    case 'call':
      return `${e.name}(${e.args.map(printExpr).join(', ')})`;
    case 'tuple':
      if (e.elems.length === 1) return `(${printExpr(e.elems[0])},)`;
      return `(${e.elems.map(printExpr).join(', ')})`;
    case 'record':
      return `(${e.fields.map((f) => `${f.name}=${printExpr(f.value)}`).join(', ')})`;
    case 'sizeof':
      return 'type' in e.arg ? `sizeof(${printType(e.arg.type)})` : `sizeof(${printExpr(e.arg.expr)})`;
    case 'offsetof':
      return `offsetof(${'type' in e.base ? printType(e.base.type) : printExpr(e.base.expr)}, ${e.path.join('.')})`;
    case 'blockExpr':
      return printBlockExpr(e, 0);
    default:
      return unreachable(e);
  }
}

export function printType(t: A.TypeExpr): string {
  switch (t.kind) {
    case 'namedType':
      return t.size === undefined ? t.name : `${t.name}[${t.size}]`;
    case 'identType':
      return t.name;
    case 'structType':
      return `${t.keyword} ${t.name}`;
    case 'pointerType':
      return `${printType(t.to)} *`;
    case 'arrayType':
      return `${printType(t.of)}[${t.len ?? ''}]`;
    case 'inlineStruct':
      return printCStruct(t.def, 0);
    default:
      return unreachable(t);
  }
}

function printBlockExpr(b: A.BlockExpr, depth: number): string {
  if (b.stmts.length === 0) return b.result ? `{ ${printExpr(b.result)} }` : '{ }';
  const lines = b.stmts.map((s) => printStmt(s, depth + 1));
  if (b.result) lines.push(INDENT.repeat(depth + 1) + printExpr(b.result));
  return `{\n${lines.join('\n')}\n${INDENT.repeat(depth)}}`;
}

export function printBlock(b: A.Block, depth: number): string {
  if (b.stmts.length === 0) return '{ }';
  return `{\n${b.stmts.map((s) => printStmt(s, depth + 1)).join('\n')}\n${INDENT.repeat(depth)}}`;
}

function assignTarget(t: A.AssignStmt['target']): string {
  return t.kind === 'discard' ? '_' : printExpr(t);
}

/** One statement at indentation `depth`, with its terminating `;` if it needs one. */
export function printStmt(s: A.Stmt, depth = 0): string {
  const pad = INDENT.repeat(depth);
  switch (s.kind) {
    case 'exprStmt':
      return `${pad}${printExpr(s.expr)};`;
    case 'assign':
      return `${pad}${assignTarget(s.target)} ${s.op} ${printExpr(s.value)};`;
    case 'let': {
      const ty = s.type ? `: ${printType(s.type)}` : '';
      const v = s.value ? ` = ${printExpr(s.value)}` : '';
      return `${pad}let $${s.var.name}${ty}${v};`;
    }
    case 'aggregate':
      return `${pad}${printExpr(s.map)} = ${printExpr(s.call)};`;
    case 'if':
      return pad + printIf(s, depth);
    case 'while':
      return `${pad}while (${printExpr(s.cond)}) ${printBlock(s.body, depth)}`;
    case 'unroll':
      return `${pad}unroll (${printExpr(s.count)}) ${printBlock(s.body, depth)}`;
    case 'for': {
      const iter = s.iter.kind === 'range' ? `${at(s.iter.start, P_CAST)}..${at(s.iter.end, P_CAST)}` : printExpr(s.iter.map);
      const head = s.parens ? `($${s.var.name} : ${iter})` : `$${s.var.name} : ${iter}`;
      return `${pad}for ${head} ${printBlock(s.body, depth)}`;
    }
    case 'jump':
      return `${pad}${s.op}${s.value ? ' ' + printExpr(s.value) : ''};`;
    case 'blockStmt':
      return pad + printBlock(s.block, depth);
    default:
      return unreachable(s);
  }
}

function printIf(s: A.IfStmt, depth: number): string {
  let out = `if (${printExpr(s.cond)}) ${printBlock(s.then, depth)}`;
  if (s.else) out += ' else ' + ('kind' in s.else ? printIf(s.else, depth) : printBlock(s.else, depth));
  return out;
}

function printCStruct(d: A.CStructDef, depth: number): string {
  const pad = INDENT.repeat(depth + 1);
  const fields = d.fields.map((f) => `${pad}${printCField(f, depth + 1)};`);
  const head = d.name ? `${d.keyword} ${d.name}` : d.keyword;
  return fields.length ? `${head} {\n${fields.join('\n')}\n${INDENT.repeat(depth)}}` : `${head} { }`;
}

/** A C field declaration: the declarator wraps around pointer and array types. */
function printCField(f: A.CField, depth: number): string {
  let t = f.type;
  const dims: string[] = [];
  while (t.kind === 'arrayType') {
    dims.push(`[${t.len ?? ''}]`);
    t = t.of;
  }
  let stars = '';
  while (t.kind === 'pointerType') {
    stars += '*';
    t = t.to;
  }
  const base = t.kind === 'inlineStruct' ? printCStruct(t.def, depth) : printType(t);
  const decl = `${stars}${f.name}${dims.join('')}${f.bits !== undefined ? ` : ${f.bits}` : ''}`;
  return f.name || stars || dims.length ? `${base} ${decl}`.trimEnd() : base;
}

export function printItem(item: A.TopItem): string {
  switch (item.kind) {
    case 'shebang':
    case 'preproc':
      return item.text;
    case 'include':
      return item.system ? `#include <${item.path}>` : `#include "${item.path}"`;
    case 'define':
      return `#define ${item.name}${item.params ? `(${item.params.join(', ')})` : ''}${item.text ? ' ' + item.text : ''}`;
    case 'cstruct':
      return printCStruct(item, 0) + ';';
    case 'cenum': {
      const vals = item.values.map((v) => `${INDENT}${v.name}${v.value ? ` = ${printExpr(v.value)}` : ''}`);
      return `enum ${item.name ? item.name + ' ' : ''}{\n${vals.join(',\n')}\n};`;
    }
    case 'config':
      return `config = {\n${item.entries.map((e) => `${INDENT}${e.name} = ${printExpr(e.value)};`).join('\n')}\n}`;
    case 'mapDecl':
      return `let @${item.name} = ${item.mapKind}(${item.args.map(printExpr).join(', ')});`;
    case 'macro': {
      const params = item.params.map((p) => (p.kind === 'var' ? '$' : p.kind === 'map' ? '@' : '') + p.name).join(', ');
      return `macro ${item.name}(${params}) ${printBlockExpr(item.body, 0)}`;
    }
    case 'probe': {
      const pred = item.predicate ? ` /${printExpr(item.predicate)}/` : '';
      return `${item.attachPoints.map((a) => a.raw).join(',\n')}${pred} ${printBlock(item.body, 0)}`;
    }
    default:
      return unreachable(item);
  }
}

/** The whole program as source text (ending with a newline). */
export function printProgram(p: A.Program): string {
  return p.items.map(printItem).join('\n\n') + '\n';
}
