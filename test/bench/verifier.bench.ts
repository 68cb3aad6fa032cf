// Verifier figures: the slowest verification of a loadable program, the time to walk a
// program to the 1,000,000-instruction budget, and the processed-instruction count of a
// 100-iteration bounded loop. The programs are the compiled .bt tools of scripts/ (while
// that folder has none, the language corpus test/lang/corpus with its one-liners) and the
// verifier's accepted cases (test/vm/verifier/cases).
import { median, type Benchmark } from './harness';
import { repoPath } from './paths';
import { loadAllCases } from '../vm/verifier/cases';
import { verify } from '../../vm/verifier/index';
import { assemble } from '../../vm/asm/assemble';
import { PT_REGS } from '../../vm/ctx/layouts';
import type { ProgramSpec } from '../../vm/program';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { frontEnd } from '../../lang';
import { lower } from '../../lang/lower';
import { catalogue } from '../../probes/catalogue';

/** Programs compiled from scripts/*.bt, or from the language corpus while scripts/ has none. */
function compiledScripts(): ProgramSpec[] {
  const scripts = repoPath('scripts');
  const useScripts = existsSync(scripts) && readdirSync(scripts).some((f) => f.endsWith('.bt'));
  const dir = useScripts ? scripts : repoPath('test/lang/corpus');
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  const oneLiners = join(dir, 'one-liners.txt');
  if (!useScripts && existsSync(oneLiners)) {
    readFileSync(oneLiners, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .forEach((l, i) => texts.push({ name: `one-liner ${i + 1}`, text: l }));
  }
  const cat = catalogue();
  const out: ProgramSpec[] = [];
  for (const t of texts) {
    const fe = frontEnd(t.text, { catalogue: cat, file: t.name, params: ['1'] });
    if (!fe.ok) continue;
    const r = lower(fe, { catalogue: cat });
    if (r.ok) out.push(...r.script.programs.map((p) => p.spec));
  }
  return out;
}

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
      const accepted: { spec: ProgramSpec; limit?: number }[] = [...compiledScripts().map((spec) => ({ spec })), ...cases.filter((c) => c.expect.ok)];
      for (const c of accepted) timeMs(c.spec, c.limit); // warm up
      let worst = 0;
      for (const c of accepted) worst = Math.max(worst, median([1, 2, 3].map(() => timeMs(c.spec, c.limit))));
      const budget = cases.find((c) => c.expect.message?.startsWith('BPF program is too large. Processed 1000001'));
      const out: Record<string, { value: number; unit: string }> = {
        'verifier.max_ms_scripts': { value: worst, unit: 'ms' },
        'verifier.programs_measured': { value: accepted.length, unit: 'programs' },
      };
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
