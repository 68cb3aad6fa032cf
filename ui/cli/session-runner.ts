// The runner of a build with the runtime session: a validated RunRequest becomes the
// session's RunSpec field for field; program output goes to the command line's stream
// (stdout or the -o file, opened when the first output arrives or at the end, so a
// program that does not compile leaves no file behind), messages to stderr, and Ctrl-C
// stops the run (END and the map dump follow, as in bpftrace). Loaded on demand.
import { startRun, type RunSpec } from '../../runtime/run';
import type { RunRequest } from './request';
import type { ProgramRunner } from './run';

export function runSpec(request: RunRequest): RunSpec {
  return {
    program: { file: request.program.file, text: request.program.text },
    params: request.params,
    format: request.format,
    quiet: request.quiet,
    verbose: request.verbose,
    warnings: request.warnings,
    unsafe: request.unsafe,
    dryRun: request.dryRun,
    debug: request.debug,
    pid: request.pid,
    cmd: request.cmd,
    sim: {
      workload: request.sim.workload,
      seed: request.sim.seed,
      cpus: request.sim.cpus,
      speed: request.sim.speed,
      durationNs: request.sim.durationNs,
      jit: request.sim.jit,
    },
  };
}

export const sessionRunner: ProgramRunner = {
  async run(request, ctx) {
    let failed = false;
    let opened = false;
    const open = (): boolean => {
      if (!opened) {
        opened = true;
        failed = !ctx.openOutput();
      }
      return !failed;
    };
    const handle = startRun(runSpec(request), {
      out: (text) => {
        if (open()) ctx.out.write(text);
        else handle.stop();
      },
      err: (text) => ctx.err(text),
    });
    const off = ctx.onInterrupt(() => handle.stop());
    try {
      const code = await handle.done;
      if (code === 0 && !open()) return 1;
      return failed ? 1 : code;
    } finally {
      off();
    }
  },
};
