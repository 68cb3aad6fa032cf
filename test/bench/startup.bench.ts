// Start-up time of the bpfsim executable, measured as a child process.
import { spawnSync } from 'node:child_process';
import { median, type Benchmark } from './harness';
import { repoPath } from './paths';

function wallMs(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(repoPath('bin/bpfsim'), args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`bpfsim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const startupBenchmarks: Benchmark[] = [
  {
    name: 'startup.version_ms',
    unit: 'ms',
    async run() {
      wallMs(['--version']);
      return median(Array.from({ length: 10 }, () => wallMs(['--version'])));
    },
  },
];
