// Soundness: whatever the verifier accepts runs on the interpreter to its exit without
// a memory fault, a host exception or running out of budget. Programs come from the
// generator (mostly well-formed, with maps, helpers, pointers, branches, loops and
// calls); each is run with its own pt_regs contents. 20,000 programs per run, from a
// fixed fast-check seed so that every run checks the same programs
// (BPFSIM_SOUNDNESS_SEED=N picks another seed, =random a new one each run, as an
// exploration; BPFSIM_SOUNDNESS_RUNS=N another count).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verify } from '../../../vm/verifier/index';
import { disassemble } from '../../../vm/asm/disassemble';
import { GenMachine, genProgram } from './generator';

const RUNS = Number(process.env.BPFSIM_SOUNDNESS_RUNS ?? 20_000);
const SEED_ENV = process.env.BPFSIM_SOUNDNESS_SEED ?? '20261122';
const SEED = SEED_ENV === 'random' ? undefined : Number(SEED_ENV);

describe('verifier soundness', () => {
  it(`accepted programs run without faults (${RUNS} programs)`, () => {
    const gm = new GenMachine();
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        total++;
        const spec = genProgram(seed);
        const v = verify(spec);
        if (!v.ok) return true;
        accepted++;
        const r = gm.run(spec, seed);
        const listing = () => `seed ${seed}\n${disassemble(spec.insns, { layout: 'plain' })}`;
        if ('loadError' in r) throw new Error(`load failed: ${r.loadError}\n${listing()}`);
        if (!r.ok) throw new Error(`accepted program faulted at slot ${r.fault.pc} (${r.fault.kind}): ${r.fault.message}\n${listing()}`);
        return true;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`soundness: ${accepted} of ${total} generated programs accepted and ran cleanly`);
    expect(accepted).toBeGreaterThan(total * 0.3);
  });
});
