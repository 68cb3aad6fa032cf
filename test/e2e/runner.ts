// Runs one end-to-end case's program through the runtime session exactly as the command
// line would (compile, attach, BEGIN, the workload as fast as possible, END, the map
// dump), collecting stdout, stderr and the exit code.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../../runtime/run';
import type { E2eCase } from './format';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'cases');

export interface CaseRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs one case's program. */
export async function runCase(c: E2eCase): Promise<CaseRun> {
  let stdout = '';
  let stderr = '';
  const code = await runProgram(
    {
      program: { file: 'stdin', text: c.prog },
      params: c.params,
      format: c.format,
      quiet: c.flags.has('quiet'),
      warnings: c.flags.has('no-warnings') ? 0 : c.flags.has('helper-errors') ? 2 : 1,
      unsafe: c.flags.has('unsafe'),
      cmd: c.cmd,
      pid: c.pid,
      sim: { workload: c.workload, seed: c.seed ?? 1, cpus: c.cpus, durationNs: c.durationNs ?? 100e6, speed: { kind: 'max' }, jit: !c.flags.has('no-jit') },
    },
    { out: (t) => (stdout += t), err: (t) => (stderr += t), sleep: async () => undefined },
  );
  return { stdout, stderr, code };
}
