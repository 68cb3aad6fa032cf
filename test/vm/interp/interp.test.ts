// Interpreter behaviour beyond the conformance suite: faults as results with the pc,
// the instruction budget, call depth, callbacks, stack frames, and that every opcode the
// ISA constants define is handled by the dispatch.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../vm/asm/assemble';
import { Machine } from '../../../vm/machine';
import { runRaw } from '../../../vm/raw';
import { Interpreter } from '../../../vm/interp/interpreter';
import { Alu, Atomic, Class, Jmp, Mode, Size, Src } from '../../../vm/isa/opcodes';
import { insn, type Insn } from '../../../vm/isa/insn';
import type { RunResult } from '../../../vm/engine';

const machine = new Machine();
const run = (src: string, input = new Uint8Array(0), budget?: number): RunResult => runRaw(machine, assemble(src).insns, input, { budget });

const FAULTS: [string, string, string, number][] = [
  ['null read', 'r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit', 'memory', 1],
  ['read below the deepest frame', 'r0 = *(u64 *)(r10 - 4104)\nexit', 'memory', 0],
  ['write above the stack', 'r0 = 0\n*(u64 *)(r10 + 0) = r0\nexit', 'memory', 1],
  ['user address', 'r1 = 0x7fff0000 ll\nr0 = *(u8 *)(r1 + 0)\nexit', 'memory', 2],
  ['fell off the end', 'r0 = 1', 'bad_jump', 1],
  ['jump out', 'goto +5\nexit', 'bad_jump', 6],
  ['unknown opcode', '.raw 0x00000000000000ff\nexit', 'bad_insn', 0],
  ['byte swap of 8 bits', '.raw 0x00000008000000dc\nexit', 'bad_insn', 0],
  ['unknown helper', 'call 9999\nexit', 'helper', 0],
  ['infinite loop', 'l: goto l', 'budget', 0],
  ['recursion', 'f: call f\nexit', 'call_depth', 0],
];

describe('faults are results with the pc', () => {
  it.each(FAULTS)('%s', (_name, src, kind, pc) => {
    const r = run(src, new Uint8Array(8), 1000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.fault.kind).toBe(kind);
      expect(r.fault.pc).toBe(kind === 'call_depth' ? 0 : pc);
      expect(r.fault.message).not.toBe('');
    }
  });
});

describe('budget and counts', () => {
  it('counts executed instructions', () => {
    const r = run('r0 = 0\nr1 = 10\nl: r0 += r1\nr1 -= 1\nif r1 != 0 goto l\nexit');
    expect(r).toEqual({ ok: true, r0: 55n, insns: 2 + 30 + 1 });
  });
  it('stops exactly at the budget', () => {
    const r = run('l: goto l', undefined, 50);
    expect(r).toMatchObject({ ok: false, insns: 50 });
  });
});

describe('bpf-to-bpf calls', () => {
  it('gives each frame its own 512 bytes of stack and restores r6-r9 and r10', () => {
    const src = [
      'r6 = 7',
      '*(u64 *)(r10 - 8) = r6',
      'r1 = r10',
      'call f',
      'r2 = *(u64 *)(r10 - 8)', // the caller's slot is untouched
      'r0 += r2',
      'r0 += r6',
      'exit',
      'f:',
      'r6 = 100',
      '*(u64 *)(r10 - 8) = r6',
      'r0 = r1', // the caller's r10
      'r0 -= r10', // = 512
      'exit',
    ].join('\n');
    expect(run(src)).toMatchObject({ ok: true, r0: 512n + 7n + 7n });
  });
  it('allows 8 frames and no more', () => {
    const chain = (n: number): string => Array.from({ length: n }, (_, k) => `f${k}: call f${k + 1}\nexit`).join('\n') + `\nf${n}: r0 = 1\nexit`;
    expect(run(chain(7))).toMatchObject({ ok: true, r0: 1n });
    expect(run(chain(8))).toMatchObject({ ok: false, fault: { kind: 'call_depth' } });
  });
});

describe('callbacks', () => {
  it('runs a func(...) reference through the helper runtime as a nested frame', () => {
    const m = new Machine();
    // A test helper that calls its callback twice with r1 = 1, 2 and sums the results.
    m.helpers.define([{ id: 200, arity: 1, fn: (fn) => m.helpers.invoke(fn, 1n, 0n, 0n, 0n, 0n) + m.helpers.invoke(fn, 2n, 0n, 0n, 0n, 0n) }]);
    const src = 'r1 = func(cb) ll\ncall 200\nexit\ncb:\nr0 = r1\nr0 *= 10\nexit';
    expect(runRaw(m, assemble(src).insns, new Uint8Array(0))).toMatchObject({ ok: true, r0: 30n });
  });
});

/** Every opcode the named constants describe. */
function allOpcodes(): Insn[] {
  const out: Insn[] = [];
  for (const cls of [Class.ALU, Class.ALU64]) {
    for (const op of Object.values(Alu)) {
      if (op === Alu.END) continue;
      out.push(insn(cls | op | Src.K, 0, 0, 0, 1));
      if (op !== Alu.NEG) out.push(insn(cls | op | Src.X, 0, 1));
    }
  }
  out.push(insn(Class.ALU | Alu.END | Src.K, 0, 0, 0, 16), insn(Class.ALU | Alu.END | Src.X, 0, 0, 0, 32), insn(Class.ALU64 | Alu.END | Src.K, 0, 0, 0, 64));
  for (const cls of [Class.JMP, Class.JMP32]) {
    for (const op of Object.values(Jmp)) {
      if (op === Jmp.CALL || op === Jmp.EXIT) continue;
      out.push(insn(cls | op | Src.K, 0, 0, 0, 0));
      if (op !== Jmp.JA) out.push(insn(cls | op | Src.X, 0, 1));
    }
  }
  for (const size of Object.values(Size)) {
    out.push(insn(Class.LDX | size | Mode.MEM, 0, 10, -8), insn(Class.ST | size | Mode.MEM, 10, 0, -8), insn(Class.STX | size | Mode.MEM, 10, 1, -8));
    if (size !== Size.DW) out.push(insn(Class.LDX | size | Mode.MEMSX, 0, 10, -8));
  }
  for (const size of [Size.W, Size.DW]) {
    for (const op of [Atomic.ADD, Atomic.OR, Atomic.AND, Atomic.XOR]) out.push(insn(Class.STX | size | Mode.ATOMIC, 10, 1, -8, op), insn(Class.STX | size | Mode.ATOMIC, 10, 1, -8, op | Atomic.FETCH));
    out.push(insn(Class.STX | size | Mode.ATOMIC, 10, 1, -8, Atomic.XCHG), insn(Class.STX | size | Mode.ATOMIC, 10, 1, -8, Atomic.CMPXCHG));
  }
  return out;
}

describe('dispatch', () => {
  it.each(allOpcodes().map((i) => [i.code.toString(16).padStart(2, '0'), i] as const))('handles opcode 0x%s', (_hex, i) => {
    const m = new Machine();
    const prog = [insn(Class.ALU64 | Alu.MOV | Src.K, 1, 0, 0, 3), i, insn(Class.JMP | Jmp.EXIT)];
    const r = new Interpreter(prog, { mem: m.mem, helpers: m.helpers, stackTop: m.stackTop }).run(0n);
    expect(r.ok).toBe(true);
  });
});
