// String literal escapes as bpftrace's lexer reads them, checked against bpftrace 0.17's
// behaviour on this machine (the accepted sequences and the error texts).
import { describe, expect, it } from 'vitest';
import { unescapeString } from '../../../runtime/output/escapes';

describe('unescapeString', () => {
  const ok: [string, string][] = [
    ['plain', 'plain'],
    ['a\\nb', 'a\nb'],
    ['\\t\\r', '\t\r'],
    ['\\"q\\"', '"q"'],
    ['back\\\\slash', 'back\\slash'],
    ['\\x41\\x4a', 'AJ'],
    ['\\x4', '\x04'],
    ['\\x4g', '\x04g'],
    ['\\x414', 'A4'],
    ['\\101\\102', 'AB'],
    ['\\12a', '\na'],
    ['\\0', '\0'],
    ['\\033[31m', '\x1b[31m'],
    ['\\377', '\xff'],
    ['\\1234', 'S4'],
  ];
  it.each(ok)('%j', (raw, value) => {
    expect(unescapeString(raw)).toEqual({ ok: true, value });
  });

  const bad: [string, string][] = [
    ['\\e', "invalid escape character '\\e'"],
    ['\\a', "invalid escape character '\\a'"],
    ['\\x', "invalid escape character '\\x'"],
    ['\\xg', "invalid escape character '\\x'"],
    ['\\400', "octal escape sequence out of range '\\400'"],
    ['\\777', "octal escape sequence out of range '\\777'"],
    ['ends with \\', "invalid escape character '\\'"],
  ];
  it.each(bad)('%j is an error', (raw, error) => {
    expect(unescapeString(raw)).toEqual({ ok: false, error });
  });
});
