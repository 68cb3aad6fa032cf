// The corpus: the classic tools of corpus/, the one-liners, the scripts of scripts/ and
// the README's examples go through the whole front end. Corpus programs are written
// against the fixture catalogue and must check without a diagnostic; scripts/ and README
// programs target the simulated kernel's catalogue, so against the stand-in one only
// errors about probes and kernel types it lacks are tolerated, never an internal error.
import { describe, expect, test } from 'vitest';
import { type Expr, type Program, frontEnd, parse } from '../../lang';
import { visitExpr, visitStmts } from '../../lang/ast-walk';
import { CATALOGUE } from './fixtures/catalogue';
import { corpusPrograms, readmeExamples, scriptPrograms, syntaxCases } from './helpers';

const CATALOGUE_GAPS = [/^Unable to attach probe/, /^Tracepoint not found/, /^Cannot resolve unknown type/, /does not contain a field named/, /^Unknown struct\/union/, /^Unknown enum/, /^uprobe target file .* does not exist/, /^No probes matched/];

describe('corpus tools and one-liners check cleanly', () => {
  const own = corpusPrograms().filter((p) => p.name.startsWith('corpus/') || p.name.startsWith('one-liner'));
  test('has programs', () => expect(own.length).toBeGreaterThan(30));
  test.each(own.map((p) => [p.name, p]))('%s', (_n, p) => {
    const r = frontEnd(p.source, { catalogue: CATALOGUE, file: p.file });
    expect(r.rendered).toBe('');
    expect(r.ok).toBe(true);
    expect(r.resources?.probes.length).toBeGreaterThan(0);
    expect(untypedExpressions(r.program!)).toEqual([]);
  });
});

/** Expressions of a checked program left without a type (there should be none). */
function untypedExpressions(program: Program): string[] {
  const untyped: string[] = [];
  const check = (e: Expr): void => {
    if (!e.ty) untyped.push(`${e.kind} at ${e.span.start}`);
  };
  for (const item of program.items) {
    if (item.kind !== 'probe') continue;
    if (item.predicate) visitExpr(item.predicate, { expr: check });
    visitStmts(item.body.stmts, { expr: check });
  }
  return untyped;
}

describe('every expression of a checked program has a type', () => {
  const checked = syntaxCases()
    .map((src) => frontEnd(src, { catalogue: CATALOGUE, params: ['vfs_read', '/bin/bash'] }))
    .filter((r) => r.ok);
  test('many syntax cases check', () => expect(checked.length).toBeGreaterThan(15));
  test.each(checked.map((r, i) => [i, r]))('checked syntax case %i', (_i, r) => {
    expect(untypedExpressions(r.program!)).toEqual([]);
  });
});

describe('scripts/ and README examples', () => {
  const others = [...scriptPrograms(), ...readmeExamples()];
  if (others.length === 0) test.skip('scripts/ has no .bt files and the README quotes no program yet', () => {});
  test.each(others.map((p) => [p.name, p]))('%s', (_n, p) => {
    expect(parse(p.source, p.file).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = frontEnd(p.source, { catalogue: CATALOGUE, file: p.file });
    for (const d of r.diagnostics.filter((x) => x.severity === 'error')) {
      expect(d.message).not.toMatch(/internal error/);
      expect(CATALOGUE_GAPS.some((g) => g.test(d.message)), `${p.name}: ${d.message}`).toBe(true);
    }
  });
});
