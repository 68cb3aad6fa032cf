// Front-end timings: parse plus every check, median per script over the scripts of
// scripts/ (while that folder has none, over the classic tools of test/lang/corpus/),
// and over a 200-line script. Measured in-process after a warm-up run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frontEnd } from '../../lang';
import { fixtureCatalogue } from '../lang/fixtures/catalogue';
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

function timeCheck(source: string, file: string, runs: number): number {
  const catalogue = fixtureCatalogue();
  frontEnd(source, { catalogue, file });
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
      const per = benchScripts().map((f) => timeCheck(readFileSync(f, 'utf8'), f, 20));
      return median(per);
    },
  },
  {
    name: 'lang.check_ms_200_lines',
    unit: 'ms',
    async run() {
      const f = repoPath('test/lang/corpus/kitchen-sink.bt');
      return timeCheck(readFileSync(f, 'utf8'), f, 20);
    },
  },
];
