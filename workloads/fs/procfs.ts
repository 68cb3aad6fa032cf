// /proc: nodes generated on lookup from the kernel's live state — per-process directories
// (/proc/PID/{stat,status,cmdline,comm,maps,environ,io,fd/}) with /proc/self, and the
// system files (meminfo, loadavg, uptime, stat, cpuinfo, mounts, version, net/tcp).
// Content is produced when a file is opened; reads never touch a disk.
import type { Kernel } from '../kernel/kernel';
import type { Task } from '../kernel/task';
import type { Vfs } from './vfs';
import { FsNode, type Generated, type Mount } from './node';

export class ProcFs {
  private readonly perPid = new Map<number, FsNode>();

  constructor(
    private readonly k: Kernel,
    private readonly vfs: Vfs,
    private readonly mount: Mount,
  ) {
    const root = mount.root;
    const sys: Record<string, Generated> = {
      meminfo: () => this.meminfo(),
      loadavg: () => this.loadavg(),
      uptime: () => {
        const up = k.now / 1e9;
        return `${up.toFixed(2)} ${(up * k.nrCpus * 0.82).toFixed(2)}\n`;
      },
      stat: () => this.stat(),
      cpuinfo: () => this.cpuinfo(),
      version: () => `Linux version ${k.s.procs.release} (buildd@bpfsim) (gcc (Ubuntu 13.2.0) 13.2.0, GNU ld 2.42) #1 SMP PREEMPT_DYNAMIC\n`,
      mounts: () => this.mounts(),
      filesystems: () => 'nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tcgroup2\n\text4\n\txfs\n\tvfat\n',
      cmdline: () => 'BOOT_IMAGE=/boot/vmlinuz-6.8.0-bpfsim root=/dev/nvme0n1p2 ro quiet\n',
      kallsyms: () => '',
    };
    for (const [name, gen] of Object.entries(sys)) this.gen(root, name, gen, name === 'kallsyms' ? 0o400 : 0o444);
    const net = this.dir(root, 'net', 0o555);
    this.gen(net, 'tcp', () => k.s.net.procNetTcp());
    this.gen(net, 'dev', () => 'Inter-|   Receive                |  Transmit\n face |bytes    packets errs drop|bytes    packets errs drop\n    lo: 8812331 41021 0 0 8812331 41021 0 0\n  eth0: 9208811322 8112034 0 31 31290014773 9120113 0 0\n');
    const sysDir = this.dir(root, 'sys', 0o555);
    const kern = this.dir(sysDir, 'kernel', 0o555);
    this.gen(kern, 'hostname', () => `${k.s.procs.hostname}\n`, 0o644);
    this.gen(kern, 'pid_max', () => '4194304\n', 0o644);
    this.gen(kern, 'perf_event_paranoid', () => '2\n', 0o644);
    const vm = this.dir(sysDir, 'vm', 0o555);
    this.gen(vm, 'dirty_ratio', () => '20\n', 0o644);
    this.gen(vm, 'swappiness', () => '60\n', 0o644);
  }

  private dir(parent: FsNode, name: string, perm: number): FsNode {
    const n = parent.add(new FsNode(name, 'dir', perm));
    n.mount = this.mount;
    n.ino = 4026531840 + parent.children!.size;
    n.nlink = 2;
    return n;
  }

  private gen(parent: FsNode, name: string, g: Generated, perm = 0o444, uid = 0): FsNode {
    const n = parent.add(new FsNode(name, 'file', perm, uid, uid));
    n.mount = this.mount;
    n.generate = g;
    n.ino = 4026532000 + (parent.children!.size + parent.ino) % 100000;
    return n;
  }

  /** Resolves a name under /proc that is not a fixed entry: PID directories and `self`. */
  lookup(dir: FsNode, name: string, t: Task): FsNode | null {
    if (dir !== this.mount.root) return null;
    if (name === 'self' || name === 'thread-self') {
      const n = new FsNode(name, 'symlink', 0o777);
      n.mount = this.mount;
      n.target = String(t.tgid);
      return n;
    }
    if (!/^\d+$/.test(name)) return null;
    const pid = Number(name);
    const task = this.k.tasks.get(pid);
    if (!task || task.exitState) {
      this.perPid.delete(pid);
      return null;
    }
    let n = this.perPid.get(pid);
    if (!n) {
      n = this.pidDir(pid, task);
      this.perPid.set(pid, n);
    }
    return n;
  }

  private pidDir(pid: number, task: Task): FsNode {
    const k = this.k;
    const uid = task.proc.cred.uid;
    const d = new FsNode(String(pid), 'dir', 0o555, uid, task.proc.cred.gid);
    d.mount = this.mount;
    d.parent = this.mount.root;
    d.ino = 100_000 + pid;
    d.nlink = 9;
    const live = () => k.tasks.get(pid) ?? task;
    this.gen(d, 'stat', () => this.pidStat(live()), 0o444, uid);
    this.gen(d, 'status', () => this.pidStatus(live()), 0o444, uid);
    this.gen(d, 'cmdline', () => live().proc.argv.join('\0') + '\0', 0o444, uid);
    this.gen(d, 'comm', () => `${live().comm}\n`, 0o644, uid);
    this.gen(d, 'environ', () => 'PATH=/usr/bin:/bin\0', 0o400, uid);
    this.gen(d, 'maps', () => this.maps(live()), 0o444, uid);
    this.gen(d, 'io', () => 'rchar: 1203342\nwchar: 88213\nsyscr: 9123\nsyscw: 1203\nread_bytes: 0\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n', 0o400, uid);
    this.gen(d, 'limits', () => 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\n', 0o444, uid);
    this.gen(d, 'cgroup', () => `0::${live().proc.container.cgroupPath}\n`, 0o444, uid);
    const fd = d.add(new FsNode('fd', 'dir', 0o500, uid, task.proc.cred.gid));
    fd.mount = this.mount;
    fd.ino = 200_000 + pid;
    const exe = new FsNode('exe', 'symlink', 0o777, uid, task.proc.cred.gid);
    exe.mount = this.mount;
    exe.target = task.proc.exe?.path ?? '/';
    d.add(exe);
    return d;
  }

  private pidStat(t: Task): string {
    const st = t.state === 0 ? (t.onCpu ? 'R' : 'R') : t.state === 1 ? 'S' : t.state === 2 ? 'D' : t.exitState ? 'Z' : 'S';
    const ticks = (ns: number) => Math.floor(ns / 1e7);
    const ppid = t.parent?.tgid ?? 0;
    return `${t.pid} (${t.comm}) ${st} ${ppid} ${t.tgid} ${t.tgid} 0 -1 4194304 ${t.minFlt} 0 ${t.majFlt} 0 ${ticks(t.utime)} ${ticks(t.stime)} 0 0 20 0 ${t.proc.threads.length} 0 ${Math.floor(t.startTime / 1e7)} 12582912 812 18446744073709551615\n`;
  }

  private pidStatus(t: Task): string {
    const c = t.proc.cred;
    return [
      `Name:\t${t.comm}`,
      `State:\t${t.state === 1 ? 'S (sleeping)' : t.state === 2 ? 'D (disk sleep)' : 'R (running)'}`,
      `Tgid:\t${t.tgid}`,
      `Pid:\t${t.pid}`,
      `PPid:\t${t.parent?.tgid ?? 0}`,
      `Uid:\t${c.uid}\t${c.euid}\t${c.uid}\t${c.euid}`,
      `Gid:\t${c.gid}\t${c.egid}\t${c.gid}\t${c.egid}`,
      `Threads:\t${t.proc.threads.length}`,
      `voluntary_ctxt_switches:\t${t.nvcsw}`,
      `nonvoluntary_ctxt_switches:\t${t.nivcsw}`,
      '',
    ].join('\n');
  }

  private maps(t: Task): string {
    const lines: string[] = [];
    for (const [path, base] of [...t.proc.bases].sort((a, b) => a[1] - b[1])) {
      lines.push(`${base.toString(16)}-${(base + 0x1000).toString(16)} r--p 00000000 103:02 1 ${path}`);
    }
    for (const m of t.proc.user.mappings) lines.push(`${m.start.toString(16)}-${m.end.toString(16)} rw-p 00000000 00:00 0 ${m.name}`);
    return lines.join('\n') + '\n';
  }

  private meminfo(): string {
    const total = 16_314_812;
    const cached = 6_021_344 + Math.floor(this.vfs.dirtyPages * 4);
    return `MemTotal:       ${total} kB\nMemFree:         ${2_118_092} kB\nMemAvailable:   ${9_044_120} kB\nBuffers:          212_844 kB\nCached:         ${cached} kB\nDirty:          ${this.vfs.dirtyPages * 4} kB\nSwapTotal:       2097148 kB\nSwapFree:        2097148 kB\n`.replace(/_/g, '');
  }

  private loadavg(): string {
    const k = this.k;
    let running = 0;
    for (const c of k.s.sched.cpus) running += c.rq.length + (c.curr.idle ? 0 : 1);
    return `${k.s.load.text()} ${running}/${k.tasks.size} ${k.s.procs.lastPid()}\n`;
  }

  private stat(): string {
    const k = this.k;
    const lines = [`cpu  ${Math.floor(k.now / 4e6)} 120 ${Math.floor(k.now / 2e7)} ${Math.floor(k.now / 1.3e6)} 2210 0 4431 0 0 0`];
    for (let i = 0; i < k.nrCpus; i++) lines.push(`cpu${i} ${Math.floor(k.now / 1.6e7)} 30 ${Math.floor(k.now / 8e7)} ${Math.floor(k.now / 5.2e6)} 552 0 1108 0 0 0`);
    lines.push(`ctxt ${k.s.sched.cpus.reduce((n, c) => n + c.nrSwitches, 0)}`, `btime 1718000000`, `processes ${k.tasks.size}`);
    return lines.join('\n') + '\n';
  }

  private cpuinfo(): string {
    const out: string[] = [];
    for (let i = 0; i < this.k.nrCpus; i++) out.push(`processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\ncpu MHz\t\t: 2899.998\ncache size\t: 55296 KB\n`);
    return out.join('\n');
  }

  private mounts(): string {
    return this.vfs.mounts.map((m) => `${m.devName} ${m.root.path() || '/'} ${m.fsType} rw,relatime 0 0`).join('\n') + '\n';
  }
}
