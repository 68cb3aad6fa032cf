// The bpfvm command dispatcher, separate from the process entry (main.ts) so that tests
// call it with their own I/O: help, version, and the command table.
import { VERSION } from '../version';
import { COMMANDS } from './commands';
import { CliError, type CliIo } from './command';

export function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'USAGE:',
    ...COMMANDS.map((c) => `    bpfvm ${c.usage}`),
    '',
    'COMMANDS:',
    ...COMMANDS.map((c) => `    ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'FILE is assembler text (pseudo-C or conformance syntax), raw bytecode (binary or hex',
    'text), a bpf_conformance .data file or an ELF object from clang -target bpf.',
    '',
    'OPTIONS:',
    '    --help, -h     show this help message',
    '    --version, -V  bpfvm version',
    '',
  ].join('\n');
}

export function runCli(argv: readonly string[], io: CliIo): number {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === undefined) {
    (cmd === undefined ? io.err : io.out)(usage());
    return cmd === undefined ? 1 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.out(`bpfvm v${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (!command) {
    io.err(`bpfvm: unknown command '${cmd}'\n${usage()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`USAGE:\n    bpfvm ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`bpfvm: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
