// Data-driven output tests: every case in data/*.cases is a BEGIN-only program; the
// reference driver runs it through the value model and the formatters, and the result
// must equal bpftrace 0.26's output exactly, given as an EXPECT block or derived from the
// captured bpftrace 0.17 output by the documented differences (harness/differences.ts).
// With BPFSIM_LIVE_BPFTRACE=1 and a bpftrace on the machine, the captured 0.17 output is
// also re-checked against the real binary.
import { describe, expect, it } from 'vitest';
import { readCases, type Case } from './harness/cases';
import { DIFFERENCES, from017 } from './harness/differences';
import { runProgram } from './harness/mini-bt';
import { bpftraceAvailable, runBpftrace } from './harness/bpftrace-017';

const FILES = ['text', 'json'].map((f) => new URL(`./data/${f}.cases`, import.meta.url).pathname);
const CASES: Case[] = FILES.flatMap((f) => readCases(f));
const usedDifferences = new Set<string>();

function expected(c: Case, mapKinds: ReturnType<typeof runProgram>['mapKinds']): string {
  if (c.expect !== undefined) return c.expect;
  if (c.v017 === undefined || c.v017err !== undefined) {
    throw new Error(`case "${c.name}" needs an EXPECT block: bpftrace 0.17 did not run it`);
  }
  const { text, used } = from017(c.v017, c.mode, mapKinds);
  used.forEach((u) => usedDifferences.add(u));
  return text;
}

describe('output cases', () => {
  it('has a corpus', () => {
    expect(CASES.filter((c) => c.mode === 'text').length).toBeGreaterThanOrEqual(80);
    expect(CASES.filter((c) => c.mode === 'json').length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [`${c.mode}: ${c.name}`, c] as const))('%s', (_, c) => {
    const r = runProgram(c.prog, c.mode);
    expect(r.stdout).toBe(expected(c, r.mapKinds));
    expect(r.stderr).toBe(c.mode === 'text' ? 'Attached 1 probe\n' : '');
  });

  it('every explicit EXPECT explains itself with a NOTE', () => {
    for (const c of CASES) if (c.expect !== undefined) expect(c.notes.length, c.name).toBeGreaterThan(0);
  });

  it('uses every documented 0.17 -> 0.26 difference', () => {
    for (const c of CASES) if (c.expect === undefined) expected(c, runProgram(c.prog, c.mode).mapKinds);
    expect([...usedDifferences].sort()).toEqual(DIFFERENCES.map((d) => d.id).sort());
  });
});

const live = process.env.BPFSIM_LIVE_BPFTRACE === '1' ? bpftraceAvailable() : 'set BPFSIM_LIVE_BPFTRACE=1 to compare with a real bpftrace';
describe.skipIf(live !== null)(`captured bpftrace 0.17 output matches the real binary (${live ?? 'live'})`, () => {
  it.each(CASES.map((c) => [`${c.mode}: ${c.name}`, c] as const))('%s', (_, c) => {
    const r = runBpftrace(c.prog, c.mode);
    if (c.v017err !== undefined) {
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(c.v017err.split('\n')[0]);
    } else if (c.flags.includes('unordered-0.17')) {
      expect(r.stdout.split('\n').sort()).toEqual((c.v017 ?? '').split('\n').sort());
    } else {
      expect(r.stdout).toBe(c.v017);
    }
  });
});
