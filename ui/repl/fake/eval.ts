// The fake backend's expression evaluator: integer literals, C operators with their
// precedence, parentheses, and a few builtins read from the fake world. Anything else is
// an `Unknown identifier` diagnostic, as the real front end reports it.
import { fakeDiagnostic } from './diagnostic';

export interface EvalWorld {
  builtin(name: string): bigint | string | undefined;
}

export type EvalResult = { ok: true; value: bigint | string } | { ok: false; error: string };

type Tok = { t: 'num'; v: bigint; at: number; end: number } | { t: 'id'; v: string; at: number; end: number } | { t: 'op'; v: string; at: number; end: number };

const OPS = ['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')'];

function tokenize(src: string): Tok[] | { at: number; end: number; message: string } {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i])) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|[0-9][0-9_]*)/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: BigInt(num[1].replace(/_/g, '')), at: i, end: i + num[1].length });
      i += num[1].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) return { at: i, end: i + 1, message: `syntax error, unexpected '${src[i]}'` };
    out.push({ t: 'op', v: op, at: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

const BINARY: readonly (readonly string[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

class Failure {
  constructor(
    readonly at: number,
    readonly end: number,
    readonly message: string,
  ) {}
}

const U64 = (1n << 64n) - 1n;

function binop(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+': return (a + b) & U64;
    case '-': return (a - b) & U64;
    case '*': return (a * b) & U64;
    case '/': return b === 0n ? 0n : a / b;
    case '%': return b === 0n ? 0n : a % b;
    case '<<': return (a << (b & 63n)) & U64;
    case '>>': return a >> (b & 63n);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    default: return 0n;
  }
}

export function evaluate(src: string, world: EvalWorld, file = 'stdin'): EvalResult {
  const toks = tokenize(src);
  if (!Array.isArray(toks)) return { ok: false, error: fakeDiagnostic(file, src, toks.at, toks.end, toks.message) };
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const primary = (): bigint | string => {
    const t = toks[pos++];
    if (!t) throw new Failure(src.length, src.length + 1, 'syntax error, unexpected end of file');
    if (t.t === 'num') return t.v;
    if (t.t === 'id') {
      const v = world.builtin(t.v);
      if (v === undefined) throw new Failure(t.at, t.end, `Unknown identifier: '${t.v}'`);
      return v;
    }
    if (t.v === '(') {
      const v = expr(0);
      const close = toks[pos++];
      if (!close || close.v !== ')') throw new Failure(close?.at ?? src.length, (close?.end ?? src.length) + 1, "syntax error, expecting ')'");
      return v;
    }
    if (t.v === '-' || t.v === '~' || t.v === '!') {
      const v = primary();
      if (typeof v === 'string') throw new Failure(t.at, t.end, `Invalid operand to unary operator ${t.v}`);
      return t.v === '-' ? -v & U64 : t.v === '~' ? ~v & U64 : v === 0n ? 1n : 0n;
    }
    throw new Failure(t.at, t.end, `syntax error, unexpected ${t.v}`);
  };
  const expr = (level: number): bigint | string => {
    if (level >= BINARY.length) return primary();
    let left = expr(level + 1);
    for (let t = peek(); t && t.t === 'op' && BINARY[level].includes(t.v); t = peek()) {
      pos++;
      const right = expr(level + 1);
      if (typeof left === 'string' || typeof right === 'string') throw new Failure(t.at, t.end, `Type mismatch for '${t.v}': comparing string with int64`);
      left = binop(t.v, left, right);
    }
    return left;
  };
  try {
    const v = expr(0);
    const rest = peek();
    if (rest) throw new Failure(rest.at, rest.end, `syntax error, unexpected ${rest.v}`);
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: fakeDiagnostic(file, src, e.at, e.end, e.message) };
    throw e;
  }
}
