// printf formatting as bpftrace 0.26 does it: each spec is applied through C++ stream
// formatting, not C's printf. That decides the details: integer conversions cast to the
// length modifier's type (`%d` to int, `%ld` to long, `%hhd` to char, ...); `0` fills on
// the left of everything (`%05d` of -5 is `000-5`); precision only affects floating
// point; a width pads only the first piece written (`%8s` of a tuple pads its `(`);
// `%p` prints `0x...` (`0` for null). A value that cannot be converted prints as
// `!{message}` in place of the spec, as bpftrace does.
import { hexFormatBuffer, primitiveChunks, primitiveText, DEFAULT_CONTEXT, type FormatContext } from '../text-primitive';
import type { Primitive } from '../value';
import { parseFormat, type FormatSpec, type ParsedFormat } from './format-string';
import { formatGfpFlags } from './gfp-flags';

type Result = { ok: true; text: string } | { ok: false; error: string };

/** The numeric value of a primitive as C++ sees it, or null when it has none. */
function numericValue(p: Primitive): bigint | null {
  switch (p.kind) {
    case 'int':
      return p.value;
    case 'bool':
      return p.value ? 1n : 0n;
    case 'symbolic':
      return BigInt.asUintN(64, p.value);
    case 'pointer':
      return p.addr;
    default:
      return null;
  }
}

/** The cast a length modifier selects: bits and signedness of the C type. */
function castFor(length: string, signed: boolean, defaultBits: number): { bits: number; signed: boolean } {
  switch (length) {
    case 'hh':
      return { bits: 8, signed };
    case 'h':
      return { bits: 16, signed };
    case 'l':
    case 'll':
    case 'j':
    case 'z':
      return { bits: 64, signed };
    case 't':
      return { bits: 64, signed: true };
    default:
      return { bits: defaultBits, signed };
  }
}

function cast(v: bigint, c: { bits: number; signed: boolean }): bigint {
  return c.signed ? BigInt.asIntN(c.bits, v) : BigInt.asUintN(c.bits, v);
}

interface Stream {
  base: 8 | 10 | 16;
  uppercase: boolean;
  showbase: boolean;
  showpos: boolean;
}

/** An integer inserted into a C++ stream (num_put): sign, base prefix, digits. */
function streamInteger(v: bigint, isSigned: boolean, s: Stream): string {
  if (s.base === 10) {
    const plus = isSigned && s.showpos && v >= 0n ? '+' : '';
    return plus + v.toString();
  }
  const u = BigInt.asUintN(64, v);
  let digits = u.toString(s.base);
  if (s.uppercase) digits = digits.toUpperCase();
  if (!s.showbase || u === 0n) return digits;
  if (s.base === 8) return '0' + digits;
  return (s.uppercase ? '0X' : '0x') + digits;
}

/** C's %e exponent form: at least two exponent digits. */
function exponential(x: number, precision: number, upper: boolean): string {
  const [mant, exp] = x.toExponential(precision).split('e');
  const e = Number(exp);
  const text = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

/** C's %g: shortest of fixed or exponential at `precision` significant digits. */
function general(x: number, precision: number, upper: boolean): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? (upper ? 'NAN' : 'nan') : (x < 0 ? '-' : '') + (upper ? 'INF' : 'inf');
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(p)))));
  let text = e < -4 || e >= p ? exponential(x, p - 1, upper) : x.toFixed(Math.max(0, p - 1 - e));
  // Trailing zeros (and a trailing point) go, in the mantissa only.
  text = text.replace(/(\.\d*?)0+($|[eE])/, '$1$2').replace(/\.($|[eE])/, '$1');
  return text;
}

function floating(x: number, spec: FormatSpec, s: Stream): string {
  const upper = spec.specifier === spec.specifier.toUpperCase();
  let text: string;
  if (spec.precision >= 0 && (spec.specifier === 'f' || spec.specifier === 'F')) text = x.toFixed(spec.precision);
  else if (spec.precision >= 0 && (spec.specifier === 'e' || spec.specifier === 'E')) text = exponential(x, spec.precision, upper);
  else text = general(x, spec.precision >= 0 ? spec.precision : 6, false);
  return s.showpos && x >= 0 ? '+' + text : text;
}

/** Pads the first piece written to the spec's width with its fill. */
function pad(chunks: string[], spec: FormatSpec): string {
  if (chunks.length === 0) return '';
  const [first, ...rest] = chunks;
  const fill = spec.leadZeros ? '0' : ' ';
  const padding = spec.width > first.length ? fill.repeat(spec.width - first.length) : '';
  return (spec.leftAlign ? first + padding : padding + first) + rest.join('');
}

/** One spec applied to one argument (bpftrace's FormatSpec::apply). */
export function applySpec(spec: FormatSpec, p: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): Result {
  const s: Stream = {
    base: spec.specifier === 'o' ? 8 : spec.specifier === 'x' || spec.specifier === 'X' ? 16 : 10,
    uppercase: spec.specifier === 'X',
    showbase: spec.alternateForm,
    showpos: spec.showSign,
  };
  const integer = (signed: boolean, defaultBits: number): Result => {
    const v = numericValue(p);
    if (v === null) return { ok: false, error: `invalid integer conversion: ${primitiveText(p, ctx)}` };
    const c = castFor(spec.lengthModifier, signed, defaultBits);
    return { ok: true, text: pad([streamInteger(cast(v, c), signed, s)], spec) };
  };
  switch (spec.specifier) {
    case 'd':
    case 'i':
      return integer(true, 32);
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return integer(false, 32);
    case 'c': {
      const v = numericValue(p);
      if (v === null) return { ok: false, error: `invalid integer conversion: ${primitiveText(p, ctx)}` };
      const byte = Number(BigInt.asUintN(8, cast(v, castFor(spec.lengthModifier, true, 32))));
      return { ok: true, text: pad([String.fromCharCode(byte)], spec) };
    }
    case 'p': {
      const v = numericValue(p);
      if (v === null) return { ok: false, error: `invalid integer conversion: ${primitiveText(p, ctx)}` };
      const u = BigInt.asUintN(64, v);
      return { ok: true, text: pad([u === 0n ? '0' : '0x' + u.toString(16)], spec) };
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A': {
      const v = numericValue(p);
      if (v === null) return { ok: false, error: `invalid integer conversion: ${primitiveText(p, ctx)}` };
      return { ok: true, text: pad([floating(Number(v), spec, s)], spec) };
    }
    case 'r':
    case 'rx':
    case 'rh':
      if (p.kind === 'buffer') {
        const text = hexFormatBuffer(p.bytes, spec.specifier === 'r', spec.specifier !== 'rh');
        return { ok: true, text: pad([text], spec) };
      }
      return { ok: true, text: pad(primitiveChunks(p, ctx), spec) };
    case 'gr': {
      const v = numericValue(p);
      if (v === null) return { ok: false, error: `invalid integer conversion: ${primitiveText(p, ctx)}` };
      return { ok: true, text: pad([formatGfpFlags(v)], spec) };
    }
    default:
      // `s`, and anything else the parser accepted: the value's text.
      return { ok: true, text: pad(primitiveChunks(p, ctx), spec) };
  }
}

/**
 * Formats printf arguments (bpftrace's FormatString::format). Arguments beyond the specs
 * are ignored and missing ones end the output at the last fragment they would follow;
 * the compiler's check (check.ts) makes both impossible for real programs.
 */
export function formatPrintf(format: string | ParsedFormat, args: readonly Primitive[], ctx: FormatContext = DEFAULT_CONTEXT): string {
  const parsed = typeof format === 'string' ? parseFormat(format) : format;
  let out = '';
  const n = Math.min(args.length, parsed.specs.length);
  for (let i = 0; i < n; i++) {
    out += parsed.fragments[i];
    const r = applySpec(parsed.specs[i], args[i], ctx);
    out += r.ok ? r.text : `!{${r.error}}`;
  }
  return out + parsed.fragments[parsed.fragments.length - 1];
}
