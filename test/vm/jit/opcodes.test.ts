// Every opcode byte, valid or not, with a spread of register, offset and immediate fields,
// on both engines: the instruction runs between a prologue that gives every register a
// distinct value (r1 the input record, r2 a stack pointer) and an epilogue that folds
// all registers into r0, so a wrong result in any register, a wrong memory effect, a
// fault of the wrong kind, slot or message, or a wrong instruction count shows up.
import { describe, it } from 'vitest';
import { insn, type Insn } from '../../../vm/isa/insn';
import { aluReg, lddw, movReg, aluImm, exit } from '../../../vm/isa/build';
import { RawPair, expectSameOutcome } from './harness';

/** [dst, src, off, imm] */
const VARIANTS: [number, number, number, number][] = [
  [0, 1, 0, 0],
  [3, 4, 1, -1],
  [2, 10, -8, 16],
  [10, 2, -16, 32],
  [5, 6, 8, 64],
  [9, 2, 16, 0xe1],
  [8, 2, 0, 0xf1],
];

const INPUT = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);

function program(code: number, [dst, src, off, imm]: [number, number, number, number]): Insn[] {
  const out: Insn[] = [];
  for (const r of [0, 3, 4, 5, 6, 7, 8, 9]) out.push(...lddw(r, 0x0123456789abcdefn * BigInt(r + 1) + BigInt(r)));
  out.push(movReg(2, 10), aluImm('ADD', 2, -64));
  // lddw with a map pseudo source is the loader's to reject; keep the plain and callback forms.
  out.push(insn(code, dst, code === 0x18 ? (src & 1 ? 4 : 0) : src, off, imm));
  if (code === 0x18) out.push(insn(0, 0, 0, 0, 0x55aa));
  for (let r = 1; r <= 10; r++) out.push(aluImm('MUL', 0, 31), aluReg('ADD', 0, r));
  out.push(exit());
  return out;
}

describe('every opcode byte agrees with the interpreter', () => {
  const pair = new RawPair();
  it.each(Array.from({ length: 256 }, (_, c) => [c.toString(16).padStart(2, '0'), c] as const))('0x%s', (_hex, code) => {
    for (const v of VARIANTS) expectSameOutcome(...pair.run(program(code, v), INPUT));
  });
});
