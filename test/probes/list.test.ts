import { describe, expect, it } from 'vitest';
import { listProbes } from '../../probes/list';

// `-l PATTERN` / `-lv PATTERN` outputs in bpftrace's format.
const CASES: [pattern: string, verbose: boolean, expected: string][] = [
  [
    'tracepoint:syscalls:sys_enter_openat',
    true,
    `tracepoint:syscalls:sys_enter_openat
    int __syscall_nr
    int dfd
    const char * filename
    int flags
    umode_t mode`,
  ],
  ['kprobe:vfs_rea*', false, 'kprobe:vfs_read\nkprobe:vfs_readv'],
  ['kprobe:vfs_read', true, 'kprobe:vfs_read\n    struct file * arg0\n    char * arg1\n    size_t arg2\n    loff_t * arg3'],
  ['kretprobe:vfs_read', true, 'kretprobe:vfs_read\n    ssize_t retval'],
  ['kretprobe:schedule', true, 'kretprobe:schedule\n    void'],
  ['t:sched:sched_process_e*', false, 'tracepoint:sched:sched_process_exec\ntracepoint:sched:sched_process_exit'],
  ['tracepoint:raw_syscalls:*', true, 'tracepoint:raw_syscalls:sys_enter\n    long id\n    unsigned long args[6]\ntracepoint:raw_syscalls:sys_exit\n    long id\n    long ret'],
  ['uprobe:/bin/bash:readline', true, 'uprobe:/bin/bash:readline\n    const char * prompt'],
  ['uretprobe:/bin/bash:readline', true, 'uretprobe:/bin/bash:readline'],
  ['software:*faults', false, 'software:alignment-faults:\nsoftware:emulation-faults:\nsoftware:faults:\nsoftware:major-faults:\nsoftware:minor-faults:\nsoftware:page-faults:'],
  ['software:cpu*', false, 'software:cpu-clock:\nsoftware:cpu-migrations:\nsoftware:cpu:'],
  ['hardware:cpu*', false, 'hardware:cpu-cycles:'],
  ['interval:*', false, 'interval:hz:\ninterval:ms:\ninterval:s:\ninterval:us:'],
  [
    '*nanosleep',
    false,
    'kprobe:__x64_sys_clock_nanosleep\nkprobe:__x64_sys_nanosleep\nkprobe:do_nanosleep\nkprobe:hrtimer_nanosleep\n' +
      'tracepoint:syscalls:sys_enter_clock_nanosleep\ntracepoint:syscalls:sys_enter_nanosleep\ntracepoint:syscalls:sys_exit_clock_nanosleep\ntracepoint:syscalls:sys_exit_nanosleep',
  ],
  ['*:tcp_set_state', false, 'kprobe:tcp_set_state'],
];

describe('probe listing', () => {
  it.each(CASES)('-l %s (verbose %s)', (pattern, verbose, expected) => {
    const r = listProbes(pattern, verbose);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.lines.join('\n')).toBe(expected);
  });

  it('lists every kernel probe kind without a pattern, kinds in alphabetical order', () => {
    const r = listProbes(undefined);
    if (!r.ok) throw new Error(r.error);
    const kinds = [...new Set(r.lines.map((l) => l.split(':')[0]))];
    expect(kinds).toEqual(['hardware', 'kprobe', 'software', 'tracepoint']);
    expect(r.lines).toContain('kprobe:vfs_read');
    expect(r.lines).toContain('tracepoint:sched:sched_switch');
  });

  it('rejects an unknown provider', () => {
    expect(listProbes('nope:foo')).toEqual({ ok: false, error: 'Invalid probe type: nope' });
  });
});
