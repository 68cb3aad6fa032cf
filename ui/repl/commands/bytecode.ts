// `.bytecode`: the last program's eBPF bytecode, disassembled with its source lines.
import { stageCommand } from './stage';

export const bytecodeCommand = stageCommand('bytecode', "the last program's bytecode with its source lines");
