// `bpfvm asm FILE [-o OUT]`: assembles text (either syntax) to bytecode; writes the raw
// bytes to OUT, or prints them as hex, one instruction slot per line.
import { encode } from '../../isa/insn';
import { parseArgs, CliError, type Command } from '../command';
import { readProgramFile } from '../input';

export const asmCommand: Command = {
  name: 'asm',
  summary: 'assemble a program to bytecode',
  usage: 'asm FILE [-o OUT]',
  run(args, io) {
    const { positional, options } = parseArgs(args, ['-o'], []);
    if (positional.length !== 1) throw new CliError('asm takes one FILE');
    const prog = readProgramFile(positional[0], io.readFile);
    const bytes = encode(prog.insns);
    const out = options.get('-o');
    if (out !== undefined) io.writeFile(out, bytes);
    else {
      for (let i = 0; i < bytes.length; i += 8) io.out(Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16).padStart(2, '0')).join(' ') + '\n');
    }
    return 0;
  },
};
