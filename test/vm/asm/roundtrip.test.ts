// Property tests: encoding round-trips, and the disassembler's text (both layouts)
// reassembles to the same slots for any program, valid or not.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, encode, type Insn } from '../../../vm/isa/insn';
import { assemble } from '../../../vm/asm/assemble';
import { disassemble } from '../../../vm/asm/disassemble';
import { Alu, Atomic, Class, Jmp, Mode, Size, Src } from '../../../vm/isa/opcodes';

/** A property body: fast-check treats a returned false as failure, so compare and return a boolean. */
function sameAs(a: readonly Insn[], b: readonly Insn[]): boolean {
  expect(a).toEqual(b);
  return true;
}

const anySlot: fc.Arbitrary<Insn> = fc.record({
  code: fc.integer({ min: 0, max: 255 }),
  dst: fc.integer({ min: 0, max: 15 }),
  src: fc.integer({ min: 0, max: 15 }),
  off: fc.integer({ min: -32768, max: 32767 }),
  imm: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
});

/** Opcodes the text syntax describes, so that most generated slots print as instructions. */
const VALID_CODES: number[] = [
  ...[Class.ALU, Class.ALU64].flatMap((c) => Object.values(Alu).flatMap((op) => [c | op | Src.K, c | op | Src.X])),
  ...[Class.JMP, Class.JMP32].flatMap((c) => Object.values(Jmp).flatMap((op) => [c | op | Src.K, c | op | Src.X])),
  ...Object.values(Size).flatMap((s) => [Class.LDX | s | Mode.MEM, Class.LDX | s | Mode.MEMSX, Class.ST | s | Mode.MEM, Class.STX | s | Mode.MEM]),
  Class.STX | Size.W | Mode.ATOMIC,
  Class.STX | Size.DW | Mode.ATOMIC,
  Class.LD | Size.DW | Mode.IMM,
];
const IMMS = [0, 1, -1, 8, 16, 32, 64, Atomic.ADD, Atomic.OR | Atomic.FETCH, Atomic.XCHG, Atomic.CMPXCHG, 0x7fffffff, -0x80000000];

const plausibleSlot: fc.Arbitrary<Insn> = fc.record({
  code: fc.constantFrom(...VALID_CODES),
  dst: fc.integer({ min: 0, max: 10 }),
  src: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 })),
  off: fc.oneof(fc.constant(0), fc.constantFrom(1, 8, 16, 32, -8), fc.integer({ min: -32768, max: 32767 })),
  imm: fc.oneof(fc.constantFrom(...IMMS), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
});

const program = fc.array(fc.oneof(plausibleSlot, plausibleSlot, anySlot), { minLength: 1, maxLength: 40 });

describe('round trips', () => {
  it('decode(encode(x)) = x', () => {
    fc.assert(fc.property(fc.array(anySlot, { maxLength: 50 }), (prog) => sameAs(decode(encode(prog)), prog)), { numRuns: 300 });
  });

  it('assemble(disassemble(p)) = p, plain layout', () => {
    fc.assert(fc.property(program, (prog) => sameAs(assemble(disassemble(prog, { layout: 'plain' })).insns, prog)), { numRuns: 300 });
  });

  it('assemble(disassemble(p)) = p, objdump layout', () => {
    fc.assert(fc.property(program, (prog) => sameAs(assemble(disassemble(prog)).insns, prog)), { numRuns: 200 });
  });

  it('assemble(disassemble(p, { labels: true })) = p', () => {
    fc.assert(fc.property(program, (prog) => sameAs(assemble(disassemble(prog, { layout: 'plain', labels: true })).insns, prog)), { numRuns: 200 });
  });

  it('names jump targets with labels when asked', () => {
    const src = 'r1 = 3\nr0 = 0\nr0 += r1\nr1 -= 1\nif r1 != 0 goto -3\ncall +1\nexit\nexit';
    expect(disassemble(assemble(src).insns, { layout: 'plain', labels: true })).toBe('r1 = 3\nr0 = 0\nL2:\nr0 += r1\nr1 -= 1\nif r1 != 0 goto L2\ncall L7\nexit\nL7:\nexit\n');
  });

  it('prints the common instructions as text rather than .raw', () => {
    const src = ['r0 = 1', 'w1 += w2', 'r1 = *(u32 *)(r2 + 4)', '*(u64 *)(r10 - 8) = r1', 'if r1 s> 5 goto +2', 'r0 = cmpxchg_64(r10 - 8, r0, r1)', 'r1 = 0x1122334455667788 ll', 'call 1', 'call +3', 'exit'];
    expect(disassemble(assemble(src.join('\n')).insns, { layout: 'plain' })).toBe(src.join('\n') + '\n');
  });

  it('prints map references by name when given the names', () => {
    const r = assemble('r1 = map[counts] ll\nexit');
    expect(disassemble(r.insns, { layout: 'plain', mapNames: r.maps })).toBe('r1 = map[counts] ll\nexit\n');
    expect(disassemble(r.insns)).toBe('       0:\t18 11 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = map_fd(0) ll\n       2:\t95 00 00 00 00 00 00 00\texit\n');
  });
});
