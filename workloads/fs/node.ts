import { WaitQueue } from '../kernel/task';

// The in-memory file tree: directories, regular files (with text content or just a size),
// symlinks and device/special files, each with an inode number, mode and owner, and the
// page-cache state of its data. Nodes get kernel objects (dentry, inode) lazily, when
// first looked up. Mount points carry the mount of the file system below them.

export type NodeKind = 'dir' | 'file' | 'symlink' | 'chr' | 'blk' | 'fifo' | 'sock';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;
export const S_IFSOCK = 0o140000;

const TYPE_BITS: Record<NodeKind, number> = { dir: S_IFDIR, file: S_IFREG, symlink: S_IFLNK, chr: S_IFCHR, blk: S_IFBLK, fifo: S_IFIFO, sock: S_IFSOCK };

/** A mounted file system. */
export interface Mount {
  /** Device name shown in /proc/mounts (`/dev/nvme0n1p2`, `proc`, `tmpfs`). */
  devName: string;
  fsType: string;
  /** dev_t of the superblock (MKDEV(major, minor) as the kernel encodes it: major << 20 | minor). */
  dev: number;
  /** Linear offsets of struct super_block, struct mount and the file_system_type. */
  sbLin: number;
  mountLin: number;
  root: FsNode;
  /** Block device index in the block layer (-1: no backing device). */
  disk: number;
  /** First sector of the partition on its disk. */
  startSector: number;
  mountId: number;
  /** Virtual file systems (proc, sysfs, tmpfs) never do block I/O. */
  virtual: boolean;
  blockBits: number;
}

/** Generates the content of a virtual file at read time. */
export type Generated = (ctx: { pid: number }) => string;

export class FsNode {
  children: Map<string, FsNode> | null = null;
  parent: FsNode | null = null;
  /** For mount points: the file system mounted here (its root replaces this node when walking). */
  mounted: Mount | null = null;
  /** The file system this node lives in. */
  mount!: Mount;
  ino = 0;
  nlink = 1;
  size = 0;
  mtime = 0;
  atime = 0;
  ctime = 0;
  rdev = 0;
  /** Symlink target. */
  target = '';
  /** Text content of small files (what reads copy into user buffers). */
  content: string | null = null;
  private bytesOf: string | null = null;
  private bytes: Uint8Array | null = null;

  /** The content as UTF-8 bytes (encoded once per content). */
  contentBytes(): Uint8Array | null {
    if (this.content === null) return null;
    if (this.bytesOf !== this.content) {
      this.bytes = new TextEncoder().encode(this.content);
      this.bytesOf = this.content;
    }
    return this.bytes;
  }
  /** Content generated at read time (/proc). */
  generate: Generated | null = null;
  /** Start sector of the file's data on its device (files are contiguous). */
  sector = 0;
  /** Page-cache state: one byte per 4 KiB page (1 cached, 2 dirty); null when nothing cached. */
  pages: Uint8Array | null = null;
  cachedPages = 0;
  dirtyPages = 0;
  /** Whether a lookup has brought the node into the dentry cache (its first lookup costs more). */
  dcached = false;
  /** Kernel objects (0 until first needed). */
  dentryLin = 0;
  inodeLin = 0;
  /** Open count (for unlink of open files). */
  opens = 0;
  unlinked = false;

  constructor(
    public name: string,
    readonly kind: NodeKind,
    public perm: number,
    public uid = 0,
    public gid = 0,
  ) {}

  get mode(): number {
    return TYPE_BITS[this.kind] | (this.perm & 0o7777);
  }

  isDir(): boolean {
    return this.kind === 'dir';
  }

  add(child: FsNode): FsNode {
    if (!this.children) this.children = new Map();
    this.children.set(child.name, child);
    child.parent = this;
    return child;
  }

  /** Full path from the root of the tree. */
  path(): string {
    const parts: string[] = [];
    for (let n: FsNode | null = this; n && n.parent; n = n.parent) parts.push(n.name);
    return '/' + parts.reverse().join('/');
  }

  /** Readers waiting for pages under read I/O. */
  ioWait: WaitQueue | null = null;

  /** Marks page `i` present; returns true if it was missing. */
  cachePage(i: number): boolean {
    if (!this.pages || i >= this.pages.length) this.growPages(i + 1);
    const p = this.pages![i];
    if (p === 1 || p === 2) return false;
    this.pages![i] = 1;
    this.cachedPages++;
    return true;
  }

  isCached(i: number): boolean {
    if (!this.pages || i >= this.pages.length) return false;
    const p = this.pages[i];
    return p === 1 || p === 2;
  }

  /** Page `i` is being read from disk (its readers wait for that I/O). */
  isPending(i: number): boolean {
    return !!this.pages && i < this.pages.length && this.pages[i] === 3;
  }

  markPending(i: number): void {
    if (!this.pages || i >= this.pages.length) this.growPages(i + 1);
    if (this.pages![i] === 0) this.pages![i] = 3;
  }

  markDirty(i: number): void {
    this.cachePage(i);
    if (this.pages![i] === 3) this.pages![i] = 1;
    if (this.pages![i] !== 2) {
      this.pages![i] = 2;
      this.dirtyPages++;
    }
  }

  /** Clears dirty marks; returns the dirty page indexes (sorted). */
  takeDirty(): number[] {
    const out: number[] = [];
    if (!this.pages || this.dirtyPages === 0) return out;
    for (let i = 0; i < this.pages.length; i++)
      if (this.pages[i] === 2) {
        this.pages[i] = 1;
        out.push(i);
      }
    this.dirtyPages = 0;
    return out;
  }

  private growPages(n: number): void {
    const cap = Math.max(n, Math.ceil(this.size / 4096), 8);
    const next = new Uint8Array(cap);
    if (this.pages) next.set(this.pages);
    this.pages = next;
  }
}
