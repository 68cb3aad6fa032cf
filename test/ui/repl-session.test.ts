// The REPL backend over the real runtime session: expressions, programs on the default
// workload, live statistics and maps, detaching, exit(), stages, completion and world
// settings. The clock is the test's, so the simulated time is deterministic.
import { describe, expect, it } from 'vitest';
import { sessionBackends } from './session-backend-fixture';

const make = sessionBackends();

describe('session backend', () => {
  it('evaluates expressions and reports errors as diagnostics', async () => {
    const { b } = make();
    expect(await b.submit('1 << 10')).toEqual({ kind: 'value', text: '1024\n' });
    expect(await b.submit('comm')).toEqual({ kind: 'value', text: 'bpfsim\n' });
    const err = await b.submit('nsecs + fake');
    expect(err.kind).toBe('error');
    if (err.kind === 'error') expect(err.text).toBe("stdin:1:9-13: ERROR: Unknown identifier: 'fake'\nnsecs + fake\n        ~~~~\n");
  });

  it('reads the running programs\' maps, and runs statements and void calls once', async () => {
    const { b } = make();
    await b.submit('BEGIN { @m[1] = 42; @m[2] = 7; @t["a", 3] = 9; @s = 5; }');
    expect(await b.submit('@m[1]')).toEqual({ kind: 'value', text: '42\n' });
    expect(await b.submit('@m[1 + 1]')).toEqual({ kind: 'value', text: '7\n' });
    expect(await b.submit('@m[3]')).toEqual({ kind: 'value', text: '0\n' });
    expect(await b.submit('@t["a", 3]')).toEqual({ kind: 'value', text: '9\n' });
    expect(await b.submit('@s')).toEqual({ kind: 'value', text: '@s: 5\n' });
    expect(await b.submit('@x = 3')).toEqual({ kind: 'value', text: '@x: 3\n' });
    const p = await b.submit('printf("%d\\n", 6 * 7)');
    expect(p.kind === 'value' && p.text).toMatch(/^42\n/);
    expect(b.programs().map((x) => x.source)).toEqual(['BEGIN { @m[1] = 42; @m[2] = 7; @t["a", 3] = 9; @s = 5; }']);
  });

  it('attaches a program, updates its map live, prints it and detaches it', async () => {
    const { b, out, stats, run } = make();
    const r = await b.submit('tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }');
    expect(r).toMatchObject({ kind: 'attached', program: { id: expect.any(Number), probes: 1, file: 'stdin' } });
    expect(out).toContain('stderr: Attached 1 probe\n');
    run(1000);
    const last = stats.at(-1)!;
    expect(last.programs).toHaveLength(1);
    expect(last.simTimeNs).toBeGreaterThan(0.9e9);
    expect(last.eventsPerSec).toBeGreaterThan(0);
    expect(last.maps.map((m) => m.name)).toEqual(['@']);
    expect(b.mapNames()).toEqual(['@']);
    const printed = b.printMap('@');
    expect(printed.ok && printed.value).toMatch(/^@\[[\w.-]+\]: \d+\n/);
    const dump = await b.detachAll();
    expect(dump).toMatch(/\n@\[[\w.-]+\]: \d+\n/);
    expect(b.programs()).toEqual([]);
    expect(stats.at(-1)!.programs).toEqual([]);
  });

  it('detaches a program that calls exit(), printing its output and maps', async () => {
    const { b, out } = make();
    await b.submit('BEGIN { printf("hi\\n"); @n = count(); exit(); }');
    expect(out.join('')).toContain('stdout: hi\n');
    expect(out.join('')).toContain('@n: 1\n');
    expect(b.programs()).toEqual([]);
  });

  it('shows the stages of the last program', async () => {
    const { b } = make();
    expect(b.stage('ast')).toEqual({ ok: false, error: 'no program compiled yet' });
    await b.submit('kprobe:vfs_read { @ = count(); }');
    const bc = b.stage('bytecode');
    expect(bc.ok && bc.value).toMatch(/^Program: kprobe:vfs_read/);
    const v = b.stage('verifier');
    expect(v.ok && v.value).toContain('Verifier log: kprobe:vfs_read');
  });

  it('completes and lists probes from the catalogue', () => {
    const { b } = make();
    expect(b.completeProbe('kp')).toEqual(['kprobe:']);
    expect(b.completeProbe('kprobe:vfs_rea')).toEqual(['kprobe:vfs_read', 'kprobe:vfs_readv']);
    const l = b.listProbes('tracepoint:sched:sched_switch');
    expect(l).toEqual({ ok: true, value: ['tracepoint:sched:sched_switch'] });
    expect(b.workloads()).toContain('default');
  });

  it('changes the world only when nothing runs', async () => {
    const { b } = make();
    await b.submit('kprobe:vfs_read { @ = count(); }');
    const refused = await b.configure({ seed: 5 });
    expect(refused.ok).toBe(false);
    await b.detachAll();
    expect(await b.configure({ seed: 5 })).toEqual({ ok: true, value: 'world restarted: workload default, seed 5' });
    expect(await b.configure({ speed: { kind: 'factor', factor: 10 } })).toEqual({ ok: true, value: 'speed 10x' });
    expect((await b.configure({ workload: 'nope' })).ok).toBe(false);
  });
});
