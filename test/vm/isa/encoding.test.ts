// Instruction encoding, table-driven: constructors produce the documented bytes, decode
// inverts encode, and the lddw helpers split and join 64-bit immediates.
import { describe, expect, it } from 'vitest';
import { decode, encode, insn, isLddw, lddwImm, type Insn } from '../../../vm/isa/insn';
import * as B from '../../../vm/isa/build';
import { ALU_NAMES, Alu, Class, JMP_NAMES, Jmp, Op, PseudoLd, sizeBytes, Size } from '../../../vm/isa/opcodes';
import { funcAddress, funcSlot } from '../../../vm/isa/pseudo';

const hex = (i: Insn | Insn[]): string => Array.from(encode(Array.isArray(i) ? i : [i]), (b) => b.toString(16).padStart(2, '0')).join(' ');

const ROWS: [string, Insn | Insn[], string][] = [
  ['mov r0, 1', B.movImm(0, 1), 'b7 00 00 00 01 00 00 00'],
  ['mov w1, w2', B.movReg(1, 2, true), 'bc 21 00 00 00 00 00 00'],
  ['add r2, -4', B.aluImm('ADD', 2, -4), '07 02 00 00 fc ff ff ff'],
  ['sdiv r0, r1', B.aluReg('DIV', 0, 1, false, 1), '3f 10 01 00 00 00 00 00'],
  ['ldxdw r1, [r6+8]', B.ldx('DW', 1, 6, 8), '79 61 08 00 00 00 00 00'],
  ['ldxsb r0, [r1-1]', B.ldx('B', 0, 1, -1, true), '91 10 ff ff 00 00 00 00'],
  ['stxw [r10-4], r1', B.stx('W', 10, -4, 1), '63 1a fc ff 00 00 00 00'],
  ['stb [r1+2], 0xff', B.st('B', 1, 2, 0xff), '72 01 02 00 ff 00 00 00'],
  ['lock add', B.atomic('ADD', 'DW', 0, 0, 1), 'db 10 00 00 00 00 00 00'],
  ['lock fetch xor32', B.atomic('XOR', 'W', 10, -8, 1, true), 'c3 1a f8 ff a1 00 00 00'],
  ['cmpxchg', B.atomic('CMPXCHG', 'DW', 10, -8, 2), 'db 2a f8 ff f1 00 00 00'],
  ['jeq r0, 0, +2', B.jmpImm('JEQ', 0, 0, 2), '15 00 02 00 00 00 00 00'],
  ['jsgt w1, w2, -1', B.jmpReg('JSGT', 1, 2, -1, true), '6e 21 ff ff 00 00 00 00'],
  ['ja +24', B.ja(24), '05 00 18 00 00 00 00 00'],
  ['call 1', B.call(1), '85 00 00 00 01 00 00 00'],
  ['call local -1', B.callLocal(-1), '85 10 00 00 ff ff ff ff'],
  ['exit', B.exit(), '95 00 00 00 00 00 00 00'],
  ['lddw', B.lddw(1, 0x1122334455667788n), '18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11'],
  ['lddw map fd', B.ldMapFd(1, 3), '18 11 00 00 03 00 00 00 00 00 00 00 00 00 00 00'],
  ['lddw map value', B.ldMapValue(2, 1, 16), '18 22 00 00 01 00 00 00 00 00 00 00 10 00 00 00'],
];

describe('encoding', () => {
  it.each(ROWS)('%s', (_n, i, bytes) => {
    expect(hex(i)).toBe(bytes);
    const slots = Array.isArray(i) ? i : [i];
    expect(decode(encode(slots))).toEqual(slots);
  });
  it('truncates fields to their widths and refuses partial slots', () => {
    expect(decode(encode([insn(0x1b7, 0x1f, 0x2e, 0x18000, 0)]))).toEqual([insn(0xb7, 0xf, 0xe, -0x8000, 0)]);
    expect(() => decode(new Uint8Array(7))).toThrow(RangeError);
  });
  it('joins lddw immediates and recognises lddw', () => {
    const p = B.lddw(0, -1n);
    expect(isLddw(p[0])).toBe(true);
    expect(isLddw(p[1])).toBe(false);
    expect(lddwImm(p, 0)).toBe(0xffffffffffffffffn);
    expect(p[0].src).toBe(PseudoLd.IMM64);
  });
  it('derives names and sizes from the constant tables', () => {
    expect(ALU_NAMES.get(Alu.ARSH)).toBe('arsh');
    expect(JMP_NAMES.get(Jmp.JSLE)).toBe('jsle');
    expect([Size.B, Size.H, Size.W, Size.DW].map(sizeBytes)).toEqual([1, 2, 4, 8]);
    expect(Op.LDDW).toBe(0x18);
    expect(Op.CALLX).toBe(Class.JMP | Jmp.CALL | 0x08);
  });
  it('maps callback slots to addresses and back', () => {
    expect(funcSlot(funcAddress(17))).toBe(17);
    expect(funcSlot(0x1234n)).toBe(-1);
  });
});
