// The AST dump behind `-d ast` and `-d types`, laid out like `bpftrace -d`: one node per
// line, indented one space per level, with ` :: type[...]` after typed expressions when
// types are asked for. A debugging view, not meant to be parsed.
import type * as A from './ast';
import { printType } from './printer';
import { quoteString } from './syntax/literals';
import { type Ty, tyToString, unreachable } from './types';

interface Opts {
  types: boolean;
}

function tyNote(t: Ty | undefined, o: Opts): string {
  if (!o.types || !t) return '';
  const as = (t.k === 'pointer' && t.as !== 'none') || ((t.k === 'struct' || t.k === 'array') && t.as && t.as !== 'none') ? `, AS(${(t as { as: string }).as})` : '';
  const ctx = (t.k === 'pointer' || t.k === 'struct') && t.ctx ? ', ctx: 1' : '';
  return ` :: type[${tyToString(t)}${ctx}${as}]`;
}

function exprLabel(e: A.Expr): string {
  switch (e.kind) {
    case 'int':
      return `int: ${e.negative ? '-' : ''}${e.value}${e.constName ? ` (${e.constName})` : ''}`;
    case 'str':
      return `string: ${quoteString(e.value).slice(1, -1)}`;
    case 'bool':
      return `bool: ${e.value}`;
    case 'ident':
      return `identifier: ${e.name}`;
    case 'builtin':
      return `builtin: ${e.name}`;
    case 'var':
      return `variable: $${e.name}${e.binding && e.binding.id !== e.name ? ` (${e.binding.id})` : ''}`;
    case 'param':
      return e.count ? 'param: $#' : `param: $${e.index}`;
    case 'map':
      return `map: @${e.name}`;
    case 'unop':
      return `unop: ${e.op}`;
    case 'incdec':
      return e.prefix ? `${e.op} (pre)` : `${e.op} (post)`;
    case 'binop':
      return e.op;
    case 'ternary':
      return e.then ? '?:' : '?: (elvis)';
    case 'cast':
      return `(${printType(e.type)})${e.implicit ? ' implicit' : ''}`;
    case 'field':
      return `${e.arrow ? '->' : '.'} ${e.field}${e.layout ? ` @${e.layout.offset}` : ''}`;
    case 'tupleIndex':
      return `. ${e.index}`;
    case 'index':
      return '[]';
    case 'call':
      return `call: ${e.name}${e.formatId !== undefined ? ` #${e.formatId}` : ''}`;
    case 'tuple':
      return 'tuple:';
    case 'record':
      return 'record:';
    case 'sizeof':
      return `sizeof${e.value !== undefined ? ` = ${e.value}` : ''}`;
    case 'offsetof':
      return `offsetof ${e.path.join('.')}${e.value !== undefined ? ` = ${e.value}` : ''}`;
    case 'blockExpr':
      return e.macro ? `block (macro ${e.macro})` : 'block';
    default:
      return unreachable(e);
  }
}

function dumpExpr(e: A.Expr, depth: number, o: Opts, out: string[]): void {
  out.push(' '.repeat(depth) + exprLabel(e) + tyNote(e.ty, o));
  const d = depth + 1;
  switch (e.kind) {
    case 'record':
      for (const f of e.fields) {
        out.push(' '.repeat(d) + `${f.name} =`);
        dumpExpr(f.value, d + 1, o, out);
      }
      return;
    case 'sizeof':
      if ('type' in e.arg) out.push(' '.repeat(d) + printType(e.arg.type));
      break;
    case 'offsetof':
      if ('type' in e.base) out.push(' '.repeat(d) + printType(e.base.type));
      break;
    case 'blockExpr':
      for (const s of e.stmts) dumpStmt(s, d, o, out);
      if (e.result) dumpExpr(e.result, d, o, out);
      return;
    default:
      break;
  }
  const kids: A.Expr[] =
    e.kind === 'map' ? (e.key ? [e.key] : []) : e.kind === 'sizeof' ? ('expr' in e.arg ? [e.arg.expr] : []) : e.kind === 'offsetof' ? ('expr' in e.base ? [e.base.expr] : []) : childrenOf(e);
  for (const c of kids) dumpExpr(c, d, o, out);
}

function childrenOf(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'unop':
    case 'cast':
    case 'field':
    case 'tupleIndex':
      return [e.expr];
    case 'incdec':
      return [e.target];
    case 'binop':
      return [e.left, e.right];
    case 'ternary':
      return e.then ? [e.cond, e.then, e.else] : [e.cond, e.else];
    case 'index':
      return [e.expr, e.index];
    case 'call':
      return e.args;
    case 'tuple':
      return e.elems;
    default:
      return [];
  }
}

function dumpBlock(label: string, b: A.Block, depth: number, o: Opts, out: string[]): void {
  out.push(' '.repeat(depth) + label);
  for (const s of b.stmts) dumpStmt(s, depth + 1, o, out);
}

function dumpStmt(s: A.Stmt, depth: number, o: Opts, out: string[]): void {
  const pad = ' '.repeat(depth);
  const d = depth + 1;
  switch (s.kind) {
    case 'exprStmt':
      dumpExpr(s.expr, depth, o, out);
      return;
    case 'assign':
      out.push(pad + s.op);
      if (s.target.kind === 'discard') out.push(' '.repeat(d) + '_');
      else dumpExpr(s.target, d, o, out);
      dumpExpr(s.value, d, o, out);
      return;
    case 'let':
      out.push(pad + `let${s.type ? ` : ${printType(s.type)}` : ''}`);
      dumpExpr(s.var, d, o, out);
      if (s.value) dumpExpr(s.value, d, o, out);
      return;
    case 'aggregate':
      out.push(pad + `= (${s.fn})`);
      dumpExpr(s.map, d, o, out);
      dumpExpr(s.call, d, o, out);
      return;
    case 'if':
      out.push(pad + 'if');
      dumpExpr(s.cond, d, o, out);
      dumpBlock('then', s.then, d, o, out);
      if (s.else) {
        if ('kind' in s.else) {
          out.push(' '.repeat(d) + 'else');
          dumpStmt(s.else, d + 1, o, out);
        } else dumpBlock('else', s.else, d, o, out);
      }
      return;
    case 'while':
      out.push(pad + 'while');
      dumpExpr(s.cond, d, o, out);
      dumpBlock('do', s.body, d, o, out);
      return;
    case 'unroll':
      out.push(pad + 'unroll');
      dumpExpr(s.count, d, o, out);
      dumpBlock('block', s.body, d, o, out);
      return;
    case 'for':
      out.push(pad + 'for');
      dumpExpr(s.var, d, o, out);
      if (s.iter.kind === 'range') {
        out.push(' '.repeat(d) + 'range');
        dumpExpr(s.iter.start, d + 1, o, out);
        dumpExpr(s.iter.end, d + 1, o, out);
      } else dumpExpr(s.iter.map, d, o, out);
      dumpBlock('stmts', s.body, d, o, out);
      return;
    case 'jump':
      out.push(pad + s.op);
      if (s.value) dumpExpr(s.value, d, o, out);
      return;
    case 'blockStmt':
      dumpBlock('block', s.block, depth, o, out);
      return;
    default:
      unreachable(s);
  }
}

function dumpItem(item: A.TopItem, o: Opts, out: string[]): void {
  switch (item.kind) {
    case 'probe': {
      const names = item.attachPoints.flatMap((a) => (a.expansions ? a.expansions.map((c) => c.name) : [a.raw]));
      out.push(' ' + names.join(','));
      if (item.predicate) {
        out.push('  pred');
        dumpExpr(item.predicate, 3, o, out);
      }
      for (const s of item.body.stmts) dumpStmt(s, 2, o, out);
      return;
    }
    case 'config':
      out.push(' config');
      for (const e of item.entries) {
        out.push(`  ${e.name} =`);
        dumpExpr(e.value, 3, o, out);
      }
      return;
    case 'mapDecl':
      out.push(` map decl: @${item.name} = ${item.mapKind}`);
      for (const a of item.args) dumpExpr(a, 2, o, out);
      return;
    case 'macro':
      out.push(` macro: ${item.name}(${item.params.map((p) => (p.kind === 'var' ? '$' : p.kind === 'map' ? '@' : '') + p.name).join(', ')})`);
      dumpExpr(item.body, 2, o, out);
      return;
    case 'cstruct':
      out.push(` ${item.keyword} ${item.name}`);
      for (const f of item.fields) out.push(`  ${f.name}: ${printType(f.type)}${f.bits !== undefined ? ` : ${f.bits}` : ''}`);
      return;
    case 'cenum':
      out.push(` enum ${item.name ?? '(anonymous)'}`);
      for (const v of item.values) out.push(`  ${v.name}`);
      return;
    case 'include':
      out.push(` #include ${item.system ? `<${item.path}>` : `"${item.path}"`}`);
      return;
    case 'define':
      out.push(` #define ${item.name} ${item.text}`);
      return;
    case 'shebang':
    case 'preproc':
      out.push(' ' + item.text);
      return;
    default:
      unreachable(item);
  }
}

/** The program as an indented tree (`-d ast`; with types for `-d types`). */
export function dumpProgram(p: A.Program, opts: { types?: boolean } = {}): string {
  const o: Opts = { types: !!opts.types };
  const out = ['Program'];
  for (const item of p.items) dumpItem(item, o, out);
  return out.join('\n') + '\n';
}

/** One expression as an indented tree (the REPL's `.ast`). */
export function dumpExpression(e: A.Expr, opts: { types?: boolean } = {}): string {
  const out: string[] = [];
  dumpExpr(e, 0, { types: !!opts.types }, out);
  return out.join('\n') + '\n';
}
