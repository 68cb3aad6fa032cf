// The system call table: implementations by Linux number, assembled from the per-area
// modules by name. Every implemented call has one (the test suite checks); the other known
// calls succeed without doing anything, and unknown numbers fail with -ENOSYS in the
// dispatcher.
import { IMPLEMENTED_SYSCALLS, SYSCALL_TABLE } from '../kernel/syscall-table';
import { FS_SYSCALLS } from './sys-fs';
import { MISC_SYSCALLS } from './sys-misc';
import { MM_SYSCALLS } from './sys-mm';
import { NET_SYSCALLS } from './sys-net';
import { PROC_SYSCALLS } from './sys-proc';
import { TIME_SYSCALLS } from './sys-time';
import type { SysImpl } from './types';

const BY_NAME: Record<string, SysImpl> = { ...FS_SYSCALLS, ...PROC_SYSCALLS, ...TIME_SYSCALLS, ...MM_SYSCALLS, ...NET_SYSCALLS, ...MISC_SYSCALLS };

export const SYSCALL_IMPLS: (SysImpl | undefined)[] = [];
const ACCEPTED: SysImpl = (k, t) => {
  k.cost(t, 400);
  return 0;
};
for (const [nr, name] of SYSCALL_TABLE) SYSCALL_IMPLS[nr] = BY_NAME[name];
for (const [nr] of SYSCALL_TABLE) SYSCALL_IMPLS[nr] ??= ACCEPTED;

/** Syscall numbers by name (`NR.openat`). */
export const NR: Readonly<Record<string, number>> = Object.fromEntries(SYSCALL_TABLE.map(([nr, name]) => [name, nr]));

/** Names of calls meant to be implemented that have no implementation (should be none). */
export function missingSyscalls(): string[] {
  return IMPLEMENTED_SYSCALLS.filter(([, name]) => !BY_NAME[name]).map(([, name]) => name);
}
