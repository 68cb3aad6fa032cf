// Loads every program module (each registers its binaries' main functions) and exports
// the resolver the kernel uses at exec.
import './coreutils';
import './daemons';
import './shell';
export { resolveProgram } from './registry';
