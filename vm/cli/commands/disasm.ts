// `bpfvm disasm FILE [--plain]`: prints a program as llvm-objdump does (slot, bytes,
// pseudo-C), or the text alone with --plain; both reassemble to the same bytes.
import { disassemble } from '../../asm/disassemble';
import { parseArgs, CliError, type Command } from '../command';
import { readProgramFile } from '../input';

export const disasmCommand: Command = {
  name: 'disasm',
  summary: 'print a program as pseudo-C assembly',
  usage: 'disasm FILE [--plain]',
  run(args, io) {
    const { positional, options } = parseArgs(args, [], ['--plain']);
    if (positional.length !== 1) throw new CliError('disasm takes one FILE');
    const prog = readProgramFile(positional[0], io.readFile);
    io.out(disassemble(prog.insns, { layout: options.has('--plain') ? 'plain' : 'objdump', mapNames: prog.maps.length ? prog.maps : undefined }));
    return 0;
  },
};
