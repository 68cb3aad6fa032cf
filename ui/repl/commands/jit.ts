// `.jit`: the WebAssembly the JIT produced for the last program, as wasm text.
import { stageCommand } from './stage';

export const jitCommand = stageCommand('jit', "the last program's JIT output (wasm text)");
