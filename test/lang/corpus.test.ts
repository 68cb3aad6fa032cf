// The corpus: the classic tools of corpus/, the one-liners, the scripts of scripts/ and
// the README's examples go through the whole front end. Corpus programs are written
// against the fixture catalogue and must check without a diagnostic; scripts/ and README
// programs target the simulated kernel's catalogue, so against the stand-in one only
// errors about probes and kernel types it lacks are tolerated, never an internal error.
import { describe, expect, test } from 'vitest';
import { frontEnd, parse } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { corpusPrograms, readmeExamples, scriptPrograms } from './helpers';

const CATALOGUE_GAPS = [/^Unable to attach probe/, /^Tracepoint not found/, /^Cannot resolve unknown type/, /does not contain a field named/, /^Unknown struct\/union/, /^No probes matched/];

describe('corpus tools and one-liners check cleanly', () => {
  const own = corpusPrograms().filter((p) => p.name.startsWith('corpus/') || p.name.startsWith('one-liner'));
  test('has programs', () => expect(own.length).toBeGreaterThan(30));
  test.each(own.map((p) => [p.name, p]))('%s', (_n, p) => {
    const r = frontEnd(p.source, { catalogue: CATALOGUE, file: p.file });
    expect(r.rendered).toBe('');
    expect(r.ok).toBe(true);
    expect(r.resources?.probes.length).toBeGreaterThan(0);
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
