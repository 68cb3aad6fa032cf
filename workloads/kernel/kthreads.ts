// Kernel threads and their periodic work: per-CPU ksoftirqd, migration and kworker
// threads, RCU's grace-period thread, kswapd, kcompactd, khugepaged, the oom reaper and
// a few workqueue workers. They run kernel paths only (no system calls), waking on their
// own timers, so they show up in sched_switch, runqlat and profiles as a real system's do.
import type { Kernel } from './kernel';
import { kin, type KStack } from './stacks';
import { TaskState, type KGen, type Task } from './task';

const BASE = ['kthread', 'ret_from_fork', 'ret_from_fork_asm'];
const WORKER = kin('worker_thread', ...BASE);
const SMPBOOT = kin('smpboot_thread_fn', ...BASE);
const RCU = kin('rcu_gp_kthread', ...BASE);
const KSWAPD = kin('kswapd', ...BASE);

/** A thread that sleeps forever (TASK_IDLE) unless woken: kthreadd, watchdogs, unused workers. */
function* sleeper(t: Task, stack: KStack): KGen {
  for (;;) yield t.block(TaskState.IDLE, stack);
}

/** A thread that wakes every `period` (± jitter) and works `work` ns. */
function periodic(k: Kernel, stack: KStack, period: number, work: number, idleState: number = TaskState.IDLE): (t: Task) => KGen {
  return function* (t: Task): KGen {
    yield t.block(idleState, stack, k.now + k.rng.int(period));
    for (;;) {
      yield t.kcpu(work * k.rng.lognormal(1, 0.5), stack.under('process_one_work'));
      yield t.block(idleState, stack, k.now + period * k.rng.lognormal(1, 0.15));
    }
  };
}

export function startKthreads(k: Kernel): void {
  const p = k.s.procs;
  p.kthreadd = p.kthread('kthreadd', (t) => sleeper(t, kin('kthreadd', 'ret_from_fork', 'ret_from_fork_asm')), 0);
  p.kthread('rcu_gp', (t) => sleeper(t, WORKER), 0);
  p.kthread('kworker/R-mm_percpu_wq', (t) => sleeper(t, WORKER), 0);
  p.kthread('rcu_preempt', periodic(k, RCU, 40_000_000, 12_000), 0);
  for (let c = 0; c < k.nrCpus; c++) {
    p.kthread(`cpuhp/${c}`, (t) => sleeper(t, SMPBOOT), c);
    p.kthread(`migration/${c}`, periodic(k, SMPBOOT, 2_000_000_000, 4_000, TaskState.INTERRUPTIBLE), c);
    p.kthread(`ksoftirqd/${c}`, periodic(k, SMPBOOT, 900_000_000, 9_000, TaskState.INTERRUPTIBLE), c);
    p.kthread(`kworker/${c}:0H-events_highpri`, (t) => sleeper(t, WORKER), c);
    p.kthread(`kworker/${c}:1-events`, periodic(k, WORKER, 1_000_000_000, 25_000), c);
  }
  p.kthread('kauditd', (t) => sleeper(t, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm')), 0);
  p.kthread('oom_reaper', (t) => sleeper(t, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm')), 0);
  p.kthread('kswapd0', periodic(k, KSWAPD, 5_000_000_000, 60_000, TaskState.INTERRUPTIBLE), 1 % k.nrCpus);
  p.kthread('kcompactd0', periodic(k, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm'), 500_000_000, 3_000, TaskState.INTERRUPTIBLE), 0);
  p.kthread('khugepaged', periodic(k, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm'), 10_000_000_000, 80_000, TaskState.INTERRUPTIBLE), 2 % k.nrCpus);
  p.kthread('kworker/u8:0-events_unbound', periodic(k, WORKER, 700_000_000, 18_000), 1 % k.nrCpus);
  p.kthread('kworker/1:2-mm_percpu_wq', periodic(k, WORKER, 1_000_000_000, 6_000), 1 % k.nrCpus);
  p.kthread('irq/130-nvme0q1', (t) => sleeper(t, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm')), 0);
  p.kthread('scsi_eh_0', (t) => sleeper(t, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm')), 0);
  p.kthread('watchdogd', (t) => sleeper(t, kin('kthread', 'ret_from_fork', 'ret_from_fork_asm')), 0);
}
