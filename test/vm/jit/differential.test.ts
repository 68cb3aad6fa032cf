// Programs with maps and helpers on both engines (corpus.ts), over series of firings
// whose state carries over: identical results, instruction counts, whole memory, map
// contents and environment effects. Three ways: with every helper call recorded (the
// JIT's generic helper path, so the call sequences with arguments and results must
// match), with the fast helper paths, and with the fast paths plus the verifier's facts
// (proven accesses unchecked). The corpus calls every helper of the prototype table.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../vm/asm/assemble';
import { HELPERS } from '../../../vm/helpers/protos';
import { PT_REGS } from '../../../vm/ctx/layouts';
import { Class, Jmp } from '../../../vm/isa/opcodes';
import type { ProgramSpec } from '../../../vm/program';
import { verify } from '../../../vm/verifier';
import { expectSame } from './harness';
import { CORPUS, type CorpusProgram } from './corpus';

function specOf(p: CorpusProgram): ProgramSpec {
  const a = assemble(p.text);
  return { name: p.name, type: 'kprobe', insns: a.insns, maps: a.maps.map((n) => p.maps[n]), ctx: PT_REGS };
}

describe('maps and helpers on both engines', () => {
  it.each(CORPUS.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const spec = specOf(p);
    expectSame(spec, { firings: p.firings, record: true });
    expectSame(spec, { firings: p.firings });
    expect(verify(spec).ok).toBe(true);
    expectSame(spec, { firings: p.firings, verified: true });
  });

  it('calls every helper of the prototype table', () => {
    const called = new Set<number>();
    for (const p of CORPUS) for (const i of specOf(p).insns) if (i.code === (Class.JMP | Jmp.CALL) && i.src === 0) called.add(i.imm);
    expect(HELPERS.filter((h) => !called.has(h.id)).map((h) => h.name)).toEqual([]);
  });
});
