// Turns a parse failure (position and the parser's expected items) into bpftrace's
// bison-style message: `syntax error, unexpected }, expecting ) or ","`, spanning the
// offending token. Knows nothing of the parser library: it receives plain data.
import type { Diagnostic } from '../diagnostics';

const PUNCT = [
  '<<=', '>>=', '...', '..', '->', '++', '--', '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '$#',
  '(', ')', '{', '}', '[', ']', ';', ':', ',', '.', '?', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '@', '$', '#', '"',
];
const KEYWORDS = new Set(['if', 'else', 'while', 'for', 'unroll', 'return', 'break', 'continue', 'let', 'config', 'macro', 'sizeof', 'offsetof', 'struct', 'union', 'enum']);

/** Skips spaces and comments from `pos`. */
export function skipSpace(text: string, pos: number): number {
  let i = pos;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 2;
      continue;
    }
    return i;
  }
}

/** The token at `pos`: its bison-style name and its length. */
export function tokenAt(text: string, pos: number): { name: string; length: number } {
  if (pos >= text.length) return { name: 'end of file', length: 0 };
  const rest = text.slice(pos);
  let m: RegExpExecArray | null;
  if ((m = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) return { name: 'variable', length: m[0].length };
  if ((m = /^\$[0-9]+/.exec(rest))) return { name: 'positional parameter', length: m[0].length };
  if ((m = /^@[A-Za-z0-9_]*/.exec(rest))) return { name: 'map', length: m[0].length };
  if ((m = /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)[A-Za-z0-9_]*/.exec(rest))) return { name: 'integer', length: m[0].length };
  if ((m = /^"(\\.|[^"\\\n])*"?/.exec(rest))) return { name: 'string', length: m[0].length };
  if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) return { name: KEYWORDS.has(m[0]) ? m[0] : 'identifier', length: m[0].length };
  for (const p of PUNCT) if (rest.startsWith(p)) return { name: p === ',' ? '","' : p, length: p.length };
  return { name: rest[0], length: 1 };
}

/**
 * Structural tokens as bison prints them. Operators that would merely continue an
 * expression are left out of "expecting" lists, as bison's states do.
 */
const STRUCTURAL: Readonly<Record<string, string>> = { ')': ')', ']': ']', '}': '}', '{': '{', ';': ';', ':': ':', ',': '","' };

/** Bracket nesting deeper than this is refused before parsing (the parser recurses). */
export const MAX_NESTING = 50;

/**
 * The first bracket (outside strings and comments) that nests deeper than MAX_NESTING,
 * as a diagnostic; undefined when the text stays within the limit.
 */
export function nestingError(text: string): Diagnostic | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length : e + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_NESTING) {
        return { severity: 'error', message: `Program too deeply nested: more than ${MAX_NESTING} levels of parentheses, brackets and braces`, span: { start: i, end: i + 1 } };
      }
    } else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** One thing the parser expected at the failure position. */
export interface Expected {
  /** 'string' for a literal token; other kinds (rule descriptions, ranges) are not listed. */
  type: string;
  text: string;
}

/** An unterminated string literal that starts at or before `pos`, if any. */
function unterminatedString(text: string, pos: number): { start: number; end: number } | undefined {
  for (let i = 0; i < text.length && i <= pos; i++) {
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) return undefined;
      i = e + 1;
      continue;
    }
    if (text[i] !== '"') continue;
    let j = i + 1;
    while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length || text[j] === '\n') return { start: i, end: Math.min(j, text.length) };
    i = j;
  }
  return undefined;
}

/**
 * A syntax error diagnostic for a failure at `pos` (the parser's rightmost failure), given
 * what the parser expected there.
 */
export function syntaxError(text: string, pos: number, expected: readonly Expected[]): Diagnostic {
  const us = unterminatedString(text, pos);
  if (us) return { severity: 'error', message: 'unterminated string', span: us };
  const at = skipSpace(text, pos);
  const tok = tokenAt(text, at);
  if (at >= text.length && /\/\*/.test(text) && text.lastIndexOf('*/') < text.lastIndexOf('/*')) {
    const s = text.lastIndexOf('/*');
    return { severity: 'error', message: 'unterminated comment', span: { start: s, end: s + 2 } };
  }
  const span = { start: at, end: at + tok.length };
  if (expected.some((e) => e.type !== 'string')) return { severity: 'error', message: `syntax error, unexpected ${tok.name}`, span };
  let names = [...new Set(expected.map((e) => STRUCTURAL[e.text]).filter((n): n is string => n !== undefined))];
  if (names.includes('}')) names = names.filter((n) => n !== ';');
  if (tok.name === 'end of file' && names.length === 1 && names[0] === '{') {
    return { severity: 'error', message: 'unexpected end of file, expected {', span: { start: at, end: at } };
  }
  let message = `syntax error, unexpected ${tok.name}`;
  if (names.length > 0 && names.length <= 3) message += `, expecting ${names.join(' or ')}`;
  return { severity: 'error', message, span };
}
