// The block layer: disks (an NVMe SSD and a SATA HDD) with gendisk, request_queue,
// block_device objects in memory; bios and requests allocated per I/O; latency models
// (NVMe: fast with a long tail and parallel service; HDD: seeks, rotation, one at a time);
// the submit path (block_bio_queue, submit_bio, blk_mq_submit_bio, block_rq_insert,
// blk_account_io_start, block_io_start, blk_mq_start_request, block_rq_issue) and the
// completion path in interrupt context (irq_handler_entry/exit, block_rq_complete,
// blk_account_io_done, block_io_done, blk_mq_end_request, bio_endio).
import { Region } from '../../vm/memory/memory';
import type { FuncHooks } from '../kernel/hook-table';
import type { Hook } from '../kernel/hooks';
import type { Kernel } from '../kernel/kernel';
import { BDEV, BIO, GENDISK, QUEUE, REQUEST } from '../kernel/offsets';
import { IRQ_ON_IDLE, kat, kin, type KStack } from '../kernel/stacks';
import { TaskState, WaitQueue, type Task, type KGen } from '../kernel/task';
import { mkdev } from '../fs/tree';

export const REQ_OP_READ = 0;
export const REQ_OP_WRITE = 1;
export const REQ_OP_FLUSH = 2;
export const REQ_SYNC = 1 << 11;
export const REQ_META = 1 << 12;
export const REQ_FUA = 1 << 17;
export const REQ_PREFLUSH = 1 << 18;
export const REQ_RAHEAD = 1 << 19;

export interface DiskModel {
  name: string;
  major: number;
  minor: number;
  /** Partition minors and their start sectors. */
  parts: { minor: number; start: number; sectors: number }[];
  sectors: number;
  rotational: boolean;
  /** Median service time of a small read / write (ns) and the spread (lognormal sigma). */
  readNs: number;
  writeNs: number;
  sigma: number;
  /** Transfer rate in bytes per ns. */
  bytesPerNs: number;
  /** Requests served concurrently. */
  depth: number;
  flushNs: number;
  irq: number;
}

export const DISKS: readonly DiskModel[] = [
  {
    name: 'nvme0n1', major: 259, minor: 0,
    parts: [{ minor: 1, start: 2048, sectors: 2_201_600 }, { minor: 2, start: 2_203_648, sectors: 998_000_000 }],
    sectors: 1_000_215_216, rotational: false, readNs: 78_000, writeNs: 24_000, sigma: 0.45, bytesPerNs: 2.4, depth: 32, flushNs: 450_000, irq: 130,
  },
  {
    name: 'sda', major: 8, minor: 0,
    parts: [{ minor: 1, start: 2048, sectors: 1_953_521_664 }],
    sectors: 1_953_525_168, rotational: true, readNs: 4_200_000, writeNs: 900_000, sigma: 0.5, bytesPerNs: 0.16, depth: 1, flushNs: 9_000_000, irq: 24,
  },
];

export interface Disk {
  model: DiskModel;
  dev: number;
  diskLin: number;
  queueLin: number;
  bdevLin: number;
  partLins: number[];
  /** Requests in flight (NVMe) or queued behind the head (HDD). */
  inflight: number;
  /** When the device finishes the work already given to it (HDD). */
  busyUntil: number;
  headSector: number;
  nextTag: number;
  cmdName: string;
}

interface Io {
  disk: Disk;
  op: number;
  flags: number;
  sector: number;
  bytes: number;
  rq: number;
  bio: number;
  /** The task that submitted (for comm in tracepoints) and the CPU completing. */
  task: Task;
  cpu: number;
  issued: number;
  done: WaitQueue | null;
  error: number;
}

const ISSUE_STACK = kin('blk_mq_start_request', 'blk_mq_flush_plug_list', 'blk_finish_plug', 'submit_bio_noacct', 'submit_bio');
const ISSUE_STACK_AT = kat('blk_mq_start_request', 'blk_mq_flush_plug_list', 'blk_finish_plug', 'submit_bio_noacct', 'submit_bio');
const DISPATCH_STACK_AT = kat('blk_mq_start_request', 'blk_mq_flush_plug_list', 'process_one_work', 'worker_thread', 'kthread', 'ret_from_fork');
const IRQ_CHAIN = ['nvme_handle_cqe', 'nvme_irq', 'handle_irq_event', 'handle_edge_irq', 'common_interrupt', 'asm_common_interrupt'];
const IRQ_STACK_BUSY = kin(...IRQ_CHAIN.slice(2));
const IRQ_STACK_IDLE = kin(...IRQ_CHAIN.slice(2), ...IRQ_ON_IDLE.slice(1));
const COMPLETE_STACK = kin(...IRQ_CHAIN);

export class BlockLayer {
  readonly disks: Disk[] = [];
  private readonly hBioQueue: Hook;
  private readonly hInsert: Hook;
  private readonly hIoStart: Hook;
  private readonly hIssue: Hook;
  private readonly hComplete: Hook;
  private readonly hIoDone: Hook;
  private readonly hBioComplete: Hook;
  private readonly hIrqEntry: Hook;
  private readonly hIrqExit: Hook;
  private readonly kSubmit: FuncHooks;
  private readonly kSubmitNoacct: FuncHooks;
  private readonly kMqSubmit: FuncHooks;
  private readonly kStart: FuncHooks;
  private readonly kAcctStart: FuncHooks;
  private readonly kAcctDone: FuncHooks;
  private readonly kEnd: FuncHooks;
  private readonly kComplete: FuncHooks;
  private readonly kBioEndio: FuncHooks;
  private readonly kShouldFail: FuncHooks;
  private readonly kHandleIrq: FuncHooks;

  constructor(private readonly k: Kernel) {
    const H = k.hooks;
    this.hBioQueue = H.tp('block', 'block_bio_queue');
    this.hInsert = H.tp('block', 'block_rq_insert');
    this.hIoStart = H.tp('block', 'block_io_start');
    this.hIssue = H.tp('block', 'block_rq_issue');
    this.hComplete = H.tp('block', 'block_rq_complete');
    this.hIoDone = H.tp('block', 'block_io_done');
    this.hBioComplete = H.tp('block', 'block_bio_complete');
    this.hIrqEntry = H.tp('irq', 'irq_handler_entry');
    this.hIrqExit = H.tp('irq', 'irq_handler_exit');
    this.kSubmit = H.k('submit_bio');
    this.kSubmitNoacct = H.k('submit_bio_noacct');
    this.kMqSubmit = H.k('blk_mq_submit_bio');
    this.kStart = H.k('blk_mq_start_request');
    this.kAcctStart = H.k('blk_account_io_start');
    this.kAcctDone = H.k('blk_account_io_done');
    this.kEnd = H.k('blk_mq_end_request');
    this.kComplete = H.k('blk_mq_complete_request');
    this.kBioEndio = H.k('bio_endio');
    this.kShouldFail = H.k('should_fail_bio');
    this.kHandleIrq = H.k('handle_irq_event');
    for (const m of DISKS) this.disks.push(this.makeDisk(m));
  }

  private makeDisk(m: DiskModel): Disk {
    const mem = this.k.mem;
    const diskLin = mem.alloc(GENDISK.SIZE, Region.KERNEL);
    const queueLin = mem.alloc(QUEUE.SIZE, Region.KERNEL);
    mem.writeU32(diskLin + GENDISK.major, m.major);
    mem.writeU32(diskLin + GENDISK.first_minor, m.minor);
    mem.writeU32(diskLin + GENDISK.minors, 16);
    mem.writeCString(diskLin + GENDISK.disk_name, m.name, 32);
    mem.writePtr(diskLin + GENDISK.queue, queueLin);
    mem.writePtr(queueLin + QUEUE.disk, diskLin);
    mem.writeU32(queueLin + QUEUE.queue_depth, m.depth);
    mem.writeNum64(queueLin + QUEUE.nr_requests, m.rotational ? 64 : 1023);
    mem.writeU32(queueLin + QUEUE.id, this.disks.length);
    const bdev = (minor: number, start: number, sectors: number, partno: number): number => {
      const lin = mem.alloc(BDEV.SIZE, Region.KERNEL);
      mem.writeNum64(lin + BDEV.bd_start_sect, start);
      mem.writeNum64(lin + BDEV.bd_nr_sectors, sectors);
      mem.writePtr(lin + BDEV.bd_disk, diskLin);
      mem.writePtr(lin + BDEV.bd_queue, queueLin);
      mem.writeU32(lin + BDEV.bd_dev, mkdev(m.major, minor));
      mem.writeU8(lin + BDEV.bd_partno, partno);
      return lin;
    };
    const bdevLin = bdev(m.minor, 0, m.sectors, 0);
    mem.writePtr(diskLin + GENDISK.part0, bdevLin);
    const partLins = m.parts.map((p, i) => bdev(p.minor, p.start, p.sectors, i + 1));
    return { model: m, dev: mkdev(m.major, m.minor), diskLin, queueLin, bdevLin, partLins, inflight: 0, busyUntil: 0, headSector: 0, nextTag: 0, cmdName: '' };
  }

  /** The rwbs string of block tracepoints (`R`, `WS`, `FWS`, `RA`, ...). */
  static rwbs(op: number, flags: number): string {
    let s = flags & REQ_PREFLUSH ? 'F' : '';
    s += op === REQ_OP_WRITE ? 'W' : op === REQ_OP_READ ? 'R' : op === REQ_OP_FLUSH ? 'F' : 'N';
    if (flags & REQ_FUA) s += 'F';
    if (flags & REQ_RAHEAD) s += 'A';
    if (flags & REQ_SYNC) s += 'S';
    if (flags & REQ_META) s += 'M';
    return s;
  }

  /** Service time of one request on a disk, given the queue state (ns). */
  private serviceTime(d: Disk, io: Io): number {
    const m = d.model;
    const rng = this.k.rng;
    if (io.op === REQ_OP_FLUSH || io.bytes === 0) return m.flushNs * rng.lognormal(1, 0.3);
    let base = io.op === REQ_OP_WRITE ? m.writeNs : m.readNs;
    if (m.rotational) {
      const dist = Math.abs(io.sector - d.headSector);
      if (dist < 2048) base = base * 0.05 + 60_000; // sequential: no seek
      else base = base * (0.35 + 0.65 * Math.min(1, Math.sqrt(dist / m.sectors) * 2));
      d.headSector = io.sector + (io.bytes >> 9);
    }
    let t = base * rng.lognormal(1, m.sigma) + io.bytes / m.bytesPerNs;
    if (!m.rotational && rng.chance(0.004)) t += rng.exp(2_500_000); // rare slow I/O (GC, thermal)
    if (io.flags & REQ_FUA) t += m.flushNs * 0.3;
    return t;
  }

  /**
   * Submits an I/O for `task` and blocks it until completion. `sector` is absolute on the
   * disk. Returns 0 or a negative errno (error injection through should_fail_bio).
   */
  *io(task: Task, diskIndex: number, sector: number, bytes: number, op: number, flags: number, stack: KStack, partIndex = -1): KGen {
    const done = new WaitQueue();
    const io = this.submit(task, diskIndex, sector, bytes, op, flags, stack, done, partIndex);
    if (io.error) return io.error;
    while (io.done) {
      done.add(task);
      yield task.block(TaskState.UNINTERRUPTIBLE, stack.under('io_schedule', 'folio_wait_bit_common'));
    }
    return io.error;
  }

  /** Submits without waiting (writeback); the completion wakes `done` if given. */
  submit(task: Task, diskIndex: number, sector: number, bytes: number, op: number, flags: number, stack: KStack, done: WaitQueue | null, partIndex = -1): Io {
    const k = this.k;
    const mem = k.mem;
    const d = this.disks[diskIndex];
    const io: Io = { disk: d, op, flags, sector, bytes, rq: 0, bio: 0, task, cpu: task.cpu, issued: 0, done, error: 0 };
    // struct bio
    const bio = mem.alloc(BIO.SIZE, Region.KERNEL);
    io.bio = bio;
    mem.writePtr(bio + BIO.bi_bdev, partIndex >= 0 ? d.partLins[partIndex] : d.bdevLin);
    mem.writeU32(bio + BIO.bi_opf, op | flags);
    mem.writeNum64(bio + BIO['bi_iter.bi_sector'], sector);
    mem.writeU32(bio + BIO['bi_iter.bi_size'], bytes);
    mem.writeU32(bio + BIO.bi_vcnt, Math.max(1, Math.ceil(bytes / 4096)));
    k.s.mm.cacheAlloc(task, 'bio-256', bio, stack);
    const rwbs = BlockLayer.rwbs(op, flags);
    const dev = this.devOf(d, partIndex);
    const nsect = bytes >> 9;
    const bstack = stack.call('submit_bio');
    if (this.kSubmit.entry.on) k.kprobe(this.kSubmit, task, bstack, bio);
    if (this.kSubmitNoacct.entry.on) k.kprobe(this.kSubmitNoacct, task, stack.call('submit_bio').call('submit_bio_noacct'), bio);
    if (this.kShouldFail.entry.on) {
      const ov = k.kprobe(this.kShouldFail, task, stack.call('submit_bio').call('should_fail_bio'), bio);
      if (ov !== null && ov !== 0) {
        io.error = -5;
        io.done = null;
        mem.free(bio);
        return io;
      }
    }
    if (this.hBioQueue.on) k.tracepoint(this.hBioQueue, task, bstack.under('submit_bio_noacct'), [d.dev, sector, nsect, rwbs, task.comm]);
    if (this.kMqSubmit.entry.on) k.kprobe(this.kMqSubmit, task, bstack.under('submit_bio_noacct').call('blk_mq_submit_bio'), bio);
    // struct request from the queue's tag set
    const rq = mem.alloc(REQUEST.SIZE, Region.KERNEL);
    io.rq = rq;
    const tag = d.nextTag++ % (d.model.rotational ? 64 : 1023);
    mem.writePtr(rq + REQUEST.q, d.queueLin);
    mem.writeU32(rq + REQUEST.cmd_flags, op | flags);
    mem.writeU32(rq + REQUEST.tag, tag);
    mem.writeU32(rq + REQUEST.__data_len, bytes);
    mem.writeNum64(rq + REQUEST.__sector, sector);
    mem.writePtr(rq + REQUEST.bio, bio);
    mem.writePtr(rq + REQUEST.biotail, bio);
    mem.writePtr(rq + REQUEST.part, partIndex >= 0 ? d.partLins[partIndex] : d.bdevLin);
    mem.writeNum64(rq + REQUEST.alloc_time_ns, k.now);
    mem.writeNum64(rq + REQUEST.start_time_ns, k.now);
    mem.writeU32(rq + REQUEST.nr_phys_segments, Math.max(1, Math.ceil(bytes / 4096)));
    mem.writeU32(rq + REQUEST.state, 0);
    const tpVals = (): (number | string)[] => [d.dev, sector, nsect, bytes, 0, rwbs, task.comm, ''];
    if (d.model.rotational && this.hInsert.on) k.tracepoint(this.hInsert, task, bstack.under('blk_mq_submit_bio'), tpVals());
    if (this.kAcctStart.entry.on) k.kprobe(this.kAcctStart, task, bstack.call('blk_account_io_start'), rq);
    if (this.hIoStart.on) k.tracepoint(this.hIoStart, task, bstack, tpVals());
    // Issue: now for NVMe; behind the head for the HDD.
    const now = k.now;
    const start = d.model.rotational ? Math.max(now, d.busyUntil) : now;
    const svc = this.serviceTime(d, io);
    const finish = start + svc;
    if (d.model.rotational) d.busyUntil = finish;
    d.inflight++;
    const issue = () => {
      io.issued = k.now;
      mem.writeNum64(rq + REQUEST.io_start_time_ns, k.now);
      mem.writeU32(rq + REQUEST.state, 1);
      const ctx = start === now ? task : k.s.sched.cpus[io.cpu].curr;
      if (this.kStart.entry.on) k.kprobe(this.kStart, ctx, start === now ? ISSUE_STACK_AT : DISPATCH_STACK_AT, rq);
      if (this.hIssue.on) k.tracepoint(this.hIssue, ctx, ISSUE_STACK, tpVals());
    };
    if (start === now) issue();
    else k.at(start, issue);
    k.at(finish, () => this.complete(io));
    return io;
  }

  private devOf(d: Disk, partIndex: number): number {
    return partIndex >= 0 ? mkdev(d.model.major, d.model.parts[partIndex].minor) : d.dev;
  }

  /** Completion in interrupt context on the submitting CPU. */
  private complete(io: Io): void {
    const k = this.k;
    const d = io.disk;
    const cpu = k.s.sched.cpus[io.cpu] ?? k.s.sched.cpus[0];
    const ctx = cpu.curr;
    const irqStack = ctx.idle ? IRQ_STACK_IDLE : IRQ_STACK_BUSY;
    const name = d.model.rotational ? 'ahci[0000:00:17.0]' : `nvme0q${(io.cpu % 4) + 1}`;
    if (this.hIrqEntry.on) k.tracepoint(this.hIrqEntry, ctx, irqStack, [d.model.irq + (d.model.rotational ? 0 : io.cpu % 4), name]);
    if (this.kHandleIrq.entry.on) k.kprobe(this.kHandleIrq, ctx, irqStack.call('handle_irq_event'), 0);
    const mem = k.mem;
    const rq = io.rq;
    const cstack = COMPLETE_STACK;
    if (this.kComplete.entry.on) k.kprobe(this.kComplete, ctx, cstack.call('blk_mq_complete_request'), rq);
    const rwbs = BlockLayer.rwbs(io.op, io.flags);
    if (this.hComplete.on) k.tracepoint(this.hComplete, ctx, cstack.under('blk_mq_end_request'), [d.dev, io.sector, io.bytes >> 9, io.error, 0, rwbs, '']);
    if (this.kAcctDone.entry.on) k.kprobe(this.kAcctDone, ctx, cstack.call('blk_mq_end_request').call('blk_account_io_done'), rq, k.now);
    if (this.hIoDone.on) k.tracepoint(this.hIoDone, ctx, cstack.under('blk_mq_end_request'), [d.dev, io.sector, io.bytes >> 9, io.bytes, 0, rwbs, io.task.comm, '']);
    if (this.kEnd.entry.on) k.kprobe(this.kEnd, ctx, cstack.call('blk_mq_end_request'), rq, io.error);
    if (this.kBioEndio.entry.on) k.kprobe(this.kBioEndio, ctx, cstack.call('blk_mq_end_request').call('bio_endio'), io.bio);
    if (this.hBioComplete.on) k.tracepoint(this.hBioComplete, ctx, cstack.under('bio_endio'), [d.dev, io.sector, io.bytes >> 9, io.error, rwbs]);
    if (this.hIrqExit.on) k.tracepoint(this.hIrqExit, ctx, irqStack, [d.model.irq + (d.model.rotational ? 0 : io.cpu % 4), 1]);
    d.inflight--;
    mem.writeU32(rq + REQUEST.state, 2);
    const q = io.done;
    io.done = null;
    if (q) k.s.sched.wakeAll(q, 0, ctx);
    // Free the request and bio a little later, so programs keyed on their addresses see them complete first.
    k.at(k.now + 50_000, () => {
      mem.free(rq);
      mem.free(io.bio);
    });
  }

  /** Partition index of a mount's device on its disk (-1: whole disk). */
  partIndex(diskIndex: number, dev: number): number {
    const d = this.disks[diskIndex];
    return d.model.parts.findIndex((p) => mkdev(d.model.major, p.minor) === dev);
  }
}
