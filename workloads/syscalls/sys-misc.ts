// Waiting on many descriptors (poll, select, epoll), futexes, eventfd and timerfd, and the
// calls the simulated system refuses (bpf, io_uring).
import type { Kernel } from '../kernel/kernel';
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';
import { TaskState, WaitQueue, type KGen, type Task } from '../kernel/task';
import * as E from '../errno';
import type { OpenFile } from '../fs/file';
import type { Sock } from '../net/sock';
import type { SysImpl } from './types';

const s32 = (v: number) => v | 0;

interface Epoll {
  fds: Map<number, number>;
  wait: WaitQueue;
}

/** Whether an open file has data to read (or a pending connection, or EOF). */
function readable(k: Kernel, f: OpenFile): boolean {
  switch (f.kind) {
    case 'socket':
      return k.s.net.readable(f.sock as Sock);
    case 'pipe':
      return f.pipe!.bytes > 0 || f.pipe!.writers <= 0;
    case 'tty':
      return f.tty!.pending.length > 0;
    case 'event':
      return true;
    default:
      return true;
  }
}

/** The wait queue a reader of this file sleeps on. */
function queueOf(f: OpenFile): WaitQueue | null {
  switch (f.kind) {
    case 'socket':
      return (f.sock as Sock).rxWait;
    case 'pipe':
      return f.pipe!.readWait;
    case 'tty':
      return f.tty!.readWait;
    default:
      return null;
  }
}

function* waitMany(k: Kernel, t: Task, files: OpenFile[], timeoutMs: number, stack: ReturnType<typeof kin>): Generator<import('../kernel/task').KOp, OpenFile[], number> {
  const deadline = timeoutMs < 0 ? Infinity : k.now + timeoutMs * 1e6;
  for (;;) {
    const ready = files.filter((f) => readable(k, f));
    if (ready.length || timeoutMs === 0) return ready;
    if (k.now >= deadline) return [];
    for (const f of files) queueOf(f)?.add(t);
    const r = yield t.block(TaskState.INTERRUPTIBLE, stack, deadline);
    if (r === -E.EINTR) return [];
  }
}

const EPOLL_WAIT = kin('ep_poll', 'do_epoll_wait', '__x64_sys_epoll_wait', ...SYSCALL_BASE);
const POLL_WAIT = kin('schedule_hrtimeout_range', 'do_sys_poll', '__x64_sys_poll', ...SYSCALL_BASE);

function* epollWait(k: Kernel, t: Task, epfd: number, events: number, max: number, timeout: number, wrapper: string): KGen {
  const f = k.s.vfs.fdGet(t.proc, epfd);
  if (!f || f.kind !== 'epoll') return -E.EBADF;
  const ep = f.extra as Epoll;
  const H = k.hooks.k('do_epoll_wait');
  if (H.entry.on) k.kprobe(H, t, kat('do_epoll_wait', `__x64_sys_${wrapper}`, ...SYSCALL_BASE), epfd, events, max, 0);
  const files: OpenFile[] = [];
  const fdOf = new Map<OpenFile, number>();
  for (const fd of ep.fds.keys()) {
    const of = k.s.vfs.fdGet(t.proc, fd);
    if (of) {
      files.push(of);
      fdOf.set(of, fd);
    }
  }
  const ready = yield* waitMany(k, t, files, s32(timeout), EPOLL_WAIT);
  const n = Math.min(ready.length, max);
  const lin = t.proc.user.translate(events, Math.max(12, n * 12));
  if (lin >= 0)
    for (let i = 0; i < n; i++) {
      k.mem.writeU32(lin + i * 12, 1);
      k.mem.writeNum64(lin + i * 12 + 4, ep.fds.get(fdOf.get(ready[i])!) ?? 0);
    }
  k.cost(t, 1_200 + n * 150);
  return n;
}

function* poll(k: Kernel, t: Task, fds: number, nfds: number, timeout: number): KGen {
  const lin = t.proc.user.translate(fds, Math.max(8, nfds * 8));
  if (lin < 0) return -E.EFAULT;
  const files: OpenFile[] = [];
  for (let i = 0; i < nfds; i++) {
    const f = k.s.vfs.fdGet(t.proc, k.mem.readI32(lin + i * 8));
    if (f) files.push(f);
  }
  const ready = yield* waitMany(k, t, files, s32(timeout), POLL_WAIT);
  for (let i = 0; i < nfds; i++) {
    const f = k.s.vfs.fdGet(t.proc, k.mem.readI32(lin + i * 8));
    k.mem.writeU16(lin + i * 8 + 6, f && ready.includes(f) ? 1 : 0);
  }
  return ready.length;
}

const futexes = new WeakMap<Kernel, Map<string, WaitQueue>>();

function futexQueue(k: Kernel, t: Task, addr: number): WaitQueue {
  let m = futexes.get(k);
  if (!m) futexes.set(k, (m = new Map()));
  const key = `${t.tgid}:${addr}`;
  let q = m.get(key);
  if (!q) m.set(key, (q = new WaitQueue()));
  return q;
}

function* futex(k: Kernel, t: Task, addr: number, op: number, val: number, timeout: number): KGen {
  const cmd = op & 0x7f;
  const H = k.hooks;
  if (cmd === 0 || cmd === 9) {
    const fw = H.k('futex_wait');
    if (fw.entry.on) k.kprobe(fw, t, kat('futex_wait', 'do_futex', '__x64_sys_futex', ...SYSCALL_BASE), addr, op & 0x80 ? 0 : 1, val, 0, 0xffffffff);
    const lin = timeout ? t.proc.user.translate(timeout, 16) : -1;
    const ns = lin >= 0 ? k.mem.readU32(lin) * 1e9 + k.mem.readU32(lin + 8) : Infinity;
    futexQueue(k, t, addr).add(t);
    const r = yield t.block(TaskState.INTERRUPTIBLE, kin('futex_wait_queue', 'futex_wait', 'do_futex', '__x64_sys_futex', ...SYSCALL_BASE), k.now + ns);
    if (r === -E.EINTR) return -E.EINTR;
    return r === 0 ? -E.ETIMEDOUT : 0;
  }
  if (cmd === 1 || cmd === 10) {
    const fw = H.k('futex_wake');
    if (fw.entry.on) k.kprobe(fw, t, kat('futex_wake', 'do_futex', '__x64_sys_futex', ...SYSCALL_BASE), addr, 1, val, 0xffffffff);
    let n = 0;
    const q = futexQueue(k, t, addr);
    while (n < val && k.s.sched.wakeOne(q, 1, t)) n++;
    k.cost(t, 600);
    return n;
  }
  return 0;
}

export const MISC_SYSCALLS: Record<string, SysImpl> = {
  epoll_create1: (k, t, o) => {
    const f = k.s.vfs.anonFile(t, 'epoll', '[eventpoll]', 0, kin('do_epoll_create', '__x64_sys_epoll_create1', ...SYSCALL_BASE));
    f.extra = { fds: new Map(), wait: new WaitQueue() } satisfies Epoll;
    return k.s.vfs.installFd(t, f, (o.a0 & 0o2000000) !== 0);
  },
  epoll_ctl: (k, t, o) => {
    const f = k.s.vfs.fdGet(t.proc, s32(o.a0));
    if (!f || f.kind !== 'epoll') return -E.EBADF;
    const ep = f.extra as Epoll;
    const fd = s32(o.a2);
    if (!k.s.vfs.fdGet(t.proc, fd)) return -E.EBADF;
    const lin = o.a3 ? t.proc.user.translate(o.a3, 12) : -1;
    const data = lin >= 0 ? k.mem.readU32(lin + 4) : fd;
    if (o.a1 === 2) ep.fds.delete(fd);
    else ep.fds.set(fd, data);
    k.s.mm.cacheAlloc(t, 'eventpoll_epi', 0, kin('ep_insert', 'do_epoll_ctl', '__x64_sys_epoll_ctl', ...SYSCALL_BASE));
    return 0;
  },
  epoll_wait: (k, t, o) => epollWait(k, t, s32(o.a0), o.a1, o.a2, o.a3, 'epoll_wait'),
  epoll_pwait: (k, t, o) => epollWait(k, t, s32(o.a0), o.a1, o.a2, o.a3, 'epoll_pwait'),
  poll: (k, t, o) => poll(k, t, o.a0, o.a1, o.a2),
  select: (k, t, o) => poll(k, t, 0, 0, o.a4 ? 1000 : -1),
  eventfd2: (k, t, o) => k.s.vfs.installFd(t, k.s.vfs.anonFile(t, 'event', '[eventfd]', 0, kin('do_eventfd', '__x64_sys_eventfd2', ...SYSCALL_BASE)), (o.a1 & 0o2000000) !== 0),
  timerfd_create: (k, t, o) => k.s.vfs.installFd(t, k.s.vfs.anonFile(t, 'event', '[timerfd]', 0, kin('__x64_sys_timerfd_create', ...SYSCALL_BASE)), (o.a1 & 0o2000000) !== 0),
  futex: (k, t, o) => futex(k, t, o.a0, o.a1, o.a2, o.a3),
  bpf: (k, t) => (k.s.vfs.capable(t, 39 /* CAP_BPF */, kat('cap_capable', 'security_capable', 'capable', '__x64_sys_bpf', ...SYSCALL_BASE.slice(1))) ? -E.EINVAL : -E.EPERM),
  io_uring_enter: () => -E.EOPNOTSUPP,
};
