// Builds the machine's file tree and mounts from tree-data.ts and the binary table:
// the root ext4 file system on nvme0n1p2, the PostgreSQL data on an HDD (sda1), and the
// virtual file systems (proc, sysfs, devtmpfs, tmpfs). Regular files are laid out
// contiguously on their device so block I/O has real sector numbers.
import { binaries } from '../user/binaries';
import { FsNode, type Mount, type NodeKind } from './node';
import { ETC_FILES, EXTRA_BINARIES, HEADERS, PG_RELATIONS, PROJECT_SOURCES, WEB_FILES, INSTALL_SH } from './tree-data';

const UTF8 = new TextEncoder();

export interface MountSpec {
  path: string;
  devName: string;
  fsType: string;
  dev: number;
  disk: number;
  startSector: number;
  virtual: boolean;
  blockBits: number;
}

/** MKDEV as the kernel encodes dev_t internally (major << 20 | minor). */
export function mkdev(major: number, minor: number): number {
  return ((major << 20) | minor) >>> 0;
}

export const MOUNTS: readonly MountSpec[] = [
  { path: '/', devName: '/dev/nvme0n1p2', fsType: 'ext4', dev: mkdev(259, 2), disk: 0, startSector: 2_203_648, virtual: false, blockBits: 12 },
  { path: '/boot/efi', devName: '/dev/nvme0n1p1', fsType: 'vfat', dev: mkdev(259, 1), disk: 0, startSector: 2048, virtual: false, blockBits: 12 },
  { path: '/var/lib/postgresql', devName: '/dev/sda1', fsType: 'xfs', dev: mkdev(8, 1), disk: 1, startSector: 2048, virtual: false, blockBits: 12 },
  { path: '/proc', devName: 'proc', fsType: 'proc', dev: mkdev(0, 22), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
  { path: '/sys', devName: 'sysfs', fsType: 'sysfs', dev: mkdev(0, 21), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
  { path: '/dev', devName: 'udev', fsType: 'devtmpfs', dev: mkdev(0, 5), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
  { path: '/run', devName: 'tmpfs', fsType: 'tmpfs', dev: mkdev(0, 25), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
  { path: '/tmp', devName: 'tmpfs', fsType: 'tmpfs', dev: mkdev(0, 40), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
  { path: '/sys/fs/cgroup', devName: 'cgroup2', fsType: 'cgroup2', dev: mkdev(0, 26), disk: -1, startSector: 0, virtual: true, blockBits: 12 },
];

export class TreeBuilder {
  readonly root: FsNode;
  private ino = 2;
  private readonly sectorNext = new Map<Mount, number>();

  constructor(readonly rootMount: Mount) {
    this.root = new FsNode('', 'dir', 0o755);
    this.root.mount = rootMount;
    this.root.ino = 2;
    rootMount.root = this.root;
  }

  /** The node at `path`, creating missing directories (0755 root) on the way. */
  dir(path: string, perm = 0o755, uid = 0, gid = 0): FsNode {
    let n = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      let next = n.children?.get(part);
      if (!next) {
        next = this.node(n, part, 'dir', perm, uid, gid);
      }
      n = next.mounted ? next.mounted.root : next;
    }
    return n;
  }

  private node(parent: FsNode, name: string, kind: NodeKind, perm: number, uid: number, gid: number): FsNode {
    const n = parent.add(new FsNode(name, kind, perm, uid, gid));
    n.mount = parent.mount;
    n.ino = this.nextIno(n.mount);
    n.mtime = 1_717_000_000 + (n.ino % 900_000);
    n.atime = n.mtime;
    n.ctime = n.mtime;
    if (kind === 'dir') {
      n.size = 4096;
      n.nlink = 2;
    }
    return n;
  }

  private nextIno(m: Mount): number {
    if (m.fsType === 'ext4' || m.fsType === 'xfs') return (this.ino += 1 + (this.ino % 7)) + (m.fsType === 'xfs' ? 1_000_000 : 1_300_000);
    return ++this.ino;
  }

  /** Adds a regular file with text content or a size. */
  file(path: string, spec: { content?: string; size?: number; mode?: number; uid?: number; gid?: number }): FsNode {
    const slash = path.lastIndexOf('/');
    // Directories made on the way belong to the file's owner (a user's project tree).
    const parent = this.dir(path.slice(0, slash) || '/', 0o755, spec.uid ?? 0, spec.gid ?? 0);
    const name = path.slice(slash + 1);
    const existing = parent.children?.get(name);
    if (existing) return existing;
    const n = this.node(parent, name, 'file', spec.mode ?? 0o644, spec.uid ?? 0, spec.gid ?? 0);
    n.content = spec.content ?? null;
    n.size = spec.content !== undefined ? UTF8.encode(spec.content).length : (spec.size ?? 0);
    this.place(n);
    return n;
  }

  /** Gives a file its contiguous extent on the device. */
  place(n: FsNode): void {
    const m = n.mount;
    if (m.virtual) return;
    const next = this.sectorNext.get(m) ?? m.startSector + 65_536;
    n.sector = next;
    this.sectorNext.set(m, next + Math.ceil(Math.max(n.size, 4096) / 4096) * 8 + 8 * (1 + (n.ino % 16)));
  }

  symlink(path: string, target: string): FsNode {
    const slash = path.lastIndexOf('/');
    const parent = this.dir(path.slice(0, slash) || '/');
    const n = this.node(parent, path.slice(slash + 1), 'symlink', 0o777, 0, 0);
    n.target = target;
    n.size = target.length;
    return n;
  }

  device(path: string, kind: 'chr' | 'blk', major: number, minor: number, perm = 0o660, gid = 0): FsNode {
    const slash = path.lastIndexOf('/');
    const parent = this.dir(path.slice(0, slash));
    const n = this.node(parent, path.slice(slash + 1), kind, perm, 0, gid);
    n.rdev = mkdev(major, minor);
    return n;
  }

  /** Mounts `m` at `path` (the directory's contents are replaced by the mounted root). */
  mount(path: string, m: Mount): void {
    const at = this.dir(path);
    const perm = m.fsType === 'tmpfs' && path === '/tmp' ? 0o1777 : m.fsType === 'proc' || m.fsType === 'sysfs' ? 0o555 : 0o755;
    const r = new FsNode(at.name, 'dir', perm);
    r.mount = m;
    r.parent = at.parent;
    r.ino = m.fsType === 'proc' ? 1 : m.fsType === 'xfs' ? 128 : 2;
    r.size = 4096;
    r.nlink = 2;
    m.root = r;
    at.mounted = m;
  }

  /** Populates the standard tree. */
  populate(): void {
    for (const d of ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/lib', '/usr/share', '/var/log', '/var/cache', '/opt', '/srv', '/mnt', '/media', '/snap'])
      this.dir(d);
    this.dir('/var/tmp', 0o1777);
    this.dir('/root', 0o700);
    this.dir('/home/alice', 0o750, 1000, 1000);
    this.dir('/home/bob', 0o750, 1001, 1001);
    this.dir('/var/log/nginx', 0o755, 33, 4);
    this.dir('/var/lib/postgresql/16/main', 0o700, 112, 120);
    this.dir('/var/www/html', 0o755, 33, 33);
    this.dir('/var/spool/cron/crontabs', 0o1730, 0, 102);
    this.dir('/var/backups');
    for (const [path, spec] of Object.entries(ETC_FILES)) this.file(path, spec);
    for (const b of binaries()) {
      // Python's extension modules are laid down with the last files.
      if (b.path.includes('/lib-dynload/')) continue;
      const size = b.textSize * 3 + 0x8000;
      this.file(b.path, { size, mode: b.kind === 'exe' ? (b.path === '/usr/bin/sudo' ? 0o4755 : 0o755) : 0o644 });
    }
    for (const [path, size] of Object.entries(EXTRA_BINARIES)) this.file(path, { size, mode: path.includes('/lib') || path.startsWith('/boot') ? 0o644 : 0o755 });
    this.symlink('/bin/sh', 'dash');
    this.file('/bin/dash', { size: 125_688, mode: 0o755 });
    this.symlink('/usr/bin/bash', '/bin/bash');
    this.symlink('/usr/bin/vim', '/usr/bin/vim.basic');
    this.symlink('/usr/bin/python3', 'python3.12');
    this.symlink('/usr/bin/x86_64-linux-gnu-gcc-13', 'gcc');
    this.symlink('/lib64/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    this.symlink('/lib', 'usr/lib');
    this.symlink('/usr/lib/x86_64-linux-gnu/libz.so', 'libz.so.1');
    for (const [h, size] of Object.entries(HEADERS)) this.file(h.startsWith('/') ? h : `/usr/include/${h}`, { size });
    for (const [p, size] of Object.entries(PROJECT_SOURCES)) this.file(`/home/alice/project/${p}`, { size, uid: 1000, gid: 1000 });
    for (const [p, size] of Object.entries(WEB_FILES)) this.file(`/var/www/html/${p}`, { size, uid: 33, gid: 33 });
    this.file('/var/log/nginx/access.log', { size: 18_442_901, mode: 0o640, uid: 33, gid: 4 });
    this.file('/var/log/nginx/error.log', { size: 98_204, mode: 0o640, uid: 33, gid: 4 });
    this.file('/var/log/syslog', { size: 4_390_112, mode: 0o640, uid: 104, gid: 4 });
    this.file('/var/log/auth.log', { size: 601_883, mode: 0o640, uid: 104, gid: 4 });
    this.file('/var/log/kern.log', { size: 210_441, mode: 0o640, uid: 104, gid: 4 });
    this.file('/var/log/postgresql/postgresql-16-main.log', { size: 1_204_332, mode: 0o640, uid: 112, gid: 4 });
    this.file('/var/log/journal/6c2f1a9e/system.journal', { size: 41_943_040, mode: 0o640, gid: 4 });
    this.file('/var/log/app/app.log', { size: 8_122_003, uid: 1000, gid: 1000 });
    this.file('/var/cache/app/sessions.db', { size: 12_582_912, uid: 33, gid: 33 });
    this.file('/var/lib/redis/dump.rdb', { size: 52_428_800, mode: 0o660, uid: 113, gid: 121 });
    this.file('/var/lib/dpkg/status', { size: 1_822_044 });
    this.file('/var/lib/app/data.bin', { size: 1_073_741_824, uid: 1000, gid: 1000 });
    for (const [rel, size] of PG_RELATIONS) this.file(`/var/lib/postgresql/16/main/base/16384/${rel}`, { size, mode: 0o600, uid: 112, gid: 120 });
    for (const seg of ['000000010000000A00000041', '000000010000000A00000042', '000000010000000A00000043'])
      this.file(`/var/lib/postgresql/16/main/pg_wal/${seg}`, { size: 16_777_216, mode: 0o600, uid: 112, gid: 120 });
    this.file('/var/lib/postgresql/16/main/global/pg_control', { size: 8_192, mode: 0o600, uid: 112, gid: 120 });
    this.file('/var/lib/postgresql/16/main/PG_VERSION', { content: '16\n', mode: 0o600, uid: 112, gid: 120 });
    this.file('/var/lib/postgresql/16/main/postmaster.pid', { size: 100, mode: 0o600, uid: 112, gid: 120 });
    this.file('/opt/app/install.sh', { content: INSTALL_SH, mode: 0o755 });
    for (const b of binaries()) if (b.path.includes('/lib-dynload/')) this.file(b.path, { size: b.textSize * 3 + 0x8000, mode: 0o644 });
  }

  /** Device nodes, /run and /sys content (after those file systems are mounted). */
  populateVirtual(): void {
    this.device('/dev/null', 'chr', 1, 3, 0o666);
    this.device('/dev/zero', 'chr', 1, 5, 0o666);
    this.device('/dev/random', 'chr', 1, 8, 0o666);
    this.device('/dev/urandom', 'chr', 1, 9, 0o666);
    this.device('/dev/tty', 'chr', 5, 0, 0o666, 5);
    this.device('/dev/console', 'chr', 5, 1, 0o600);
    this.device('/dev/ptmx', 'chr', 5, 2, 0o666, 5);
    for (let i = 0; i < 6; i++) this.device(`/dev/pts/${i}`, 'chr', 136, i, 0o620, 5);
    this.device('/dev/nvme0n1', 'blk', 259, 0, 0o660, 6);
    this.device('/dev/nvme0n1p1', 'blk', 259, 1, 0o660, 6);
    this.device('/dev/nvme0n1p2', 'blk', 259, 2, 0o660, 6);
    this.device('/dev/sda', 'blk', 8, 0, 0o660, 6);
    this.device('/dev/sda1', 'blk', 8, 1, 0o660, 6);
    this.dir('/dev/shm', 0o1777);
    this.file('/run/nginx.pid', { content: '812\n' });
    this.file('/run/sshd.pid', { content: '701\n' });
    this.file('/run/crond.pid', { content: '655\n' });
    this.dir('/run/postgresql', 0o2775, 112, 120);
    this.dir('/run/systemd/journal');
    this.file('/sys/kernel/mm/transparent_hugepage/enabled', { content: 'always [madvise] never\n' });
    this.file('/sys/class/net/eth0/statistics/rx_bytes', { content: '9208811322\n' });
    this.file('/sys/class/net/eth0/statistics/tx_bytes', { content: '31290014773\n' });
    this.file('/sys/block/nvme0n1/stat', { content: '  981234 0 38221200 120932 442109 0 21022332 993210 0 420000 1114142\n' });
    this.file('/sys/fs/cgroup/cgroup.controllers', { content: 'cpuset cpu io memory hugetlb pids rdma misc\n' });
    this.file('/sys/fs/cgroup/system.slice/nginx.service/cgroup.procs', { content: '812\n' });
    this.file('/sys/fs/cgroup/system.slice/nginx.service/memory.current', { content: '48312320\n' });
    this.file('/sys/fs/cgroup/user.slice/memory.current', { content: '312004608\n' });
    this.dir('/tmp/.X11-unix', 0o1777);
  }
}

export { FsNode };
