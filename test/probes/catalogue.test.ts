import { describe, expect, it } from 'vitest';
import { catalogue } from '../../probes/catalogue';
import { kernelTypes } from '../../workloads/btf/table';

const KFUNCS = [
  'vfs_read', 'vfs_write', 'vfs_open', 'vfs_fsync', 'vfs_unlink', 'do_sys_openat2', 'do_nanosleep', 'tcp_connect',
  'tcp_v4_connect', 'tcp_sendmsg', 'tcp_recvmsg', 'inet_csk_accept', 'tcp_set_state', 'tcp_retransmit_skb',
  'kfree_skb_reason', 'blk_mq_start_request', 'blk_account_io_start', 'blk_account_io_done', 'submit_bio', 'schedule',
  'try_to_wake_up', 'wake_up_new_task', 'do_exit', 'cap_capable', 'security_file_open', '__kmalloc', 'kmem_cache_alloc',
  'handle_mm_fault', 'oom_kill_process',
];
const TPS = [
  'raw_syscalls:sys_enter', 'raw_syscalls:sys_exit', 'sched:sched_switch', 'sched:sched_wakeup', 'sched:sched_wakeup_new',
  'sched:sched_process_fork', 'sched:sched_process_exec', 'sched:sched_process_exit', 'block:block_rq_issue',
  'block:block_rq_complete', 'block:block_io_start', 'block:block_io_done', 'block:block_bio_queue',
  'sock:inet_sock_set_state', 'tcp:tcp_retransmit_skb', 'skb:kfree_skb', 'kmem:kmalloc', 'signal:signal_generate',
  'timer:hrtimer_start', 'irq:irq_handler_entry', 'syscalls:sys_enter_openat', 'syscalls:sys_exit_openat',
];

describe('catalogue', () => {
  const c = catalogue();
  it('has at least 100 kernel functions including the classic ones', () => {
    expect(c.probes.kernelFuncs.length).toBeGreaterThanOrEqual(100);
    const names = new Set(c.probes.kernelFuncs.map((f) => f.name));
    for (const f of KFUNCS) expect(names.has(f), f).toBe(true);
  });
  it('has enter and exit tracepoints for at least 50 syscalls, and the classic tracepoints', () => {
    const enters = c.probes.tracepoints.filter((t) => t.category === 'syscalls' && t.name.startsWith('sys_enter_'));
    expect(enters.length).toBeGreaterThanOrEqual(50);
    const names = new Set(c.probes.tracepoints.map((t) => `${t.category}:${t.name}`));
    for (const t of TPS) expect(names.has(t), t).toBe(true);
  });
  it('types kernel function arguments', () => {
    const f = c.probes.kernelFuncs.find((x) => x.name === 'tcp_v4_connect')!;
    expect(f.args.map((a) => a.name)).toEqual(['sk', 'uaddr', 'addr_len']);
    expect(f.args[0].type).toEqual({ kind: 'ptr', to: { kind: 'struct', name: 'sock' } });
  });
  it('lays out syscall tracepoint records like the kernel', () => {
    const t = c.probes.tracepoints.find((x) => x.name === 'sys_enter_openat')!;
    expect(t.fields.map((f) => [f.name, f.offset, f.size])).toEqual([
      ['common_type', 0, 2], ['common_flags', 2, 1], ['common_preempt_count', 3, 1], ['common_pid', 4, 4],
      ['__syscall_nr', 8, 4], ['dfd', 16, 8], ['filename', 24, 8], ['flags', 32, 8], ['mode', 40, 8],
    ]);
    expect(t.size).toBe(48);
  });
  it('marks __data_loc fields', () => {
    const t = c.probes.tracepoints.find((x) => x.name === 'sched_process_exec')!;
    expect(t.fields.find((f) => f.name === 'filename')).toMatchObject({ offset: 8, size: 4, dataLoc: true });
  });
  it('has typed user binary symbols', () => {
    const bash = c.probes.binaries.find((b) => b.path === '/bin/bash')!;
    const rl = bash.symbols.find((s) => s.name === 'readline')!;
    expect(rl.args?.[0].name).toBe('prompt');
    expect(rl.ret).toEqual({ kind: 'ptr', to: { kind: 'int', size: 1, signed: true, name: 'char' } });
  });
  it('lists software events and aliases', () => {
    expect(c.probes.softwareEvents).toContain('cpu-clock');
    expect(c.probes.softwareEvents).toContain('faults');
  });
});

// Field offsets that real scripts depend on (where they match Linux's own layout) and the
// shape of the records the compiler walks.
const FIELDS: [record: string, path: string, offset: number | null, type: string][] = [
  ['sock_common', 'skc_daddr', 0, '__be32'],
  ['sock_common', 'skc_rcv_saddr', 4, '__be32'],
  ['sock_common', 'skc_dport', 12, '__be16'],
  ['sock_common', 'skc_num', 14, '__u16'],
  ['sock_common', 'skc_family', 16, 'unsigned short'],
  ['sock_common', 'skc_state', 18, 'unsigned char'],
  ['sock', '__sk_common.skc_v6_daddr.in6_u.u6_addr8', null, '__u8[16]'],
  ['task_struct', 'real_parent', null, 'struct task_struct *'],
  ['task_struct', 'comm', null, 'char[16]'],
  ['task_struct', 'se.cfs_rq', null, 'struct cfs_rq *'],
  ['task_struct', 'nsproxy', null, 'struct nsproxy *'],
  ['path', 'dentry', 8, 'struct dentry *'],
  ['dentry', 'd_name.name', null, 'const unsigned char *'],
  ['file', 'f_path.dentry', null, 'struct dentry *'],
  ['request', 'q', 0, 'struct request_queue *'],
  ['tcp_sock', 'inet_conn.icsk_inet.sk.__sk_common.skc_family', 16, 'unsigned short'],
  ['qstr', 'len', 4, 'u32'],
];

describe('kernel type table', () => {
  const t = kernelTypes();
  it.each(FIELDS)('%s.%s', (record, path, offset, type) => {
    const f = t.field(record, path);
    if (offset !== null) expect(f.offset).toBe(offset);
    expect(t.print(f.type).replace('const ', '')).toBe(type.replace('const ', ''));
  });
  it('lays out bitfields in their storage unit', () => {
    const rec = t.records.get('sock_common')!;
    expect(rec.fields.find((f) => f.name === 'skc_reuseport')).toMatchObject({ offset: 19, bitOffset: 4, bitSize: 1 });
  });
  it('keeps typedef names on fields', () => {
    expect(t.field('task_struct', 'pid').type).toEqual({ kind: 'typedef', name: 'pid_t' });
    expect(t.resolve({ kind: 'typedef', name: 'pid_t' })).toMatchObject({ kind: 'int', size: 4, signed: true });
  });
});
