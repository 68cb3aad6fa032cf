// The bpfvm version, taken from package.json at build time (vm/ stands alone, so it does
// not borrow the tracer's version module).
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
