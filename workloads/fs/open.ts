// The open path of the VFS (vfs.ts): getname copying the path in, path walk to the last
// component, O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY handling, permission checks, the file
// system's open hook, struct file and its descriptor, with every hook on the way
// (do_sys_openat2, do_filp_open, vfs_open, security_file_open, fd_install); and the
// opening of a binary for execve.
import * as E from '../errno';
import { FILE, FILENAME, OPEN_HOW } from '../kernel/offsets';
import { kin, SYSCALL_BASE, type KStack } from '../kernel/stacks';
import type { KGen, KOp, Task } from '../kernel/task';
import { readUserString } from '../user/process-maps';
import type { OpenFile } from './file';
import type { FsNode } from './node';
import type { Vfs } from './vfs';
import { S } from './vfs-stacks';


/** The open path shared by open, openat, openat2 and creat. */
export function* doSysOpen(vfs: Vfs, t: Task, dfd: number, pathAddr: number, flags: number, mode: number, wrapper: string): KGen {
  const k = vfs.k;
  const mem = k.mem;
  const H = vfs.H;
  if (H.openat2.entry.on) {
    const how = k.scratch(OPEN_HOW.SIZE);
    mem.writeNum64(how + OPEN_HOW.flags, flags);
    mem.writeNum64(how + OPEN_HOW.mode, mode);
    k.kprobe(H.openat2, t, S.openat2, dfd, pathAddr, how);
  }
  const path = getname(vfs, t, pathAddr);
  let ret: number;
  if (typeof path === 'number') ret = path;
  else ret = yield* doOpen(vfs, t, dfd, path, flags, mode);
  if (H.openat2.ret.on) k.kretprobe(H.openat2, t, kin(`__x64_sys_${wrapper}`, ...SYSCALL_BASE), ret);
  return ret;
}

/** Copies a path from user memory (getname): a struct filename from names_cache. */
export function getname(vfs: Vfs, t: Task, addr: number, stack: KStack = S.getname): string | number {
  const k = vfs.k;
  const H = vfs.H;
  if (H.getname.entry.on) k.kprobe(H.getname, t, stack, addr);
  const s = readUserString(k.mem, t.proc, addr);
  let fn = 0;
  {
    if (H.getname.ret.on) {
      fn = k.scratch(FILENAME.SIZE + 256);
      k.mem.writePtr(fn + FILENAME.name, fn + FILENAME.iname);
      k.mem.writeNum64(fn + FILENAME.uptr, addr);
      k.mem.writeCString(fn + FILENAME.iname, s ?? '', 256);
      k.kretprobe(H.getname, t, S.openat2, s === null ? -E.EFAULT : fn);
    }
    k.s.mm.cacheAlloc(t, 'names_cache', fn, stack);
  }
  if (s === null) return -E.EFAULT;
  if (s.length === 0) return -E.ENOENT;
  if (s.length >= 4096) return -E.ENAMETOOLONG;
  return s;
}

function* doOpen(vfs: Vfs, t: Task, dfd: number, path: string, flags: number, mode: number): KGen {
  const k = vfs.k;
  const H = vfs.H;
  const base = vfs.atBase(t, dfd);
  if (typeof base === 'number') return base;
  k.cost(t, 600 + path.length * 12);
  if (H.filpOpen.entry.on) k.kprobe(H.filpOpen, t, S.filpOpen, dfd, 0, 0);
  if (H.lookupFast.entry.on) k.kprobe(H.lookupFast, t, S.lookupFast, k.nameidata(t, path, base === vfs.root ? vfs.root : base));
  let r = vfs.lookup(t, path, !(flags & E.O_NOFOLLOW), base);
  let node: FsNode;
  if (typeof r === 'number') {
    if (r !== -E.ENOENT || !(flags & E.O_CREAT)) return r;
    const parent = vfs.lookupParent(t, path, base);
    if (typeof parent === 'number') return parent;
    const perm = vfs.permission(t, parent.dir, 3, S.capable);
    if (perm) return perm;
    if (parent.dir.mount.fsType === 'proc' || parent.dir.mount.fsType === 'sysfs') return -E.EACCES;
    node = vfs.newNode(parent.dir, parent.name, 'file', mode & ~t.proc.umask & 0o7777, t.proc.cred.euid, t.proc.cred.egid);
    vfs.tree.place(node);
    if (H.create.entry.on) k.kprobe(H.create, t, S.create, 0, vfs.inodeOf(parent.dir), vfs.dentryOf(node), mode, 1);
    node.dcached = true;
    const w = k.s.mm.watchesCache();
    k.s.mm.cacheAlloc(t, node.mount.fsType === 'xfs' ? 'xfs_inode' : 'ext4_inode_cache', w ? vfs.inodeOf(node) : 0, S.create);
    k.s.mm.cacheAlloc(t, 'dentry', w ? vfs.dentryOf(node) : 0, S.create);
    k.cost(t, 3_000);
    r = { node, path: node.path() };
  } else {
    node = r.node;
    if (flags & E.O_CREAT && flags & E.O_EXCL) return -E.EEXIST;
    if (!node.dcached) {
      node.dcached = true;
      k.s.mm.cacheAlloc(t, 'dentry', k.s.mm.watchesCache() ? vfs.dentryOf(node) : 0, S.inOpen);
      k.cost(t, 1_500);
    }
  }
  if (node.kind === 'symlink') return -E.ELOOP;
  const acc = flags & 3;
  if (node.isDir() && acc !== 0) return -E.EISDIR;
  if (flags & E.O_DIRECTORY && !node.isDir()) return -E.ENOTDIR;
  const mask = acc === 0 ? 4 : acc === 1 ? 2 : 6;
  if (!(flags & E.O_PATH)) {
    const perm = vfs.permission(t, node, mask, S.capable);
    if (perm) return perm;
  }
  const kind: OpenFile['kind'] = node.isDir() ? 'dir' : node.kind === 'chr' ? (node.rdev === ((1 << 20) | 3) ? 'null' : node.rdev >>> 20 === 136 || node.rdev >>> 20 === 5 ? 'tty' : 'null') : 'file';
  const f = vfs.newFile(t, kind, node, node.mount, flags, S.inOpen);
  if (kind === 'tty') f.tty = vfs.tty(node.rdev >>> 20 === 136 ? `pts/${node.rdev & 0xff}` : t.proc.ttyName || 'console');
  if (node.rdev === ((1 << 20) | 5) || node.rdev === ((1 << 20) | 8) || node.rdev === ((1 << 20) | 9)) f.extra = 'random';
  if (node.generate) {
    f.text = new TextEncoder().encode(node.generate({ pid: t.tgid }));
    // seq_file's buffer for the generated text.
    k.s.mm.kmalloc(t, 4096, S.inOpen.under('seq_open', 'proc_reg_open'), 500_000);
  }
  const pathLin = f.lin + FILE['f_path.mnt'];
  if (H.vfsOpen.entry.on) k.kprobe(H.vfsOpen, t, S.vfsOpen, pathLin, f.lin);
  if (H.secOpen.entry.on) {
    const ov = k.kprobe(H.secOpen, t, S.secOpen, f.lin);
    if (ov !== null && ov !== 0) {
      vfs.releaseFile(t, f);
      return ov;
    }
  }
  if (kind === 'file') {
    const fsOpen = node.mount.fsType === 'ext4' ? H.extOpen : node.mount.fsType === 'xfs' ? H.xfsOpen : null;
    if (fsOpen && fsOpen.entry.on) k.kprobe(fsOpen, t, fsOpen === H.extOpen ? S.extOpen : S.xfsOpen, vfs.inodeOf(node), f.lin);
    if (fsOpen && fsOpen.ret.on) k.kretprobe(fsOpen, t, S.inVfsOpen, 0);
  }
  if (H.vfsOpen.ret.on) k.kretprobe(H.vfsOpen, t, S.inOpen, 0);
  if (flags & E.O_TRUNC && acc !== 0 && kind === 'file') {
    node.size = 0;
    node.pages = null;
    node.cachedPages = 0;
    vfs.writeInode(node);
  }
  if (flags & E.O_APPEND) f.pos = node.size;
  if (H.filpOpen.ret.on) k.kretprobe(H.filpOpen, t, S.openat2, f.lin);
  const fd = vfs.installFd(t, f, (flags & E.O_CLOEXEC) !== 0);
  if (fd < 0) vfs.releaseFile(t, f);
  return fd;
}

/** Opens a binary for execve: the path must be a regular file with exec permission. */
export function* openExec(vfs: Vfs, t: Task, path: string, stack: KStack): Generator<KOp, { file: OpenFile; fullPath: string } | number, number> {
  const k = vfs.k;
  if (vfs.H.getname.entry.on) k.kprobe(vfs.H.getname, t, stack.call('getname'), 0);
  const r = vfs.lookup(t, path, true);
  if (typeof r === 'number') return r;
  const node = r.node;
  if (node.isDir()) return -E.EACCES;
  if (node.kind !== 'file') return -E.EACCES;
  if (!(node.perm & 0o111)) return -E.EACCES;
  const perm = vfs.permission(t, node, 1, stack.call('cap_capable'));
  if (perm) return perm;
  const f = vfs.newFile(t, 'file', node, node.mount, E.O_RDONLY, stack);
  // Read the ELF header and program headers through the page cache.
  yield* k.s.rw.readPages(t, node, 0, Math.min(node.size, 8192), stack.under('load_elf_binary'));
  return { file: f, fullPath: r.path };
}
