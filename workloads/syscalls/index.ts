// The system call table: implementations by Linux number, assembled from the per-area
// modules by name. Every call in the syscall table has an implementation (the test suite
// checks), and unknown numbers fail with -ENOSYS in the dispatcher.
import { SYSCALL_TABLE } from '../kernel/syscall-table';
import { FS_SYSCALLS } from './sys-fs';
import { MISC_SYSCALLS } from './sys-misc';
import { MM_SYSCALLS } from './sys-mm';
import { NET_SYSCALLS } from './sys-net';
import { PROC_SYSCALLS } from './sys-proc';
import { TIME_SYSCALLS } from './sys-time';
import type { SysImpl } from './types';

const BY_NAME: Record<string, SysImpl> = { ...FS_SYSCALLS, ...PROC_SYSCALLS, ...TIME_SYSCALLS, ...MM_SYSCALLS, ...NET_SYSCALLS, ...MISC_SYSCALLS };

export const SYSCALL_IMPLS: (SysImpl | undefined)[] = [];
for (const [nr, name] of SYSCALL_TABLE) SYSCALL_IMPLS[nr] = BY_NAME[name];

/** Syscall numbers by name (`NR.openat`). */
export const NR: Readonly<Record<string, number>> = Object.fromEntries(SYSCALL_TABLE.map(([nr, name]) => [name, nr]));

/** Names of table entries without an implementation (should be none). */
export function missingSyscalls(): string[] {
  return SYSCALL_TABLE.filter(([nr]) => !SYSCALL_IMPLS[nr]).map(([, name]) => name);
}
