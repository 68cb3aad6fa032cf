// The REPL's session backend over the default workload (seed 1, 4 CPUs, JIT), driven by
// the test's own clock: what it printed (`stream: text` in `out`, the bare text in
// `texts`), its live statistics, and run(ms) to advance the wall clock in 50 ms ticks.
// Backends made through it are closed after each test.
import { afterEach } from 'vitest';
import type { BackendEvent, LiveStats } from '../../ui/repl/backend';
import { SessionBackend } from '../../ui/repl/session-backend';

export function sessionBackends() {
  const open: SessionBackend[] = [];
  afterEach(async () => {
    for (const b of open.splice(0)) await b.close();
  });
  return function make() {
    let clock = 1_000;
    const b = new SessionBackend({ sim: { workload: 'default', seed: 1, cpus: 4, speed: { kind: 'realtime' }, jit: true }, timer: false, now: () => clock });
    open.push(b);
    const out: string[] = [];
    const texts: string[] = [];
    const stats: LiveStats[] = [];
    b.subscribe((e: BackendEvent) => {
      if (e.kind === 'output') {
        out.push(`${e.stream}: ${e.text}`);
        texts.push(e.text);
      } else stats.push(e.stats);
    });
    const run = (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        clock += 50;
        b.advance();
      }
    };
    return { b, out, texts, stats, run };
  };
}
