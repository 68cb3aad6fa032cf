// The execution engines, in order of preference: the first is the default of `bpfvm run`
// (`--no-jit` picks the interpreter), and the conformance suite runs on every one of
// them. Another engine registers with one line here.
import { interpreterEngine, type Engine } from './loader';
import { jitEngine } from './jit/engine';

export const ENGINES: Engine[] = [jitEngine, interpreterEngine];
