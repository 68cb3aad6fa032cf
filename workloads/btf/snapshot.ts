// Makes the snapshot of the kernel's static tables that the bundle carries (prebuilt.ts):
// the type table, the traceable functions, kallsyms, and the declarations the tracepoint
// formats and the user binaries' symbols parse, all built from source. build.mjs runs
// this at build time; the tests check that the tables rebuilt from it equal the ones
// built from the declarations.
import { kallsymsFromSource, kernelFuncsFromSource } from '../kernel/kfuncs';
import { tracepoints } from '../kernel/tracepoints';
import { binaries } from '../user/binaries';
import { parsedTexts } from './cparse';
import { type TablesSnapshot, poolTables } from './prebuilt';
import { kernelTypesFromSource } from './table';

/** The tables built from source, as plain data. */
export function tablesSnapshot(): TablesSnapshot {
  const types = kernelTypesFromSource();
  // The other static tables' declarations, parsed before the traceable functions' (which
  // the snapshot carries whole).
  // Tracepoint records and user symbols' prototypes are parsed when first read.
  for (const t of tracepoints()) void t.fields;
  for (const b of binaries()) for (const sym of b.symbols) void sym.args;
  const { decls, protos } = parsedTexts();
  const kfuncs = kernelFuncsFromSource(types);
  const ksyms = kallsymsFromSource(kfuncs).map((s): [string, number] => [s.name, s.size]);
  return { types: types.snapshot(), kfuncs, ksyms, decls, protos };
}

/** The snapshot as the JSON text the bundle embeds (its types pooled, see prebuilt.ts). */
export function tablesSnapshotJson(): string {
  return JSON.stringify(poolTables(tablesSnapshot()));
}
