// Runs every accept/reject case of test/vm/verifier/cases/ through the verifier and
// checks the verdict, the message (the log's last line before the summary) and, where
// given, the failing instruction.
import { describe, expect, it } from 'vitest';
import { verify } from '../../../vm/verifier/index';
import { loadAllCases } from './cases';

const cases = loadAllCases();

describe('verifier cases', () => {
  it('has at least 150 cases, both verdicts well represented', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.expect.ok).length).toBeGreaterThan(40);
    expect(cases.filter((c) => !c.expect.ok).length).toBeGreaterThan(60);
  });
  it('case names are unique', () => {
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
  for (const c of cases) {
    it(`${c.file}:${c.line} ${c.name}`, () => {
      const r = verify(c.spec, { maxInsns: c.limit });
      const got = r.ok ? 'accept' : `reject ${r.error?.message}`;
      const want = c.expect.ok ? 'accept' : `reject ${c.expect.message ?? ''}`;
      if (!c.expect.ok && !c.expect.message) expect(r.ok, r.log).toBe(false);
      else expect(got, r.log).toBe(want);
      if (c.expect.insn !== undefined) expect(r.error?.insn).toBe(c.expect.insn);
      for (const line of c.logHas) expect(r.log.split('\n')).toContain(line);
      if (c.maxProcessed !== undefined) expect(r.stats.processed).toBeLessThanOrEqual(c.maxProcessed);
      expect(r.log.trimEnd().split('\n').pop()).toMatch(/^processed \d+ insns \(limit 1000000\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read \d+$/);
    });
  }
});
