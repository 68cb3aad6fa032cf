// The bpf_conformance suite (copied beside this file with its LICENSE): every `.data` file
// is assembled from its `-- asm` section (checked against `-- raw` where present) and run
// with its `-- mem` input on every registered engine; r0 must equal `-- result`.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataFile } from '../../../vm/asm/data-file';
import { assemble } from '../../../vm/asm/assemble';
import { Machine } from '../../../vm/machine';
import { runRaw } from '../../../vm/raw';
import { ENGINES } from '../../../vm/engines';

const DIR = join(__dirname, 'bpf_conformance');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.data')).sort();

/** Files expected not to pass, each with the reason. Empty: the whole suite passes. */
const SKIP: Record<string, string> = {};

function conformanceMachine(): Machine {
  const m = new Machine();
  // The suite's runner provides helper 5 as an identity function of r1 (ubpf's `unwind`).
  m.helpers.define([{ id: 5, arity: 1, fn: (r1) => r1 }]);
  return m;
}

it('has the whole suite', () => {
  expect(FILES.length).toBe(313);
});

describe.each(ENGINES.map((e) => [e.name, e] as const))('bpf_conformance on the %s', (_name, engine) => {
  const machine = conformanceMachine();
  it.each(FILES.filter((f) => !(f in SKIP)))('%s', (file) => {
    const data = parseDataFile(readFileSync(join(DIR, file), 'utf8'));
    const insns = data.asm !== undefined ? assemble(data.asm).insns : data.raw!;
    if (data.raw && data.asm !== undefined) expect(insns).toEqual(data.raw);
    const r = runRaw(machine, insns, data.mem, { engine });
    if (data.error !== undefined) {
      expect(r.ok).toBe(false);
      return;
    }
    if (!r.ok) throw new Error(`fault at slot ${r.fault.pc}: ${r.fault.message}`);
    expect('0x' + r.r0.toString(16)).toBe('0x' + BigInt.asUintN(64, data.result!).toString(16));
  });
});
