// The tables the bundle carries precomputed, so that a run does not parse the kernel's C
// declarations and prototypes at start-up: the type table, the traceable functions and
// the kallsyms order. Undefined when running from source (see prebuilt-data.ts); the
// snapshot's shape and how it is made are in snapshot.ts.
import type { KFuncInfo } from '../kernel/kfuncs';
import type { TypeTableSnapshot } from './layout';
import { PREBUILT_JSON } from './prebuilt-data';

export interface TablesSnapshot {
  types: TypeTableSnapshot;
  kfuncs: KFuncInfo[];
  /** kallsyms in address order: name and size (addresses follow from the sizes). */
  ksyms: [string, number][];
}

let parsed: TablesSnapshot | undefined;

/** The precomputed tables, or undefined when the tables are to be built from source. */
export function prebuiltTables(): TablesSnapshot | undefined {
  if (PREBUILT_JSON === undefined) return undefined;
  parsed ??= JSON.parse(PREBUILT_JSON) as TablesSnapshot;
  return parsed;
}
