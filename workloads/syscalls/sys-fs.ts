// File-system system calls: open/openat/openat2/creat, close, read/write and their
// positional and vectored forms, lseek, the stat family, access, getdents, the directory
// and name operations (mkdir, rmdir, unlink, rename, link, symlink, readlink, chdir,
// getcwd), chmod/chown, truncate, fsync/fdatasync/sync, dup, pipe, fcntl, ioctl, flock,
// sendfile, splice and statfs. Each returns the Linux result (or -errno).
import type { Kernel } from '../kernel/kernel';
import { DENTRY, KSTAT, RENAMEDATA } from '../kernel/offsets';
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';
import type { KGen, Task, UOp } from '../kernel/task';
import * as E from '../errno';
import type { FsNode } from '../fs/node';
import { readUserString } from '../user/process-maps';
import type { SysImpl } from './types';

const u = (v: number) => v >>> 0;
const s32 = (v: number) => v | 0;

function path(k: Kernel, t: Task, addr: number): string | number {
  return k.s.vfs.getname(t, addr, kat('getname', ...SYSCALL_BASE));
}

/** Writes a struct stat (x86-64 layout, 144 bytes) for a node into user memory. */
function writeStat(k: Kernel, t: Task, addr: number, n: FsNode): number {
  if (!addr) return -E.EFAULT;
  const lin = t.proc.user.translate(addr, 144);
  if (lin < 0) return -E.EFAULT;
  const mem = k.mem;
  mem.u8.fill(0, lin, lin + 144);
  const dev = n.mount.dev;
  mem.writeNum64(lin, ((dev >>> 20) << 8) | (dev & 0xff));
  mem.writeNum64(lin + 8, n.ino);
  mem.writeNum64(lin + 16, n.nlink);
  mem.writeU32(lin + 24, n.mode);
  mem.writeU32(lin + 28, n.uid);
  mem.writeU32(lin + 32, n.gid);
  mem.writeNum64(lin + 40, n.rdev);
  mem.writeNum64(lin + 48, n.size);
  mem.writeNum64(lin + 56, 4096);
  mem.writeNum64(lin + 64, Math.ceil(n.size / 512));
  mem.writeNum64(lin + 72, n.atime);
  mem.writeNum64(lin + 88, n.mtime);
  mem.writeNum64(lin + 104, n.ctime);
  return 0;
}

const GETATTR = kat('vfs_getattr', 'vfs_statx', 'vfs_fstatat', '__do_sys_newfstatat', ...SYSCALL_BASE);
const STATX = kat('vfs_statx', 'vfs_fstatat', '__do_sys_newfstatat', ...SYSCALL_BASE);

function statNode(k: Kernel, t: Task, n: FsNode, statbuf: number, dfd: number, fname: number): number {
  const H = k.hooks;
  const vx = H.k('vfs_statx');
  if (vx.entry.on) k.kprobe(vx, t, STATX, dfd, fname, 0, 0, 0x7ff);
  const ga = H.k('vfs_getattr');
  if (ga.entry.on) {
    const ks = k.scratch(KSTAT.SIZE);
    k.mem.writeU16(ks + KSTAT.mode, n.mode);
    k.mem.writeNum64(ks + KSTAT.ino, n.ino);
    k.mem.writeNum64(ks + KSTAT.size, n.size);
    const p = k.scratch(16);
    k.mem.writePtr(p + 8, k.s.vfs.dentryOf(n));
    k.mem.writePtr(p, n.mount.mountLin);
    k.kprobe(ga, t, GETATTR, p, ks, 0x7ff, 0);
  }
  k.cost(t, 500);
  return writeStat(k, t, statbuf, n);
}

function* statPath(k: Kernel, t: Task, dfd: number, addr: number, statbuf: number, follow: boolean): KGen {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  k.cost(t, 300 + p.length * 10);
  const r = k.s.vfs.lookup(t, p, follow, base);
  if (typeof r === 'number') return r;
  if (!r.node.dcached) {
    r.node.dcached = true;
    k.cost(t, 1_200);
    k.s.mm.cacheAlloc(t, 'dentry', k.s.mm.watchesCache() ? k.s.vfs.dentryOf(r.node) : 0, STATX);
  }
  return statNode(k, t, r.node, statbuf, dfd, addr);
}

function fstat(k: Kernel, t: Task, fd: number, statbuf: number): number {
  const f = k.s.vfs.fdGet(t.proc, s32(fd));
  if (!f) return -E.EBADF;
  if (!f.node) return writeStat(k, t, statbuf, k.s.vfs.root);
  return statNode(k, t, f.node, statbuf, s32(fd), 0);
}

function* access(k: Kernel, t: Task, dfd: number, addr: number, mode: number): KGen {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  const r = k.s.vfs.lookup(t, p, true, base);
  if (typeof r === 'number') return r;
  k.cost(t, 400);
  if (mode === 0) return 0;
  return k.s.vfs.permission(t, r.node, mode & 7, kat('cap_capable', 'security_capable', 'capable', 'do_faccessat', ...SYSCALL_BASE));
}

/** getdents64: linux_dirent64 records into the user buffer. */
function getdents(k: Kernel, t: Task, fd: number, buf: number, count: number): number {
  const f = k.s.vfs.fdGet(t.proc, s32(fd));
  if (!f) return -E.EBADF;
  if (!f.node || !f.node.isDir()) return -E.ENOTDIR;
  const H = k.hooks.k('iterate_dir');
  if (H.entry.on) k.kprobe(H, t, kat('iterate_dir', '__x64_sys_getdents64', ...SYSCALL_BASE), f.lin, 0);
  const entries: [string, number, number][] = [
    ['.', f.node.ino, 4],
    ['..', f.node.parent?.ino ?? f.node.ino, 4],
  ];
  for (const c of f.node.children?.values() ?? []) entries.push([c.name, c.ino, c.kind === 'dir' ? 4 : c.kind === 'symlink' ? 10 : c.kind === 'chr' ? 2 : 8]);
  if (f.node === k.s.vfs.mounts.find((m) => m.fsType === 'proc')?.root) for (const pid of [...k.tasks.keys()].filter((p) => p > 0).slice(0, 300)) entries.push([String(pid), 100_000 + pid, 4]);
  const enc = new TextEncoder();
  let off = 0;
  const lin = t.proc.user.translate(buf, 1);
  const m = t.proc.user.find(buf);
  const room = m ? Math.min(count, m.end - buf) : 0;
  while (f.dirPos < entries.length) {
    const [name, ino, type] = entries[f.dirPos];
    const nb = enc.encode(name);
    const reclen = (19 + nb.length + 1 + 7) & ~7;
    if (off + reclen > room) break;
    if (lin >= 0) {
      const at = lin + off;
      k.mem.writeNum64(at, ino);
      k.mem.writeNum64(at + 8, f.dirPos + 1);
      k.mem.writeU16(at + 16, reclen);
      k.mem.writeU8(at + 18, type);
      k.mem.u8.set(nb, at + 19);
      k.mem.u8[at + 19 + nb.length] = 0;
    }
    off += reclen;
    f.dirPos++;
  }
  k.cost(t, 800 + off * 4);
  if (off === 0 && f.dirPos < entries.length) return -E.EINVAL;
  return off;
}

function* unlinkAt(k: Kernel, t: Task, dfd: number, addr: number, flags: number): KGen {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  const vfs = k.s.vfs;
  const parent = vfs.lookupParent(t, p, base);
  if (typeof parent === 'number') return parent;
  const n = parent.dir.children?.get(parent.name);
  if (!n) return -E.ENOENT;
  const perm = vfs.permission(t, parent.dir, 3, kat('cap_capable', 'security_capable', 'capable', 'do_unlinkat', ...SYSCALL_BASE));
  if (perm) return perm;
  const rmdir = (flags & E.AT_REMOVEDIR) !== 0;
  if (rmdir !== n.isDir()) return rmdir ? -E.ENOTDIR : -E.EISDIR;
  if (rmdir && n.children && n.children.size) return -E.ENOTEMPTY;
  const H = k.hooks;
  const stack = kat(rmdir ? 'vfs_rmdir' : 'vfs_unlink', rmdir ? 'do_rmdir' : 'do_unlinkat', ...SYSCALL_BASE);
  const sec = H.k('security_inode_unlink');
  if (!rmdir && sec.entry.on) {
    const ov = k.kprobe(sec, t, kat('security_inode_unlink', 'vfs_unlink', 'do_unlinkat', ...SYSCALL_BASE), vfs.inodeOf(parent.dir), vfs.dentryOf(n));
    if (ov !== null && ov !== 0) return ov;
  }
  const du = H.k('do_unlinkat');
  if (du.entry.on) k.kprobe(du, t, kat('do_unlinkat', ...SYSCALL_BASE), dfd, 0);
  const fn = H.k(rmdir ? 'vfs_rmdir' : 'vfs_unlink');
  if (fn.entry.on) k.kprobe(fn, t, stack, 0, vfs.inodeOf(parent.dir), vfs.dentryOf(n), 0);
  parent.dir.children!.delete(parent.name);
  n.unlinked = true;
  n.nlink = 0;
  if (n.opens === 0) n.pages = null;
  if (vfs.dirty.delete(n)) vfs.dirtyPages = Math.max(0, vfs.dirtyPages - n.dirtyPages);
  k.s.writeback.metaDirty.add(parent.dir.mount);
  k.cost(t, 4_000);
  if (fn.ret.on) k.kretprobe(fn, t, kin('do_unlinkat', ...SYSCALL_BASE), 0);
  return 0;
}

function* mkdirAt(k: Kernel, t: Task, dfd: number, addr: number, mode: number): KGen {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  const vfs = k.s.vfs;
  const parent = vfs.lookupParent(t, p, base);
  if (typeof parent === 'number') return parent;
  if (parent.dir.children?.has(parent.name)) return -E.EEXIST;
  const perm = vfs.permission(t, parent.dir, 3, kat('cap_capable', 'security_capable', 'capable', 'do_mkdirat', ...SYSCALL_BASE));
  if (perm) return perm;
  const n = vfs.newNode(parent.dir, parent.name, 'dir', mode & ~t.proc.umask & 0o7777, t.proc.cred.euid, t.proc.cred.egid);
  const H = k.hooks.k('vfs_mkdir');
  if (H.entry.on) k.kprobe(H, t, kat('vfs_mkdir', 'do_mkdirat', ...SYSCALL_BASE), 0, vfs.inodeOf(parent.dir), vfs.dentryOf(n), mode);
  k.s.writeback.metaDirty.add(parent.dir.mount);
  k.cost(t, 6_000);
  return 0;
}

function* renameAt(k: Kernel, t: Task, odfd: number, oaddr: number, ndfd: number, naddr: number, flags: number): KGen {
  const vfs = k.s.vfs;
  const op = path(k, t, oaddr);
  if (typeof op === 'number') return op;
  const np = path(k, t, naddr);
  if (typeof np === 'number') return np;
  const ob = vfs.atBase(t, odfd);
  const nb = vfs.atBase(t, ndfd);
  if (typeof ob === 'number') return ob;
  if (typeof nb === 'number') return nb;
  const from = vfs.lookupParent(t, op, ob);
  const to = vfs.lookupParent(t, np, nb);
  if (typeof from === 'number') return from;
  if (typeof to === 'number') return to;
  const n = from.dir.children?.get(from.name);
  if (!n) return -E.ENOENT;
  if (from.dir.mount !== to.dir.mount) return -E.EXDEV;
  for (const d of [from.dir, to.dir]) {
    const perm = vfs.permission(t, d, 3, kat('cap_capable', 'security_capable', 'capable', 'do_renameat2', ...SYSCALL_BASE));
    if (perm) return perm;
  }
  const H = k.hooks;
  const dr = H.k('do_renameat2');
  if (dr.entry.on) k.kprobe(dr, t, kat('do_renameat2', ...SYSCALL_BASE), odfd, 0, ndfd, 0, flags);
  const vr = H.k('vfs_rename');
  const existing = to.dir.children?.get(to.name);
  if (vr.entry.on) {
    const rd = k.scratch(RENAMEDATA.SIZE);
    k.mem.writePtr(rd + RENAMEDATA.old_dir, vfs.inodeOf(from.dir));
    k.mem.writePtr(rd + RENAMEDATA.old_dentry, vfs.dentryOf(n));
    k.mem.writePtr(rd + RENAMEDATA.new_dir, vfs.inodeOf(to.dir));
    k.mem.writePtr(rd + RENAMEDATA.new_dentry, existing ? vfs.dentryOf(existing) : vfs.dentryOf(n));
    k.mem.writeU32(rd + RENAMEDATA.flags, flags);
    k.kprobe(vr, t, kat('vfs_rename', 'do_renameat2', ...SYSCALL_BASE), rd);
  }
  from.dir.children!.delete(from.name);
  if (existing) existing.unlinked = true;
  n.name = to.name;
  to.dir.add(n);
  if (n.dentryLin) {
    // The dentry keeps its object; its name changes like d_move does.
    const mem = k.mem;
    const bytes = new TextEncoder().encode(n.name);
    if (bytes.length < 40) {
      mem.u8.set(bytes, n.dentryLin + DENTRY.d_iname);
      mem.u8[n.dentryLin + DENTRY.d_iname + bytes.length] = 0;
      mem.writePtr(n.dentryLin + DENTRY['d_name.name'], n.dentryLin + DENTRY.d_iname);
      mem.writeU32(n.dentryLin + DENTRY['d_name.len'], bytes.length);
    }
    mem.writePtr(n.dentryLin + DENTRY.d_parent, vfs.dentryOf(to.dir));
  }
  k.s.writeback.metaDirty.add(from.dir.mount);
  k.cost(t, 7_000);
  return 0;
}

function chdir(k: Kernel, t: Task, addr: number): number {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const r = k.s.vfs.lookup(t, p, true);
  if (typeof r === 'number') return r;
  if (!r.node.isDir()) return -E.ENOTDIR;
  const perm = k.s.vfs.permission(t, r.node, 1, kat('cap_capable', 'security_capable', 'capable', '__x64_sys_chdir', ...SYSCALL_BASE.slice(1)));
  if (perm) return perm;
  t.proc.cwd = r.node;
  k.s.vfs.writeFs(t.proc);
  return 0;
}

function getcwd(k: Kernel, t: Task, buf: number, size: number): number {
  const cwd = ((t.proc.cwd as FsNode) ?? k.s.vfs.root).path();
  const bytes = new TextEncoder().encode(cwd);
  if (bytes.length + 1 > size) return -E.ERANGE;
  const lin = t.proc.user.translate(buf, bytes.length + 1);
  if (lin < 0) return -E.EFAULT;
  k.mem.u8.set(bytes, lin);
  k.mem.u8[lin + bytes.length] = 0;
  return bytes.length + 1;
}

function readlink(k: Kernel, t: Task, dfd: number, addr: number, buf: number, size: number): number {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  const r = k.s.vfs.lookup(t, p, false, base);
  if (typeof r === 'number') return r;
  if (r.node.kind !== 'symlink') return -E.EINVAL;
  const bytes = new TextEncoder().encode(r.node.target).subarray(0, size);
  const lin = t.proc.user.translate(buf, Math.max(1, bytes.length));
  if (lin < 0) return -E.EFAULT;
  k.mem.u8.set(bytes, lin);
  return bytes.length;
}

function chmodNode(k: Kernel, t: Task, n: FsNode, mode: number): number {
  if (t.proc.cred.euid !== n.uid && !k.s.vfs.capable(t, 3 /* CAP_FOWNER */, kat('cap_capable', 'security_capable', 'capable', 'chmod_common', ...SYSCALL_BASE))) return -E.EPERM;
  n.perm = mode & 0o7777;
  k.s.vfs.writeInode(n);
  return 0;
}

function chownNode(k: Kernel, t: Task, n: FsNode, uid: number, gid: number): number {
  if (!k.s.vfs.capable(t, 0 /* CAP_CHOWN */, kat('cap_capable', 'security_capable', 'capable', 'chown_common', ...SYSCALL_BASE))) return -E.EPERM;
  if (uid !== 0xffffffff) n.uid = uid;
  if (gid !== 0xffffffff) n.gid = gid;
  k.s.vfs.writeInode(n);
  return 0;
}

function withPath(k: Kernel, t: Task, dfd: number, addr: number, fn: (n: FsNode) => number): number {
  const p = path(k, t, addr);
  if (typeof p === 'number') return p;
  const base = k.s.vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  const r = k.s.vfs.lookup(t, p, true, base);
  if (typeof r === 'number') return r;
  return fn(r.node);
}

function withFd(k: Kernel, t: Task, fd: number, fn: (n: FsNode) => number): number {
  const f = k.s.vfs.fdGet(t.proc, s32(fd));
  if (!f) return -E.EBADF;
  if (!f.node) return -E.EINVAL;
  return fn(f.node);
}

function truncateNode(k: Kernel, n: FsNode, len: number): number {
  if (n.isDir()) return -E.EISDIR;
  n.size = Math.max(0, len);
  if (n.pages) n.pages = n.pages.slice(0, Math.ceil(n.size / 4096) + 1);
  k.s.vfs.writeInode(n);
  return 0;
}

function dup(k: Kernel, t: Task, oldfd: number, newfd: number, flags: number, exact: boolean): number {
  const vfs = k.s.vfs;
  const f = vfs.fdGet(t.proc, s32(oldfd));
  if (!f) return -E.EBADF;
  if (!exact) {
    f.refs++;
    return vfs.installFd(t, f, (flags & E.O_CLOEXEC) !== 0, newfd, kat('fd_install', '__x64_sys_dup', ...SYSCALL_BASE));
  }
  if (oldfd === newfd) return newfd;
  if (vfs.fdGet(t.proc, newfd)) vfs.close(t, newfd);
  f.refs++;
  vfs.setFd(t.proc, newfd, f, (flags & E.O_CLOEXEC) !== 0);
  return newfd;
}

function pipe2(k: Kernel, t: Task, addr: number, flags: number): number {
  const vfs = k.s.vfs;
  const [r, w] = vfs.makePipe(t, flags);
  const cloexec = (flags & E.O_CLOEXEC) !== 0;
  const rfd = vfs.installFd(t, r, cloexec);
  const wfd = vfs.installFd(t, w, cloexec);
  const lin = t.proc.user.translate(addr, 8);
  if (lin >= 0) {
    k.mem.writeU32(lin, rfd);
    k.mem.writeU32(lin + 4, wfd);
  }
  k.cost(t, 2_500);
  return 0;
}

function fcntl(k: Kernel, t: Task, fd: number, cmd: number, arg: number): number {
  const vfs = k.s.vfs;
  const f = vfs.fdGet(t.proc, s32(fd));
  if (!f) return -E.EBADF;
  switch (cmd) {
    case 0: // F_DUPFD
    case 1030: // F_DUPFD_CLOEXEC
      f.refs++;
      return vfs.installFd(t, f, cmd === 1030, arg);
    case 1: // F_GETFD
      return t.proc.fds[fd]?.cloexec ? 1 : 0;
    case 2: // F_SETFD
      t.proc.fds[fd]!.cloexec = (arg & 1) === 1;
      return 0;
    case 3: // F_GETFL
      return f.flags;
    case 4: // F_SETFL
      f.flags = (f.flags & ~(E.O_APPEND | E.O_NONBLOCK)) | (arg & (E.O_APPEND | E.O_NONBLOCK));
      return 0;
    default:
      return 0;
  }
}

function ioctl(k: Kernel, t: Task, fd: number, cmd: number, arg: number): number {
  const f = k.s.vfs.fdGet(t.proc, s32(fd));
  const H = k.hooks.k('vfs_ioctl');
  if (f && H.entry.on) k.kprobe(H, t, kat('vfs_ioctl', '__x64_sys_ioctl', ...SYSCALL_BASE), f.lin, cmd, arg);
  if (!f) return -E.EBADF;
  k.cost(t, 300);
  if (f.kind === 'tty') return 0;
  if (cmd === 0x541b /* FIONREAD */) return 0;
  return -E.ENOTTY;
}

function* sendfile(k: Kernel, t: Task, out: number, inFd: number, count: number): KGen {
  const vfs = k.s.vfs;
  const src = vfs.fdGet(t.proc, s32(inFd));
  const dst = vfs.fdGet(t.proc, s32(out));
  if (!src || !dst) return -E.EBADF;
  if (src.kind !== 'file' || !src.node) return -E.EINVAL;
  const n = Math.max(0, Math.min(count, src.node.size - src.pos));
  if (n === 0) return 0;
  const r = yield* k.s.rw.readPages(t, src.node, src.pos, n, kin('filemap_read', 'do_sendfile', '__x64_sys_sendfile64', ...SYSCALL_BASE));
  if (r < 0) return r;
  src.pos += n;
  if (dst.kind === 'socket') return yield* k.s.net.sendBytes(t, dst, n, 'sendfile64');
  k.cost(t, 1_000 + n / 16);
  return n;
}

function statfs(k: Kernel, t: Task, addr: number, buf: number): number {
  const lin = t.proc.user.translate(buf, 120);
  if (lin >= 0) {
    k.mem.u8.fill(0, lin, lin + 120);
    k.mem.writeNum64(lin, 0xef53);
    k.mem.writeNum64(lin + 8, 4096);
    k.mem.writeNum64(lin + 16, 61_000_000);
    k.mem.writeNum64(lin + 24, 33_210_000);
  }
  void addr;
  return 0;
}

export const FS_SYSCALLS: Record<string, SysImpl> = {
  read: (k, t, o) => k.s.rw.read(t, s32(o.a0), o.a1, o.a2, -1, 'read'),
  write: (k, t, o) => k.s.rw.write(t, s32(o.a0), o.a1, o.a2, -1, 'write'),
  pread64: (k, t, o) => k.s.rw.read(t, s32(o.a0), o.a1, o.a2, o.a3, 'pread64'),
  pwrite64: (k, t, o) => k.s.rw.write(t, s32(o.a0), o.a1, o.a2, o.a3, 'pwrite64'),
  readv: (k, t, o) => k.s.rw.read(t, s32(o.a0), userIov(k, t, o.a1).base, userIov(k, t, o.a1).len, -1, 'readv'),
  writev: (k, t, o) => k.s.rw.write(t, s32(o.a0), userIov(k, t, o.a1).base, userIov(k, t, o.a1).len, -1, 'writev'),
  open: (k, t, o) => k.s.vfs.openat(t, E.AT_FDCWD, o.a0, o.a1, o.a2, 'open'),
  openat: (k, t, o) => k.s.vfs.openat(t, s32(o.a0), o.a1, o.a2, o.a3, 'openat'),
  openat2: (k, t, o) => {
    const lin = t.proc.user.translate(o.a2, 16);
    const flags = lin >= 0 ? k.mem.readU32(lin) : 0;
    const mode = lin >= 0 ? k.mem.readU32(lin + 8) : 0;
    return k.s.vfs.openat(t, s32(o.a0), o.a1, flags, mode, 'openat2');
  },
  creat: (k, t, o) => k.s.vfs.openat(t, E.AT_FDCWD, o.a0, E.O_CREAT | E.O_WRONLY | E.O_TRUNC, o.a1, 'creat'),
  close: (k, t, o) => k.s.vfs.close(t, s32(o.a0)),
  lseek: (k, t, o) => k.s.rw.lseek(t, s32(o.a0), o.a1, o.a2),
  stat: (k, t, o) => statPath(k, t, E.AT_FDCWD, o.a0, o.a1, true),
  lstat: (k, t, o) => statPath(k, t, E.AT_FDCWD, o.a0, o.a1, false),
  fstat: (k, t, o) => fstat(k, t, o.a0, o.a1),
  newfstatat: (k, t, o) => (o.a3 & E.AT_EMPTY_PATH && readUserString(k.mem, t.proc, o.a1) === '' ? fstat(k, t, o.a0, o.a2) : statPath(k, t, s32(o.a0), o.a1, o.a2, !(o.a3 & E.AT_SYMLINK_NOFOLLOW))),
  statx: (k, t, o) => statPath(k, t, s32(o.a0), o.a1, 0, !(o.a2 & E.AT_SYMLINK_NOFOLLOW)),
  access: (k, t, o) => access(k, t, E.AT_FDCWD, o.a0, o.a1),
  faccessat: (k, t, o) => access(k, t, s32(o.a0), o.a1, o.a2),
  faccessat2: (k, t, o) => access(k, t, s32(o.a0), o.a1, o.a2),
  getdents64: (k, t, o) => getdents(k, t, o.a0, o.a1, o.a2),
  getdents: (k, t, o) => getdents(k, t, o.a0, o.a1, o.a2),
  getcwd: (k, t, o) => getcwd(k, t, o.a0, o.a1),
  chdir: (k, t, o) => chdir(k, t, o.a0),
  fchdir: (k, t, o) => {
    const f = k.s.vfs.fdGet(t.proc, s32(o.a0));
    if (!f?.node?.isDir()) return f ? -E.ENOTDIR : -E.EBADF;
    t.proc.cwd = f.node;
    k.s.vfs.writeFs(t.proc);
    return 0;
  },
  unlink: (k, t, o) => unlinkAt(k, t, E.AT_FDCWD, o.a0, 0),
  unlinkat: (k, t, o) => unlinkAt(k, t, s32(o.a0), o.a1, o.a2),
  rmdir: (k, t, o) => unlinkAt(k, t, E.AT_FDCWD, o.a0, E.AT_REMOVEDIR),
  mkdir: (k, t, o) => mkdirAt(k, t, E.AT_FDCWD, o.a0, o.a1),
  mkdirat: (k, t, o) => mkdirAt(k, t, s32(o.a0), o.a1, o.a2),
  rename: (k, t, o) => renameAt(k, t, E.AT_FDCWD, o.a0, E.AT_FDCWD, o.a1, 0),
  renameat: (k, t, o) => renameAt(k, t, s32(o.a0), o.a1, s32(o.a2), o.a3, 0),
  renameat2: (k, t, o) => renameAt(k, t, s32(o.a0), o.a1, s32(o.a2), o.a3, o.a4),
  link: () => -E.EPERM,
  symlink: (k, t, o) => {
    const target = readUserString(k.mem, t.proc, o.a0);
    const p = path(k, t, o.a1);
    if (target === null) return -E.EFAULT;
    if (typeof p === 'number') return p;
    const parent = k.s.vfs.lookupParent(t, p);
    if (typeof parent === 'number') return parent;
    if (parent.dir.children?.has(parent.name)) return -E.EEXIST;
    const n = k.s.vfs.newNode(parent.dir, parent.name, 'symlink', 0o777, t.proc.cred.euid, t.proc.cred.egid);
    n.target = target;
    n.size = target.length;
    return 0;
  },
  readlink: (k, t, o) => readlink(k, t, E.AT_FDCWD, o.a0, o.a1, o.a2),
  readlinkat: (k, t, o) => readlink(k, t, s32(o.a0), o.a1, o.a2, o.a3),
  chmod: (k, t, o) => withPath(k, t, E.AT_FDCWD, o.a0, (n) => chmodNode(k, t, n, o.a1)),
  fchmodat: (k, t, o) => withPath(k, t, o.a0 | 0, o.a1, (n) => chmodNode(k, t, n, o.a2)),
  fchmod: (k, t, o) => withFd(k, t, o.a0, (n) => chmodNode(k, t, n, o.a1)),
  chown: (k, t, o) => withPath(k, t, E.AT_FDCWD, o.a0, (n) => chownNode(k, t, n, u(o.a1), u(o.a2))),
  fchown: (k, t, o) => withFd(k, t, o.a0, (n) => chownNode(k, t, n, u(o.a1), u(o.a2))),
  umask: (k, t, o) => {
    const old = t.proc.umask;
    t.proc.umask = o.a0 & 0o777;
    k.s.vfs.writeFs(t.proc);
    return old;
  },
  truncate: (k, t, o) => withPath(k, t, E.AT_FDCWD, o.a0, (n) => truncateNode(k, n, o.a1)),
  ftruncate: (k, t, o) => withFd(k, t, o.a0, (n) => truncateNode(k, n, o.a1)),
  fsync: (k, t, o) => k.s.rw.fsync(t, s32(o.a0), false, 'fsync'),
  fdatasync: (k, t, o) => k.s.rw.fsync(t, s32(o.a0), true, 'fdatasync'),
  sync: (k) => {
    k.s.writeback.kick();
    return 0;
  },
  syncfs: (k) => {
    k.s.writeback.kick();
    return 0;
  },
  dup: (k, t, o) => dup(k, t, o.a0, 0, 0, false),
  dup2: (k, t, o) => dup(k, t, o.a0, s32(o.a1), 0, true),
  dup3: (k, t, o) => (o.a0 === o.a1 ? -E.EINVAL : dup(k, t, o.a0, s32(o.a1), o.a2, true)),
  pipe: (k, t, o) => pipe2(k, t, o.a0, 0),
  pipe2: (k, t, o) => pipe2(k, t, o.a0, o.a1),
  fcntl: (k, t, o) => fcntl(k, t, o.a0, o.a1, o.a2),
  flock: (k, t, o) => (k.s.vfs.fdGet(t.proc, s32(o.a0)) ? 0 : -E.EBADF),
  ioctl: (k, t, o) => ioctl(k, t, o.a0, o.a1, o.a2),
  sendfile: (k, t, o) => sendfile(k, t, o.a0, o.a1, o.a3),
  splice: (k, t, o) => sendfile(k, t, o.a2, o.a0, o.a4),
  statfs: (k, t, o) => statfs(k, t, o.a0, o.a1),
  fstatfs: (k, t, o) => statfs(k, t, 0, o.a1),
  readahead: (k, t, o) => {
    const f = k.s.vfs.fdGet(t.proc, s32(o.a0));
    if (!f?.node) return -E.EBADF;
    return k.s.rw.readPages(t, f.node, o.a1, o.a2, kin('page_cache_ra_unbounded', 'ksys_readahead', '__x64_sys_readahead', ...SYSCALL_BASE));
  },
  mount: (k, t) => (k.s.vfs.capable(t, 21 /* CAP_SYS_ADMIN */, kat('cap_capable', 'security_capable', 'capable', 'path_mount', 'do_mount', '__x64_sys_mount', ...SYSCALL_BASE)) ? -E.EBUSY : -E.EPERM),
  umount2: (k, t) => (k.s.vfs.capable(t, 21, kat('cap_capable', 'security_capable', 'capable', 'path_umount', '__x64_sys_umount', ...SYSCALL_BASE)) ? -E.EBUSY : -E.EPERM),
  memfd_create: (k, t, o) => {
    const f = k.s.vfs.anonFile(t, 'file', 'memfd:' + (readUserString(k.mem, t.proc, o.a0) ?? ''), 0, kin('__x64_sys_memfd_create', ...SYSCALL_BASE));
    return k.s.vfs.installFd(t, f, (o.a1 & 1) !== 0);
  },
};

/** Reads the first iovec of a user iovec array (base, length). */
function userIov(k: Kernel, t: Task, addr: number): { base: number; len: number } {
  const lin = t.proc.user.translate(addr, 16);
  if (lin < 0) return { base: 0, len: 0 };
  return { base: k.mem.readU32(lin) + k.mem.readU32(lin + 4) * 4294967296, len: k.mem.readU32(lin + 8) };
}

export type { UOp };
