// Makes the snapshot of the kernel's static tables that the bundle carries (prebuilt.ts):
// the type table, the traceable functions and kallsyms, built from source. build.mjs runs
// this at build time; the tests check that the tables rebuilt from it equal the ones
// built from the declarations.
import { type KFuncInfo, kallsymsFromSource, kernelFuncsFromSource } from '../kernel/kfuncs';
import { TypeBuilder } from './layout';
import type { TablesSnapshot } from './prebuilt';
import { kernelTypesFromSource } from './table';

/** The tables built from source, as plain data. */
export function tablesSnapshot(): TablesSnapshot {
  const types = kernelTypesFromSource();
  const kfuncs: KFuncInfo[] = kernelFuncsFromSource(types);
  const ksyms = kallsymsFromSource(kfuncs).map((s): [string, number] => [s.name, s.size]);
  return { types: types.snapshot(), kfuncs, ksyms };
}

/** The snapshot as the JSON text the bundle embeds. */
export function tablesSnapshotJson(): string {
  return JSON.stringify(tablesSnapshot());
}

/** A type table rebuilt from a snapshot (for checking a snapshot against its source). */
export function typesFromSnapshot(s: TablesSnapshot): TypeBuilder {
  return TypeBuilder.fromSnapshot(s.types);
}
