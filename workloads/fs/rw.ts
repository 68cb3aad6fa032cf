// The data path: read and write on files, pipes, terminals and special devices; the page
// cache (readahead of missing pages as block reads, dirty pages and their writeback);
// fsync with the journal commit; lseek. Every step fires its hooks (ksys_read, vfs_read,
// security_file_permission, ext4_file_read_iter / xfs_file_read_iter with their returns,
// filemap_read, pipe_read, tty_write, vfs_fsync, ext4_sync_file / xfs_file_fsync,
// writeback:writeback_dirty_inode, ...).
import type { FuncHooks } from '../kernel/hook-table';
import type { Hook } from '../kernel/hooks';
import type { Kernel } from '../kernel/kernel';
import { FILE, INODE, IOV_ITER, KIOCB } from '../kernel/offsets';
import { kat, kin, SYSCALL_BASE, type KStack } from '../kernel/stacks';
import { TaskState, WaitQueue, type KGen, type KOp, type Task } from '../kernel/task';
import * as E from '../errno';
import { REQ_FUA, REQ_META, REQ_OP_READ, REQ_OP_WRITE, REQ_PREFLUSH, REQ_RAHEAD, REQ_SYNC } from '../block/block';
import { PIPE_BUF_BYTES, type OpenFile } from './file';
import type { FsNode } from './node';

const PAGE = 4096;
/** Readahead window in pages (128 KiB). */
const RA_PAGES = 32;
/** Dirty pages above which writers are throttled and writeback starts early. */
const DIRTY_THRESH = 25_000;

function chain(wrapper: string, ...inner: string[]): KStack {
  return kat(...inner, `__x64_sys_${wrapper}`, ...SYSCALL_BASE);
}

export class Rw {
  private readonly H: Record<string, FuncHooks>;
  private readonly hDirtyInode: Hook;
  /** Per wrapper: the stacks of the read/write paths (built once). */
  private readonly stacks = new Map<string, Record<string, KStack>>();
  private readonly encoder = new TextEncoder();

  constructor(private readonly k: Kernel) {
    const H = k.hooks;
    const names = [
      'ksys_read', 'ksys_write', 'ksys_pread64', 'ksys_pwrite64', 'vfs_read', 'vfs_write', 'vfs_readv', 'vfs_writev', 'security_file_permission',
      'ext4_file_read_iter', 'ext4_file_write_iter', 'generic_file_read_iter', 'filemap_read', 'page_cache_sync_ra', 'mark_page_accessed',
      'touch_atime', 'pipe_read', 'pipe_write', 'tty_write', 'vfs_fsync', 'vfs_fsync_range', 'ext4_sync_file', 'ksys_fsync', 'do_writepages',
      'vfs_llseek', 'io_schedule', 'blkdev_issue_flush', 'xfs_file_read_iter', 'xfs_file_write_iter', 'xfs_file_fsync',
    ];
    this.H = Object.fromEntries(names.map((n) => [n, H.k(n)]));
    this.hDirtyInode = H.tp('writeback', 'writeback_dirty_inode');
  }

  private readonly wstacks = new Map<string, Record<string, KStack>>();

  /** The read/write path stacks of a wrapper (XFS files have their own file operations). */
  private st(wrapper: string, write: boolean, xfs = false): Record<string, KStack> {
    const key = xfs ? `${wrapper}:xfs` : wrapper;
    let s = (write ? this.wstacks : this.stacks).get(key);
    if (s) return s;
    const ksys = write ? (wrapper === 'pwrite64' ? 'ksys_pwrite64' : 'ksys_write') : wrapper === 'pread64' ? 'ksys_pread64' : 'ksys_read';
    const vfs = wrapper.endsWith('v') ? (write ? 'vfs_writev' : 'vfs_readv') : write ? 'vfs_write' : 'vfs_read';
    const base = [ksys];
    const top = [...base, `__x64_sys_${wrapper}`, ...SYSCALL_BASE];
    // The file system's read_iter and what it calls into the page cache.
    const readIter = xfs ? ['xfs_file_buffered_read', 'xfs_file_read_iter'] : ['generic_file_read_iter', 'ext4_file_read_iter'];
    const inRead = [...readIter, 'new_sync_read', vfs];
    s = {
      ksys: chain(wrapper, ...base),
      vfs: chain(wrapper, vfs, ...base),
      perm: chain(wrapper, 'security_file_permission', vfs, ...base),
      iter: chain(wrapper, write ? (xfs ? 'xfs_file_write_iter' : 'ext4_file_write_iter') : xfs ? 'xfs_file_read_iter' : 'ext4_file_read_iter', write ? 'vfs_write_iter' : 'new_sync_read', vfs, ...base),
      inIter: kin(write ? (xfs ? 'xfs_file_write_iter' : 'ext4_file_write_iter') : xfs ? 'xfs_file_read_iter' : 'ext4_file_read_iter', write ? 'vfs_write_iter' : 'new_sync_read', vfs, ...top),
      gen: chain(wrapper, 'generic_file_read_iter', 'ext4_file_read_iter', 'new_sync_read', vfs, ...base),
      filemap: chain(wrapper, 'filemap_read', ...inRead, ...base),
      ra: chain(wrapper, 'page_cache_sync_ra', 'filemap_get_pages', 'filemap_read', ...inRead, ...base),
      io: kin('read_pages', 'page_cache_ra_unbounded', 'page_cache_sync_ra', 'filemap_get_pages', 'filemap_read', ...inRead, ...top),
      atime: chain(wrapper, 'touch_atime', 'filemap_read', ...inRead, ...base),
      dirty: xfs
        ? kin('iomap_write_iter', 'iomap_file_buffered_write', 'xfs_file_buffered_write', 'xfs_file_write_iter', 'vfs_write_iter', vfs, ...top)
        : kin('generic_perform_write', 'ext4_buffered_write_iter', 'ext4_file_write_iter', 'vfs_write_iter', vfs, ...top),
      pipe: chain(wrapper, write ? 'pipe_write' : 'pipe_read', write ? 'vfs_write_iter' : 'new_sync_read', vfs, ...base),
      tty: chain(wrapper, 'tty_write', 'vfs_write_iter', vfs, ...base),
      ttyRead: kin('n_tty_read', 'tty_read', 'new_sync_read', vfs, ...top),
      pipeWait: kin('pipe_wait_readable', 'pipe_read', 'new_sync_read', vfs, ...top),
      inside: kin(vfs, ...top),
    };
    (write ? this.wstacks : this.stacks).set(key, s);
    return s;
  }

  /** A kiocb and iov_iter for the *_iter hooks (only built when they are watched). */
  private kiocb(f: OpenFile, buf: number, count: number, write: boolean): [number, number] {
    const k = this.k;
    const cb = k.scratch(KIOCB.SIZE + IOV_ITER.SIZE);
    const it = cb + KIOCB.SIZE;
    k.mem.writePtr(cb + KIOCB.ki_filp, f.lin);
    k.mem.writeNum64(cb + KIOCB.ki_pos, f.pos);
    k.mem.writeU8(it + IOV_ITER.iter_type, 0);
    k.mem.writeU8(it + IOV_ITER.data_source, write ? 1 : 0);
    k.mem.writeNum64(it + IOV_ITER.ubuf, buf);
    k.mem.writeNum64(it + IOV_ITER.count, count);
    k.mem.writeNum64(it + IOV_ITER.nr_segs, 1);
    return [cb, it];
  }

  /** Brings pages of [pos, pos+n) into the page cache, reading missing ones from disk (readahead). */
  *readPages(t: Task, node: FsNode, pos: number, n: number, stack: KStack, raStack?: KStack): KGen {
    if (n <= 0) return 0;
    const k = this.k;
    const first = Math.floor(pos / PAGE);
    const last = Math.floor((pos + n - 1) / PAGE);
    const m = node.mount;
    if (m.virtual || m.disk < 0) {
      for (let i = first; i <= last; i++) node.cachePage(i);
      return 0;
    }
    let i = first;
    while (i <= last) {
      if (node.isCached(i)) {
        i++;
        continue;
      }
      if (node.isPending(i)) {
        // Another reader's I/O brings this page in: wait for it (folio_wait_bit).
        if (!node.ioWait) node.ioWait = new WaitQueue();
        node.ioWait.add(t);
        yield t.block(TaskState.UNINTERRUPTIBLE, stack.under('io_schedule', 'folio_wait_bit_common'));
        continue;
      }
      // A miss: read a readahead window of missing pages.
      const filePages = Math.max(1, Math.ceil(node.size / PAGE));
      let end = i;
      while (end < filePages && end - i < RA_PAGES && !node.isCached(end) && !node.isPending(end)) end++;
      if (end === i) end = i + 1;
      for (let j = i; j < end; j++) node.markPending(j);
      if (this.H.page_cache_sync_ra.entry.on && raStack) k.kprobe(this.H.page_cache_sync_ra, t, raStack, 0, end - i);
      const flags = end - i > last - first + 1 ? REQ_RAHEAD : 0;
      const part = k.s.block.partIndex(m.disk, m.dev);
      const r = yield* k.s.block.io(t, m.disk, node.sector + i * 8, (end - i) * PAGE, REQ_OP_READ, flags, stack, part);
      for (let j = i; j < end; j++) node.cachePage(j);
      if (node.ioWait) k.s.sched.wakeAll(node.ioWait, 0, t);
      if (r < 0) return r;
      k.s.mm.allocPages(t, stack, 0);
      if (node.inodeLin) k.mem.writeNum64(node.inodeLin + INODE['i_data.nrpages'], node.cachedPages);
      i = end;
    }
    return 0;
  }

  /** Copies file data to a user buffer: the node's text content, or nothing for binary data. */
  private copyOut(t: Task, f: OpenFile, node: FsNode | null, buf: number, pos: number, n: number): void {
    const p = t.proc;
    let src: Uint8Array | null = f.text;
    if (!src && node) src = node.contentBytes();
    if (!src) return;
    const m = p.user.find(buf);
    if (!m) return;
    const len = Math.min(n, src.length - pos, m.end - buf, 4096);
    if (len <= 0) return;
    const lin = p.user.translate(buf, len);
    if (lin >= 0) this.k.mem.u8.set(src.subarray(pos, pos + len), lin);
  }

  /** read / pread64 / readv: `pos` is -1 to use and advance the file position. */
  *read(t: Task, fd: number, buf: number, count: number, pos: number, wrapper: string): KGen {
    const k = this.k;
    const f = k.s.vfs.fdGet(t.proc, fd);
    const S = this.st(wrapper, false);
    const H = this.H;
    const ksys = wrapper === 'pread64' ? H.ksys_pread64 : H.ksys_read;
    if (ksys.entry.on) k.kprobe(ksys, t, S.ksys, fd, buf, count, pos);
    if (!f) return this.ret(ksys, t, S, -E.EBADF);
    if (!f.readable()) return this.ret(ksys, t, S, -E.EBADF);
    if (f.kind === 'socket') return yield* k.s.net.recvFile(t, f, buf, count, 0, wrapper);
    const vfs = wrapper.endsWith('v') ? H.vfs_readv : H.vfs_read;
    if (vfs.entry.on) k.kprobe(vfs, t, S.vfs, f.lin, buf, count, f.lin + FILE.f_pos);
    if (H.security_file_permission.entry.on) {
      const ov = k.kprobe(H.security_file_permission, t, S.perm, f.lin, 4);
      if (ov !== null && ov !== 0) return this.ret2(vfs, ksys, t, S, ov);
    }
    let r: number;
    switch (f.kind) {
      case 'file':
        r = yield* this.readFile(t, f, buf, count, pos, S, wrapper);
        break;
      case 'dir':
        r = -E.EISDIR;
        break;
      case 'pipe':
        r = yield* this.readPipe(t, f, buf, count, S);
        break;
      case 'tty':
        r = yield* this.readTty(t, f, buf, count, S);
        break;
      case 'null':
        if (f.extra === 'random') {
          k.cost(t, 200 + count);
          r = count;
        } else r = 0;
        break;
      case 'event':
        r = count >= 8 ? 8 : -E.EINVAL;
        break;
      default:
        r = -E.EINVAL;
    }
    return this.ret2(vfs, ksys, t, S, r);
  }

  private ret(h: FuncHooks, t: Task, S: Record<string, KStack>, r: number): number {
    if (h.ret.on) this.k.kretprobe(h, t, S.ksys, r);
    return r;
  }

  private ret2(vfs: FuncHooks, ksys: FuncHooks, t: Task, S: Record<string, KStack>, r: number): number {
    if (vfs.ret.on) this.k.kretprobe(vfs, t, S.inside, r);
    if (ksys.ret.on) this.k.kretprobe(ksys, t, S.ksys, r);
    return r;
  }

  private *readFile(t: Task, f: OpenFile, buf: number, count: number, at: number, S: Record<string, KStack>, wrapper: string): KGen {
    const k = this.k;
    const H = this.H;
    const node = f.node!;
    const pos = at >= 0 ? at : f.pos;
    const size = f.text ? f.text.length : node.size;
    const n = Math.max(0, Math.min(count, size - pos));
    const fs = node.mount.fsType;
    const xfs = fs === 'xfs';
    if (xfs) S = this.st(wrapper, false, true);
    const iter = fs === 'ext4' ? H.ext4_file_read_iter : xfs ? H.xfs_file_read_iter : null;
    if ((iter && iter.entry.on) || (H.generic_file_read_iter.entry.on && !xfs) || H.filemap_read.entry.on) {
      const [cb, it] = this.kiocb(f, buf, count, false);
      if (iter && iter.entry.on) k.kprobe(iter, t, S.iter, cb, it);
      if (H.generic_file_read_iter.entry.on && !xfs) k.kprobe(H.generic_file_read_iter, t, S.gen, cb, it);
      if (H.filemap_read.entry.on) k.kprobe(H.filemap_read, t, S.filemap, cb, it, 0);
    }
    if (n > 0) {
      if (!f.text) {
        const r = yield* this.readPages(t, node, pos, n, S.io, S.ra);
        if (r < 0) {
          if (iter && iter.ret.on) k.kretprobe(iter, t, S.inIter, r);
          return r;
        }
      }
      this.copyOut(t, f, node, buf, pos, n);
      k.cost(t, 250 + Math.ceil(n / PAGE) * 180);
      if (H.mark_page_accessed.entry.on) k.kprobe(H.mark_page_accessed, t, S.filemap.call('mark_page_accessed'), 0);
    }
    if (H.touch_atime.entry.on) k.kprobe(H.touch_atime, t, S.atime, f.lin + FILE['f_path.mnt']);
    if (at < 0) {
      f.pos = pos + n;
      k.mem.writeNum64(f.lin + FILE.f_pos, f.pos);
    }
    if (iter && iter.ret.on) k.kretprobe(iter, t, S.inIter, n);
    return n;
  }

  private *readPipe(t: Task, f: OpenFile, buf: number, count: number, S: Record<string, KStack>): KGen {
    const k = this.k;
    const pipe = f.pipe!;
    if (this.H.pipe_read.entry.on) {
      const [cb, it] = this.kiocb(f, buf, count, false);
      k.kprobe(this.H.pipe_read, t, S.pipe, cb, it);
    }
    while (pipe.bytes === 0) {
      if (pipe.writers <= 0) return 0;
      if (f.flags & E.O_NONBLOCK) return -E.EAGAIN;
      pipe.readWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.pipeWait);
      if (r === -E.EINTR) return -E.EINTR;
    }
    const n = Math.min(count, pipe.bytes);
    pipe.bytes -= n;
    const lin = t.proc.user.translate(buf, Math.min(n, pipe.last.length));
    if (lin >= 0) k.mem.u8.set(pipe.last.subarray(0, Math.min(n, pipe.last.length)), lin);
    k.cost(t, 300 + n / 8);
    k.s.sched.wakeAll(pipe.writeWait, 0, t);
    return n;
  }

  private *readTty(t: Task, f: OpenFile, buf: number, count: number, S: Record<string, KStack>): KGen {
    const k = this.k;
    const tty = f.tty!;
    while (tty.pending.length === 0) {
      if (tty.nextAt === Infinity) {
        const next = tty.typist?.();
        if (!next) {
          tty.readWait.add(t);
          const r = yield t.block(TaskState.INTERRUPTIBLE, S.ttyRead);
          if (r === -E.EINTR) return -E.EINTR;
          continue;
        }
        tty.queued = `${next.text}\n`;
        tty.keyNs = next.keyNs;
        tty.nextAt = k.now + next.thinkNs;
        this.scheduleKey(tty);
      }
      tty.readWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.ttyRead);
      if (r === -E.EINTR) return -E.EINTR;
    }
    const n = Math.min(count, tty.pending.length);
    const bytes = this.encoder.encode(tty.pending.slice(0, n));
    tty.pending = tty.pending.slice(n);
    const lin = t.proc.user.translate(buf, bytes.length);
    if (lin >= 0) k.mem.u8.set(bytes, lin);
    k.cost(t, 900);
    return bytes.length;
  }

  /** Delivers the typist's next keystroke at its time, waking the reader (keyboard interrupt). */
  private scheduleKey(tty: import('./file').Tty): void {
    const k = this.k;
    k.at(tty.nextAt, () => {
      if (!tty.queued.length) {
        tty.nextAt = Infinity;
        return;
      }
      tty.pending += tty.queued[0];
      tty.queued = tty.queued.slice(1);
      tty.nextAt = tty.queued.length ? k.now + tty.keyNs * k.rng.lognormal(1, 0.4) : Infinity;
      const ctx = k.s.sched.cpus[0].curr;
      k.s.sched.wakeAll(tty.readWait, 0, ctx);
      if (tty.queued.length) this.scheduleKey(tty);
    });
  }

  /** write / pwrite64 / writev. */
  *write(t: Task, fd: number, buf: number, count: number, pos: number, wrapper: string): KGen {
    const k = this.k;
    const f = k.s.vfs.fdGet(t.proc, fd);
    const S = this.st(wrapper, true);
    const H = this.H;
    const ksys = wrapper === 'pwrite64' ? H.ksys_pwrite64 : H.ksys_write;
    if (ksys.entry.on) k.kprobe(ksys, t, S.ksys, fd, buf, count, pos);
    if (!f || !f.writable()) return this.ret(ksys, t, S, -E.EBADF);
    if (f.kind === 'socket') return yield* k.s.net.sendFile(t, f, buf, count, 0, wrapper);
    const vfs = wrapper.endsWith('v') ? H.vfs_writev : H.vfs_write;
    if (vfs.entry.on) k.kprobe(vfs, t, S.vfs, f.lin, buf, count, f.lin + FILE.f_pos);
    if (H.security_file_permission.entry.on) {
      const ov = k.kprobe(H.security_file_permission, t, S.perm, f.lin, 2);
      if (ov !== null && ov !== 0) return this.ret2(vfs, ksys, t, S, ov);
    }
    let r: number;
    switch (f.kind) {
      case 'file':
        r = yield* this.writeFile(t, f, buf, count, pos, S, wrapper);
        break;
      case 'pipe':
        r = yield* this.writePipe(t, f, buf, count, S);
        break;
      case 'tty': {
        if (H.tty_write.entry.on) {
          const [cb, it] = this.kiocb(f, buf, count, true);
          k.kprobe(H.tty_write, t, S.tty, cb, it);
        }
        const lin = t.proc.user.translate(buf, Math.min(count, 256));
        if (lin >= 0 && f.tty) f.tty.output = (f.tty.output + k.mem.readCString(lin, Math.min(count, 256))).slice(-4096);
        k.cost(t, 1_200 + count * 2);
        r = count;
        break;
      }
      case 'null':
      case 'event':
        k.cost(t, 150);
        r = count;
        break;
      default:
        r = -E.EINVAL;
    }
    return this.ret2(vfs, ksys, t, S, r);
  }

  private *writeFile(t: Task, f: OpenFile, buf: number, count: number, at: number, S: Record<string, KStack>, wrapper: string): KGen {
    const k = this.k;
    const node = f.node!;
    const vfs = k.s.vfs;
    if (node.mount.fsType === 'proc' || node.mount.fsType === 'sysfs') {
      k.cost(t, 800);
      return count;
    }
    const pos = at >= 0 ? at : f.flags & E.O_APPEND ? node.size : f.pos;
    const fs = node.mount.fsType;
    if (fs === 'xfs') S = this.st(wrapper, true, true);
    const iter = fs === 'ext4' ? this.H.ext4_file_write_iter : fs === 'xfs' ? this.H.xfs_file_write_iter : null;
    if (iter && iter.entry.on) {
      const [cb, it] = this.kiocb(f, buf, count, true);
      k.kprobe(iter, t, S.iter, cb, it);
    }
    const first = Math.floor(pos / PAGE);
    const last = Math.floor((pos + Math.max(count, 1) - 1) / PAGE);
    const wasClean = node.dirtyPages === 0;
    if (!node.mount.virtual) for (let i = first; i <= last; i++) node.markDirty(i);
    else for (let i = first; i <= last; i++) node.cachePage(i);
    if (pos + count > node.size) node.size = pos + count;
    node.mtime = Math.floor(Number(k.nowWall() / 1_000_000_000n));
    if (node.inodeLin) vfs.writeInode(node);
    if (!node.mount.virtual) {
      vfs.dirty.add(node);
      vfs.dirtyPages += last - first + 1;
      if (wasClean && this.hDirtyInode.on) k.tracepoint(this.hDirtyInode, t, S.dirty, [node.mount.devName.replace('/dev/', ''), node.ino, 7, 4]);
    }
    k.cost(t, 400 + Math.ceil(count / PAGE) * 320);
    if (at < 0) {
      f.pos = pos + count;
      k.mem.writeNum64(f.lin + FILE.f_pos, f.pos);
    }
    let r = count;
    if (f.flags & E.O_DSYNC) {
      const sr = yield* this.syncNode(t, node, true, S.inside);
      if (sr < 0) r = sr;
    } else if (vfs.dirtyPages > DIRTY_THRESH) {
      // balance_dirty_pages: the writer waits while writeback catches up.
      k.s.writeback.kick();
      yield t.block(TaskState.UNINTERRUPTIBLE, S.inside.under('schedule_timeout', 'io_schedule_timeout', 'balance_dirty_pages'), k.now + 2_000_000);
    }
    if (iter && iter.ret.on) k.kretprobe(iter, t, S.inIter, r);
    return r;
  }

  private *writePipe(t: Task, f: OpenFile, buf: number, count: number, S: Record<string, KStack>): KGen {
    const k = this.k;
    const pipe = f.pipe!;
    if (this.H.pipe_write.entry.on) {
      const [cb, it] = this.kiocb(f, buf, count, true);
      k.kprobe(this.H.pipe_write, t, S.pipe, cb, it);
    }
    if (pipe.readers <= 0) {
      k.s.procs.send(13, t, t, 0);
      return -E.EPIPE;
    }
    while (pipe.bytes + count > PIPE_BUF_BYTES && pipe.bytes > 0) {
      if (f.flags & E.O_NONBLOCK) return -E.EAGAIN;
      pipe.writeWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.pipe);
      if (r === -E.EINTR) return -E.EINTR;
      if (pipe.readers <= 0) return -E.EPIPE;
    }
    pipe.bytes += count;
    const lin = t.proc.user.translate(buf, Math.min(count, 512));
    if (lin >= 0) pipe.last = k.mem.u8.slice(lin, lin + Math.min(count, 512));
    k.cost(t, 350 + count / 8);
    k.s.sched.wakeAll(pipe.readWait, 0, t);
    return count;
  }

  /** Writes back a file's dirty pages (and commits the journal when `sync`), waiting for the I/O. */
  *syncNode(t: Task, node: FsNode, withJournal: boolean, stack: KStack): KGen {
    const k = this.k;
    const m = node.mount;
    if (m.virtual || m.disk < 0) return 0;
    const pages = node.takeDirty();
    const vfs = k.s.vfs;
    vfs.dirtyPages = Math.max(0, vfs.dirtyPages - pages.length);
    vfs.dirty.delete(node);
    const part = k.s.block.partIndex(m.disk, m.dev);
    const xfs = m.fsType === 'xfs';
    const wbStack = xfs
      ? stack.under('iomap_submit_ioend', 'iomap_writepages', 'xfs_vm_writepages', 'do_writepages', 'file_write_and_wait_range')
      : stack.under('ext4_io_submit', 'ext4_do_writepages', 'ext4_writepages', 'do_writepages', 'file_write_and_wait_range');
    const logStack = xfs ? stack.under('xlog_cil_force_seq', 'xfs_log_force_seq') : stack.under('jbd2_journal_commit_transaction');
    if (this.H.do_writepages.entry.on && pages.length) k.kprobe(this.H.do_writepages, t, stack.call('do_writepages'), node.inodeLin + INODE.i_data, 0);
    for (const run of runs(pages)) {
      const r = yield* k.s.block.io(t, m.disk, node.sector + run[0] * 8, run[1] * PAGE, REQ_OP_WRITE, REQ_SYNC, wbStack, part);
      if (r < 0) return r;
    }
    if (withJournal) {
      // Journal (jbd2) or log (XFS) commit: its blocks, then a flush with FUA.
      const jr = yield* k.s.block.io(t, m.disk, m.startSector + 1_024 + (k.rng.int(4096) * 8), 3 * PAGE, REQ_OP_WRITE, REQ_SYNC | REQ_META, logStack, part);
      if (jr < 0) return jr;
      if (this.H.blkdev_issue_flush.entry.on) k.kprobe(this.H.blkdev_issue_flush, t, stack.call('blkdev_issue_flush'), k.s.block.disks[m.disk].bdevLin);
      const fr = yield* k.s.block.io(t, m.disk, m.startSector + 1_024, PAGE, REQ_OP_WRITE, REQ_SYNC | REQ_PREFLUSH | REQ_FUA, logStack, part);
      if (fr < 0) return fr;
    }
    return 0;
  }

  /** fsync / fdatasync. */
  *fsync(t: Task, fd: number, datasync: boolean, wrapper: string): KGen {
    const k = this.k;
    const H = this.H;
    const stack = kat('vfs_fsync_range', 'do_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE);
    if (H.ksys_fsync.entry.on && !datasync) k.kprobe(H.ksys_fsync, t, kat('ksys_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE), fd);
    const f = k.s.vfs.fdGet(t.proc, fd);
    if (!f) return -E.EBADF;
    if (H.vfs_fsync.entry.on) k.kprobe(H.vfs_fsync, t, kat('vfs_fsync', 'do_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE), f.lin, datasync ? 1 : 0);
    if (H.vfs_fsync_range.entry.on) k.kprobe(H.vfs_fsync_range, t, stack, f.lin, 0, 0x7fffffff_ffff, datasync ? 1 : 0);
    if (f.kind !== 'file' || !f.node) return f.kind === 'pipe' || f.kind === 'socket' ? -E.EINVAL : 0;
    const node = f.node;
    const fs = node.mount.fsType;
    const fsSync = fs === 'ext4' ? H.ext4_sync_file : fs === 'xfs' ? H.xfs_file_fsync : null;
    const syncFn = fs === 'xfs' ? 'xfs_file_fsync' : 'ext4_sync_file';
    if (fsSync && fsSync.entry.on) k.kprobe(fsSync, t, stack.call(syncFn), f.lin, 0, 0x7fffffff_ffff, datasync ? 1 : 0);
    const r = yield* this.syncNode(t, node, !datasync || node.dirtyPages > 0, kin(syncFn, 'vfs_fsync_range', 'do_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE));
    if (fsSync && fsSync.ret.on) k.kretprobe(fsSync, t, kin('vfs_fsync_range', 'do_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE), r);
    if (H.vfs_fsync.ret.on) k.kretprobe(H.vfs_fsync, t, kin('do_fsync', `__x64_sys_${wrapper}`, ...SYSCALL_BASE), r);
    return r;
  }

  lseek(t: Task, fd: number, off: number, whence: number): number {
    const k = this.k;
    const f = k.s.vfs.fdGet(t.proc, fd);
    if (this.H.vfs_llseek.entry.on && f) k.kprobe(this.H.vfs_llseek, t, kat('vfs_llseek', '__x64_sys_lseek', ...SYSCALL_BASE), f.lin, off, whence);
    if (!f) return -E.EBADF;
    if (f.kind === 'pipe' || f.kind === 'socket' || f.kind === 'tty') return -E.ESPIPE;
    const size = f.text ? f.text.length : (f.node?.size ?? 0);
    const pos = whence === 0 ? off : whence === 1 ? f.pos + off : whence === 2 ? size + off : -1;
    if (pos < 0) return -E.EINVAL;
    f.pos = pos;
    k.mem.writeNum64(f.lin + FILE.f_pos, pos);
    return pos;
  }
}

/** Groups sorted page indexes into [start, length] runs of at most 64 pages. */
export function runs(pages: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of pages) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === p && last[1] < 64) last[1]++;
    else out.push([p, 1]);
  }
  return out;
}

export type { KOp };
