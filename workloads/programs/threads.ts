// Thread pools as servers use them (nginx's thread_pool for file reads, a Python
// ThreadPoolExecutor, a Go runtime's Ms): threads made with pthread_create (or a Go
// runtime's raw clone), waiting on a condition variable (futex) for jobs that the
// process's main thread queues and signals. Threads share the process's memory and
// descriptors; each has its own tid.
import type { Task } from '../kernel/task';
import { LIBC } from '../user/binary-table';
import { NR, U, type Gen, libcSym } from '../user/libc';
import { ustack, type UStack } from '../user/ustack';

/** A job a pool thread runs (with the thread's own U). */
export type Job = (u: U) => Gen<void>;

const FUTEX_WAIT_PRIVATE = 128;
const FUTEX_WAKE_PRIVATE = 129;

export class ThreadPool {
  private readonly queue: Job[] = [];
  /** Tids of the pool's threads. */
  readonly tids: number[] = [];
  private readonly frames: UStack;

  /**
   * @param name the pool's name (its condition variable's buffer)
   * @param routine the threads' start routine (`path:function`)
   * @param idleNs how long an idle thread waits before it checks again (0: until signalled)
   */
  constructor(
    readonly name: string,
    readonly routine: string,
    private readonly idleNs = 0,
  ) {
    this.frames = ustack(routine, `${LIBC}:start_thread`);
  }

  /** Starts `n` threads (pthread_create each). */
  *start(u: U, n: number): Gen<void> {
    for (let i = 0; i < n; i++) {
      const r = yield* u.thread((t: Task) => this.thread(t), this.routine, u.buf(`${this.name}_pool`, 64));
      if (r === 0) this.tids.push(u.t.proc.threads[u.t.proc.threads.length - 1]?.pid ?? 0);
    }
  }

  /** Queues a job and signals one waiting thread (pthread_cond_signal: futex wake). */
  *submit(u: U, job: Job): Gen<void> {
    this.queue.push(job);
    const sym = libcSym('pthread_cond_signal');
    const cond = u.buf(`${this.name}_cond`, 48);
    u.enter(sym, cond);
    yield u.sys(NR.futex, cond, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
    u.leave(sym, 0);
  }

  private *thread(t: Task): Gen<number> {
    const u = new U(t, this.frames);
    yield u.sys(NR.set_robust_list, u.buf('robust', 24), 24);
    yield u.sys(NR.rseq, u.buf('rseq', 32), 32, 0, 0x53053053);
    const cond = u.buf(`${this.name}_cond`, 48);
    const sym = libcSym('pthread_cond_wait');
    for (;;) {
      u.at(this.frames);
      const job = this.queue.shift();
      if (job) {
        yield* job(u);
        continue;
      }
      u.enter(sym, cond, u.buf(`${this.name}_mutex`, 40));
      yield u.sys(NR.futex, cond, FUTEX_WAIT_PRIVATE, 0, this.idleNs ? u.timespec(this.idleNs) : 0, 0, 0);
      u.leave(sym, 0);
    }
  }
}
