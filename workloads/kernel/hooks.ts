// Hook sites: one Hook per kprobe/kretprobe target, tracepoint and uprobe/uretprobe
// symbol, each with an `on` flag that the kernel checks before doing any work for it (an
// unobserved hook costs that one check). Observers (probes/) register handlers; when a
// hook fires, the kernel fills the shared Firing record and calls them in order. The
// kernel knows nothing about what a handler does.
import type { TpValue } from './firing';
import type { Firing } from './firing';

export type HookKind = 'kprobe' | 'kretprobe' | 'tracepoint' | 'uprobe' | 'uretprobe' | 'perf';

export type HookHandler = (f: Firing) => void;

export class Hook {
  /** True while at least one handler is attached: the only thing an unobserved site reads. */
  on = false;
  readonly handlers: HookHandler[] = [];

  constructor(
    readonly id: number,
    readonly kind: HookKind,
    /** `vfs_read`, `sched:sched_switch`, `/bin/bash:readline` */
    readonly name: string,
    /** For function hooks: bit i set when argument i is a kernel pointer (passed as a linear offset). */
    readonly kmask = 0,
    /** For return hooks: the return value is a kernel pointer (passed as a linear offset). */
    readonly retKptr = false,
  ) {}

  /** Adds a handler; returns the function that removes it. */
  attach(fn: HookHandler): () => void {
    this.handlers.push(fn);
    this.on = true;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      const i = this.handlers.indexOf(fn);
      if (i >= 0) this.handlers.splice(i, 1);
      this.on = this.handlers.length > 0;
    };
  }
}

export type { TpValue };
