// Random programs on both engines: raw programs of every shape (gen.ts), with a small
// budget so that loops end in budget faults at exact slots; programs the verifier
// accepts, from the verifier's own generator (test/vm/verifier/generator.ts: ctx reads,
// moved pointers, map values at variable offsets, ring buffer records, subprograms) and
// from gen.ts, run with maps, the JIT using the verifier's facts and its fast helper
// paths. No divergence in results, instruction counts, memory, maps or helper calls.
// Run counts keep the file within a few seconds.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { disassemble } from '../../../vm/asm/disassemble';
import type { Insn } from '../../../vm/isa/insn';
import type { ProgramSpec } from '../../../vm/program';
import { PT_REGS } from '../../../vm/ctx/layouts';
import { verify } from '../../../vm/verifier';
import { RawPair, runOn, sameOutcome } from './harness';
import { VERIFIABLE_MAPS, rawProgram, verifiableProgram } from './gen';
import { Rng, genProgram } from '../verifier/generator';

/** pt_regs contents from a seed: small numbers and full 32-bit words. */
function ctxFrom(seed: number): Uint8Array {
  const r = new Rng(seed ^ 0x5bd1e995);
  const out = new Uint8Array(PT_REGS.size);
  const dv = new DataView(out.buffer);
  for (let off = 0; off < out.length; off += 4) dv.setUint32(off, r.chance(0.5) ? r.int(0, 100) : Math.floor(r.next() * 2 ** 32), true);
  return out;
}

/** Programs print as assembler text in counterexamples. */
const shown = (a: fc.Arbitrary<Insn[]>): fc.Arbitrary<Insn[]> => a.map((p) => Object.assign(p, { toString: () => disassemble(p) }));

describe('random programs agree with the interpreter', () => {
  it('raw programs, budget 300', () => {
    const pair = new RawPair();
    fc.assert(
      fc.property(shown(rawProgram), fc.uint8Array({ minLength: 16, maxLength: 16 }), (insns, input) => sameOutcome(...pair.run(insns, input, 300))),
      { numRuns: 600 },
    );
  });

  it("the verifier's generated programs that it accepts, with its facts and the fast helper paths", () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        runs++;
        const spec = genProgram(seed);
        if (!verify(spec).ok) return true;
        accepted++;
        const firings = [{ ctx: ctxFrom(seed), env: { seed: seed | 1 } }, { ctx: ctxFrom(seed + 1), env: { seed: 7, cpu: 2 } }];
        return sameOutcome(runOn('interpreter', spec, { firings }), runOn({}, spec, { firings, verified: true }));
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(runs * 0.3);
  });

  it('verified programs of gen.ts, with the verifier facts and fast helper paths', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(shown(verifiableProgram), (insns) => {
        runs++;
        const spec: ProgramSpec = { name: 'random', type: 'kprobe', insns, maps: VERIFIABLE_MAPS, ctx: PT_REGS };
        if (!verify(spec).ok) return true;
        accepted++;
        const firings = [{ env: { seed: 3 } }, { env: { seed: 4, cpu: 1 } }];
        return sameOutcome(runOn('interpreter', spec, { firings }), runOn({}, spec, { firings, verified: true }));
      }),
      { numRuns: 200 },
    );
    // The property must not hold vacuously: most generated programs verify.
    expect(accepted).toBeGreaterThan(runs / 2);
  });
});
