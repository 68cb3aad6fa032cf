// Typing of the value-producing functions with their own rules: str and buf lengths,
// ntop and pton addresses, kstack/ustack modes and limits, getopt parameters, uaddr
// symbols, and the message formatting of fail().
import type * as A from '../../ast';
import { constInt } from '../../consteval';
import { type StackMode, type Ty, BOOL, I64, NONE, int, isIntLike, kindName, ptr, str, tySize, tyToString } from '../../types';
import { intArg, literalKind, want, wantLiteral } from './call-args';
import type { Checker } from './checker';
import { typeExpr } from './exprs';

const STACK_MODES: readonly StackMode[] = ['bpftrace', 'perf', 'raw'];
const MAX_STACK = 1024;
const DEFAULT_STACK_LIMIT = 127;

/** printf-style formatting of literal arguments (for fail()). */
export function formatLiterals(fmt: string, args: readonly string[]): string {
  let i = 0;
  return fmt.replace(/%(-?\d*)(?:l{0,2}|h{0,2})([dsuxXi%])/g, (_m, _w: string, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++] ?? '';
    if (conv === 'x') return BigInt(v).toString(16);
    if (conv === 'X') return BigInt(v).toString(16).toUpperCase();
    return v;
  });
}

export function strCall(c: Checker, e: A.Call): Ty {
  const [t] = e.args.map((a) => typeExpr(c, a));
  if (t.k !== 'none' && !isIntLike(t) && t.k !== 'pointer' && t.k !== 'string' && t.k !== 'array') {
    c.error(`str() expects an integer or a pointer type as first argument (${tyToString(t)} provided)`, e.span);
  }
  const max = c.ctx.config.maxStrlen;
  let size = max;
  if (e.args.length === 2) {
    want(c, e, 1, intArg, 'int');
    const v = constInt(e.args[1]);
    if (v !== undefined) {
      if (v < 0n) c.error(`str() cannot use negative length (${v})`, e.span);
      else if (v > BigInt(max)) c.warn(`length param (${v}) is too long and will be shortened to ${max} bytes (see BPFTRACE_MAX_STRLEN)`, e.span);
      else size = Number(v);
    }
  }
  if (t.k === 'string' && e.args.length === 1) size = Math.min(size, t.size);
  return str(size);
}

export function bufCall(c: Checker, e: A.Call): Ty {
  const [t] = e.args.map((a) => typeExpr(c, a));
  if (t.k !== 'none' && !(isIntLike(t) || t.k === 'string' || t.k === 'pointer' || t.k === 'array')) {
    c.error(`buf() expects an integer, string, or array argument but saw ${kindName(t)}`, e.span);
  }
  const max = c.ctx.config.maxStrlen - 4;
  let size = max;
  if (e.args.length === 1) {
    if (t.k === 'array') size = tySize(t);
    else if (t.k !== 'none') c.error(`buf() expects a length argument for non-array type ${kindName(t)}`, e.span);
  } else {
    want(c, e, 1, intArg, 'int');
    const v = constInt(e.args[1]);
    if (v !== undefined) {
      if (v < 0n) c.error(`buf() cannot use negative length (${v})`, e.span);
      else size = Number(v);
    }
  }
  if (size > max) {
    c.warn(`buf() length is too long and will be shortened to ${c.ctx.config.maxStrlen} bytes (see BPFTRACE_MAX_STRLEN)`, e.span);
    size = max;
  }
  return { k: 'buffer', size };
}

export function ntop(c: Checker, e: A.Call): Ty {
  const ts = e.args.map((a) => typeExpr(c, a));
  let i = 0;
  if (e.args.length === 2) {
    want(c, e, 0, intArg, 'int');
    i = 1;
  }
  const t = ts[i];
  if (t.k !== 'none') {
    if (!isIntLike(t) && t.k !== 'string' && t.k !== 'array') c.error(`ntop() expects an integer or array argument, got ${kindName(t)}`, e.span);
    else if ((t.k === 'array' || t.k === 'string') && tySize(t) !== 4 && tySize(t) !== 16) c.error('ntop() argument must be 4 or 16 bytes in size', e.span);
    else if (e.args[i].kind === 'str') c.error(`ntop() expects an integer or array argument, got string`, e.span);
  }
  return { k: 'inet', size: 24 };
}

function validIpv4(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

function validIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string): string[] => (x ? x.split(':') : []);
  const parts = [...groups(dbl[0]), ...(dbl.length === 2 ? groups(dbl[1]) : [])];
  let n = 0;
  for (const [k, g] of parts.entries()) {
    if (g.includes('.')) {
      if (k !== parts.length - 1 || !validIpv4(g)) return false;
      n += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) n += 1;
    else return false;
  }
  return dbl.length === 2 ? n < 8 : n === 8;
}

export function pton(c: Checker, e: A.Call): Ty {
  const [t] = e.args.map((a) => typeExpr(c, a));
  const a = e.args[0];
  if (a.kind !== 'str') {
    c.error(`pton() expects an string literal, got ${tyToString(t)}`, e.span);
    return NONE;
  }
  const v4 = a.value.includes('.') && !a.value.includes(':');
  const v6 = a.value.includes(':');
  if (!v4 && !v6) {
    c.error(`pton() expects an string argument of an IPv4/IPv6 address, got ${a.value}`, e.span);
    return NONE;
  }
  if ((v4 && !validIpv4(a.value)) || (v6 && !validIpv6(a.value))) {
    c.error(`pton() expects a valid IPv4/IPv6 address, got ${a.value}`, e.span);
    return NONE;
  }
  return { k: 'array', of: int(8, false), len: v4 ? 4 : 16, as: 'kernel' };
}

export function stackCall(c: Checker, e: A.Call, kernel: boolean): Ty {
  let mode = c.ctx.config.stackMode;
  let limit = DEFAULT_STACK_LIMIT;
  const args = e.args;
  const parseMode = (a: A.Expr): void => {
    if (a.kind === 'ident' && (STACK_MODES as readonly string[]).includes(a.name)) {
      mode = a.name as StackMode;
      a.ty = { k: 'stackMode', mode };
    } else if (a.kind === 'ident') c.error(`Error parsing stack mode: Invalid value for stack_mode: ${a.name}`, a.span);
  };
  const parseLimit = (a: A.Expr): void => {
    typeExpr(c, a);
    if (literalKind(a) !== 'int') {
      c.error(`${e.name}() expects a int literal (${kindName(a.ty ?? NONE)} provided)`, e.span);
      return;
    }
    const v = constInt(a) ?? 0n;
    if (v < 0n) c.error(`${e.name}: invalid limit value`, e.span);
    else limit = Number(v);
  };
  if (args.length === 1) {
    if (args[0].kind === 'ident') parseMode(args[0]);
    else parseLimit(args[0]);
  } else if (args.length === 2) {
    if (args[0].kind === 'ident') parseMode(args[0]);
    else {
      typeExpr(c, args[0]);
      c.error('Expected stack mode as first argument', e.span);
    }
    parseLimit(args[1]);
  }
  if (limit > MAX_STACK) c.error(`${e.name}([int limit]): limit shouldn't exceed ${MAX_STACK}, ${limit} given`, e.span);
  return { k: 'stack', kernel, mode, limit };
}

export function getopt(c: Checker, e: A.Call): Ty {
  e.args.forEach((a) => typeExpr(c, a));
  if (!wantLiteral(c, e, 0, 'string')) return NONE;
  const name = (e.args[0] as A.StrLit).value;
  let ty: Ty = BOOL;
  let def: string | bigint | boolean | undefined = false;
  if (e.args.length > 1) {
    const d = e.args[1];
    if (d.kind === 'bool') {
      ty = BOOL;
      def = d.value;
    } else if (d.kind === 'str') {
      ty = str(c.ctx.config.maxStrlen);
      def = d.value;
    } else if (literalKind(d) === 'int') {
      ty = I64;
      def = constInt(d);
    } else {
      c.error('getopt() expects a literal default value (bool, int or string)', e.span);
      return NONE;
    }
  }
  if (e.args.length > 2 && !wantLiteral(c, e, 2, 'string')) return NONE;
  c.namedParam(name, ty, def, e.args[2]?.kind === 'str' ? e.args[2].value : undefined, e.span);
  return ty;
}

export function uaddr(c: Checker, e: A.Call): Ty {
  e.args.forEach((a) => typeExpr(c, a));
  if (!wantLiteral(c, e, 0, 'string')) return NONE;
  const sym = (e.args[0] as A.StrLit).value;
  if (!/^[a-zA-Z0-9./_-]+$/.test(sym)) {
    c.error(`uaddr() expects a string that is a valid symbol (^[a-zA-Z0-9./_-]+$) as input ("${sym}" provided)`, e.span);
    return NONE;
  }
  const sizes: number[] = [];
  for (const cp of c.probeCtx.concretes) {
    const bin = c.ctx.catalogue.probes.binaries.find((b) => b.path === cp.binary);
    const s = bin?.symbols.find((x) => x.name === sym);
    if (!s) {
      c.error(`Could not resolve symbol: ${cp.binary ?? ''}:${sym}`, e.span);
      return NONE;
    }
    sizes.push(s.size);
  }
  const size = sizes[0] ?? 8;
  const bits = size === 1 || size === 2 || size === 4 ? ((size * 8) as 8 | 16 | 32) : 64;
  return ptr(int(bits, false), 'user');
}
