// A few tracepoint record formats as ctx layouts, for `bpfvm verify --type
// tracepoint:CAT:NAME` and the verifier's tests. The tracer builds the layout of any
// tracepoint from its format in the probe catalogue; these are standalone copies of the
// x86-64 formats Linux prints in /sys/kernel/tracing/events/CAT/NAME/format.
import type { CtxField, CtxLayout } from '../program';

const COMMON: CtxField[] = [
  { name: 'common_type', offset: 0, size: 2 },
  { name: 'common_flags', offset: 2, size: 1 },
  { name: 'common_preempt_count', offset: 3, size: 1 },
  { name: 'common_pid', offset: 4, size: 4 },
];

const tp = (name: string, size: number, fields: CtxField[]): CtxLayout => ({ name: `struct trace_event_raw_${name}`, size, fields: [...COMMON, ...fields] });

export const TEST_TRACEPOINTS: Readonly<Record<string, CtxLayout>> = {
  'syscalls:sys_enter_openat': tp('sys_enter', 48, [
    { name: '__syscall_nr', offset: 8, size: 4 },
    { name: 'dfd', offset: 16, size: 8 },
    { name: 'filename', offset: 24, size: 8 },
    { name: 'flags', offset: 32, size: 8 },
    { name: 'mode', offset: 40, size: 8 },
  ]),
  'syscalls:sys_exit_read': tp('sys_exit', 24, [
    { name: '__syscall_nr', offset: 8, size: 4 },
    { name: 'ret', offset: 16, size: 8 },
  ]),
  'sched:sched_switch': tp('sched_switch', 64, [
    { name: 'prev_comm', offset: 8, size: 16 },
    { name: 'prev_pid', offset: 24, size: 4 },
    { name: 'prev_prio', offset: 28, size: 4 },
    { name: 'prev_state', offset: 32, size: 8 },
    { name: 'next_comm', offset: 40, size: 16 },
    { name: 'next_pid', offset: 56, size: 4 },
    { name: 'next_prio', offset: 60, size: 4 },
  ]),
  'sched:sched_process_exit': tp('sched_process_template', 32, [
    { name: 'comm', offset: 8, size: 16 },
    { name: 'pid', offset: 24, size: 4 },
    { name: 'prio', offset: 28, size: 4 },
  ]),
};
