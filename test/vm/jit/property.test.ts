// Random programs on both engines (generators in gen.ts): raw programs of every shape,
// with a small budget so that loops end in budget faults at exact slots; and programs
// the verifier accepts, run twice in a row with maps, the JIT using the verifier's facts
// and its fast helper paths. No divergence in results, instruction counts, memory, maps
// or helper calls. Run counts keep the file within a few seconds.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { disassemble } from '../../../vm/asm/disassemble';
import type { Insn } from '../../../vm/isa/insn';
import type { ProgramSpec } from '../../../vm/program';
import { PT_REGS } from '../../../vm/ctx/layouts';
import { verify } from '../../../vm/verifier';
import { RawPair, runOn, sameOutcome } from './harness';
import { VERIFIABLE_MAPS, rawProgram, verifiableProgram } from './gen';

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

  it('verified programs, with the verifier facts and fast helper paths', () => {
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
