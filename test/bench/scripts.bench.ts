// The tool library's cost: each tool of scripts/ runs the example its header names
// (workload, seed, duration; the world as fast as possible, the JIT), and the wall time
// is measured: the total over all tools, the slowest, and the median speed of simulated
// time against wall time.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { median, type Benchmark, type Figure } from './harness';
import { repoPath } from './paths';
import { parseHeader } from '../scripts/header';
import { runProgram } from '../../runtime/run';

async function exampleRuns(): Promise<Record<string, Figure>> {
  const dir = repoPath('scripts');
  const tools = readdirSync(dir).filter((f) => f.endsWith('.bt')).sort();
  const quiet = { out: (): void => undefined, err: (): void => undefined, sleep: async (): Promise<void> => undefined };
  const ms: number[] = [];
  const speed: number[] = [];
  for (const f of tools) {
    const name = f.slice(0, -3);
    const text = readFileSync(join(dir, f), 'utf8');
    const h = parseHeader(name, text);
    const t0 = process.hrtime.bigint();
    await runProgram({ program: { file: `scripts/${f}`, text }, quiet: true, sim: { ...h.run, speed: { kind: 'max' }, jit: true } }, quiet);
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    ms.push(wall);
    speed.push(h.run.durationNs / 1e6 / wall);
  }
  return {
    'scripts.example_ms_total': { value: ms.reduce((a, b) => a + b, 0), unit: `ms (${tools.length} tools)` },
    'scripts.example_ms_max': { value: Math.max(...ms), unit: 'ms' },
    'scripts.sim_speed_median': { value: median(speed), unit: 'simulated s per wall s' },
  };
}

export const scriptsBenchmarks: Benchmark[] = [
  {
    name: 'scripts.example_ms_total',
    unit: 'ms',
    async run() {
      return exampleRuns();
    },
  },
];
