// Profile samples inside system calls: each call shows one of its work chains for the kind
// of file its descriptor refers to, on top of the call's entry frames; every chain resolves
// through kallsyms; a profiled workload shows these deeper stacks.
import { describe, expect, it } from 'vitest';
import type { Proc } from '../../workloads/kernel/task';
import { WorkStacks } from '../../workloads/kernel/work-stacks';
import { DERIVED_CHAINS, WORK_CHAINS, workChains } from '../../workloads/kernel/work-stack-table';
import { SYSCALL_TABLE } from '../../workloads/kernel/syscall-table';
import { ksymByName } from '../../workloads/kernel/kfuncs';
import { System } from '../../workloads/system';

const NR = Object.fromEntries(SYSCALL_TABLE.map(([nr, , tp]) => [tp, nr]));

/** A process whose descriptors 0..n are the given files (only what the sampler looks at). */
function procWith(...files: object[]): Proc {
  return { fds: files.map((file) => ({ file, cloexec: false })) } as unknown as Proc;
}

const tcp = { kind: 'socket', sock: { family: 2, type: 1 } };
const udp = { kind: 'socket', sock: { family: 2, type: 2 } };
const unix = { kind: 'socket', sock: { family: 1, type: 1 } };
const ext4 = { kind: 'file', mount: { fsType: 'ext4' } };
const xfs = { kind: 'file', mount: { fsType: 'xfs' } };
const procfs = { kind: 'file', mount: { fsType: 'proc' } };
const pipe = { kind: 'pipe' };
const tty = { kind: 'tty' };

// [call, the file in fd 0 (or clone flags), a frame every sample shows, a frame no sample shows]
const CASES: [call: string, file: object | number, has: string, hasNot: string][] = [
  ['read', ext4, 'ext4_file_read_iter|rw_verify_area|__fdget_pos', 'tcp_recvmsg'],
  ['read', xfs, 'xfs_file_read_iter', 'ext4_file_read_iter'],
  ['read', tcp, 'tcp_recvmsg', 'udp_recvmsg'],
  ['read', udp, 'udp_recvmsg', 'tcp_recvmsg'],
  ['read', unix, 'unix_stream_recvmsg', 'tcp_recvmsg'],
  ['read', procfs, 'vfs_read', 'ext4_file_read_iter'],
  ['read', pipe, 'pipe_read', 'tcp_recvmsg'],
  ['read', tty, 'tty_read', 'pipe_read'],
  ['write', tcp, 'tcp_sendmsg', 'udp_sendmsg'],
  ['write', ext4, 'ext4_file_write_iter', 'tcp_sendmsg'],
  ['write', pipe, 'pipe_write', 'tcp_sendmsg'],
  ['writev', tcp, 'do_writev', 'ksys_write'],
  ['pread64', ext4, 'ksys_pread64', 'ksys_read'],
  ['sendto', udp, '__sys_sendto', 'sock_write_iter'],
  ['recvfrom', tcp, '__sys_recvfrom', 'sock_read_iter'],
  ['clone', 0x11, 'kernel_clone', 'copy_thread'],
  ['clone', 0x3d0f00, 'kernel_clone', 'dup_mm'],
  ['clone3', 0, 'kernel_clone', 'dup_mm'],
  ['clock_nanosleep', 0, 'common_nsleep', 'do_epoll_wait'],
  ['getdents64', procfs, 'proc_root_readdir', 'ext4_readdir'],
  ['exit', 0, 'do_exit', 'do_group_exit'],
];

describe('work stacks of sampled system calls', () => {
  const w = new WorkStacks();
  it.each(CASES)('%s on %o', (call, file, has, hasNot) => {
    const proc = typeof file === 'number' ? procWith() : procWith(file);
    const a0 = typeof file === 'number' ? file : 0;
    for (let i = 0; i < 200; i++) {
      const s = w.sample(proc, NR[call], a0, 1e9 + i * 10_101_010, i % 4);
      expect(s).not.toBeNull();
      const frames = s!.frames;
      expect(frames.slice(-4)).toEqual([`__x64_sys_${call}`, 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe']);
      expect(frames.some((f) => has.split('|').includes(f))).toBe(true);
      expect(frames).not.toContain(hasNot);
    }
  });

  it('spreads samples over the chains of a call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(w.sample(procWith(ext4), NR.read, 0, 1e9 + i * 10_101_010, i % 4)!.frames.join(' '));
    expect(seen.size).toBe(workChains('read')!.ext4!.length - 1);
  });

  it('gives calls without chains no work stack, and unknown descriptors the generic chains', () => {
    expect(w.sample(procWith(), NR.getpid, 0, 1e9, 0)).toBeNull();
    const s = w.sample(procWith(), NR.read, 7, 1e9, 0)!;
    expect(s.frames).toContain('vfs_read');
  });

  it('builds every chain from known kernel symbols', () => {
    for (const call of [...Object.keys(WORK_CHAINS), ...Object.keys(DERIVED_CHAINS)])
      for (const list of Object.values(workChains(call)!)) for (const c of list) for (const f of c.split(' ')) expect(ksymByName(f), `${call}: ${f}`).toBeDefined();
  });

  it('shows the deeper stacks in a profiled workload', () => {
    const s = new System({ workload: 'web', seed: 3 });
    const frames = new Set<string>();
    s.runFor(200e6);
    for (let i = 0; i < 1500; i++) {
      s.runFor(1e6);
      for (let cpu = 0; cpu < 4; cpu++) {
        const r = s.kernel.sampleContext(cpu, s.kernel.now - 1);
        if (r.kstack) for (const f of r.kstack.frames) frames.add(f);
      }
    }
    expect(frames).toContain('tcp_sendmsg');
    expect(frames).toContain('do_idle');
  });
});
