// Entry point of the `bpfsim` executable: parses the command line and dispatches.
// Interactive mode (and with it Ink) is loaded only when there is a terminal to draw on.
import { parseArgs } from './cli/args';
import { helpText } from './cli/help';
import { VERSION } from '../runtime/version';

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`bpfsim: ${parsed.error}\n${helpText()}\n`);
    return 1;
  }
  const { flags } = parsed.args;
  if (flags.has('help')) {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  if (flags.has('version')) {
    process.stdout.write(`bpfsim v${VERSION}\n`);
    return 0;
  }
  process.stderr.write('bpfsim: no program given (use -e PROGRAM or a script file; --help lists the options)\n');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bpfsim: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
