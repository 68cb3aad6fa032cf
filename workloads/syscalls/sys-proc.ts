// Process and identity system calls: clone/clone3/fork/vfork, execve/execveat, exit and
// exit_group, wait4, kill/tgkill, the id getters and setters (with the CAP_SETUID check),
// capget/capset, prctl, signal disposition and masks, sched_yield, uname, getrandom.
import type { Kernel } from '../kernel/kernel';
import { CLONE_ARGS, TASK } from '../kernel/offsets';
import { CLONE_THREAD, FORK_FLAGS, SIGCHLD } from '../kernel/procs';
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';
import { TaskState, type KGen, type Task, type UOp } from '../kernel/task';
import * as E from '../errno';
import type { SysImpl } from './types';

const s32 = (v: number) => v | 0;
const CLONE_STACK = kat('kernel_clone', '__x64_sys_clone', ...SYSCALL_BASE);

function clone(k: Kernel, t: Task, o: UOp, flags: number, nr: number): number {
  const prog = o.child;
  if (!prog) return -E.EINVAL;
  const H = k.hooks.k('kernel_clone');
  if (H.entry.on) {
    const args = k.scratch(CLONE_ARGS.SIZE);
    k.mem.writeNum64(args + CLONE_ARGS.flags, flags & ~0xff);
    k.mem.writeU32(args + CLONE_ARGS.exit_signal, flags & 0xff);
    k.kprobe(H, t, CLONE_STACK, args);
  }
  k.cost(t, flags & CLONE_THREAD ? 9_000 : 35_000);
  const child = k.s.procs.fork(t, prog, (flags & CLONE_THREAD) !== 0, flags, nr);
  if (H.ret.on) k.kretprobe(H, t, CLONE_STACK, child.pid);
  return child.pid;
}

function* exitGroup(k: Kernel, t: Task, code: number): KGen {
  for (const other of [...t.proc.threads]) if (other !== t) k.s.procs.exit(other, 0, 9);
  const dge = k.hooks.k('do_group_exit');
  if (dge.entry.on) k.kprobe(dge, t, kat('do_group_exit', '__x64_sys_exit_group', ...SYSCALL_BASE), (code & 0xff) << 8);
  k.s.procs.exit(t, code);
  return 0;
}

/** kill(2) and its thread-directed forms (tkill, tgkill: `tgid` -1 for tkill). */
function kill(k: Kernel, t: Task, pid: number, sig: number, thread?: { tgid: number; sys: string }): number {
  if (sig < 0 || sig > 64) return -E.EINVAL;
  if (pid <= 0) return thread ? -E.EINVAL : 0;
  const target = k.tasks.get(pid);
  if (!target || target.exitState || (thread && thread.tgid > 0 && target.tgid !== thread.tgid)) return -E.ESRCH;
  const base = thread ? ['do_send_specific', 'do_tkill', `__x64_sys_${thread.sys}`, ...SYSCALL_BASE] : ['kill_pid_info', 'kill_something_info', '__x64_sys_kill', ...SYSCALL_BASE];
  const H = k.hooks.k('security_task_kill');
  if (H.entry.on) {
    const ov = k.kprobe(H, t, kat('security_task_kill', ...base), target.lin, 0, sig, t.proc.cred.lin);
    if (ov !== null && ov !== 0) return ov;
  }
  const c = t.proc.cred;
  const tc = target.proc.cred;
  // kill_ok_by_cred: the same user, else CAP_KILL, asked of root too (which has it).
  if (c.euid !== tc.uid && c.uid !== tc.uid) {
    if (!k.s.vfs.capable(t, 5 /* CAP_KILL */, kat('cap_capable', 'security_capable', 'ns_capable', ...base))) return -E.EPERM;
  }
  if (sig === 0) return 0;
  k.cost(t, 1_800);
  return k.s.procs.send(sig, target, t);
}

function setuid(k: Kernel, t: Task, uid: number, gid: number | null): number {
  const c = t.proc.cred;
  // As __sys_setuid: the capability is asked for first, by root too (ns_capable_setid ->
  // security_capable -> cap_capable, which succeeds for root); without it, only the
  // caller's own id is allowed.
  const sysFn = gid === null ? '__x64_sys_setuid' : '__x64_sys_setgid';
  const allowed = k.s.vfs.capable(t, gid === null ? 7 /* CAP_SETUID */ : 6 /* CAP_SETGID */, kat('cap_capable', 'security_capable', 'ns_capable_setid', sysFn, ...SYSCALL_BASE));
  if (!allowed && uid !== (gid === null ? c.uid : c.gid)) return -E.EPERM;
  const commit = k.hooks.k('commit_creds');
  const caps = uid === 0 ? c.caps : 0n;
  const next = gid === null ? k.s.procs.credFor(uid, c.gid, caps) : k.s.procs.credFor(c.uid, uid, c.caps);
  if (commit.entry.on) k.kprobe(commit, t, kat('commit_creds', gid === null ? '__x64_sys_setuid' : '__x64_sys_setgid', ...SYSCALL_BASE), next.lin);
  t.proc.cred = next;
  for (const th of t.proc.threads) {
    k.mem.writePtr(th.lin + TASK.cred, next.lin);
    k.mem.writePtr(th.lin + TASK.real_cred, next.lin);
  }
  return 0;
}

function uname(k: Kernel, t: Task, addr: number): number {
  const lin = t.proc.user.translate(addr, 390);
  if (lin < 0) return -E.EFAULT;
  const fields = ['Linux', t.proc.container.host ? k.s.procs.hostname : t.proc.container.name, k.s.procs.release, '#1 SMP PREEMPT_DYNAMIC', 'x86_64', '(none)'];
  fields.forEach((f, i) => k.mem.writeCString(lin + i * 65, f, 65));
  return 0;
}

function* pause(t: Task): KGen {
  const r = yield t.block(TaskState.INTERRUPTIBLE, kin('__x64_sys_pause', ...SYSCALL_BASE));
  void r;
  return -E.EINTR;
}

export const PROC_SYSCALLS: Record<string, SysImpl> = {
  clone: (k, t, o) => clone(k, t, o, o.a0 || FORK_FLAGS, 56),
  clone3: (k, t, o) => {
    const lin = t.proc.user.translate(o.a0, 8);
    const flags = lin >= 0 ? k.mem.readU32(lin) : FORK_FLAGS;
    return clone(k, t, o, flags & CLONE_THREAD ? flags : flags | SIGCHLD, 435);
  },
  fork: (k, t, o) => clone(k, t, o, SIGCHLD, 57),
  vfork: (k, t, o) => clone(k, t, o, 0x4100 | SIGCHLD, 58),
  execve: (k, t, o) => k.s.procs.execve(t, o.a0, o.a1, o.a2),
  execveat: (k, t, o) => k.s.procs.execve(t, o.a1, o.a2, o.a3),
  exit: (k, t, o) => {
    k.s.procs.exit(t, o.a0);
    return 0;
  },
  exit_group: (k, t, o) => exitGroup(k, t, o.a0),
  wait4: (k, t, o) => k.s.procs.wait4(t, s32(o.a0), o.a1, o.a2),
  kill: (k, t, o) => kill(k, t, s32(o.a0), o.a1),
  tkill: (k, t, o) => kill(k, t, s32(o.a0), o.a1, { tgid: -1, sys: 'tkill' }),
  tgkill: (k, t, o) => kill(k, t, s32(o.a1), o.a2, { tgid: s32(o.a0), sys: 'tgkill' }),
  getpid: (_k, t) => t.proc.container.pidNsLevel > 0 ? t.leader.nsPid : t.tgid,
  gettid: (_k, t) => (t.proc.container.pidNsLevel > 0 ? t.nsPid : t.pid),
  getppid: (_k, t) => (t.parent ? (t.proc.container.pidNsLevel > 0 && t.parent.proc.container === t.proc.container ? t.parent.nsPid : t.proc.container.pidNsLevel > 0 ? 0 : t.parent.tgid) : 0),
  getuid: (_k, t) => t.proc.cred.uid,
  geteuid: (_k, t) => t.proc.cred.euid,
  getgid: (_k, t) => t.proc.cred.gid,
  getegid: (_k, t) => t.proc.cred.egid,
  getresuid: (k, t, o) => {
    for (const [i, a] of [o.a0, o.a1, o.a2].entries()) {
      const lin = t.proc.user.translate(a, 4);
      if (lin >= 0) k.mem.writeU32(lin, i === 1 ? t.proc.cred.euid : t.proc.cred.uid);
    }
    return 0;
  },
  setuid: (k, t, o) => setuid(k, t, o.a0, null),
  setgid: (k, t, o) => setuid(k, t, o.a0, o.a0),
  setresuid: (k, t, o) => setuid(k, t, o.a1 === 0xffffffff ? o.a0 : o.a1, null),
  setpgid: () => 0,
  getpgrp: (_k, t) => t.tgid,
  getsid: (_k, t) => t.tgid,
  setsid: (_k, t) => t.tgid,
  capget: (k, t, o) => {
    const lin = t.proc.user.translate(o.a1, 24);
    if (lin >= 0) {
      const caps = t.proc.cred.caps;
      k.mem.writeU32(lin, Number(caps & 0xffffffffn));
      k.mem.writeU32(lin + 4, Number(caps & 0xffffffffn));
    }
    return 0;
  },
  capset: (k, t) => (t.proc.cred.euid === 0 ? 0 : -E.EPERM),
  prctl: (k, t, o) => {
    if (o.a0 === 15) {
      // PR_SET_NAME
      const name = k.mem;
      const lin = t.proc.user.translate(o.a1, 16);
      if (lin >= 0) {
        const old = t.comm;
        t.setComm(name.readCString(lin, 16));
        k.mem.u8.set(t.commBytes, t.lin + TASK.comm);
        const rename = k.hooks.tp('task', 'task_rename');
        if (rename.on) k.tracepoint(rename, t, kat('__set_task_comm', '__x64_sys_prctl', ...SYSCALL_BASE), [t.pid, old, t.comm, 0]);
      }
    }
    return 0;
  },
  arch_prctl: () => 0,
  set_tid_address: (_k, t) => t.pid,
  set_robust_list: () => 0,
  rt_sigaction: (k, t, o) => {
    const sig = o.a0;
    if (sig <= 0 || sig > 64 || sig === 9 || sig === 19) return -E.EINVAL;
    if (o.a1) {
      const lin = t.proc.user.translate(o.a1, 8);
      const handler = lin >= 0 ? k.mem.readU32(lin) : 2;
      const bit = 1 << sig;
      if (handler === 1) {
        t.sigIgnored |= bit;
        t.sigHandled &= ~bit;
      } else if (handler === 0) {
        t.sigIgnored &= ~bit;
        t.sigHandled &= ~bit;
      } else {
        t.sigHandled |= bit;
        t.sigIgnored &= ~bit;
      }
      for (const th of t.proc.threads) {
        th.sigHandled = t.sigHandled;
        th.sigIgnored = t.sigIgnored;
      }
    }
    return 0;
  },
  rt_sigprocmask: () => 0,
  rt_sigreturn: () => 0,
  sched_yield: (k, t) => {
    k.cost(t, 300);
    return 0;
  },
  uname: (k, t, o) => uname(k, t, o.a0),
  getrandom: (k, t, o) => {
    const lin = t.proc.user.translate(o.a0, Math.min(o.a1, 256));
    if (lin >= 0) for (let i = 0; i < Math.min(o.a1, 256); i++) k.mem.u8[lin + i] = t.rng.u32() & 0xff;
    k.cost(t, 400 + o.a1 * 2);
    return o.a1;
  },
  pause: (_k, t) => pause(t),
  getrusage: () => 0,
  sysinfo: () => 0,
  times: (k) => Math.floor(k.now / 1e7),
  getitimer: () => 0,
  setitimer: () => 0,
  alarm: () => 0,
};
