// What a REPL line may hold (a lone expression, statements, or a whole program), read
// with the parser's entry points (parser.ts), and which syntax error to report when the
// line is none of them.
import type * as A from '../ast';
import type { Diagnostic } from '../diagnostics';
import { parse, parseExpression, parseStatements } from './parser';

/**
 * Parses what a REPL line may hold: a lone expression, else statements, else a whole
 * program (probes). When all fail, the diagnostics are those of the reading that got
 * furthest into the line (`1 +` fails at its end as an expression, at its start as a
 * program); a tie goes to the program's.
 */
export function parseFragment(source: string, file = 'stdin'): { fragment?: A.Fragment; diagnostics: Diagnostic[] } {
  const e = parseExpression(source);
  if (e.expr) return { fragment: { kind: 'expr', expr: e.expr }, diagnostics: e.diagnostics };
  const s = parseStatements(source);
  if (s.stmts) return { fragment: { kind: 'stmts', stmts: s.stmts }, diagnostics: s.diagnostics };
  const p = parse(source, file);
  if (p.program) return { fragment: { kind: 'program', program: p.program }, diagnostics: p.diagnostics };
  const reach = (ds: Diagnostic[]) => Math.max(-1, ...ds.filter((d) => d.severity === 'error').map((d) => d.span?.start ?? -1));
  const best = [p.diagnostics, s.diagnostics, e.diagnostics].reduce((a, b) => (reach(b) > reach(a) ? b : a));
  return { diagnostics: best };
}
