// The VFS: mounts and their superblocks, path lookup (symlinks, mount crossing, search
// permission), dentries and inodes in simulated memory (allocated on first lookup, as the
// dcache fills), struct file per open, descriptor tables, permission checks with root's
// capability bypass (cap_capable), and the open/close paths with their hooks (getname,
// do_sys_openat2, do_filp_open, vfs_open, security_file_open, fd_install, filp_close, __fput).
// The open path itself is in open.ts, the call chains in vfs-stacks.ts. Reads and writes
// are in rw.ts; metadata operations in meta.ts; /proc in procfs.ts.
import { Region } from '../../vm/memory/memory';
import type { FuncHooks } from '../kernel/hook-table';
import type { Kernel } from '../kernel/kernel';
import { DENTRY, FILE, FS, FSTYPE, INODE, MOUNT, SB } from '../kernel/offsets';
import { kin, SYSCALL_BASE, type KStack } from '../kernel/stacks';
import type { KGen, KOp, Proc, Task } from '../kernel/task';
import * as E from '../errno';
import { OpenFile, Pipe, Tty } from './file';
import { FsNode, type Mount } from './node';
import { doSysOpen, getname, openExec } from './open';
import { ProcFs } from './procfs';
import { MOUNTS, TreeBuilder } from './tree';
import { S } from './vfs-stacks';

const FMODE_READ = 0x1;
const FMODE_WRITE = 0x2;
const FMODE_LSEEK = 0x4;
const FMODE_PREAD = 0x8;
const FMODE_PWRITE = 0x10;
const MAX_SYMLINKS = 40;

export type Lookup = { node: FsNode; path: string } | number;


export class Vfs {
  readonly mounts: Mount[] = [];
  readonly root: FsNode;
  readonly procfs: ProcFs;
  /** Files with dirty pages, for writeback. */
  readonly dirty = new Set<FsNode>();
  dirtyPages = 0;
  private nextIno = 40_000;
  private readonly ttys = new Map<string, Tty>();
  readonly tree: TreeBuilder;
  readonly H: {
    openat2: FuncHooks;
    getname: FuncHooks;
    putname: FuncHooks;
    filpOpen: FuncHooks;
    vfsOpen: FuncHooks;
    secOpen: FuncHooks;
    extOpen: FuncHooks;
    xfsOpen: FuncHooks;
    fdInstall: FuncHooks;
    filpClose: FuncHooks;
    fput: FuncHooks;
    lookupFast: FuncHooks;
    dLookup: FuncHooks;
    capable: FuncHooks;
    create: FuncHooks;
  };
  private readonly pipefs: Mount;
  private readonly sockfs: Mount;
  private readonly anonfs: Mount;

  constructor(readonly k: Kernel) {
    const H = k.hooks;
    this.H = {
      openat2: H.k('do_sys_openat2'),
      getname: H.k('getname'),
      putname: H.k('putname'),
      filpOpen: H.k('do_filp_open'),
      vfsOpen: H.k('vfs_open'),
      secOpen: H.k('security_file_open'),
      extOpen: H.k('ext4_file_open'),
      xfsOpen: H.k('xfs_file_open'),
      fdInstall: H.k('fd_install'),
      filpClose: H.k('filp_close'),
      fput: H.k('__fput'),
      lookupFast: H.k('lookup_fast'),
      dLookup: H.k('d_lookup'),
      capable: H.k('cap_capable'),
      create: H.k('vfs_create'),
    };
    const specs = MOUNTS.map((m, i) => this.makeMount(m.devName, m.fsType, m.dev, m.disk, m.startSector, m.virtual, i + 20));
    this.tree = new TreeBuilder(specs[0]);
    this.root = this.tree.root;
    this.mounts.push(specs[0]);
    MOUNTS.forEach((m, i) => {
      if (i === 0) return;
      this.tree.mount(m.path, specs[i]);
      this.mounts.push(specs[i]);
    });
    this.tree.populate();
    this.tree.populateVirtual();
    this.pipefs = this.makeMount('pipefs', 'pipefs', (0 << 20) | 13, -1, 0, true, 3);
    this.sockfs = this.makeMount('sockfs', 'sockfs', (0 << 20) | 8, -1, 0, true, 4);
    this.anonfs = this.makeMount('anon_inodefs', 'anon_inodefs', (0 << 20) | 14, -1, 0, true, 5);
    this.procfs = new ProcFs(k, this, specs[MOUNTS.findIndex((m) => m.fsType === 'proc')]);
    // The root dentry and the whole path to every mount get their objects now.
    this.dentryOf(this.root);
  }

  private makeMount(devName: string, fsType: string, dev: number, disk: number, startSector: number, virtual: boolean, id: number): Mount {
    const mem = this.k.mem;
    const sb = mem.alloc(SB.SIZE, Region.KERNEL);
    const fst = mem.alloc(FSTYPE.SIZE, Region.KERNEL);
    const nameLin = mem.alloc(fsType.length + 1, Region.KERNEL);
    mem.writeCString(nameLin, fsType, fsType.length + 1);
    mem.writePtr(fst + FSTYPE.name, nameLin);
    mem.writeU32(sb + SB.s_dev, dev);
    mem.writeU8(sb + SB.s_blocksize_bits, 12);
    mem.writeNum64(sb + SB.s_blocksize, 4096);
    mem.writePtr(sb + SB.s_type, fst);
    const magic: Record<string, number> = { ext4: 0xef53, xfs: 0x58465342, proc: 0x9fa0, sysfs: 0x62656572, tmpfs: 0x01021994, devtmpfs: 0x01021994, vfat: 0x4d44, cgroup2: 0x63677270, pipefs: 0x50495045, sockfs: 0x534f434b };
    mem.writeNum64(sb + SB.s_magic, magic[fsType] ?? 0x9fa2);
    mem.writeCString(sb + SB.s_id, devName.replace('/dev/', ''), 32);
    const mnt = mem.alloc(MOUNT.SIZE, Region.KERNEL);
    mem.writePtr(mnt + MOUNT['mnt.mnt_sb'], sb);
    mem.writeU32(mnt + MOUNT.mnt_id, id);
    const dn = mem.alloc(devName.length + 1, Region.KERNEL);
    mem.writeCString(dn, devName, devName.length + 1);
    mem.writePtr(mnt + MOUNT.mnt_devname, dn);
    const m: Mount = { devName, fsType, dev, sbLin: sb, mountLin: mnt, root: null as unknown as FsNode, disk, startSector, mountId: id, virtual, blockBits: 12 };
    return m;
  }

  // ---- kernel objects ----

  /** The dentry (and inode) of a node, allocated on first use. */
  dentryOf(n: FsNode): number {
    if (n.dentryLin) return n.dentryLin;
    const mem = this.k.mem;
    const d = mem.alloc(DENTRY.SIZE, Region.KERNEL);
    n.dentryLin = d;
    const isRoot = n === n.mount.root;
    const name = isRoot ? '/' : n.name;
    const bytes = new TextEncoder().encode(name);
    let nameLin = d + DENTRY.d_iname;
    if (bytes.length >= 40) nameLin = mem.alloc(bytes.length + 1, Region.KERNEL);
    mem.u8.set(bytes, nameLin);
    mem.u8[nameLin + bytes.length] = 0;
    mem.writePtr(d + DENTRY['d_name.name'], nameLin);
    mem.writeU32(d + DENTRY['d_name.len'], bytes.length);
    mem.writeU32(d + DENTRY['d_name.hash'], hashName(name));
    mem.writePtr(d + DENTRY.d_parent, isRoot || !n.parent ? d : this.dentryOf(n.parent.mounted && n.parent.mounted.root === n ? n.parent : n.parent));
    mem.writePtr(d + DENTRY.d_sb, n.mount.sbLin);
    mem.writeU32(d + DENTRY.d_lockref, 1);
    mem.writePtr(d + DENTRY.d_inode, this.inodeOf(n));
    if (isRoot) {
      mem.writePtr(n.mount.sbLin + SB.s_root, d);
      mem.writePtr(n.mount.mountLin + MOUNT['mnt.mnt_root'], d);
    }
    return d;
  }

  inodeOf(n: FsNode): number {
    if (n.inodeLin) return n.inodeLin;
    const mem = this.k.mem;
    const i = mem.alloc(INODE.SIZE, Region.KERNEL);
    n.inodeLin = i;
    this.writeInode(n);
    return i;
  }

  writeInode(n: FsNode): void {
    if (!n.inodeLin) return;
    const mem = this.k.mem;
    const i = n.inodeLin;
    mem.writeU16(i + INODE.i_mode, n.mode);
    mem.writeU32(i + INODE.i_uid, n.uid);
    mem.writeU32(i + INODE.i_gid, n.gid);
    mem.writePtr(i + INODE.i_sb, n.mount.sbLin);
    mem.writePtr(i + INODE.i_mapping, i + INODE.i_data);
    mem.writePtr(i + INODE['i_data.host'], i);
    mem.writeNum64(i + INODE['i_data.nrpages'], n.cachedPages);
    mem.writeNum64(i + INODE.i_ino, n.ino);
    mem.writeU32(i + INODE.__i_nlink, n.nlink);
    mem.writeU32(i + INODE.i_rdev, n.rdev);
    mem.writeNum64(i + INODE.i_size, n.size);
    mem.writeNum64(i + INODE.i_atime_sec, n.atime);
    mem.writeNum64(i + INODE.i_mtime_sec, n.mtime);
    mem.writeNum64(i + INODE.i_ctime_sec, n.ctime);
    mem.writeU8(i + INODE.i_blkbits, 12);
    mem.writeNum64(i + INODE.i_blocks, Math.ceil(n.size / 4096) * 8);
    mem.writeU32(i + INODE.i_count, 1);
  }

  /** A new node (created file, pipe, socket inode) with a fresh inode number. */
  newNode(parent: FsNode | null, name: string, kind: FsNode['kind'], perm: number, uid: number, gid: number, mount?: Mount): FsNode {
    const n = new FsNode(name, kind, perm, uid, gid);
    n.mount = mount ?? parent!.mount;
    n.ino = this.nextIno++ + (n.mount.fsType === 'ext4' ? 1_600_000 : 0);
    const secs = Math.floor(Number(this.k.nowWall() / 1_000_000_000n));
    n.mtime = n.atime = n.ctime = secs;
    if (parent) parent.add(n);
    if (kind === 'dir') {
      n.size = 4096;
      n.nlink = 2;
    }
    return n;
  }

  // ---- lookup ----

  /** Resolves a path for a task (relative to `base`, or the cwd). Follows symlinks (the last one only with `follow`). */
  lookup(t: Task, path: string, follow = true, base?: FsNode): Lookup {
    if (path === '') return -E.ENOENT;
    const p = t.proc;
    let n: FsNode = path.startsWith('/') ? this.root : (base ?? (p.cwd as FsNode) ?? this.root);
    const parts = path.split('/');
    let links = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '' || part === '.') continue;
      if (!n.isDir()) return -E.ENOTDIR;
      const perm = this.permission(t, n, 1, S.capable);
      if (perm) return perm;
      if (part === '..') {
        n = n.parent ? (n.parent.mounted ? n.parent.mounted.root : n.parent) : n;
        if (n === n.mount.root && n.parent && n.mount !== this.mounts[0]) {
          // at a mount root: '..' leaves the mount
        }
        continue;
      }
      let next: FsNode | undefined | null = n.children?.get(part);
      if (!next && n.mount.fsType === 'proc') next = this.procfs.lookup(n, part, t);
      if (this.H.dLookup.entry.on && next) this.k.kprobe(this.H.dLookup, t, S.dLookup, this.dentryOf(n), this.dentryOf(next) + DENTRY['d_name.hash']);
      if (!next) return -E.ENOENT;
      if (next.mounted) next = next.mounted.root;
      if (next.kind === 'symlink' && (follow || i < parts.length - 1)) {
        if (++links > MAX_SYMLINKS) return -E.ELOOP;
        const target = next.target;
        const rest = parts.slice(i + 1).join('/');
        const resolved = this.lookup(t, rest ? `${target}/${rest}` : target, follow, target.startsWith('/') ? undefined : n);
        return resolved;
      }
      n = next;
    }
    return { node: n, path: n.path() };
  }

  /** Resolves the parent directory of a path and the last component. */
  lookupParent(t: Task, path: string, base?: FsNode): { dir: FsNode; name: string } | number {
    const trimmed = path.replace(/\/+$/, '');
    const slash = trimmed.lastIndexOf('/');
    const dirPath = slash < 0 ? '.' : slash === 0 ? '/' : trimmed.slice(0, slash);
    const name = trimmed.slice(slash + 1);
    if (!name) return -E.EEXIST;
    const r = this.lookup(t, dirPath, true, base);
    if (typeof r === 'number') return r;
    if (!r.node.isDir()) return -E.ENOTDIR;
    return { dir: r.node, name };
  }

  /** Base directory for *at() calls: the cwd for AT_FDCWD, else the directory open on `dfd`. */
  atBase(t: Task, dfd: number): FsNode | number {
    if (dfd === E.AT_FDCWD || dfd === 0xffffff9c) return (t.proc.cwd as FsNode) ?? this.root;
    const f = this.fdGet(t.proc, dfd);
    if (!f) return -E.EBADF;
    if (!f.node || !f.node.isDir()) return -E.ENOTDIR;
    return f.node;
  }

  /**
   * Whether the task may access `n` with `mask` (4 read, 2 write, 1 exec/search). Root passes
   * through capabilities (CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE), checked with cap_capable.
   */
  permission(t: Task, n: FsNode, mask: number, stack: KStack): number {
    const c = t.proc.cred;
    let bits: number;
    if (c.euid === n.uid) bits = (n.perm >> 6) & 7;
    else if (c.egid === n.gid || this.inGroup(c.euid, n.gid)) bits = (n.perm >> 3) & 7;
    else bits = n.perm & 7;
    if ((bits & mask) === mask) return 0;
    // DAC denied: the capability bypass.
    if (mask === 4 || (mask === 1 && n.isDir()) || (mask === 5 && n.isDir())) {
      if (this.capable(t, 2 /* CAP_DAC_READ_SEARCH */, stack)) return 0;
    }
    if (!(mask & 1) || n.isDir() || n.perm & 0o111) {
      if (this.capable(t, 1 /* CAP_DAC_OVERRIDE */, stack)) return 0;
    }
    return -E.EACCES;
  }

  private inGroup(uid: number, gid: number): boolean {
    // Supplementary groups of the users the system knows.
    if (uid === 1000) return gid === 4 || gid === 27 || gid === 100;
    if (uid === 104) return gid === 4;
    return false;
  }

  /** A capability check through cap_capable (fires its kprobe and kretprobe). */
  capable(t: Task, cap: number, stack: KStack = S.capable): boolean {
    const k = this.k;
    const has = (t.proc.cred.caps >> BigInt(cap)) & 1n ? true : false;
    const h = this.H.capable;
    if (h.entry.on) k.kprobe(h, t, stack, t.proc.cred.lin, k.s.procs.objs.initUserNs, cap, 0);
    if (h.ret.on) k.kretprobe(h, t, stack, has ? 0 : -E.EPERM);
    return has;
  }

  // ---- descriptor tables ----

  fdGet(p: Proc, fd: number): OpenFile | null {
    const e = fd >= 0 ? p.fds[fd] : undefined;
    return e ? (e.file as OpenFile) : null;
  }

  /** Installs a file at the lowest free descriptor (>= min). */
  installFd(t: Task, f: OpenFile, cloexec: boolean, min = 0, stack = S.fdInstall): number {
    const p = t.proc;
    let fd = min;
    while (fd < p.fds.length && p.fds[fd]) fd++;
    if (fd >= 65536) return -E.EMFILE;
    this.setFd(p, fd, f, cloexec);
    if (this.H.fdInstall.entry.on) this.k.kprobe(this.H.fdInstall, t, stack, fd, f.lin);
    return fd;
  }

  setFd(p: Proc, fd: number, f: OpenFile | null, cloexec = false): void {
    while (p.fds.length <= fd) p.fds.push(null);
    p.fds[fd] = f ? { file: f, cloexec } : null;
    this.k.s.procs.objs.setFd(p, fd, f ? f.lin : 0);
  }

  /** A struct file for a node (or a pseudo file), counted once. */
  newFile(t: Task, kind: OpenFile['kind'], node: FsNode | null, mount: Mount | null, flags: number, stack: KStack): OpenFile {
    const k = this.k;
    const mem = k.mem;
    const lin = mem.alloc(FILE.SIZE, Region.KERNEL);
    const f = new OpenFile(kind, lin, node, mount, flags);
    mem.writeNum64(lin + FILE.f_count, 1);
    const acc = flags & 3;
    let fmode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    if (acc !== 1) fmode |= FMODE_READ;
    if (acc !== 0) fmode |= FMODE_WRITE;
    mem.writeU32(lin + FILE.f_mode, fmode);
    mem.writeU32(lin + FILE.f_flags, flags);
    mem.writePtr(lin + FILE.f_cred, t.proc.cred.lin);
    if (node) {
      mem.writePtr(lin + FILE.f_inode, this.inodeOf(node));
      mem.writePtr(lin + FILE['f_path.dentry'], this.dentryOf(node));
      mem.writePtr(lin + FILE.f_mapping, node.inodeLin + INODE.i_data);
      node.opens++;
    }
    if (mount) mem.writePtr(lin + FILE['f_path.mnt'], mount.mountLin + MOUNT.mnt);
    mem.writeU32(lin + FILE['f_ra.ra_pages'], 32);
    k.s.mm.cacheAlloc(t, 'filp', lin, stack);
    return f;
  }

  /** Drops a reference; the last one frees the file (__fput). */
  releaseFile(t: Task, f: OpenFile): void {
    if (--f.refs > 0) return;
    const k = this.k;
    if (this.H.fput.entry.on) k.kprobe(this.H.fput, t, S.fput, f.lin);
    if (f.node) {
      f.node.opens--;
      if (f.node.unlinked && f.node.opens === 0) f.node.pages = null;
    }
    if (f.pipe) {
      if (f.writable()) f.pipe.writers--;
      else f.pipe.readers--;
      k.s.sched.wakeAll(f.pipe.readWait, 0, t);
      k.s.sched.wakeAll(f.pipe.writeWait, 0, t);
    }
    if (f.kind === 'socket') k.s.net.release(t, f);
    k.s.mm.cacheFree(t, 'filp', f.lin, S.fput);
    const lin = f.lin;
    k.at(k.now + 5_000_000, () => k.mem.free(lin));
  }

  /** close(fd). */
  close(t: Task, fd: number): number {
    const p = t.proc;
    const f = this.fdGet(p, fd);
    if (!f) return -E.EBADF;
    if (this.H.filpClose.entry.on) this.k.kprobe(this.H.filpClose, t, S.close, f.lin, p.filesLin);
    this.setFd(p, fd, null);
    this.releaseFile(t, f);
    return 0;
  }

  // ---- per-process state ----

  initProcFs(p: Proc, cwd: string): void {
    const r = this.lookupAsRoot(cwd);
    p.cwd = r ?? this.root;
    this.writeFs(p);
  }

  /** Lookup without a task (boot-time setup): no permission checks or hooks. */
  lookupAsRoot(path: string): FsNode | null {
    let n = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      let next = n.children?.get(part);
      if (!next) return null;
      if (next.mounted) next = next.mounted.root;
      if (next.kind === 'symlink') {
        const t = this.lookupAsRoot(next.target.startsWith('/') ? next.target : `${n.path()}/${next.target}`);
        if (!t) return null;
        next = t;
      }
      n = next;
    }
    return n;
  }

  writeFs(p: Proc): void {
    const mem = this.k.mem;
    const cwd = (p.cwd as FsNode) ?? this.root;
    mem.writePtr(p.fsLin + FS['root.dentry'], this.dentryOf(this.root));
    mem.writePtr(p.fsLin + FS['root.mnt'], this.mounts[0].mountLin + MOUNT.mnt);
    mem.writePtr(p.fsLin + FS['pwd.dentry'], this.dentryOf(cwd));
    mem.writePtr(p.fsLin + FS['pwd.mnt'], cwd.mount.mountLin + MOUNT.mnt);
    mem.writeU32(p.fsLin + FS.umask, p.umask);
  }

  copyFs(from: Proc, to: Proc): void {
    to.cwd = from.cwd;
    to.umask = from.umask;
    this.writeFs(to);
  }

  dupFiles(from: Proc, to: Proc): void {
    from.fds.forEach((e, fd) => {
      if (!e) return;
      const f = e.file as OpenFile;
      f.refs++;
      this.setFd(to, fd, f, e.cloexec);
    });
  }

  closeOnExec(t: Task): void {
    const p = t.proc;
    p.fds.forEach((e, fd) => {
      if (e && e.cloexec) this.close(t, fd);
    });
  }

  exitFiles(t: Task): void {
    const p = t.proc;
    for (let fd = 0; fd < p.fds.length; fd++) if (p.fds[fd]) this.close(t, fd);
  }

  releaseProcMemory(p: Proc): void {
    p.user.clear();
  }

  /** The terminal `pts/N` (created on first use). */
  tty(name: string): Tty {
    let t = this.ttys.get(name);
    if (!t) this.ttys.set(name, (t = new Tty(name)));
    return t;
  }

  /** Opens fds 0, 1, 2 on the process's terminal. */
  openTty(p: Proc, name: string): void {
    const node = this.lookupAsRoot(`/dev/${name}`) ?? this.lookupAsRoot('/dev/console')!;
    const t = p.threads[0];
    const f = this.newFile(t, 'tty', node, node.mount, E.O_RDWR, S.inOpen);
    f.tty = this.tty(name);
    f.refs = 3;
    for (let fd = 0; fd < 3; fd++) this.setFd(p, fd, f);
  }

  openNullStdio(p: Proc): void {
    const node = this.lookupAsRoot('/dev/null')!;
    const t = p.threads[0];
    const f = this.newFile(t, 'null', node, node.mount, E.O_RDWR, S.inOpen);
    f.refs = 3;
    for (let fd = 0; fd < 3; fd++) this.setFd(p, fd, f);
  }

  /** A pipe's two ends. */
  makePipe(t: Task, flags: number): [OpenFile, OpenFile] {
    const node = this.newNode(null, '', 'fifo', 0o600, t.proc.cred.uid, t.proc.cred.gid, this.pipefs);
    const pipe = new Pipe(node.ino);
    const stack = kin('create_pipe_files', '__do_pipe_flags', 'do_pipe2', '__x64_sys_pipe2', ...SYSCALL_BASE);
    const r = this.newFile(t, 'pipe', node, this.pipefs, E.O_RDONLY | (flags & E.O_NONBLOCK), stack);
    const w = this.newFile(t, 'pipe', node, this.pipefs, E.O_WRONLY | (flags & E.O_NONBLOCK), stack);
    r.pipe = pipe;
    w.pipe = pipe;
    return [r, w];
  }

  /** The struct file of a new socket (sockfs inode, dentry named after the protocol). */
  socketFile(t: Task, proto: string, flags: number, stack: KStack): OpenFile {
    const node = this.newNode(null, proto, 'sock', 0o777, t.proc.cred.uid, t.proc.cred.gid, this.sockfs);
    return this.newFile(t, 'socket', node, this.sockfs, E.O_RDWR | (flags & E.O_NONBLOCK), stack);
  }

  /** An anonymous-inode file ([eventpoll], [eventfd], [timerfd], ...). */
  anonFile(t: Task, kind: OpenFile['kind'], name: string, flags: number, stack: KStack): OpenFile {
    const node = this.newNode(null, name, 'file', 0o600, 0, 0, this.anonfs);
    return this.newFile(t, kind, node, this.anonfs, E.O_RDWR | flags, stack);
  }

  // ---- open (open.ts) ----

  /** The open path shared by open, openat, openat2 and creat. */
  *openat(t: Task, dfd: number, pathAddr: number, flags: number, mode: number, wrapper: string): KGen {
    return yield* doSysOpen(this, t, dfd, pathAddr, flags, mode, wrapper);
  }

  /** Copies a path from user memory (getname): a struct filename from names_cache. */
  getname(t: Task, addr: number, stack: KStack = S.getname): string | number {
    return getname(this, t, addr, stack);
  }

  /** Opens a binary for execve: the path must be a regular file with exec permission. */
  *openExec(t: Task, path: string, stack: KStack): Generator<KOp, { file: OpenFile; fullPath: string } | number, number> {
    return yield* openExec(this, t, path, stack);
  }
}

function hashName(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

export { S as VFS_STACKS };
