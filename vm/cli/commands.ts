// The bpfvm commands, one file each; a new command registers with one line here.
import type { Command } from './command';
import { asmCommand } from './commands/asm';
import { disasmCommand } from './commands/disasm';
import { runCommand } from './commands/run';
import { verifyCommand } from './commands/verify';

export const COMMANDS: Command[] = [asmCommand, disasmCommand, runCommand, verifyCommand];
