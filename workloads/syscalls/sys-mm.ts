// Memory system calls: mmap (anonymous regions get real pages up to a size, file mappings
// only an address, and count against a cgroup memory limit), munmap, mprotect, madvise,
// msync, mremap and brk. New anonymous memory becomes page faults when the process next
// runs.
import type { Kernel } from '../kernel/kernel';
import { kat, SYSCALL_BASE } from '../kernel/stacks';
import type { Task } from '../kernel/task';
import * as E from '../errno';
import type { SysImpl } from './types';

const MAP_ANONYMOUS = 0x20;
const MAP_FIXED = 0x10;
const BACKED_LIMIT = 256 * 1024;

function mmap(k: Kernel, t: Task, addr: number, len: number, prot: number, flags: number, fd: number, off: number): number {
  if (len <= 0) return -E.EINVAL;
  const p = t.proc;
  const size = Math.ceil(len / 4096) * 4096;
  const H = k.hooks.k('do_mmap');
  const f = flags & MAP_ANONYMOUS ? null : k.s.vfs.fdGet(p, fd | 0);
  if (!(flags & MAP_ANONYMOUS) && !f) return -E.EBADF;
  let at = flags & MAP_FIXED && addr ? addr : ((p.data.mmapNext as number | undefined) ?? (p.heapStart - 0x1000_0000)) - size;
  if (!(flags & MAP_FIXED)) p.data.mmapNext = at - 0x1000;
  if (H.entry.on) k.kprobe(H, t, kat('do_mmap', 'vm_mmap_pgoff', 'ksys_mmap_pgoff', '__x64_sys_mmap', ...SYSCALL_BASE), f ? f.lin : 0, at, size, prot, flags, 0);
  if (flags & MAP_ANONYMOUS && size <= BACKED_LIMIT && !p.user.find(at)) {
    try {
      p.user.map(at, size, '[anon]');
    } catch {
      at = 0x7e00_0000_0000 + t.rng.int(0x1000_0000) * 4096;
    }
    t.faultDebt += Math.min(64, size >> 13);
  }
  k.s.mm.cacheAlloc(t, 'vm_area_struct', 0, kat('do_mmap', '__x64_sys_mmap', ...SYSCALL_BASE));
  k.cost(t, 2_500);
  // Charged to a memory-limited cgroup as if touched at once (the OOM killer may run).
  if (flags & MAP_ANONYMOUS) k.s.mm.charge(t, size);
  void off;
  return at;
}

export const MM_SYSCALLS: Record<string, SysImpl> = {
  mmap: (k, t, o) => mmap(k, t, o.a0, o.a1, o.a2, o.a3, o.a4, o.a5),
  munmap: (k, t, o) => {
    const H = k.hooks.k('do_munmap');
    if (H.entry.on) k.kprobe(H, t, kat('do_munmap', '__x64_sys_munmap', ...SYSCALL_BASE), t.proc.mmLin, o.a0, o.a1, 0);
    k.cost(t, 3_000);
    return 0;
  },
  mprotect: (k, t) => {
    k.cost(t, 1_200);
    return 0;
  },
  madvise: () => 0,
  msync: () => 0,
  mremap: (_k, _t, o) => o.a0,
  brk: (k, t, o) => {
    const p = t.proc;
    if (o.a0 > p.heapEnd) t.faultDebt += Math.min(32, Math.ceil((o.a0 - p.heapEnd) / 8192));
    k.cost(t, 800);
    return o.a0 ? Math.max(o.a0, p.heapEnd) : p.heapEnd;
  },
};
