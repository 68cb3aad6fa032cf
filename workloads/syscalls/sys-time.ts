// Time system calls: nanosleep and clock_nanosleep (an hrtimer armed and expiring in
// interrupt context: timer:hrtimer_start / hrtimer_expire_entry, do_nanosleep), and the
// clock readers (which real programs mostly serve from the vDSO).
import { Region } from '../../vm/memory/memory';
import type { Kernel } from '../kernel/kernel';
import { HRTIMER_SLEEPER } from '../kernel/offsets';
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';
import { TaskState, type KGen, type Task } from '../kernel/task';
import * as E from '../errno';
import type { SysImpl } from './types';

const HRTIMER_WAKEUP_FN = 'hrtimer_wakeup';

function readTimespec(k: Kernel, t: Task, addr: number): number | null {
  const lin = t.proc.user.translate(addr, 16);
  if (lin < 0) return null;
  const sec = k.mem.readU32(lin) + k.mem.readU32(lin + 4) * 4294967296;
  const nsec = k.mem.readU32(lin + 8);
  return sec * 1e9 + nsec;
}

function sleeperOf(k: Kernel, t: Task): number {
  let lin = t.sleeperLin;
  if (!lin) {
    lin = k.mem.alloc(HRTIMER_SLEEPER.SIZE, Region.KERNEL);
    t.sleeperLin = lin;
    k.mem.writePtr(lin + HRTIMER_SLEEPER.task, t.lin);
  }
  return lin;
}

function* nanosleep(k: Kernel, t: Task, ns: number, wrapper: string, clockid: number, abs: boolean): KGen {
  if (ns < 0) return -E.EINVAL;
  const H = k.hooks;
  const base = [`__x64_sys_${wrapper}`, ...SYSCALL_BASE];
  const hn = H.k('hrtimer_nanosleep');
  if (hn.entry.on) k.kprobe(hn, t, kat('hrtimer_nanosleep', ...(wrapper === 'clock_nanosleep' ? ['common_nsleep'] : []), ...base), ns, abs ? 0 : 1, clockid);
  const sl = sleeperOf(k, t);
  const expires = abs ? ns : k.now + ns;
  k.mem.writeNum64(sl + HRTIMER_SLEEPER['timer.node.expires'], expires);
  k.mem.writeNum64(sl + HRTIMER_SLEEPER['timer._softexpires'], expires);
  const chain = ['do_nanosleep', 'hrtimer_nanosleep', ...(wrapper === 'clock_nanosleep' ? ['common_nsleep'] : []), ...base];
  const dn = H.k('do_nanosleep');
  if (dn.entry.on) k.kprobe(dn, t, kat(...chain), sl, abs ? 0 : 1);
  const hs = H.tp('timer', 'hrtimer_start');
  const fnAddr = k.ksymAddr(HRTIMER_WAKEUP_FN);
  if (hs.on) k.tracepoint(hs, t, kin('hrtimer_start_range_ns', ...chain), [sl, fnAddr, expires, expires, abs ? 0 : 1, 0]);
  const hrs = H.k('hrtimer_start_range_ns');
  if (hrs.entry.on) k.kprobe(hrs, t, kat('hrtimer_start_range_ns', ...chain), sl, expires, 50_000, abs ? 0 : 1);
  const seq = t.waitSeq + 1;
  const he = H.tp('timer', 'hrtimer_expire_entry');
  k.at(Math.max(expires, k.now), () => {
    if (t.waitSeq !== seq || t.state === TaskState.RUNNING) return;
    const ctx = k.s.sched.cpus[t.cpu].curr;
    if (he.on) k.tracepoint(he, ctx, kin('__hrtimer_run_queues', 'hrtimer_interrupt', '__sysvec_apic_timer_interrupt', 'sysvec_apic_timer_interrupt', 'asm_sysvec_apic_timer_interrupt'), [sl, expires, fnAddr]);
    k.s.sched.wake(t, 1, ctx);
  });
  const r = yield t.block(TaskState.INTERRUPTIBLE, kin(...chain));
  if (dn.ret.on) k.kretprobe(dn, t, kin(...chain.slice(1)), r === -E.EINTR ? -E.EINTR : 0);
  return r === -E.EINTR ? -E.EINTR : 0;
}

export const TIME_SYSCALLS: Record<string, SysImpl> = {
  nanosleep: (k, t, o) => {
    const ns = readTimespec(k, t, o.a0);
    return ns === null ? -E.EFAULT : nanosleep(k, t, ns, 'nanosleep', 1, false);
  },
  clock_nanosleep: (k, t, o) => {
    const ns = readTimespec(k, t, o.a2);
    if (ns === null) return -E.EFAULT;
    const abs = (o.a1 & 1) === 1;
    return nanosleep(k, t, abs ? k.now + Math.max(0, ns - k.now) : ns, 'clock_nanosleep', o.a0, false);
  },
  clock_gettime: (k, t, o) => {
    const lin = t.proc.user.translate(o.a1, 16);
    if (lin < 0) return -E.EFAULT;
    const ns = o.a0 === 0 ? Number(k.nowWall()) : k.now;
    k.mem.writeNum64(lin, Math.floor(ns / 1e9));
    k.mem.writeNum64(lin + 8, Math.floor(ns % 1e9));
    return 0;
  },
  gettimeofday: (k, t, o) => {
    const lin = t.proc.user.translate(o.a0, 16);
    if (lin < 0) return -E.EFAULT;
    const us = Number(k.nowWall() / 1000n);
    k.mem.writeNum64(lin, Math.floor(us / 1e6));
    k.mem.writeNum64(lin + 8, us % 1e6);
    return 0;
  },
};
