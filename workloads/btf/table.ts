// The kernel's BTF-like type table, built once from the declaration files. Everything
// that needs kernel struct layouts (the compiler through the catalogue, the kernel code
// that writes objects, listing) reads this one table. The bundle carries it precomputed
// (prebuilt.ts), so that start-up does not parse the declarations.
import { TypeBuilder } from './layout';
import { prebuiltTables } from './prebuilt';
import { BASE_TYPES } from './types-base';
import { FS_TYPES } from './types-fs';
import { NET_TYPES } from './types-net';
import { TASK_TYPES } from './types-task';

let table: TypeBuilder | undefined;

/** The type table parsed and laid out from the declaration files. */
export function kernelTypesFromSource(): TypeBuilder {
  return new TypeBuilder().add(BASE_TYPES).add(TASK_TYPES).add(FS_TYPES).add(NET_TYPES).finish();
}

/** The kernel type table (built on first use, from the bundle's snapshot when it has one). */
export function kernelTypes(): TypeBuilder {
  if (!table) {
    const pre = prebuiltTables();
    table = pre ? TypeBuilder.fromSnapshot(pre.types) : kernelTypesFromSource();
  }
  return table;
}
