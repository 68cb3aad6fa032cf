// Background writeback: the flusher kworker writes dirty page-cache pages back every few
// seconds (or sooner under dirty pressure), and the journal threads (jbd2 for ext4,
// xfsaild for XFS) commit metadata with a cache flush. These are the asynchronous writes
// biosnoop and biolatency see from kworker and jbd2. Each round of the flusher is one
// writeback work item per disk (writeback:writeback_start / writeback_written).
import type { Hook } from '../kernel/hooks';
import type { Kernel } from '../kernel/kernel';
import { kin, type KStack } from '../kernel/stacks';
import { TaskState, WaitQueue, type KGen, type Task } from '../kernel/task';
import { REQ_FUA, REQ_META, REQ_OP_WRITE, REQ_PREFLUSH, REQ_SYNC } from '../block/block';
import { runs } from './rw';
import type { FsNode, Mount } from './node';

const WB_STACK = kin('ext4_io_submit', 'ext4_do_writepages', 'ext4_writepages', 'do_writepages', '__writeback_single_inode', 'writeback_sb_inodes', 'wb_writeback', 'wb_workfn', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const XFS_WB_STACK = kin('iomap_submit_ioend', 'iomap_writepages', 'xfs_vm_writepages', 'do_writepages', '__writeback_single_inode', 'writeback_sb_inodes', 'wb_writeback', 'wb_workfn', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const JBD2_STACK = kin('jbd2_journal_commit_transaction', 'kjournald2', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const WORK_STACK = kin('wb_writeback', 'wb_workfn', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const WB_IDLE = kin('worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const JBD2_IDLE = kin('kjournald2', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');

export const WRITEBACK_INTERVAL_NS = 5_000_000_000;
/** enum wb_reason values. */
const WB_REASON_BACKGROUND = 0;
const WB_REASON_PERIODIC = 3;

export class Writeback {
  private flusher: Task | null = null;
  /** Mounts with metadata changes since the last journal commit. */
  readonly metaDirty = new Set<Mount>();

  /** Whether the flusher was woken early by dirty pressure (a background work item). */
  private kicked = false;
  private readonly hStart: Hook;
  private readonly hWritten: Hook;

  constructor(private readonly k: Kernel) {
    this.hStart = k.hooks.tp('writeback', 'writeback_start');
    this.hWritten = k.hooks.tp('writeback', 'writeback_written');
  }

  start(): void {
    const k = this.k;
    this.flusher = k.s.procs.kthread('kworker/u8:2', (t) => this.flush(t), 0);
    for (const m of k.s.vfs.mounts) {
      if (m.virtual || m.disk < 0) continue;
      const name = m.fsType === 'xfs' ? `xfsaild/${m.devName.replace('/dev/', '')}` : `jbd2/${m.devName.replace('/dev/', '')}-8`;
      k.s.procs.kthread(name, (t) => this.journal(t, m), 1 % k.nrCpus);
    }
  }

  /** Wakes the flusher now (dirty pressure). */
  kick(): void {
    const f = this.flusher;
    this.kicked = true;
    if (f && f.state !== TaskState.RUNNING) this.k.s.sched.wake(f, 1, this.k.s.sched.cpus[f.cpu].curr);
  }

  private *flush(t: Task): KGen {
    const k = this.k;
    const vfs = k.s.vfs;
    const phase = k.rng.int(WRITEBACK_INTERVAL_NS);
    if (!this.kicked) yield t.block(TaskState.IDLE, WB_IDLE, k.now + phase);
    for (;;) {
      const reason = this.kicked ? WB_REASON_BACKGROUND : WB_REASON_PERIODIC;
      this.kicked = false;
      // One work item per disk (its bdi, named MAJ:MIN), covering that disk's dirty inodes.
      const byDisk = new Map<number, FsNode[]>();
      for (const node of vfs.dirty) {
        const list = byDisk.get(node.mount.disk) ?? [];
        list.push(node);
        byDisk.set(node.mount.disk, list);
      }
      for (const [disk, nodes] of byDisk) {
        const d = k.s.block.disks[disk];
        const bdi = d ? `${d.model.major}:${d.model.minor}` : '0:0';
        let want = 0;
        for (const node of nodes) want += node.dirtyPages;
        const fields = (left: number) => [bdi, left, 0, 0, reason === WB_REASON_PERIODIC ? 1 : 0, 1, reason === WB_REASON_BACKGROUND ? 1 : 0, reason, 1];
        if (this.hStart.on && want) k.tracepoint(this.hStart, t, WORK_STACK, fields(want));
        let written = 0;
        for (const node of nodes) {
          const m = node.mount;
          const pages = node.takeDirty();
          vfs.dirty.delete(node);
          vfs.dirtyPages = Math.max(0, vfs.dirtyPages - pages.length);
          if (!pages.length) continue;
          written += pages.length;
          this.metaDirty.add(m);
          const part = k.s.block.partIndex(m.disk, m.dev);
          const done = new WaitQueue();
          const stack = m.fsType === 'xfs' ? XFS_WB_STACK : WB_STACK;
          const ios = runs(pages).map((r) => k.s.block.submit(t, m.disk, node.sector + r[0] * 8, r[1] * 4096, REQ_OP_WRITE, 0, stack, done, part));
          k.cost(t, 2_000 * ios.length);
          yield* this.waitAll(t, ios, done, stack);
        }
        if (this.hWritten.on && want) k.tracepoint(this.hWritten, t, WORK_STACK, fields(Math.max(0, want - written)));
      }
      // Woken early while writing (more dirty pressure): go round again at once.
      if (!this.kicked) yield t.block(TaskState.IDLE, WB_IDLE, k.now + WRITEBACK_INTERVAL_NS);
    }
  }

  /** Waits until every I/O completed (each completion wakes `done`), as waiting on each folio's writeback amounts to. */
  private *waitAll(t: Task, ios: { done: unknown }[], done: WaitQueue, stack: KStack): KGen {
    while (ios.some((io) => io.done !== null)) {
      done.add(t);
      yield t.block(TaskState.UNINTERRUPTIBLE, stack.under('io_schedule', 'folio_wait_bit_common'));
    }
    return 0;
  }

  private *journal(t: Task, m: Mount): KGen {
    const k = this.k;
    yield t.block(TaskState.INTERRUPTIBLE, JBD2_IDLE, k.now + k.rng.int(WRITEBACK_INTERVAL_NS));
    for (;;) {
      if (this.metaDirty.has(m)) {
        this.metaDirty.delete(m);
        const part = k.s.block.partIndex(m.disk, m.dev);
        const blocks = 2 + k.rng.int(6);
        yield* k.s.block.io(t, m.disk, m.startSector + 1_024 + k.rng.int(4096) * 8, blocks * 4096, REQ_OP_WRITE, REQ_SYNC | REQ_META, JBD2_STACK, part);
        yield* k.s.block.io(t, m.disk, m.startSector + 1_024, 4096, REQ_OP_WRITE, REQ_SYNC | REQ_PREFLUSH | REQ_FUA, JBD2_STACK, part);
      }
      yield t.block(TaskState.INTERRUPTIBLE, JBD2_IDLE, k.now + WRITEBACK_INTERVAL_NS);
    }
  }
}
