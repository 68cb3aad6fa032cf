// The discrete-event queue: a binary min-heap of (time, sequence) so that events at the
// same simulated nanosecond run in the order they were scheduled (determinism).
// Cancellation is by the owner ignoring stale events (generation counters), not removal.

export type EventFn = (arg: number) => void;

export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private fns: EventFn[] = [];
  private args: number[] = [];
  private seq = 0;

  get size(): number {
    return this.times.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.times.length ? this.times[0] : Infinity;
  }

  push(time: number, fn: EventFn, arg = 0): void {
    const t = this.times;
    const s = this.seqs;
    const f = this.fns;
    const a = this.args;
    const seq = this.seq++;
    let i = t.length;
    t.push(time);
    s.push(seq);
    f.push(fn);
    a.push(arg);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] < time || (t[p] === time && s[p] < seq)) break;
      t[i] = t[p];
      s[i] = s[p];
      f[i] = f[p];
      a[i] = a[p];
      i = p;
    }
    t[i] = time;
    s[i] = seq;
    f[i] = fn;
    a[i] = arg;
  }

  /** Removes the earliest event, storing it in `out`; false when empty. */
  pop(out: { time: number; fn: EventFn | null; arg: number }): boolean {
    const t = this.times;
    const n = t.length;
    if (n === 0) return false;
    const s = this.seqs;
    const f = this.fns;
    const a = this.args;
    out.time = t[0];
    out.fn = f[0];
    out.arg = a[0];
    const lt = t.pop()!;
    const ls = s.pop()!;
    const lf = f.pop()!;
    const la = a.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && (t[c + 1] < t[c] || (t[c + 1] === t[c] && s[c + 1] < s[c]))) c++;
        if (t[c] > lt || (t[c] === lt && s[c] > ls)) break;
        t[i] = t[c];
        s[i] = s[c];
        f[i] = f[c];
        a[i] = a[c];
        i = c;
      }
      t[i] = lt;
      s[i] = ls;
      f[i] = lf;
      a[i] = la;
    }
    return true;
  }
}
