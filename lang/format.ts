// printf-style format strings as bpftrace reads them (printf, system, cat, errorf, warnf,
// debugf): parsing into literal text and conversion specifiers (flags, width, precision,
// length, conversion, including bpftrace's %r/%rx/%rh for buffers), and checking the
// argument types against them with bpftrace's messages. The runtime's formatter can
// reuse parseFormat; this file does no formatting itself.
import { type Ty, isIntLike, isCastableAgg, kindName } from './types';

export interface FormatSpec {
  /** The specifier as written, `%-5.3lld`. */
  text: string;
  flags: string;
  width?: number;
  precision?: number;
  length: string;
  /** Conversion: d i u o x X c s p, r rx rh (buffers), gr (GFP flags). */
  conv: string;
  /** Offset of the `%` in the format. */
  offset: number;
}

export type FormatPart = { kind: 'text'; text: string } | { kind: 'spec'; spec: FormatSpec };

const SPEC = /%([-+ #0]*)(\d+)?(?:\.(\d+))?(hh|h|ll|l|j|z|t)?(rx|rh|r|gr|[diuoxXcsp%])/y;

/** Splits a format into literal text and conversion specifiers (`%%` is text). */
export function parseFormat(fmt: string): FormatPart[] {
  const parts: FormatPart[] = [];
  let text = '';
  for (let i = 0; i < fmt.length; ) {
    if (fmt[i] !== '%') {
      text += fmt[i++];
      continue;
    }
    SPEC.lastIndex = i;
    const m = SPEC.exec(fmt);
    if (!m) {
      text += fmt[i++];
      continue;
    }
    if (m[5] === '%') {
      text += '%';
      i += m[0].length;
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({
      kind: 'spec',
      spec: { text: m[0], flags: m[1], width: m[2] ? Number(m[2]) : undefined, precision: m[3] ? Number(m[3]) : undefined, length: m[4] ?? '', conv: m[5], offset: i },
    });
    i += m[0].length;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

export function formatSpecs(fmt: string): FormatSpec[] {
  return parseFormat(fmt).flatMap((p) => (p.kind === 'spec' ? [p.spec] : []));
}

/** Whether a value of type `t` may be printed with conversion `conv`. */
function accepts(conv: string, t: Ty): boolean {
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
    case 'c':
      return isIntLike(t) || t.k === 'pointer' || isCastableAgg(t);
    case 'p':
    case 'gr':
      return isIntLike(t) || t.k === 'pointer';
    case 's':
      // bpftrace 0.26 prints any value's text form with %s (0.17 required a string).
      return t.k !== 'void' && t.k !== 'stackMode' && t.k !== 'tsMode';
    case 'r':
    case 'rx':
    case 'rh':
      return t.k === 'buffer' || t.k === 'string' || t.k === 'array';
    default:
      return false;
  }
}

const EXPECTED: Readonly<Record<string, string>> = { s: 'string', r: 'buffer', rx: 'buffer', rh: 'buffer' };

/**
 * Checks the argument types of a format call; returns bpftrace's message (without the
 * function prefix) or undefined.
 */
export function checkFormat(fn: string, fmt: string, args: readonly Ty[]): string | undefined {
  const specs = formatSpecs(fmt);
  if (args.length < specs.length) return `${fn}: Not enough arguments for format string (${args.length} supplied, ${specs.length} expected)`;
  if (args.length > specs.length) return `${fn}: Too many arguments for format string (${args.length} supplied, ${specs.length} expected)`;
  for (let i = 0; i < specs.length; i++) {
    const t = args[i];
    if (t.k === 'none') continue;
    if (!accepts(specs[i].conv, t)) {
      const want = EXPECTED[specs[i].conv] ?? 'integer';
      return `${fn}: %${specs[i].conv} specifier expects a value of type ${want} (${kindName(t)} supplied)`;
    }
  }
  return undefined;
}
