// Registers an end-to-end suite (a file of test/e2e/cases) with vitest: each case runs
// (runner.ts) and its expectations are checked on stdout followed by stderr, with the exit
// code.
import { expect, test } from 'vitest';
import { checkExpect, readSuite } from './format';
import { CASES_DIR, runCase } from './runner';

/** Registers the tests of one suite file. */
export function defineSuite(suite: string): void {
  for (const c of readSuite(CASES_DIR, suite)) {
    test(`${suite}:${c.line} ${c.name}`, async () => {
      const r = await runCase(c);
      const output = r.stdout + r.stderr;
      const failures = c.expects.map((e) => checkExpect(output, e)).filter((x): x is string => x !== undefined);
      if (r.code !== c.returnCode) failures.push(`exit code ${r.code}, expected ${c.returnCode}`);
      expect(failures, `${failures.join('\n')}\n--- output ---\n${output}`).toEqual([]);
    });
  }
}
