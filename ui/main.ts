// Entry point of the `bpfsim` executable: the command line (cli/cli.ts) over the real
// process. Ink is imported only when the REPL starts. A closed pipe ends output quietly;
// an unexpected internal error ends in a one-line message, never a stack trace.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { runCli, type CliIo } from './cli/cli';
import { connect } from './connect';

/**
 * The launcher's ES module loader (bin/bpfsim compiles the CommonJS bundle as a function
 * that receives it): code compiled with a V8 code cache cannot call import() itself.
 * Undefined when this module runs any other way.
 */
declare const __bpfsimImport: ((bundle: string) => Promise<unknown>) | undefined;

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const io: CliIo = {
  // isatty rather than process.stdin.isTTY: a run that never reads stdin need not make its stream.
  interactive: isatty(0) && isatty(1),
  readFile: (p) => readFileSync(p, 'utf8'),
  readStdin,
  exists: (p) => existsSync(p),
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  openFile(path) {
    const fd = openSync(path, 'w');
    return { write: (t) => void writeSync(fd, t), close: () => closeSync(fd) };
  },
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  async startRepl(backend, banner) {
    // Ink renders nothing but the final frame when it believes it runs under CI (it reads
    // CI and CONTINUOUS_INTEGRATION once, when it loads). The REPL starts only on an
    // interactive terminal, so a CI variable inherited from the environment must not
    // blank its screen.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    const { startRepl } = typeof __bpfsimImport === 'function' ? ((await __bpfsimImport('repl.mjs')) as typeof import('./repl/start')) : await import('./repl/start');
    return startRepl(backend, banner);
  },
};

runCli(process.argv.slice(2), io, connect(process.env)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bpfsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
