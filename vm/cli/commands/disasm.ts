// `bpfvm disasm FILE [--plain]`: prints a program as llvm-objdump does (slot, bytes,
// pseudo-C), or the text alone with --plain; both reassemble to the same bytes. The
// programs of an ELF object print one after another, each under its name.
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
    const opts = { layout: options.has('--plain') ? ('plain' as const) : ('objdump' as const), mapNames: prog.maps.length ? prog.maps : undefined };
    if (!prog.programs) io.out(disassemble(prog.insns, opts));
    else prog.programs.forEach((p, i) => io.out(`${i ? '\n' : ''}${p.name}:\n${disassemble(p.insns, opts)}`));
    return 0;
  },
};
