// The interpreter's split 64-bit arithmetic checked against a BigInt model of RFC 9669
// for random operands: every ALU operation in both widths and both operand forms, and
// every conditional jump.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine } from '../../../vm/machine';
import { Interpreter } from '../../../vm/interp/interpreter';
import { lddw } from '../../../vm/isa/build';
import { insn, type Insn } from '../../../vm/isa/insn';
import { Alu, Class, Jmp, Src } from '../../../vm/isa/opcodes';

const M64 = (1n << 64n) - 1n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

/** RFC 9669 semantics of `dst op= src` (src already sign-extended from imm for K forms); off selects sdiv/smod and movsx. */
function model(op: number, wide: boolean, dst: bigint, src: bigint, off: number): bigint {
  const bits = wide ? 64 : 32;
  const mask = wide ? 63n : 31n;
  const U = wide ? u64 : u32;
  const S = wide ? s64 : s32;
  const a = U(dst);
  const b = U(src);
  let r: bigint;
  switch (op) {
    case Alu.ADD: r = a + b; break;
    case Alu.SUB: r = a - b; break;
    case Alu.MUL: r = a * b; break;
    case Alu.DIV: r = b === 0n ? 0n : off === 1 ? S(a) / S(b) : a / b; break;
    case Alu.MOD: r = b === 0n ? a : off === 1 ? S(a) % S(b) : a % b; break;
    case Alu.OR: r = a | b; break;
    case Alu.AND: r = a & b; break;
    case Alu.XOR: r = a ^ b; break;
    case Alu.LSH: r = a << (b & mask); break;
    case Alu.RSH: r = a >> (b & mask); break;
    case Alu.ARSH: r = S(a) >> (b & mask); break;
    case Alu.NEG: r = -a; break;
    case Alu.MOV: r = off === 0 ? b : BigInt.asIntN(off, b); break;
    default: throw new Error(`no model for ${op}`);
  }
  return BigInt.asUintN(bits, r);
}

function jmodel(op: number, wide: boolean, dst: bigint, src: bigint): boolean {
  const U = wide ? u64 : u32;
  const S = wide ? s64 : s32;
  const [a, b, sa, sb] = [U(dst), U(src), S(dst), S(src)];
  switch (op) {
    case Jmp.JEQ: return a === b;
    case Jmp.JNE: return a !== b;
    case Jmp.JGT: return a > b;
    case Jmp.JGE: return a >= b;
    case Jmp.JLT: return a < b;
    case Jmp.JLE: return a <= b;
    case Jmp.JSET: return (a & b) !== 0n;
    case Jmp.JSGT: return sa > sb;
    case Jmp.JSGE: return sa >= sb;
    case Jmp.JSLT: return sa < sb;
    case Jmp.JSLE: return sa <= sb;
    default: throw new Error(`no model for ${op}`);
  }
}

const machine = new Machine();
function exec(prog: Insn[]): bigint {
  const r = new Interpreter(prog, { mem: machine.mem, helpers: machine.helpers, stackTop: machine.stackTop }).run(0n);
  if (!r.ok) throw new Error(r.fault.message);
  return r.r0;
}

const EDGES = [0n, 1n, 2n, 7n, 31n, 32n, 63n, 64n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, M64, M64 - 1n];
const value = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: 0n, max: M64 }), fc.bigInt({ min: 0n, max: 0xffffn }));
const imm32 = fc.oneof(fc.constantFrom(0, 1, -1, 31, 32, 63, 0x7fffffff, -0x80000000), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));

const ALU_OPS: [string, number, number][] = [
  ['add', Alu.ADD, 0], ['sub', Alu.SUB, 0], ['mul', Alu.MUL, 0], ['div', Alu.DIV, 0], ['sdiv', Alu.DIV, 1], ['mod', Alu.MOD, 0],
  ['smod', Alu.MOD, 1], ['or', Alu.OR, 0], ['and', Alu.AND, 0], ['xor', Alu.XOR, 0], ['lsh', Alu.LSH, 0], ['rsh', Alu.RSH, 0],
  ['arsh', Alu.ARSH, 0], ['mov', Alu.MOV, 0],
];

describe.each([true, false])('ALU (64-bit: %s) against the model', (wide) => {
  const cls = wide ? Class.ALU64 : Class.ALU;
  it.each(ALU_OPS)('%s', (_n, op, off) => {
    fc.assert(
      fc.property(value, value, imm32, (a, b, k) => {
        const reg = exec([...lddw(1, a), ...lddw(2, b), insn(cls | op | Src.X, 1, 2, off), insn(cls | Alu.MOV | Src.X, 0, 1), insn(Class.JMP | Jmp.EXIT)]);
        expect(reg).toBe(model(op, wide, a, b, off));
        const imm = exec([...lddw(1, a), insn(cls | op | Src.K, 1, 0, off, k), insn(cls | Alu.MOV | Src.X, 0, 1), insn(Class.JMP | Jmp.EXIT)]);
        expect(imm).toBe(model(op, wide, a, BigInt(k), off));
        return true;
      }),
      { numRuns: 60 },
    );
  });
  it('neg and movsx', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(8, 16, 32), (a, ext) => {
        expect(exec([...lddw(1, a), insn(cls | Alu.NEG, 1), insn(Class.ALU64 | Alu.MOV | Src.X, 0, 1), insn(Class.JMP | Jmp.EXIT)])).toBe(model(Alu.NEG, wide, a, 0n, 0));
        if (wide || ext !== 32) expect(exec([...lddw(1, a), insn(cls | Alu.MOV | Src.X, 0, 1, ext), insn(Class.JMP | Jmp.EXIT)])).toBe(model(Alu.MOV, wide, 0n, a, ext));
        return true;
      }),
      { numRuns: 60 },
    );
  });
});

const JMP_OPS: [string, number][] = [['jeq', Jmp.JEQ], ['jne', Jmp.JNE], ['jgt', Jmp.JGT], ['jge', Jmp.JGE], ['jlt', Jmp.JLT], ['jle', Jmp.JLE], ['jset', Jmp.JSET], ['jsgt', Jmp.JSGT], ['jsge', Jmp.JSGE], ['jslt', Jmp.JSLT], ['jsle', Jmp.JSLE]];

describe.each([true, false])('conditional jumps (64-bit: %s) against the model', (wide) => {
  const cls = wide ? Class.JMP : Class.JMP32;
  it.each(JMP_OPS)('%s', (_n, op) => {
    fc.assert(
      fc.property(value, value, imm32, (a, b, k) => {
        const tail = [insn(Class.ALU64 | Alu.MOV | Src.K, 0, 0, 0, 0), insn(Class.JMP | Jmp.EXIT), insn(Class.ALU64 | Alu.MOV | Src.K, 0, 0, 0, 1), insn(Class.JMP | Jmp.EXIT)];
        expect(exec([...lddw(1, a), ...lddw(2, b), insn(cls | op | Src.X, 1, 2, 2), ...tail])).toBe(jmodel(op, wide, a, b) ? 1n : 0n);
        expect(exec([...lddw(1, a), insn(cls | op | Src.K, 1, 0, 2, k), ...tail])).toBe(jmodel(op, wide, a, BigInt(k)) ? 1n : 0n);
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
