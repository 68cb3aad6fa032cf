// The live panel's layout: status line, programs, maps cut to their top entries and to
// the line budget.
import { describe, expect, it } from 'vitest';
import { buildHistogram } from '../../runtime/output/hist';
import { str, uint, type MapValue } from '../../runtime/output/value';
import type { LiveStats, WorldSettings } from '../../ui/repl/backend';
import { formatRate, formatSimTime, liveLines, TOP_N } from '../../ui/repl/live-view';

const world: WorldSettings = { workload: 'io', seed: 3, speed: { kind: 'factor', factor: 10 } };

function counts(n: number): MapValue {
  return { kind: 'map', map: { entries: Array.from({ length: n }, (_, i) => ({ key: str(`k${i}`), value: { kind: 'primitive', value: uint(i + 1) } })) } };
}

const hist: MapValue = { kind: 'hist', hist: buildHistogram([0n, 2n, 5n, 1n]) };

function stats(maps: LiveStats['maps']): LiveStats {
  return { simTimeNs: 12_345_000_000, eventsPerSec: 45_200, programs: [{ id: 1, source: 'kprobe:vfs_read { @[comm] = count(); }', file: 'stdin', probes: 1 }], maps };
}

describe('live panel layout', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [45_200, '45.2k'],
    [2_500_000, '2.5M'],
  ])('rate %d is %s', (n, s) => expect(formatRate(n)).toBe(s));

  it.each([
    [0, '0.0s'],
    [12_345_000_000, '12.3s'],
    [125e9, '2m05s'],
  ])('time %d is %s', (ns, s) => expect(formatSimTime(ns)).toBe(s));

  it('shows the status, the programs and the largest entries of keyed maps', () => {
    const lines = liveLines(stats([{ name: '@', value: counts(TOP_N + 3) }]), world, 40);
    expect(lines[0]).toEqual({ text: '1 program running · sim 12.3s · 45.2k events/s · io seed 3 10x', style: 'status' });
    expect(lines[1]).toEqual({ text: '[1] kprobe:vfs_read { @[comm] = count(); }', style: 'program' });
    const maps = lines.filter((l) => l.style === 'map').map((l) => l.text);
    expect(maps).toHaveLength(TOP_N);
    expect(maps[0]).toBe('@[k3]: 4');
    expect(maps.at(-1)).toBe(`@[k${TOP_N + 2}]: ${TOP_N + 3}`);
    expect(lines.at(-1)).toEqual({ text: '  (3 more lines of @; .print @ shows all)', style: 'dim' });
  });

  it('prints histograms as bpftrace does', () => {
    const lines = liveLines(stats([{ name: '@lat', value: hist }]), world, 40).filter((l) => l.style === 'map').map((l) => l.text);
    expect(lines[0]).toBe('@lat:');
    expect(lines[1]).toBe('[0]                    2 |@@@@@@@@@@@@@@@@@@@@                                |');
    expect(lines).toHaveLength(4);
  });

  it('says which program a map belongs to when two programs use the same name', () => {
    const two = { ...stats([{ name: '@', program: 1, value: counts(1) }, { name: '@', program: 2, value: counts(2) }, { name: '@x', program: 2, value: counts(1) }]) };
    const texts = liveLines(two, world, 40).map((l) => l.text);
    expect(texts.slice(2)).toEqual(['[1] @', '@[k0]: 1', '[2] @', '@[k0]: 1', '@[k1]: 2', '@x[k0]: 1']);
  });

  it('never exceeds its line budget', () => {
    for (let budget = 1; budget < 20; budget++) {
      const lines = liveLines(stats([{ name: '@a', value: counts(30) }, { name: '@lat', value: hist }]), world, budget);
      expect(lines.length).toBeLessThanOrEqual(budget);
      expect(lines[0].style).toBe('status');
    }
  });
});
