// Decoding of literal tokens: integers (decimal, hex, octal, scientific, `1_000`, C
// suffixes, durations) and strings with escapes, plus the inverse for strings (the
// printer's quoting). Pure functions; errors come back as messages, never throws.

const DURATION_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

const U64_MAX = (1n << 64n) - 1n;

export type IntResult = { ok: true; value: bigint } | { ok: false; message: string };

/** The value of an integer literal as written (no sign). */
export function decodeInt(raw: string): IntResult {
  let text = raw.replace(/_/g, '');
  let scale = 1n;
  const dur = /^(\d+(?:e\d+)?)(ns|us|ms|s|m|h|d)$/.exec(text);
  if (dur) {
    text = dur[1];
    scale = DURATION_NS[dur[2]];
  } else {
    text = text.replace(/(ull|ul|ll|u|l)$/i, '');
  }
  let value: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) {
    value = BigInt(text);
  } else if (/^\d+e\d+$/.test(text)) {
    const [m, e] = text.split('e');
    if (Number(e) > 40) return { ok: false, message: `Integer literal out of range: ${raw}` };
    value = BigInt(m) * 10n ** BigInt(e);
  } else if (/^0\d+$/.test(text)) {
    if (/[89]/.test(text)) return { ok: false, message: `Invalid octal literal: ${raw}` };
    value = BigInt('0o' + text.slice(1));
  } else if (/^\d+$/.test(text)) {
    value = BigInt(text);
  } else {
    return { ok: false, message: `Invalid integer literal: ${raw}` };
  }
  value *= scale;
  if (value > U64_MAX) return { ok: false, message: `Integer literal out of range: ${raw}` };
  return { ok: true, value };
}

export type StrResult = { ok: true; value: string } | { ok: false; message: string; offset: number; length: number };

/** Decodes the body of a string literal (between the quotes). */
export function decodeString(body: string): StrResult {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[i + 1];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'e':
        out += '\x1b';
        break;
      case '\\':
      case '"':
      case "'":
        out += n;
        break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 2));
        if (!m) return { ok: false, message: "invalid escape character '\\x'", offset: i, length: 2 };
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        break;
      }
      default: {
        const m = /^[0-7]{1,3}/.exec(body.slice(i + 1));
        if (m) {
          const v = parseInt(m[0], 8);
          if (v > 255) return { ok: false, message: `invalid escape character '\\${m[0]}'`, offset: i, length: 1 + m[0].length };
          out += String.fromCharCode(v);
          i += m[0].length - 1;
          break;
        }
        return { ok: false, message: `invalid escape character '\\${n ?? ''}'`, offset: i, length: 2 };
      }
    }
    i++;
  }
  return { ok: true, value: out };
}

/** A string literal (with quotes) that decodes back to `value`. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
