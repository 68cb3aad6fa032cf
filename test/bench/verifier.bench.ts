// Verifier figures: the slowest verification of a loadable program in the corpus, the
// time to walk a program to the 1,000,000-instruction budget, and the processed-instruction
// count of a 100-iteration bounded loop. The corpus is the verifier's accept/reject cases
// (test/vm/verifier/cases) plus the programs of scripts/ once that folder holds compiled
// tools; today it has none, so the figure covers the case corpus.
import { median, type Benchmark } from './harness';
import { repoPath } from './paths';
import { loadAllCases } from '../vm/verifier/cases';
import { verify } from '../../vm/verifier/index';
import { assemble } from '../../vm/asm/assemble';
import { PT_REGS } from '../../vm/ctx/layouts';
import type { ProgramSpec } from '../../vm/program';

function timeMs(spec: ProgramSpec, limit?: number): number {
  const t0 = process.hrtime.bigint();
  verify(spec, { maxInsns: limit });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** A loop of 100 iterations whose body reads, adds and stores through the stack. */
const UNROLL100 = `
  r6 = 0
  r7 = 0
  *(u64 *)(r10 - 8) = r7
loop:
  r1 = *(u64 *)(r10 - 8)
  r1 += r6
  *(u64 *)(r10 - 8) = r1
  r6 += 1
  if r6 < 100 goto loop
  r0 = *(u64 *)(r10 - 8)
  exit
`;

export const verifierBenchmarks: Benchmark[] = [
  {
    name: 'verifier.max_ms_scripts',
    unit: 'ms',
    async run() {
      // Programs that load (accepted cases); rejected ones stop early, except the
      // budget case, reported on its own as verifier.ms_budget_1m.
      const cases = loadAllCases(repoPath('test/vm/verifier/cases'));
      const accepted = cases.filter((c) => c.expect.ok);
      for (const c of accepted) timeMs(c.spec, c.limit); // warm up
      let worst = 0;
      for (const c of accepted) worst = Math.max(worst, median([1, 2, 3].map(() => timeMs(c.spec, c.limit))));
      const budget = cases.find((c) => c.expect.message?.startsWith('BPF program is too large. Processed 1000001'));
      const out: Record<string, { value: number; unit: string }> = { 'verifier.max_ms_scripts': { value: worst, unit: 'ms' } };
      if (budget) out['verifier.ms_budget_1m'] = { value: timeMs(budget.spec), unit: 'ms' };
      return out;
    },
  },
  {
    name: 'verifier.processed_insns_unroll100',
    unit: 'insns',
    async run() {
      const spec: ProgramSpec = { name: 'unroll100', type: 'kprobe', insns: assemble(UNROLL100).insns, maps: [], ctx: PT_REGS };
      const r = verify(spec);
      if (!r.ok) throw new Error(`unroll100 rejected: ${r.error?.message}`);
      return r.stats.processed;
    },
  },
];
