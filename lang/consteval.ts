// Compile-time evaluation of integer constant expressions: literals, enum constants and
// #defines (through a lookup), unary and binary operators, casts to integer types,
// sizeof/offsetof once typed. Used for enum values, lhist/hist parameters, unroll counts,
// array and tuple indices. Values are 64-bit two's complement, as BPF computes them.
import type { Expr } from './ast';

const MASK = (1n << 64n) - 1n;
const toSigned = (v: bigint): bigint => {
  const u = v & MASK;
  return u >= 1n << 63n ? u - (1n << 64n) : u;
};

const INT_BITS: Readonly<Record<string, [number, boolean]>> = {
  uint8: [8, false], uint16: [16, false], uint32: [32, false], uint64: [64, false],
  int8: [8, true], int16: [16, true], int32: [32, true], int64: [64, true], bool: [1, false],
};

/** The value of a constant integer expression (as a signed 64-bit value), or undefined. */
export function constInt(e: Expr, lookup?: (name: string) => bigint | undefined, depth = 0): bigint | undefined {
  if (depth > 64) return undefined;
  const c = (x: Expr): bigint | undefined => constInt(x, lookup, depth + 1);
  switch (e.kind) {
    case 'int':
      return toSigned(e.negative ? -e.value : e.value);
    case 'bool':
      return e.value ? 1n : 0n;
    case 'ident':
      return lookup?.(e.name);
    case 'sizeof':
    case 'offsetof':
      return e.value !== undefined ? BigInt(e.value) : undefined;
    case 'unop': {
      const v = c(e.expr);
      if (v === undefined) return undefined;
      if (e.op === '-') return toSigned(-v);
      if (e.op === '~') return toSigned(~v);
      if (e.op === '!') return v === 0n ? 1n : 0n;
      return undefined;
    }
    case 'cast': {
      const v = c(e.expr);
      if (v === undefined || e.type.kind !== 'namedType') return undefined;
      const t = INT_BITS[e.type.name];
      if (!t) return undefined;
      const [bits, signed] = t;
      if (bits === 1) return v !== 0n ? 1n : 0n;
      const u = v & ((1n << BigInt(bits)) - 1n);
      return signed && u >= 1n << BigInt(bits - 1) ? u - (1n << BigInt(bits)) : u;
    }
    case 'binop': {
      const l = c(e.left);
      const r = c(e.right);
      if (l === undefined || r === undefined) return undefined;
      switch (e.op) {
        case '+':
          return toSigned(l + r);
        case '-':
          return toSigned(l - r);
        case '*':
          return toSigned(l * r);
        case '/':
          return r === 0n ? undefined : toSigned(l / r);
        case '%':
          return r === 0n ? undefined : toSigned(l % r);
        case '&':
          return toSigned(l & r);
        case '|':
          return toSigned(l | r);
        case '^':
          return toSigned(l ^ r);
        case '<<':
          return r < 0n || r > 63n ? undefined : toSigned(l << r);
        case '>>':
          return r < 0n || r > 63n ? undefined : toSigned(l >> r);
        case '==':
          return l === r ? 1n : 0n;
        case '!=':
          return l !== r ? 1n : 0n;
        case '<':
          return l < r ? 1n : 0n;
        case '<=':
          return l <= r ? 1n : 0n;
        case '>':
          return l > r ? 1n : 0n;
        case '>=':
          return l >= r ? 1n : 0n;
        case '&&':
          return l !== 0n && r !== 0n ? 1n : 0n;
        case '||':
          return l !== 0n || r !== 0n ? 1n : 0n;
        default:
          return undefined;
      }
    }
    case 'ternary': {
      const cond = c(e.cond);
      if (cond === undefined) return undefined;
      if (!e.then) return cond !== 0n ? cond : c(e.else);
      return cond !== 0n ? c(e.then) : c(e.else);
    }
    default:
      return undefined;
  }
}

/** An integer literal, possibly negated: its magnitude and sign (enum constants excluded). */
export function intLiteral(e: Expr): { value: bigint; negative: boolean } | undefined {
  if (e.kind === 'int' && !e.enumName) return { value: e.value, negative: !!e.negative && e.value !== 0n };
  if (e.kind === 'unop' && e.op === '-' && e.expr.kind === 'int') return { value: e.expr.value, negative: e.expr.value !== 0n };
  return undefined;
}

/** An integer literal as written in messages (`-5`), or undefined. */
export function literalText(e: Expr): string | undefined {
  const l = intLiteral(e);
  return l ? (l.negative ? '-' : '') + l.value.toString() : undefined;
}
