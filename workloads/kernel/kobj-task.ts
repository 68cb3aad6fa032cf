// Kernel objects of tasks and processes in simulated memory: task_struct, struct pid,
// cred, mm_struct, files_struct, fs_struct, signal_struct, the per-CPU struct rq, and the
// shared namespace and cgroup objects of containers. Allocation and field writes only;
// the lifecycle is in procs.ts.
import { Region, type Memory } from '../../vm/memory/memory';
import {
  CGROUP, CGROUP_NS, CRED, CSS_SET, FILES, FS, KERNFS, MM, MNT_NS, NET_NS, NSPROXY, PID, PID_NS, PT_REGS, RQ, SIGNAL, SIZE, TASK, TTY, UPID,
  UPID_SIZE, USER_NS, UTS_NS,
} from './offsets';
import type { Container, Cred, Proc, Task } from './task';

/** CAP_* bits a root process has (all of them, as a 41-bit mask). */
export const ALL_CAPS = (1n << 41n) - 1n;
export const PF_KTHREAD = 0x00200000;
export const PF_EXITING = 0x4;
export const PF_FORKNOEXEC = 0x40;
export const PF_IDLE = 0x2;

export class TaskObjects {
  private creds = new Map<string, Cred>();
  readonly initUserNs: number;
  readonly initNet: number;
  readonly initMntNs: number;
  readonly initCgroupNs: number;
  private nsInum = 0xf0000000;

  constructor(private readonly mem: Memory) {
    this.initUserNs = mem.alloc(USER_NS.SIZE, Region.KERNEL);
    mem.writeU32(this.initUserNs + USER_NS['ns.inum'], 0xeffffffd);
    this.initNet = this.allocNs(NET_NS.SIZE, NET_NS['ns.inum'], 0xeffffff9);
    this.initMntNs = this.allocNs(MNT_NS.SIZE, MNT_NS['ns.inum'], 0xeffffff0);
    this.initCgroupNs = this.allocNs(CGROUP_NS.SIZE, CGROUP_NS['ns.inum'], 0xeffffffb);
  }

  private allocNs(size: number, inumOff: number, inum: number): number {
    const lin = this.mem.alloc(size, Region.KERNEL);
    this.mem.writeU32(lin + inumOff, inum);
    return lin;
  }

  nextInum(): number {
    return this.nsInum++;
  }

  /** A shared cred for this identity (creds are immutable and shared, as in Linux). */
  cred(uid: number, gid: number, caps: bigint, euid = uid, egid = gid): Cred {
    const key = `${uid}/${gid}/${euid}/${egid}/${caps}`;
    let c = this.creds.get(key);
    if (c) return c;
    const mem = this.mem;
    const lin = mem.alloc(SIZE.cred, Region.KERNEL);
    mem.writeNum64(lin + CRED.usage, 1);
    mem.writeU32(lin + CRED.uid, uid);
    mem.writeU32(lin + CRED.gid, gid);
    mem.writeU32(lin + CRED.suid, uid);
    mem.writeU32(lin + CRED.sgid, gid);
    mem.writeU32(lin + CRED.euid, euid);
    mem.writeU32(lin + CRED.egid, egid);
    mem.writeU32(lin + CRED.fsuid, euid);
    mem.writeU32(lin + CRED.fsgid, egid);
    mem.writeU64(lin + CRED.cap_permitted, caps);
    mem.writeU64(lin + CRED.cap_effective, caps);
    mem.writeU64(lin + CRED.cap_bset, ALL_CAPS);
    mem.writePtr(lin + CRED.user_ns, this.initUserNs);
    c = { uid, gid, euid, egid, caps, lin };
    this.creds.set(key, c);
    return c;
  }

  /** The kernel objects of a container (or the host): kernfs node, cgroup, css_set, namespaces. */
  container(c: Omit<Container, 'nsproxyLin' | 'cssSetLin' | 'pidNsLin' | 'memLimit' | 'memUsage'>, hostname: string, release: string, parentPidNs: number): Container {
    const mem = this.mem;
    const kn = mem.alloc(KERNFS.SIZE, Region.KERNEL);
    const name = c.cgroupPath.slice(c.cgroupPath.lastIndexOf('/') + 1) || '/';
    const nameLin = mem.alloc(name.length + 1, Region.KERNEL);
    mem.writeCString(nameLin, name, name.length + 1);
    mem.writePtr(kn + KERNFS.name, nameLin);
    mem.writeU64(kn + KERNFS.id, c.cgroupId);
    mem.writeU32(kn + KERNFS.count, 1);
    const cg = mem.alloc(CGROUP.SIZE, Region.KERNEL);
    mem.writePtr(cg + CGROUP.kn, kn);
    mem.writePtr(cg + CGROUP['self.cgroup'], cg);
    mem.writeU32(cg + CGROUP.level, c.cgroupPath.split('/').filter(Boolean).length);
    mem.writeU64(cg + CGROUP.ancestor_ids, c.cgroupId);
    const css = mem.alloc(CSS_SET.SIZE, Region.KERNEL);
    mem.writePtr(css + CSS_SET.dfl_cgrp, cg);
    for (let i = 0; i < 14; i++) mem.writePtr(css + CSS_SET.subsys + 8 * i, cg);
    mem.writeU32(css + CSS_SET.refcount, 1);
    const uts = mem.alloc(UTS_NS.SIZE, Region.KERNEL);
    mem.writeCString(uts + UTS_NS['name.sysname'], 'Linux', 65);
    mem.writeCString(uts + UTS_NS['name.nodename'], hostname, 65);
    mem.writeCString(uts + UTS_NS['name.release'], release, 65);
    mem.writeCString(uts + UTS_NS['name.version'], '#1 SMP PREEMPT_DYNAMIC', 65);
    mem.writeCString(uts + UTS_NS['name.machine'], 'x86_64', 65);
    mem.writeCString(uts + UTS_NS['name.domainname'], '(none)', 65);
    mem.writeU32(uts + UTS_NS['ns.inum'], c.host ? 0xeffffffe : this.nextInum());
    let pidNs = parentPidNs;
    let mnt = this.initMntNs;
    let net = this.initNet;
    let cgns = this.initCgroupNs;
    if (!c.host || parentPidNs === 0) {
      pidNs = mem.alloc(PID_NS.SIZE, Region.KERNEL);
      mem.writeU32(pidNs + PID_NS.level, c.pidNsLevel);
      mem.writePtr(pidNs + PID_NS.parent, parentPidNs);
      mem.writeU32(pidNs + PID_NS['ns.inum'], c.host ? 0xeffffffc : this.nextInum());
    }
    if (!c.host) {
      mnt = this.allocNs(MNT_NS.SIZE, MNT_NS['ns.inum'], this.nextInum());
      net = this.allocNs(NET_NS.SIZE, NET_NS['ns.inum'], this.nextInum());
      cgns = this.allocNs(CGROUP_NS.SIZE, CGROUP_NS['ns.inum'], this.nextInum());
    }
    const nsp = mem.alloc(NSPROXY.SIZE, Region.KERNEL);
    mem.writeU32(nsp + NSPROXY.count, 1);
    mem.writePtr(nsp + NSPROXY.uts_ns, uts);
    mem.writePtr(nsp + NSPROXY.mnt_ns, mnt);
    mem.writePtr(nsp + NSPROXY.pid_ns_for_children, pidNs);
    mem.writePtr(nsp + NSPROXY.net_ns, net);
    mem.writePtr(nsp + NSPROXY.cgroup_ns, cgns);
    return { ...c, nsproxyLin: nsp, cssSetLin: css, pidNsLin: pidNs, memLimit: 0, memUsage: 0 };
  }

  /** struct rq of a CPU. */
  rq(cpu: number): number {
    const lin = this.mem.alloc(RQ.SIZE, Region.KERNEL);
    this.mem.writeU32(lin + RQ.cpu, cpu);
    this.mem.writeU32(lin + RQ.online, 1);
    this.mem.writePtr(lin + RQ['cfs.rq'], lin);
    return lin;
  }

  /** Allocates a task's task_struct, struct pid (with one upid per namespace level) and pt_regs. */
  allocTask(t: Task, c: Container): void {
    const mem = this.mem;
    t.lin = mem.alloc(SIZE.task, Region.KERNEL);
    const levels = c.pidNsLevel + 1;
    t.pidLin = mem.alloc(PID.numbers + levels * UPID_SIZE, Region.KERNEL);
    t.regsLin = mem.alloc(PT_REGS.SIZE, Region.KERNEL);
  }

  /** Writes every task_struct field the kernel models (at creation, fork and exec). */
  writeTask(t: Task, rqCfsLin: number): void {
    const mem = this.mem;
    const l = t.lin;
    const p = t.proc;
    mem.writeU32(l + TASK['thread_info.cpu'], t.cpu);
    mem.writeU32(l + TASK.__state, t.state);
    mem.writeU32(l + TASK.flags, (t.kthread ? PF_KTHREAD : 0) | (t.idle ? PF_IDLE : 0));
    mem.writeU32(l + TASK.usage, 1);
    mem.writeU32(l + TASK.prio, t.prio);
    mem.writeU32(l + TASK.static_prio, t.prio);
    mem.writeU32(l + TASK.normal_prio, t.prio);
    mem.writeU32(l + TASK.nr_cpus_allowed, 1);
    mem.writePtr(l + TASK['se.cfs_rq'], rqCfsLin);
    mem.writeU32(l + TASK.pid, t.pid);
    mem.writeU32(l + TASK.tgid, t.tgid);
    mem.writeU32(l + TASK.exit_signal, 17);
    mem.writePtr(l + TASK.real_parent, t.parent ? t.parent.lin : l);
    mem.writePtr(l + TASK.parent, t.parent ? t.parent.lin : l);
    mem.writePtr(l + TASK.group_leader, t.leader.lin);
    mem.writePtr(l + TASK.thread_pid, t.pidLin);
    mem.writeNum64(l + TASK.start_time, t.startTime);
    mem.writeNum64(l + TASK.start_boottime, t.startTime);
    mem.writePtr(l + TASK.real_cred, p.cred.lin);
    mem.writePtr(l + TASK.cred, p.cred.lin);
    mem.u8.set(t.commBytes, l + TASK.comm);
    mem.writePtr(l + TASK.mm, t.kthread ? 0 : p.mmLin);
    mem.writePtr(l + TASK.active_mm, p.mmLin);
    mem.writePtr(l + TASK.fs, p.fsLin);
    mem.writePtr(l + TASK.files, p.filesLin);
    mem.writePtr(l + TASK.nsproxy, p.container.nsproxyLin);
    mem.writePtr(l + TASK.signal, p.signalLin);
    mem.writePtr(l + TASK.cgroups, p.container.cssSetLin);
    // children and sibling start as empty lists (pointing at themselves)
    mem.writePtr(l + TASK.children, l + TASK.children);
    mem.writePtr(l + TASK.children + 8, l + TASK.children);
    mem.writePtr(l + TASK.sibling, l + TASK.sibling);
    mem.writePtr(l + TASK.sibling + 8, l + TASK.sibling);
    // struct pid: level and the pid number at every namespace level (host first).
    const c = p.container;
    mem.writeU32(t.pidLin + PID.count, 1);
    mem.writeU32(t.pidLin + PID.level, c.pidNsLevel);
    mem.writeU32(t.pidLin + PID.numbers + UPID.nr, t.pid);
    if (c.pidNsLevel > 0) {
      const at = t.pidLin + PID.numbers + c.pidNsLevel * UPID_SIZE;
      mem.writeU32(at + UPID.nr, t.nsPid);
      mem.writePtr(at + UPID.ns, c.pidNsLin);
    }
  }

  /** Links `child` into `parent`'s children list (child->sibling after parent->children). */
  linkChild(parent: Task, child: Task): void {
    const mem = this.mem;
    const head = parent.lin + TASK.children;
    const node = child.lin + TASK.sibling;
    const prev = Number(mem.readU64(head + 8) & 0xffffffffn);
    mem.writePtr(node, head);
    mem.writePtr(node + 8, prev);
    mem.writePtr(prev, node);
    mem.writePtr(head + 8, node);
  }

  /** Unlinks a task's sibling node. */
  unlinkChild(child: Task): void {
    const mem = this.mem;
    const node = child.lin + TASK.sibling;
    const next = Number(mem.readU64(node) & 0xffffffffn);
    const prev = Number(mem.readU64(node + 8) & 0xffffffffn);
    if (!next || !prev) return;
    mem.writePtr(prev, next);
    mem.writePtr(next + 8, prev);
    mem.writePtr(node, node);
    mem.writePtr(node + 8, node);
  }

  /** A process's mm_struct, files_struct (with its fd array), fs_struct and signal_struct. */
  allocProc(p: Proc): void {
    const mem = this.mem;
    p.mmLin = mem.alloc(SIZE.mm, Region.KERNEL);
    mem.writeU32(p.mmLin + MM.mm_users, 1);
    mem.writeU32(p.mmLin + MM.mm_count, 1);
    mem.writeNum64(p.mmLin + MM.task_size, 0x7ffffffff000);
    p.filesLin = mem.alloc(SIZE.files, Region.KERNEL);
    mem.writeU32(p.filesLin + FILES.count, 1);
    mem.writePtr(p.filesLin + FILES.fdt, p.filesLin + FILES['fdtab.max_fds']);
    mem.writeU32(p.filesLin + FILES['fdtab.max_fds'], 64);
    mem.writePtr(p.filesLin + FILES['fdtab.fd'], p.filesLin + FILES.fd_array);
    mem.writePtr(p.filesLin + FILES['fdtab.open_fds'], p.filesLin + FILES.open_fds_init);
    p.fdArrLin = p.filesLin + FILES.fd_array;
    p.fdCap = 64;
    p.fsLin = mem.alloc(SIZE.fs, Region.KERNEL);
    mem.writeU32(p.fsLin + FS.users, 1);
    mem.writeU32(p.fsLin + FS.umask, p.umask);
    p.signalLin = mem.alloc(SIZE.signal, Region.KERNEL);
    mem.writeU32(p.signalLin + SIGNAL.sigcnt, 1);
    mem.writeU32(p.signalLin + SIGNAL.live, 1);
    mem.writeU32(p.signalLin + SIGNAL.nr_threads, 1);
  }

  /** Points signal->tty at a tty_struct for the process's terminal (allocated per name). */
  private ttys = new Map<string, number>();
  setTty(p: Proc, name: string): void {
    if (!name) {
      this.mem.writePtr(p.signalLin + SIGNAL.tty, 0);
      return;
    }
    let lin = this.ttys.get(name);
    if (lin === undefined) {
      lin = this.mem.alloc(TTY.SIZE, Region.KERNEL);
      this.mem.writeCString(lin + TTY.name, name, 64);
      this.mem.writeU32(lin + TTY.index, Number(name.replace(/\D/g, '')) || 0);
      this.ttys.set(name, lin);
    }
    this.mem.writePtr(p.signalLin + SIGNAL.tty, lin);
  }

  /** Writes the fd-table slot (and grows the array past 64 descriptors). */
  setFd(p: Proc, fd: number, fileLin: number): void {
    const mem = this.mem;
    if (fd >= p.fdCap) {
      let cap = p.fdCap;
      while (cap <= fd) cap *= 2;
      const arr = mem.alloc(cap * 8, Region.KERNEL);
      mem.u8.copyWithin(arr, p.fdArrLin, p.fdArrLin + p.fdCap * 8);
      p.fdArrLin = arr;
      p.fdCap = cap;
      mem.writePtr(p.filesLin + FILES['fdtab.fd'], arr);
      mem.writeU32(p.filesLin + FILES['fdtab.max_fds'], cap);
    }
    mem.writePtr(p.fdArrLin + fd * 8, fileLin);
    if (fd < 64) {
      const word = p.filesLin + FILES.open_fds_init;
      const lo = mem.readU32(word);
      const hi = mem.readU32(word + 4);
      if (fd < 32) mem.writeU32(word, fileLin ? lo | (1 << fd) : lo & ~(1 << fd));
      else mem.writeU32(word + 4, fileLin ? hi | (1 << (fd - 32)) : hi & ~(1 << (fd - 32)));
    }
  }

  writeMm(p: Proc, f: Partial<Record<keyof typeof MM, number>>): void {
    for (const [k, v] of Object.entries(f)) this.mem.writeNum64(p.mmLin + MM[k as keyof typeof MM], v as number);
  }
}

export { FS, MM, SIGNAL };
