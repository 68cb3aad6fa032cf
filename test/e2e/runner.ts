// Runs one end-to-end case's program through the runtime session exactly as the command
// line would (compile, attach, BEGIN, the workload as fast as possible, END, the map
// dump), collecting stdout, stderr and the exit code. Programs with only BEGIN and END
// probes run on one shared session (booting a world per case would dominate the suite's
// time); every other case boots its own world with its own settings.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunSpec, runOn, runProgram } from '../../runtime/run';
import { Session } from '../../runtime/session';
import type { E2eCase } from './format';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'cases');

export interface CaseRun {
  stdout: string;
  stderr: string;
  code: number;
}

function specOf(c: E2eCase): RunSpec {
  return {
    program: { file: 'stdin', text: c.prog },
    params: c.params,
    format: c.format,
    quiet: c.flags.has('quiet'),
    warnings: c.flags.has('no-warnings') ? 0 : c.flags.has('helper-errors') ? 2 : 1,
    unsafe: c.flags.has('unsafe'),
    cmd: c.cmd,
    pid: c.pid,
    sim: { workload: c.workload, seed: c.seed ?? 1, cpus: c.cpus, durationNs: c.durationNs ?? 100e6, speed: { kind: 'max' }, jit: !c.flags.has('no-jit') },
  };
}

/** Whether a case can run on the shared session (default world and output settings). */
function sharable(c: E2eCase): boolean {
  return !c.cmd && c.pid === undefined && !c.workload && (c.seed ?? 1) === 1 && c.cpus === undefined && c.format === 'text' && !c.flags.has('quiet') && !c.flags.has('helper-errors') && !c.flags.has('no-jit');
}

let shared: { session: Session; out: (t: string) => void; err: (t: string) => void } | undefined;

function sharedSession(): NonNullable<typeof shared> {
  if (!shared) {
    const s: { out: (t: string) => void; err: (t: string) => void } = { out: () => undefined, err: () => undefined };
    const session = new Session({ sink: { out: (t) => s.out(t), err: (t) => s.err(t) }, seed: 1 });
    shared = Object.assign(s, { session });
  }
  return shared;
}

/** Runs one case's program. */
export async function runCase(c: E2eCase): Promise<CaseRun> {
  let stdout = '';
  let stderr = '';
  const io = { out: (t: string) => (stdout += t), err: (t: string) => (stderr += t), sleep: async () => undefined };
  const spec = specOf(c);
  if (sharable(c)) {
    const sh = sharedSession();
    const probe = sh.session.compile(c.prog, { params: c.params, unsafe: spec.unsafe });
    if (probe.ok && probe.compiled.script.programs.every((p) => p.role !== 'probe')) {
      sh.out = io.out;
      sh.err = io.err;
      const code = await runOn(sh.session, spec, io);
      return { stdout, stderr, code };
    }
  }
  const code = await runProgram(spec, io);
  return { stdout, stderr, code };
}
