// The engines `bpfvm run` can use, in order of preference; the first is the default and
// `--no-jit` picks the interpreter. Another engine registers with one line here.
import { interpreterEngine, type Engine } from '../loader';

export const ENGINES: Engine[] = [interpreterEngine];
