// In-process harness for the command line: runs runCli over recorded I/O, a fake file
// system and a runner that records the request it gets.
import { runCli, type CliIo } from '../../ui/cli/cli';
import type { RunRequest } from '../../ui/cli/request';
import type { ProgramRunner, RunContext } from '../../ui/cli/run';
import type { Connection } from '../../ui/connect';
import type { ReplBackend } from '../../ui/repl/backend';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  requests: RunRequest[];
  files: Map<string, string>;
  repl: boolean;
}

export interface HarnessOptions {
  files?: Record<string, string>;
  stdin?: string;
  interactive?: boolean;
  session?: boolean;
  /** What the recording runner does with its context (default: print the program, return 0). */
  run?: (request: RunRequest, ctx: RunContext) => Promise<number>;
  /** A real runner to hand the request to after recording it. */
  runner?: ProgramRunner;
  /** Paths that cannot be opened for writing. */
  unwritable?: string[];
  repl?: boolean;
}

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

export async function cli(argv: string[], opts: HarnessOptions = {}): Promise<CliRun> {
  const files = new Map(Object.entries(opts.files ?? {}));
  const result: CliRun = { code: -1, stdout: '', stderr: '', requests: [], files, repl: false };
  const runner: ProgramRunner = {
    async run(request, ctx) {
      result.requests.push(request);
      if (opts.runner) return opts.runner.run(request, ctx);
      if (opts.run) return opts.run(request, ctx);
      if (!ctx.openOutput()) return 1;
      ctx.out.write(`ran ${request.program.text}\n`);
      return 0;
    },
  };
  const conn: Connection = {
    caps: { session: opts.session ?? true },
    runner: async () => runner,
    replBackend: async () => (opts.repl === false ? undefined : { backend: {} as ReplBackend, banner: '' }),
  };
  const io: CliIo = {
    interactive: opts.interactive ?? false,
    readFile(path) {
      const f = files.get(path);
      if (f === undefined) throw enoent(path);
      return f;
    },
    readStdin: async () => opts.stdin ?? '',
    exists: (p) => files.has(p),
    stdout: (t) => void (result.stdout += t),
    stderr: (t) => void (result.stderr += t),
    openFile(path) {
      if (opts.unwritable?.includes(path)) throw enoent(path);
      files.set(path, '');
      return { write: (t) => void files.set(path, files.get(path) + t), close: () => undefined };
    },
    onInterrupt: () => () => undefined,
    async startRepl() {
      result.repl = true;
      return 0;
    },
  };
  result.code = await runCli(argv, io, conn);
  return result;
}
