// The command line from argv to exit code, over injectable I/O: parse (getopt errors
// print `bpfsim: ...` and the usage), validate (`ERROR: ...`), then help, version, info,
// listing, a program run through the connected runner, or the REPL. Heavy parts (the
// probe catalogue, the compiler, Ink) load only on the paths that need them.
import { VERSION } from '../../runtime/version';
import type { Connection } from '../connect';
import { parseArgs } from './args';
import { helpText } from './help';
import { runRequest, type RunIo } from './run';
import { errnoText, validate, type ValidateIo } from './validate';

export interface CliIo extends ValidateIo, RunIo {
  /** Starts the REPL (loads Ink) and resolves with its exit code. */
  startRepl(backend: import('../repl/backend').ReplBackend, banner: string): Promise<number>;
}

export async function runCli(argv: readonly string[], io: CliIo, conn: Connection): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`bpfsim: ${parsed.error}\n${helpText(conn.caps)}\n`);
    return 1;
  }
  const v = await validate(argv, parsed.args, io);
  if (!v.ok) {
    const e = v.error;
    switch (e.style) {
      case 'error':
        io.stderr(`ERROR: ${e.message}\n`);
        break;
      case 'usage-only':
        break;
      default: {
        const never: never = e.style;
        return never;
      }
    }
    if (e.usage) io.stderr(helpText(conn.caps) + '\n');
    return e.code;
  }
  const command = v.command;
  switch (command.kind) {
    case 'help':
      io.stdout(helpText(conn.caps) + '\n');
      return 0;
    case 'version':
      io.stdout(`bpfsim v${VERSION}\n`);
      return 0;
    case 'info': {
      const { infoText } = await import('./info');
      io.stdout(infoText());
      return 0;
    }
    case 'list': {
      const { listProgram, listSearch } = await import('../../runtime/listing');
      const r = command.program ? listProgram(command.program, command.verbose) : listSearch(command.search, command.verbose);
      io.stdout(r.stdout);
      io.stderr(r.stderr);
      return r.code;
    }
    case 'run':
      return runRequest(command.request, await conn.runner(), io, errnoText);
    case 'repl': {
      const repl = await conn.replBackend(command);
      if (!repl) {
        // Without a REPL, no program on a terminal is what it is in bpftrace: a usage error.
        io.stderr(helpText(conn.caps) + '\n');
        return 1;
      }
      return io.startRepl(repl.backend, repl.banner);
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}
