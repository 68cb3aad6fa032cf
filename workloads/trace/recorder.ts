// A recorder that watches every hook of a kernel and folds each firing (hook, time, task,
// CPU, arguments, tracepoint values) into a running hash and per-hook counts: the
// fingerprint of a run, for determinism tests and for counting hook events.
import type { Kernel } from '../kernel/kernel';
import type { Firing, TpValue } from '../kernel/firing';

export class TraceRecorder {
  hash = 0x811c9dc5;
  events = 0;
  readonly counts = new Map<string, number>();
  private readonly detach: (() => void)[] = [];

  constructor(
    k: Kernel,
    /** Which hooks to watch (all by default). */
    filter: (name: string) => boolean = () => true,
    private readonly keepCounts = false,
  ) {
    for (const h of k.hooks.all) {
      if (!filter(h.name)) continue;
      const id = h.id;
      const name = h.name;
      this.detach.push(
        h.attach((f) => {
          this.events++;
          this.mix(id);
          this.mix(Math.floor(k.now));
          this.mix(f.task.pid);
          this.mix(f.cpu);
          if (h.kind === 'tracepoint') for (const v of f.tp) this.mixValue(v);
          else if (h.kind !== 'perf')
            for (let i = 0; i < 7; i++) {
              this.mix(f.lo[i]);
              this.mix(f.hi[i]);
            }
          if (this.keepCounts) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
        }),
      );
    }
  }

  private mix(x: number): void {
    let h = this.hash ^ (x >>> 0);
    h = Math.imul(h, 0x01000193);
    h ^= Math.floor(x / 4294967296) >>> 0;
    this.hash = Math.imul(h, 0x01000193) >>> 0;
  }

  private mixValue(v: TpValue): void {
    if (typeof v === 'number') this.mix(v);
    else if (typeof v === 'bigint') this.mix(Number(v & 0xffffffffn));
    else if (typeof v === 'string') for (let i = 0; i < v.length; i++) this.mix(v.charCodeAt(i));
    else for (const b of v) this.mix(b);
  }

  stop(): void {
    for (const d of this.detach) d();
    this.detach.length = 0;
  }
}

export type { Firing };
