// The simulated world is a function of its workload and seed: the same seed gives the same
// event trace, another seed another one, and watching it (attaching handlers to every hook)
// does not change what happens.
import { describe, expect, it } from 'vitest';
import { System } from '../../workloads/system';
import { listWorkloads } from '../../workloads/scenarios/index';
import { TraceRecorder } from '../../workloads/trace/recorder';

function fingerprint(workload: string, seed: number, ns: number): { hash: number; events: number } {
  const s = new System({ workload, seed, cpus: 4 });
  const r = new TraceRecorder(s.kernel);
  s.runFor(ns);
  return { hash: r.hash, events: r.events };
}

describe('determinism', () => {
  it.each(listWorkloads().map((w) => w.name))('workload %s: same seed, same trace', (name) => {
    const a = fingerprint(name, 42, 400e6);
    const b = fingerprint(name, 42, 400e6);
    expect(a.events).toBeGreaterThan(1_000);
    expect(b).toEqual(a);
  });

  it('different seeds give different traces', () => {
    expect(fingerprint('default', 1, 300e6).hash).not.toBe(fingerprint('default', 2, 300e6).hash);
  });

  it('observing every hook does not change the run', () => {
    const syscalls = (observeAll: boolean) => {
      const s = new System({ workload: 'default', seed: 5 });
      const seen = new TraceRecorder(s.kernel, (n) => n === 'raw_syscalls:sys_enter');
      const all = observeAll ? new TraceRecorder(s.kernel, (n) => n !== 'raw_syscalls:sys_enter') : null;
      s.runFor(600e6);
      return { hash: seen.hash, events: seen.events, other: all?.events ?? 0 };
    };
    const quiet = syscalls(false);
    const watched = syscalls(true);
    expect(watched.other).toBeGreaterThan(quiet.events);
    expect({ hash: watched.hash, events: watched.events }).toEqual({ hash: quiet.hash, events: quiet.events });
  });
});
