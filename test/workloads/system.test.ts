// The System facade: workloads by name, commands started as traced children (bpftrace -c)
// with their exit status, process listing (-p), pacing, and symbol resolution for kernel
// and user stacks.
import { describe, expect, it } from 'vitest';
import { listWorkloads, Pacer, parseSpeed, System } from '../../workloads/system';
import { ksymByName } from '../../workloads/kernel/kfuncs';

describe('System', () => {
  it('lists the workloads the issue names', () => {
    const names = listWorkloads().map((w) => w.name);
    for (const n of ['default', 'web', 'db', 'build', 'io', 'net', 'containers']) expect(names).toContain(n);
    for (const w of listWorkloads()) expect(w.description.length).toBeGreaterThan(20);
  });

  it('rejects an unknown workload with the known names', () => {
    expect(() => new System({ workload: 'nope' })).toThrow(/unknown workload 'nope' \(known: default, web/);
  });

  const COMMANDS: [cmdline: string, status: number, minNs: number, maxNs: number][] = [
    ['ls -la /etc', 0, 0, 20e6],
    ['cat /etc/hostname', 0, 0, 20e6],
    ['cat /nonexistent', 256, 0, 20e6],
    ['sleep 1', 0, 1e9, 1.05e9],
    ['curl -s http://example.com/', 0, 30e6, 2e9],
    ['curl -s http://search.internal:9200/', 7 << 8, 0, 1e9],
    ['bash -c "echo hi; ls /tmp | wc -l"', 0, 0, 50e6],
    ['bash -c "exit 3"', 3 << 8, 0, 50e6],
    ['/usr/bin/false', 256, 0, 20e6],
    ['no-such-command', -1, 0, 0],
  ];
  it.each(COMMANDS)('runs %s as a child of the tracer', (cmd, status, minNs, maxNs) => {
    const s = new System({ workload: 'default', seed: 9 });
    const r = s.spawnCommand(cmd);
    if (status === -1) {
      expect(r).toEqual({ ok: false, error: 'no-such-command: command not found' });
      return;
    }
    if (!r.ok) throw new Error(r.error);
    const proc = s.processes().find((p) => p.pid === r.pid)!;
    expect(proc.comm).toBe('bpfsim');
    let exit: number | null = null;
    const t0 = s.kernel.now;
    let t1 = 0;
    s.onProcessExit(r.pid, (st) => {
      exit = st;
      t1 = s.kernel.now;
    });
    expect(s.runUntil(() => exit !== null, 5e9)).toBe(true);
    expect(exit).toBe(status);
    expect(t1 - t0).toBeGreaterThanOrEqual(minNs);
    expect(t1 - t0).toBeLessThanOrEqual(maxNs);
    expect(s.hasProcess(r.pid)).toBe(false);
  });

  it('lists processes with their parents, users and containers', () => {
    const s = new System({ workload: 'containers', seed: 2 });
    s.runFor(200e6);
    const ps = s.processes();
    expect(ps.find((p) => p.pid === 1)).toMatchObject({ comm: 'systemd', ppid: 0, uid: 0 });
    const nginx = ps.filter((p) => p.comm === 'nginx');
    expect(nginx.length).toBeGreaterThanOrEqual(2);
    expect(nginx.every((p) => p.container === '3f9a1c7b2e4d')).toBe(true);
    expect(ps.some((p) => p.comm === 'containerd-shim' && p.container === '')).toBe(true);
  });

  it('resolves kernel and user addresses to symbols', () => {
    const s = new System({ workload: 'default', seed: 1 });
    s.runFor(100e6);
    const vfsRead = ksymByName('vfs_read')!.addr;
    expect(s.ksym(vfsRead + 36n)).toBe('vfs_read+36');
    expect(s.ksymName(vfsRead + 36n)).toBe('vfs_read');
    expect(s.ksym(0x1234n)).toBe('0x1234');
    const bash = s.processes().find((p) => p.comm === 'bash')!;
    const t = s.kernel.tasks.get(bash.pid)!;
    const base = t.proc.bases.get('/bin/bash')!;
    const rl = t.proc.exe!.symbols.find((x) => x.name === 'readline')!;
    expect(s.usym(bash.pid, BigInt(base + rl.addr + 4))).toBe('readline+4');
    expect(s.usymbolize(bash.pid, BigInt(base + rl.addr))).toEqual({ binary: '/bin/bash', name: 'readline', offset: 0 });
    const libc = t.proc.bases.get('/usr/lib/x86_64-linux-gnu/libc.so.6')!;
    expect(libc).toBeGreaterThan(0x7f0000000000);
    expect(base).toBeGreaterThanOrEqual(0x550000000000);
    expect(base).toBeLessThan(0x560000000000);
  });

  it('keeps resolving user addresses of processes that exited', () => {
    const s = new System({ workload: 'default', seed: 4 });
    const r = s.spawnCommand('cat /etc/hostname');
    if (!r.ok) throw new Error(r.error);
    let base = 0;
    let main = 0;
    s.kernel.hooks.tp('sched', 'sched_process_exec').attach((f) => {
      if (f.task.pid !== r.pid) return;
      base = f.task.proc.bases.get('/usr/bin/cat')!;
      main = f.task.proc.exe!.symbols[0].addr;
    });
    s.runUntil(() => !s.hasProcess(r.pid), 1e9);
    expect(base).toBeGreaterThan(0);
    expect(s.usym(r.pid, BigInt(base + main + 2))).toBe('main+2');
  });

  it('paces the simulation against wall-clock time', () => {
    const s = new System({ workload: 'db', seed: 1 });
    const p = new Pacer(s, 4);
    const t0 = s.elapsed;
    expect(p.tick(1000)).toBe(0);
    expect(p.tick(1010)).toBe(40e6);
    expect(p.tick(1010 + 10_000)).toBe(250e6);
    expect(s.elapsed - t0).toBeCloseTo(290e6, -3);
    expect(parseSpeed('realtime')).toBe('realtime');
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('2.5x')).toBe(2.5);
    expect(parseSpeed('fast')).toBe(null);
  });
});
