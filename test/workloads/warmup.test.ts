// The machine is already up when a trace starts: the workload runs a warm-up period
// (daemons started, workers and their threads up) before the tracer's process appears;
// a trace that needs no simulated time starts cold, with the same clock and pids.
import { describe, expect, it } from 'vitest';
import { BOOT_NS } from '../../workloads/kernel/kernel';
import { PID_AT_WARMUP, System, TRACER_PID_GAP, WARMUP_NS, listWorkloads } from '../../workloads/system';

const TRACER_PID = PID_AT_WARMUP + TRACER_PID_GAP;

function tracer(s: System) {
  return s.processes().find((p) => p.comm === 'bpfsim');
}

describe('warm-up', () => {
  it.each(listWorkloads().map((w) => w.name))('%s: the tracer starts after the warm-up with its fixed pid', (name) => {
    const s = new System({ workload: name, seed: 1 });
    expect(tracer(s)).toBeUndefined();
    s.warmUp();
    expect(s.started).toBe('warm');
    expect(s.kernel.now).toBeGreaterThanOrEqual(BOOT_NS + WARMUP_NS);
    expect(tracer(s)?.pid).toBe(TRACER_PID);
    expect(s.elapsed).toBe(0);
    // What the warm-up forked got pids between the two marks.
    const forked = s.processes().filter((p) => p.pid > PID_AT_WARMUP && p.pid < TRACER_PID);
    expect(forked.length).toBeGreaterThan(0);
  });

  it('a cold start moves the clock and starts the tracer without running the workload', () => {
    const warm = new System({ seed: 1 });
    warm.warmUp();
    const cold = new System({ seed: 1 });
    cold.startCold();
    expect(cold.started).toBe('cold');
    expect(cold.kernel.now).toBe(BOOT_NS + WARMUP_NS);
    expect(tracer(cold)?.pid).toBe(tracer(warm)?.pid);
    expect(cold.processes().some((p) => p.pid > PID_AT_WARMUP && p.pid < TRACER_PID)).toBe(false);
  });

  it('starting twice does nothing', () => {
    const s = new System({ seed: 1 });
    s.warmUp();
    const now = s.kernel.now;
    s.warmUp();
    s.startCold();
    expect(s.kernel.now).toBe(now);
    expect(s.started).toBe('warm');
    expect(s.processes().filter((p) => p.comm === 'bpfsim')).toHaveLength(1);
  });

  it('after the warm-up the servers run their workers and thread pools', () => {
    const s = new System({ seed: 1 });
    s.warmUp();
    const comms = s.processes().map((p) => p.comm);
    expect(comms.filter((c) => c === 'nginx').length).toBeGreaterThanOrEqual(3);
    expect(comms.filter((c) => c === 'python3.12').length).toBeGreaterThanOrEqual(4);
    const threads = [...s.kernel.tasks.values()].filter((t) => t.pid !== t.tgid && !t.exitState);
    expect(new Set(threads.map((t) => t.comm))).toEqual(new Set(['nginx', 'python3.12']));
  });
});
