// Background writeback: the flusher kworker writes dirty page-cache pages back every few
// seconds (or sooner under dirty pressure), and the journal threads (jbd2 for ext4,
// xfsaild for XFS) commit metadata with a cache flush. These are the asynchronous writes
// biosnoop and biolatency see from kworker and jbd2.
import type { Kernel } from '../kernel/kernel';
import { kin, type KStack } from '../kernel/stacks';
import { TaskState, type KGen, type Task } from '../kernel/task';
import { REQ_FUA, REQ_META, REQ_OP_WRITE, REQ_PREFLUSH, REQ_SYNC } from '../block/block';
import { runs } from './rw';
import type { Mount } from './node';

const WB_STACK = kin('ext4_io_submit', 'ext4_do_writepages', 'ext4_writepages', 'do_writepages', '__writeback_single_inode', 'writeback_sb_inodes', 'wb_writeback', 'wb_workfn', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const JBD2_STACK = kin('jbd2_journal_commit_transaction', 'kjournald2', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const WB_IDLE = kin('worker_thread', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');
const JBD2_IDLE = kin('kjournald2', 'kthread', 'ret_from_fork', 'ret_from_fork_asm');

export const WRITEBACK_INTERVAL_NS = 5_000_000_000;

export class Writeback {
  private flusher: Task | null = null;
  /** Mounts with metadata changes since the last journal commit. */
  readonly metaDirty = new Set<Mount>();

  constructor(private readonly k: Kernel) {}

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
    if (f && f.state !== TaskState.RUNNING) this.k.s.sched.wake(f, 1, this.k.s.sched.cpus[f.cpu].curr);
  }

  private *flush(t: Task): KGen {
    const k = this.k;
    const vfs = k.s.vfs;
    const phase = k.rng.int(WRITEBACK_INTERVAL_NS);
    yield t.block(TaskState.IDLE, WB_IDLE, k.now + phase);
    for (;;) {
      const nodes = [...vfs.dirty];
      for (const node of nodes) {
        const m = node.mount;
        const pages = node.takeDirty();
        vfs.dirty.delete(node);
        vfs.dirtyPages = Math.max(0, vfs.dirtyPages - pages.length);
        if (!pages.length) continue;
        this.metaDirty.add(m);
        const part = k.s.block.partIndex(m.disk, m.dev);
        const ios = runs(pages).map((r) => k.s.block.submit(t, m.disk, node.sector + r[0] * 8, r[1] * 4096, REQ_OP_WRITE, 0, WB_STACK, null, part));
        k.cost(t, 2_000 * ios.length);
        yield* this.waitAll(t, ios, WB_STACK);
      }
      yield t.block(TaskState.IDLE, WB_IDLE, k.now + WRITEBACK_INTERVAL_NS);
    }
  }

  private *waitAll(t: Task, ios: { done: unknown }[], stack: KStack): KGen {
    // Poll for completions with short sleeps (what waiting on each folio's writeback amounts to).
    while (ios.some((io) => io.done !== null)) yield t.block(TaskState.UNINTERRUPTIBLE, stack.under('io_schedule', 'folio_wait_bit_common'), this.k.now + 200_000);
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
