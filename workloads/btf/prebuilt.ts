// The tables the bundle carries precomputed, so that a run does not parse the kernel's C
// declarations and prototypes at start-up: the type table, the traceable functions, the
// kallsyms order and the declarations the other static tables parse. Undefined when
// running from source (see prebuilt-data.ts); how the snapshot is made is in snapshot.ts.
import type { KFuncInfo } from '../kernel/kfuncs';
import type { Decl, Prototype } from './cparse';
import type { TypeTableSnapshot } from './layout';
import { PREBUILT_JSON } from './prebuilt-data';

export interface TablesSnapshot {
  types: TypeTableSnapshot;
  kfuncs: KFuncInfo[];
  /** kallsyms in address order: name and size (addresses follow from the sizes). */
  ksyms: [string, number][];
  /** Declarations and prototypes the static tables parse (tracepoint fields, user symbols), by text. */
  decls: [string, Decl][];
  protos: [string, Prototype][];
}

let parsed: TablesSnapshot | undefined;

/** The precomputed tables, or undefined when the tables are to be built from source. */
export function prebuiltTables(): TablesSnapshot | undefined {
  if (PREBUILT_JSON === undefined) return undefined;
  parsed ??= JSON.parse(PREBUILT_JSON) as TablesSnapshot;
  return parsed;
}
