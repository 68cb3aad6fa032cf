// What the command line and the REPL may know of the layers below the session, in one
// place (ui/ talks only to runtime/): the language's builtin and function tables and
// fragment parser (REPL completion and entry classification), the probe catalogue's
// listing, the workloads, and the VM's engines, helpers and map types (`--info`).
export { BUILTINS, FUNCTIONS, functionSig, parseFragment } from '../lang/index';
export { listProbes, providerNames } from '../probes/list';
export { PROBE_KINDS } from '../probes/kinds';
export { listWorkloads } from '../workloads/system';
export { ENGINES } from '../vm/engines';
export { HELPERS } from '../vm/helpers/protos';
export { MAP_TYPE_NAMES } from '../vm/maps/types';
