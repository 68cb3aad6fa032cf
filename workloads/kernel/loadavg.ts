// The load average as the kernel keeps it: every LOAD_FREQ (5 s and a tick) the number of
// runnable and uninterruptible tasks is folded into avenrun[3], fixed point with 11
// fractional bits and the 1, 5 and 15 minute decay factors. avenrun lives in kernel memory
// as a data symbol (kaddr("avenrun")) and /proc/loadavg prints it.
import { Region } from '../../vm/memory/memory';
import { HZ, type Kernel } from './kernel';
import { TaskState } from './task';

const FSHIFT = 11;
const FIXED_1 = 1 << FSHIFT;
const EXP = [1884, 2014, 2037];
const LOAD_FREQ_NS = 5e9 + 1e9 / HZ;

export class LoadAvg {
  /** Linear offset of `unsigned long avenrun[3]`. */
  readonly lin: number;
  private readonly avg: number[];

  constructor(private readonly k: Kernel) {
    this.lin = k.mem.alloc(24, Region.KERNEL);
    k.dataSymbols.set('avenrun', this.lin);
    // A machine that has been up a while: averages already near a light load for its size.
    const base = 0.12 * k.nrCpus + (k.seed % 7) * 0.03;
    this.avg = [base * 1.15, base, base * 0.85].map((v) => Math.round(v * FIXED_1));
    this.write();
  }

  start(): void {
    const tick = (): void => {
      this.update();
      this.k.at(this.k.now + LOAD_FREQ_NS, tick);
    };
    this.k.at(this.k.now + LOAD_FREQ_NS, tick);
  }

  /** calc_global_load: folds the active count into each average. */
  private update(): void {
    let active = 0;
    for (const c of this.k.s.sched.cpus) active += c.rq.length + (c.curr.idle ? 0 : 1);
    for (const t of this.k.tasks.values()) if (t.state === TaskState.UNINTERRUPTIBLE && !t.exitState) active++;
    const a = active * FIXED_1;
    for (let i = 0; i < 3; i++) {
      let v = this.avg[i] * EXP[i] + a * (FIXED_1 - EXP[i]);
      if (a >= this.avg[i]) v += FIXED_1 - 1;
      this.avg[i] = Math.floor(v / FIXED_1);
    }
    this.write();
  }

  private write(): void {
    for (let i = 0; i < 3; i++) this.k.mem.writeNum64(this.lin + 8 * i, this.avg[i]);
  }

  /** The three averages as /proc/loadavg prints them (`0.42 0.37 0.30`). */
  text(): string {
    return this.avg.map((x) => `${x >> FSHIFT}.${String(Math.floor(((x & (FIXED_1 - 1)) * 100) / FIXED_1)).padStart(2, '0')}`).join(' ');
  }
}
