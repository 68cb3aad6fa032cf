// Runs a program through the installed bpftrace (0.17 on the reference machine) and
// returns its stdout and stderr, minus the RLIMIT_MEMLOCK notice it prints in
// containers. Used by the capture script and by the live comparison test; the project's
// own tests never need bpftrace.
import { spawnSync } from 'node:child_process';

export interface RealRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Whether a usable bpftrace is installed and we may run it (root). */
export function bpftraceAvailable(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'bpftrace needs root';
  const r = spawnSync('bpftrace', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'bpftrace is not installed';
  return null;
}

export function bpftraceVersion(): string {
  return spawnSync('bpftrace', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

export function runBpftrace(prog: string, mode: 'text' | 'json'): RealRun {
  const args = mode === 'json' ? ['-f', 'json', '-e', prog] : ['-e', prog];
  const r = spawnSync('bpftrace', args, { encoding: 'utf8', timeout: 20_000 });
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !l.includes('RLIMIT_MEMLOCK'))
    .join('\n');
  return { stdout: r.stdout, stderr, status: r.status };
}
