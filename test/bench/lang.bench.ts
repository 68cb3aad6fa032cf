// Front-end timings: parse plus every check, median per script over the scripts of
// scripts/ against the simulated kernel's probe catalogue (while that folder has none,
// over the classic tools of test/lang/corpus/), and over a 200-line script of the corpus
// against the fixture catalogue it is written for. Measured in-process after a warm-up
// run; every check must come out clean (a script with errors would measure less work).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frontEnd } from '../../lang';
import { fixtureCatalogue } from '../lang/fixtures/catalogue';
import { catalogue as kernelCatalogue } from '../../probes/catalogue';
import { median, type Benchmark } from './harness';
import { repoPath } from './paths';

function btFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((f) => join(dir, f));
}

/** The scripts measured: scripts/*.bt, or the corpus while scripts/ is empty. */
export function benchScripts(): string[] {
  const scripts = btFiles(repoPath('scripts'));
  return scripts.length ? scripts : btFiles(repoPath('test/lang/corpus'));
}

type Catalogue = Parameters<typeof frontEnd>[1]['catalogue'];

function timeCheck(source: string, file: string, runs: number, catalogue: Catalogue): number {
  const first = frontEnd(source, { catalogue, file });
  if (!first.ok) throw new Error(`${file} does not check:\n${first.rendered}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    frontEnd(source, { catalogue, file });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

export const langBenchmarks: Benchmark[] = [
  {
    name: 'lang.check_ms_median_scripts',
    unit: 'ms',
    async run() {
      const scripts = benchScripts();
      const catalogue = scripts[0]?.includes('/scripts/') ? kernelCatalogue() : fixtureCatalogue();
      const per = scripts.map((f) => timeCheck(readFileSync(f, 'utf8'), f, 20, catalogue));
      return median(per);
    },
  },
  {
    name: 'lang.check_ms_200_lines',
    unit: 'ms',
    async run() {
      const f = repoPath('test/lang/corpus/kitchen-sink.bt');
      return timeCheck(readFileSync(f, 'utf8'), f, 20, fixtureCatalogue());
    },
  },
];
