// The runner of a build without the runtime session: it compiles the program as a run
// would (front end, lowering, verifier; failures rendered as bpftrace prints them),
// prints the `-d` stages, and ends there with success for `--dry-run` or `-d`. A real run
// stops with a clear error, because nothing can load the program into a machine.
// Loaded on demand.
import { catalogue } from '../../probes/catalogue';
import { compileScript } from '../../runtime/compile';
import { stageText } from '../../runtime/stages';
import type { ProgramRunner } from './run';

export const checkOnlyRunner: ProgramRunner = {
  async run(request, ctx) {
    const cat = catalogue();
    const r = compileScript(request.program.text, {
      catalogue: cat,
      file: request.program.file,
      params: request.params,
      unsafe: request.unsafe,
      hasChild: request.cmd !== undefined,
      helperErrors: request.warnings === 2,
    });
    if (!r.ok) {
      ctx.err(r.rendered);
      return 1;
    }
    if (request.warnings > 0 && r.compiled.warnings) ctx.err(r.compiled.warnings);
    if (request.debug.length > 0 || request.dryRun) {
      if (!ctx.openOutput()) return 1;
      for (const stage of request.debug) ctx.out.write(stageText(stage, r.compiled, cat));
      return 0;
    }
    ctx.err('ERROR: this build has no runtime session: the program compiled and verified, but nothing can run it (--dry-run and -d STAGE work)\n');
    return 1;
  },
};
