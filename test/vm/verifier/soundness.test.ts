// Soundness: whatever the verifier accepts runs on the interpreter to its exit without
// a memory fault, a host exception or running out of budget. Programs come from the
// generator (mostly well-formed, with maps, helpers, pointers, branches, loops and
// calls); each is run with its own pt_regs contents. 20,000 programs per run
// (BPFSIM_SOUNDNESS_RUNS=N another count), from the suite's fixed fast-check seed
// (test/setup/fast-check.ts; BPFSIM_FC_SEED=random explores new programs each run).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verify } from '../../../vm/verifier/index';
import { disassemble } from '../../../vm/asm/disassemble';
import { GenMachine, genProgram } from './generator';

const RUNS = Number(process.env.BPFSIM_SOUNDNESS_RUNS ?? 20_000);

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
      { numRuns: RUNS },
    );
    console.log(`soundness: ${accepted} of ${total} generated programs accepted and ran cleanly`);
    expect(accepted).toBeGreaterThan(total * 0.3);
  });
});
