// Runs a tool of scripts/ in process, as `bpfsim --workload W --seed N --duration T
// scripts/NAME.bt` would on a pipe (the world as fast as possible, the JIT), collecting
// stdout, stderr and the exit code.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../../runtime/run';
import type { ExampleRun } from './header';

export const SCRIPTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts');

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number;
}

export function toolSource(name: string): string {
  return readFileSync(join(SCRIPTS_DIR, `${name}.bt`), 'utf8');
}

export async function runTool(name: string, run: ExampleRun): Promise<ToolRun> {
  let stdout = '';
  let stderr = '';
  const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t), sleep: async () => undefined };
  const code = await runProgram(
    {
      program: { file: `scripts/${name}.bt`, text: toolSource(name) },
      sim: { workload: run.workload, seed: run.seed, cpus: run.cpus, durationNs: run.durationNs, speed: { kind: 'max' }, jit: true },
    },
    io,
  );
  return { stdout, stderr, code };
}
