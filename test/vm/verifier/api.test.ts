// The verify() result beyond the verdict: the script span of the failing instruction,
// the per-instruction access facts the JIT relies on, statistics, log levels, and bad
// input that must give a rejection rather than a host exception.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verify } from '../../../vm/verifier/index';
import { assemble } from '../../../vm/asm/assemble';
import { PT_REGS } from '../../../vm/ctx/layouts';
import { MapType } from '../../../vm/maps/types';
import type { ProgramSpec, SourceSpan } from '../../../vm/program';

const MAPS = [{ name: 'h', type: MapType.HASH, keySize: 4, valueSize: 16, maxEntries: 8 }];
const spec = (text: string, extra: Partial<ProgramSpec> = {}): ProgramSpec => ({
  name: 't', type: 'kprobe', insns: assemble(text).insns, maps: MAPS, ctx: PT_REGS, ...extra,
});

const LOOKUP = `
  *(u32 *)(r10 - 4) = 0
  r1 = map[h] ll
  r2 = r10
  r2 += -4
  call 1
  if r0 == 0 goto +3
  r1 = *(u64 *)(r0 + 8)
  r2 = 0
  r0 = *(u32 *)(r10 - 4)
  exit
`;

describe('verify() result', () => {
  it('gives the span of the failing instruction', () => {
    const s = spec('r0 = 0\nr0 = *(u64 *)(r0 + 0)\nexit');
    const spans: SourceSpan[] = [
      { file: 'stdin', start: 0, end: 5 },
      { file: 'stdin', start: 10, end: 17 },
      { file: 'stdin', start: 20, end: 22 },
    ];
    const r = verify({ ...s, spans, sources: { stdin: 'x'.repeat(30) } });
    expect(r.error).toEqual({ insn: 1, message: "R0 invalid mem access 'scalar'", span: spans[1] });
    expect(verify(s).error?.span).toBeUndefined();
  });

  it('records the region each memory instruction was proven to access', () => {
    const r = verify(spec(`
      r6 = r1
      *(u32 *)(r10 - 4) = 0
      r1 = map[h] ll
      r2 = r10
      r2 += -4
      call 1
      if r0 == 0 goto +3
      r3 = *(u64 *)(r0 + 8)
      r2 = *(u64 *)(r6 + 112)
      r0 = *(u32 *)(r10 - 4)
      exit
    `));
    expect(r.ok, r.log).toBe(true);
    const facts = r.access.map((f, i) => (f ? `${i}:${f.region}:${f.minOff}:${f.maxEnd}` : null)).filter(Boolean);
    expect(facts).toEqual(['1:stack:-4:0', '8:map_value:8:16', '9:ctx:112:120', '10:stack:-4:0']);
  });

  it('merges facts over paths into one range', () => {
    const r = verify(spec(`
      call 7
      r1 = r10
      r1 += -16
      if r0 > 5 goto +2
      r1 = r10
      r1 += -8
      r0 = *(u64 *)(r1 + 0)
      exit
    `));
    expect(r.ok, r.log).toBe(true);
    expect(r.access[6]).toEqual({ region: 'stack', minOff: -16, maxEnd: 0 });
  });

  it('reports statistics and the summary line', () => {
    const r = verify(spec(LOOKUP));
    expect(r.ok, r.log).toBe(true);
    expect(r.stats.processed).toBeGreaterThan(9);
    expect(r.stats.totalStates).toBeGreaterThan(0);
    expect(r.log.trimEnd().split('\n').pop()).toBe(
      `processed ${r.stats.processed} insns (limit 1000000) max_states_per_insn ${r.stats.maxStatesPerInsn} total_states ${r.stats.totalStates} peak_states ${r.stats.peakStates} mark_read ${r.stats.markRead}`,
    );
  });

  it('log level 0 keeps the error and the summary; 1 the failing path with state; 2 every path', () => {
    const s = spec('r0 = r2\nexit');
    expect(verify(s, { logLevel: 0 }).log).toBe('R2 !read_ok\nprocessed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n');
    expect(verify(s, { logLevel: 1 }).log).toContain('0: R1=ctx() R10=fp0\n0: (bf) r0 = r2\nR2 !read_ok\n');
    // An accepted program logs its summary only at level 1, every instruction at level 2.
    const ok = spec('r0 = 1\nexit');
    expect(verify(ok, { logLevel: 1 }).log).toMatch(/^processed 2 insns/);
    expect(verify(ok, { logLevel: 2 }).log).toMatch(/0: \(b7\) r0 = 1 +; R0=1\n1: \(95\) exit\n/);
    // The failing path only: a branch that ended well is dropped at level 1, kept at level 2.
    const branchy = spec('call 7\nif r0 > 5 goto +2\nr0 = 0\nexit\nr0 = r3\nexit');
    const l1 = verify(branchy, { logLevel: 1 }).log;
    expect(l1).not.toContain('3: (95) exit');
    expect(l1).toContain('from 1 to 4: ');
    expect(l1).toMatch(/4: \(bf\) r0 = r3\nR3 !read_ok\n/);
    expect(verify(branchy, { logLevel: 2 }).log).toContain('3: (95) exit');
  });

  it('records stack depth per subprogram', () => {
    const r = verify(spec('*(u64 *)(r10 - 24) = 1\ncall f\nexit\nf:\n*(u64 *)(r10 - 8) = 1\nr0 = 0\nexit'));
    expect(r.ok, r.log).toBe(true);
    expect([...r.stackDepth]).toEqual([[0, 24], [3, 8]]);
  });
});

describe('bad input never throws', () => {
  it('random slots are verdicts, not exceptions', () => {
    const slot = fc.record({
      code: fc.integer({ min: 0, max: 255 }),
      dst: fc.integer({ min: 0, max: 15 }),
      src: fc.integer({ min: 0, max: 15 }),
      off: fc.integer({ min: -32768, max: 32767 }),
      imm: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 12 }), (insns) => {
        const r = verify({ name: 'r', type: 'kprobe', insns, maps: MAPS, ctx: PT_REGS });
        expect(typeof r.ok).toBe('boolean');
        expect(r.error?.message ?? '').not.toMatch(/internal error/);
      }),
      { numRuns: 3000 },
    );
  });
});
