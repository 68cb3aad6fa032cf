// Entry point of the `bpfvm` executable, the standalone eBPF toolbox.
import { VERSION } from '../version';

const USAGE = `USAGE:
    bpfvm <command> [options] FILE

COMMANDS:
    --help, -h     show this help message
    --version, -V  bpfvm version
`;

function main(argv: readonly string[]): number {
  const [cmd] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === undefined) {
    process.stdout.write(USAGE);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`bpfvm v${VERSION}\n`);
    return 0;
  }
  process.stderr.write(`bpfvm: unknown command '${cmd}'\n${USAGE}`);
  return 1;
}

process.exit(main(process.argv.slice(2)));
