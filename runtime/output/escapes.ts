// Escape sequences of bpftrace string literals, as bpftrace's lexer reads them (checked
// against bpftrace 0.17): \n \t \r \" \\, octal \N, \NN, \NNN (at most 255), hex \xH or
// \xHH; any other backslash sequence (\e, \a, ...) is an error with bpftrace's text.
// printf formats receive the already-unescaped text; decoding literals is the parser's
// job, and this is the reference table for it.

export type UnescapeResult = { ok: true; value: string } | { ok: false; error: string };

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/** Decodes the body of a string literal (without its quotes). */
export function unescapeString(raw: string): UnescapeResult {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) return { ok: false, error: `invalid escape character '\\'` };
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i += 2;
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(raw.slice(i + 1));
    if (oct) {
      const value = parseInt(oct[0], 8);
      if (value > 255) return { ok: false, error: `octal escape sequence out of range '\\${oct[0]}'` };
      out += String.fromCharCode(value);
      i += 1 + oct[0].length;
      continue;
    }
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(raw.slice(i + 1));
    if (hex) {
      out += String.fromCharCode(parseInt(hex[1], 16));
      i += 1 + hex[0].length;
      continue;
    }
    return { ok: false, error: `invalid escape character '\\${next}'` };
  }
  return { ok: true, value: out };
}
