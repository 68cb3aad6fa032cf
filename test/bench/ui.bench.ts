// Start-up of a one-shot run of the bpfsim executable, as a child process:
// `startup.begin_exit_ms` is the median wall time of
// `bpfsim -e 'BEGIN { printf("hi\n"); exit(); }'` (goal < 150 ms; bpftrace 0.17 takes
// about 250 ms here). It records nothing, and says why, when the program does not run
// to its end with `hi` on stdout (a build without the runtime session).
import { spawnSync } from 'node:child_process';
import { median, type Benchmark, type Figure } from './harness';
import { repoPath } from './paths';

const PROGRAM = 'BEGIN { printf("hi\\n"); exit(); }';

function once(): { ms: number; ok: boolean; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(repoPath('bin/bpfsim'), ['-e', PROGRAM], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, ok: r.status === 0 && r.stdout.startsWith('hi\n'), stderr: r.stderr };
}

export const uiBenchmarks: Benchmark[] = [
  {
    name: 'startup.begin_exit_ms',
    unit: 'ms',
    async run(): Promise<Record<string, Figure>> {
      const warm = once();
      if (!warm.ok) {
        process.stderr.write(`startup.begin_exit_ms: not measured, the program did not run: ${warm.stderr.trim().split('\n').pop()}\n`);
        return {};
      }
      const samples = Array.from({ length: 15 }, () => once());
      return { 'startup.begin_exit_ms': { value: median(samples.map((s) => s.ms)), unit: 'ms' } };
    },
  },
];
