// The kernel's BTF-like type table, built once from the declaration files. Everything
// that needs kernel struct layouts (the compiler through the catalogue, the kernel code
// that writes objects, listing) reads this one table.
import { TypeBuilder } from './layout';
import { BASE_TYPES } from './types-base';
import { FS_TYPES } from './types-fs';
import { NET_TYPES } from './types-net';
import { TASK_TYPES } from './types-task';

let table: TypeBuilder | undefined;

/** The kernel type table (built on first use). */
export function kernelTypes(): TypeBuilder {
  if (!table) table = new TypeBuilder().add(BASE_TYPES).add(TASK_TYPES).add(FS_TYPES).add(NET_TYPES).finish();
  return table;
}
