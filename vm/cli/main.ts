// Entry point of the `bpfvm` executable, the standalone eBPF toolbox: real process I/O
// around runCli. An unexpected internal error still ends in a one-line message.
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli } from './cli';

const io = {
  out: (t: string) => process.stdout.write(t),
  err: (t: string) => process.stderr.write(t),
  readFile: (p: string) => new Uint8Array(readFileSync(p)),
  writeFile: (p: string, d: Uint8Array) => writeFileSync(p, d),
};

// A closed pipe (`bpfvm disasm x.o | head`) ends the output quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

let status: number;
try {
  status = runCli(process.argv.slice(2), io);
} catch (e) {
  process.stderr.write(`bpfvm: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  status = 2;
}
process.exitCode = status;
