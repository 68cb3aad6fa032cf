// Attach points (data/attach.txt): each is expanded against the fixture catalogue to its
// concrete probes, or to its first error. Also the fields a concrete probe carries.
import { describe, expect, test } from 'vitest';
import { type ConcreteProbe, frontEnd } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { dataFile } from './helpers';

function cases(): { raw: string; params: string[]; want: string }[] {
  return dataFile('attach.txt')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const m = /^(?:\[params=([^\]]*)\] )?(.*) => (.*)$/.exec(l)!;
      return { params: m[1] ? m[1].split(',') : [], raw: m[2], want: m[3] };
    });
}

function expand(raw: string, params: string[]): { names: string; probes: ConcreteProbe[] } {
  const r = frontEnd(`${raw} { }`, { catalogue: CATALOGUE, params, dumpAfter: 'attach-points' });
  if (!r.ok) return { names: `! ${r.diagnostics.find((d) => d.severity === 'error')?.message}`, probes: [] };
  const probe = r.program!.items.find((i) => i.kind === 'probe');
  const probes = probe?.kind === 'probe' ? probe.attachPoints.flatMap((a) => a.expansions ?? []) : [];
  return { names: probes.map((p) => p.name).join(' '), probes };
}

describe('attach points of data/attach.txt', () => {
  const all = cases();
  test('has cases', () => expect(all.length).toBeGreaterThan(50));
  test.each(all.map((c) => [c.raw, c]))('%s', (_n, c) => {
    expect(expand(c.raw, c.params).names).toBe(c.want);
  });
});

describe('concrete probes', () => {
  test('kprobes carry the kernel function and program type', () => {
    const [p] = expand('kretprobe:do_nanosleep', []).probes;
    expect(p).toMatchObject({ provider: 'kretprobe', progType: 'kprobe', isReturn: true, func: 'do_nanosleep' });
    expect(p.kernelFunc?.args.map((a) => a.name)).toEqual(['t', 'mode']);
  });

  test('tracepoints carry their format', () => {
    const [p] = expand('tracepoint:syscalls:sys_enter_openat', []).probes;
    expect(p).toMatchObject({ provider: 'tracepoint', progType: 'tracepoint', category: 'syscalls', event: 'sys_enter_openat' });
    expect(p.tracepoint?.fields.find((f) => f.name === 'filename')).toMatchObject({ offset: 24, size: 8 });
  });

  test('intervals and profiles carry their period', () => {
    expect(expand('interval:ms:250', []).probes[0]).toMatchObject({ progType: 'perf_event', unit: 'ms', rate: 250, periodNs: 250_000_000 });
    expect(expand('profile:hz:100', []).probes[0]).toMatchObject({ unit: 'hz', rate: 100, periodNs: 10_000_000 });
    expect(expand('software:faults:10', []).probes[0]).toMatchObject({ eventName: 'faults', count: 10 });
  });

  test('uprobes carry the binary and symbol', () => {
    const [p] = expand('uprobe:libc:malloc', []).probes;
    expect(p).toMatchObject({ binary: '/usr/lib/x86_64-linux-gnu/libc.so.6', func: 'malloc', isReturn: false });
    expect(p.symbol?.addr).toBe(0xa5120);
  });

  test('BEGIN and END are special programs', () => {
    expect(expand('BEGIN', []).probes[0]).toMatchObject({ name: 'begin', progType: 'special', provider: 'begin' });
  });

  test('duplicates within a probe are dropped', () => {
    expect(expand('kprobe:vfs_read,kprobe:vfs_rea*', []).names).toBe('kprobe:vfs_read');
  });
});
