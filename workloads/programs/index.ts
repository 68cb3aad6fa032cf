// Loads every program module (each registers its binaries' main functions) and exports
// the resolver the kernel uses at exec.
import './apps';
import './build';
import './containers';
import './coreutils';
import './daemons';
import './nginx';
import './postgres';
import './proctools';
import './shell';
import './tools';
export { resolveProgram } from './registry';
