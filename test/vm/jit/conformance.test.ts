// The bpf_conformance suite on the JIT: every `.data` file is assembled and run on the
// JIT with its `-- mem` input; r0 must equal `-- result` (or the run must fault where the
// file expects an error), and the whole result (r0 or fault kind, slot and message, and
// the instruction count) must equal the interpreter's.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataFile } from '../../../vm/asm/data-file';
import { assemble } from '../../../vm/asm/assemble';
import { Machine } from '../../../vm/machine';
import { runRaw } from '../../../vm/raw';
import { jitEngine } from '../../../vm/jit/engine';

const DIR = join(__dirname, '../conformance/bpf_conformance');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.data')).sort();

/** Files expected not to pass on the JIT, each with the reason. Empty, as for the interpreter. */
const SKIP: Record<string, string> = {};

function conformanceMachine(): Machine {
  const m = new Machine();
  // The suite's runner provides helper 5 as an identity function of r1 (ubpf's `unwind`).
  m.helpers.define([{ id: 5, arity: 1, fn: (r1) => r1 }]);
  return m;
}

describe('bpf_conformance on the JIT', () => {
  const machine = conformanceMachine();
  it('has the whole suite', () => {
    expect(FILES.length).toBe(313);
  });
  it.each(FILES.filter((f) => !(f in SKIP)))('%s', (file) => {
    const data = parseDataFile(readFileSync(join(DIR, file), 'utf8'));
    const insns = data.asm !== undefined ? assemble(data.asm).insns : data.raw!;
    const r = runRaw(machine, insns, data.mem, { engine: jitEngine });
    expect(r).toEqual(runRaw(machine, insns, data.mem));
    if (data.error !== undefined) {
      expect(r.ok).toBe(false);
      return;
    }
    if (!r.ok) throw new Error(`fault at slot ${r.fault.pc}: ${r.fault.message}`);
    expect('0x' + r.r0.toString(16)).toBe('0x' + BigInt.asUintN(64, data.result!).toString(16));
  });
});
