// The runner of a build without the runtime session: it runs the language front end (so
// a program gets bpftrace's diagnostics and `-d ast` / `-d types` print), then stops with
// a clear error, because nothing can load or run the program. Loaded on demand.
import { catalogue } from '../../probes/catalogue';
import { frontEnd, PASS_NAMES } from '../../lang/index';
import type { ProgramRunner } from './run';

export const checkOnlyRunner: ProgramRunner = {
  async run(request, ctx) {
    const last = PASS_NAMES[PASS_NAMES.length - 1];
    const r = frontEnd(request.program.text, {
      catalogue: catalogue(),
      file: request.program.file,
      params: request.params,
      unsafe: request.unsafe,
      hasChild: request.cmd !== undefined,
      dumpAfter: request.debug.includes('ast') || request.debug.includes('types') ? last : undefined,
      dumpTypes: request.debug.includes('types'),
    });
    if (!r.ok) {
      ctx.err(r.rendered);
      return 1;
    }
    if (r.rendered !== '' && request.warnings > 0) ctx.err(r.rendered);
    if (r.dump !== undefined) ctx.err(`AST after: ${last}\n-------------------\n${r.dump.replace(/\n*$/, '\n')}\n`);
    ctx.err('ERROR: this build has no runtime session: the program was checked but cannot be loaded or run\n');
    return 1;
  },
};
