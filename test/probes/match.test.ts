import { describe, expect, it } from 'vitest';
import { expandProbeText } from '../../probes/match';

const OK: [text: string, first: string, count: number | '>'][] = [
  ['kprobe:vfs_read', 'kprobe:vfs_read', 1],
  ['k:vfs_read', 'kprobe:vfs_read', 1],
  ['kprobe:vmlinux:vfs_read', 'kprobe:vfs_read', 1],
  ['kr:tcp_*', 'kretprobe:tcp_cleanup_rbuf', '>'],
  ['tracepoint:syscalls:sys_enter_*', 'tracepoint:syscalls:sys_enter_accept', '>'],
  ['t:block:block_rq_complete', 'tracepoint:block:block_rq_complete', 1],
  ['uprobe:/bin/bash:readline', 'uprobe:/bin/bash:readline', 1],
  ['uprobe:/usr/bin/bash:readline', 'uprobe:/bin/bash:readline', 1],
  ['u:libc:malloc', 'uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc', 1],
  ['ur:libssl:SSL_read', 'uretprobe:/usr/lib/x86_64-linux-gnu/libssl.so.3:SSL_read', 1],
  ['uprobe:/bin/bash:read*', 'uprobe:/bin/bash:reader_loop', 3],
  ['profile:hz:99', 'profile:hz:99', 1],
  ['p:ms:10', 'profile:ms:10', 1],
  ['interval:s:1', 'interval:s:1', 1],
  ['software:faults:1', 'software:faults:1', 1],
  ['software:page-faults', 'software:page-faults:100', 1],
  ['h:cache-misses', 'hardware:cache-misses:1000000', 1],
  ['BEGIN', 'BEGIN', 1],
];

const ERR: [text: string, error: string][] = [
  ['kprobe:no_such_fn', 'No such kernel function: no_such_fn'],
  ['kprobe:zzz*', 'No probes matched: kprobe:zzz*'],
  ['tracepoint:sched', 'tracepoint probe type requires 2 arguments'],
  ['tracepoint:sched:nope', 'No such tracepoint: sched:nope'],
  ['uprobe:/bin/nope:main', 'No such binary or library: /bin/nope'],
  ['uprobe:/bin/bash:nope', 'Could not resolve symbol: /bin/bash:nope'],
  ['profile:hz:0', "profile probe needs a positive integer rate, got '0'"],
  ['profile:days:1', "profile probe has an invalid unit 'days' (hz, s, ms or us)"],
  ['software:nope', 'Invalid software event: nope'],
  ['zprobe:x', 'Invalid probe type: zprobe'],
];

describe('attach point expansion', () => {
  it.each(OK)('%s', (text, first, count) => {
    const r = expandProbeText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.points[0].probe).toBe(first);
    if (count === '>') expect(r.points.length).toBeGreaterThan(1);
    else expect(r.points.length).toBe(count);
  });
  it.each(ERR)('%s fails', (text, error) => {
    expect(expandProbeText(text)).toEqual({ ok: false, error });
  });
  it('gives profile and interval periods in ns', () => {
    const r = expandProbeText('profile:hz:99');
    expect(r.ok && r.points[0].kind === 'profile' && r.points[0].periodNs).toBe(Math.round(1e9 / 99));
  });
});
