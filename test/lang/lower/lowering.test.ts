// Lowered programs run on every engine against the case files: each case's program is
// compiled, verified, run (BEGIN, its firings, END) and its output compared exactly.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { ENGINES } from '../../../vm/engines';
import { readCases } from './cases';
import { build, runScript } from './rig';

const cases = readCases(join(__dirname, 'cases'));

describe.each(ENGINES.map((e) => [e.name, e] as const))('lowering on %s', (_name, engine) => {
  test.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_n, c) => {
    const b = build(c.prog, c.params);
    if (c.error !== undefined) {
      expect(b.ok).toBe(false);
      if (!b.ok) expect(b.error).toContain(c.error);
      return;
    }
    if (!b.ok) throw new Error(b.error);
    const r = runScript(b.script, c.prog, engine, c.fire);
    // Case blocks cannot hold trailing blank lines: compare up to the last line.
    const trim = (s: string): string => s.replace(/\n*$/, '\n').replace(/^\n$/, '');
    if (c.out !== undefined) expect(trim(r.out)).toBe(c.out);
    if (c.maps !== undefined) expect(trim(r.maps)).toBe(c.maps);
    if (c.exit !== undefined) expect(r.exit).toBe(c.exit);
    expect(trim(r.err)).toBe(c.stderr ?? '');
  });
});
