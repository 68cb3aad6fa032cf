// Where WebAssembly and eBPF differ, as data: each row is a program, what it must return
// (or how it must fault), and it runs on both engines with identical results, memory and
// helper calls. Then the instruction budget (every budget up to completion, so that a
// fault lands on every slot of loops with stores, calls and exits), bpf-to-bpf frames
// and callbacks, and control flow that no nesting of blocks and loops can express.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../vm/asm/assemble';
import type { FaultKind } from '../../../vm/engine';
import { RawPair, expectSameOutcome } from './harness';
import { compileProgram } from '../../../vm/jit/compile';
import { printModule } from '../../../vm/jit/wasm/printer';
import { Machine } from '../../../vm/machine';
import { jitEngine } from '../../../vm/jit/engine';
import { Interpreter } from '../../../vm/interp/interpreter';
import { aluImm, exit, jmpImm, movImm } from '../../../vm/isa/build';

type Expect = bigint | { fault: FaultKind; pc?: number };

const INT64_MIN = 0x8000000000000000n;
const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);

const ROWS: [string, string, Expect][] = [
  ['64-bit unsigned division by zero is 0', 'r0 = 7\nr1 = 0\nr0 /= r1\nexit', 0n],
  ['64-bit modulo by zero keeps the dividend', 'r0 = 7\nr1 = 0\nr0 %= r1\nexit', 7n],
  ['32-bit division by zero is 0', 'r0 = -1\nw1 = 0\nw0 /= w1\nexit', 0n],
  ['32-bit modulo by zero keeps the low half, zero-extended', 'r0 = -7\nw1 = 0\nw0 %= w1\nexit', 0xfffffff9n],
  ['division by an immediate zero', 'r0 = 9\nr0 /= 0\nexit', 0n],
  ['modulo by an immediate zero', 'r0 = 9\nr0 %= 0\nexit', 9n],
  ['sdiv INT64_MIN / -1 = INT64_MIN', 'r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s/= r1\nexit', INT64_MIN],
  ['sdiv by immediate -1 negates', 'r0 = 0x8000000000000000 ll\nr0 s/= -1\nexit', INT64_MIN],
  ['smod INT64_MIN % -1 = 0', 'r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s%= r1\nexit', 0n],
  ['sdiv32 INT32_MIN / -1 = INT32_MIN', 'w0 = 0x80000000\nw1 = -1\nw0 s/= w1\nexit', 0x80000000n],
  ['sdiv32 by immediate -1', 'w0 = 0x80000000\nw0 s/= -1\nexit', 0x80000000n],
  ['smod32 INT32_MIN % -1 = 0', 'w0 = 0x80000000\nw1 = -1\nw0 s%= w1\nexit', 0n],
  ['signed remainder takes the sign of the dividend', 'r0 = -7\nr1 = 2\nr0 s%= r1\nexit', U64(-1n)],
  ['unsigned division by a sign-extended immediate', 'r0 = -1\nr0 /= -1\nexit', 1n],
  ['64-bit shift counts are masked to 6 bits', 'r0 = 1\nr1 = 65\nr0 <<= r1\nexit', 2n],
  ['32-bit shift counts are masked to 5 bits', 'w0 = 1\nw1 = 33\nw0 <<= w1\nexit', 2n],
  ['arithmetic shift right keeps the sign', 'r0 = -16\nr0 s>>= 2\nexit', U64(-4n)],
  ['32-bit arithmetic shift zero-extends the result', 'w0 = -16\nw0 s>>= 2\nexit', 0xfffffffcn],
  ['32-bit add zero-extends', 'r0 = -1\nw0 += 1\nexit', 0n],
  ['32-bit move of a negative immediate zero-extends', 'w0 = -1\nexit', 0xffffffffn],
  ['64-bit move of a negative immediate sign-extends', 'r0 = -1\nexit', U64(-1n)],
  ['32-bit negation zero-extends', 'w0 = 1\nw0 = -w0\nexit', 0xffffffffn],
  ['movsx8 to 64 bits', 'r1 = 0x80\nr0 = (s8)r1\nexit', U64(-128n)],
  ['movsx16 to 32 bits zero-extends', 'r1 = 0x8000\nw0 = (s16)w1\nexit', 0xffff8000n],
  ['movsx32 to 64 bits', 'r1 = 0xffffffff ll\nr0 = (s32)r1\nexit', U64(-1n)],
  ['sign-extending load', '*(u8 *)(r10 - 1) = 0xfe\nr0 = *(s8 *)(r10 - 1)\nexit', U64(-2n)],
  ['32-bit load zero-extends', '*(u32 *)(r10 - 4) = -1\nr0 = *(u32 *)(r10 - 4)\nexit', 0xffffffffn],
  ['store of an immediate sign-extends to 64 bits', '*(u64 *)(r10 - 8) = -2\nr0 = *(u64 *)(r10 - 8)\nexit', U64(-2n)],
  ['be16 swaps and clears the rest', 'r0 = 0x1122334455667788 ll\nr0 = be16 r0\nexit', 0x8877n],
  ['be32', 'r0 = 0x1122334455667788 ll\nr0 = be32 r0\nexit', 0x88776655n],
  ['be64', 'r0 = 0x1122334455667788 ll\nr0 = be64 r0\nexit', 0x8877665544332211n],
  ['le16 truncates', 'r0 = 0x1122334455667788 ll\nr0 = le16 r0\nexit', 0x7788n],
  ['le64 keeps everything', 'r0 = 0x1122334455667788 ll\nr0 = le64 r0\nexit', 0x1122334455667788n],
  ['bswap64', 'r0 = 0x0102030405060708 ll\nr0 = bswap64 r0\nexit', 0x0807060504030201n],
  ['atomic add', '*(u64 *)(r10 - 8) = 5\nr1 = 3\nlock *(u64 *)(r10 - 8) += r1\nr0 = *(u64 *)(r10 - 8)\nexit', 8n],
  ['atomic fetch-add returns the old value', '*(u64 *)(r10 - 8) = 5\nr0 = 3\nr0 = atomic_fetch_add((u64 *)(r10 - 8), r0)\nexit', 5n],
  ['32-bit atomic fetch-or zero-extends the old value', '*(u32 *)(r10 - 4) = -1\nr0 = 1\nw0 = atomic_fetch_or((u32 *)(r10 - 4), w0)\nexit', 0xffffffffn],
  ['xchg', '*(u64 *)(r10 - 8) = 9\nr0 = 4\nr0 = xchg_64(r10 - 8, r0)\nr1 = *(u64 *)(r10 - 8)\nr0 <<= 8\nr0 |= r1\nexit', 0x904n],
  ['cmpxchg that matches', '*(u64 *)(r10 - 8) = 9\nr0 = 9\nr1 = 2\nr0 = cmpxchg_64(r10 - 8, r0, r1)\nr0 = *(u64 *)(r10 - 8)\nexit', 2n],
  ['cmpxchg that does not', '*(u64 *)(r10 - 8) = 9\nr0 = 8\nr1 = 2\nr0 = cmpxchg_64(r10 - 8, r0, r1)\nr1 = *(u64 *)(r10 - 8)\nr0 <<= 8\nr0 |= r1\nexit', 0x909n],
  ['32-bit cmpxchg compares the low halves', '*(u32 *)(r10 - 4) = 7\nr0 = 0x100000007 ll\nw1 = 1\nw0 = cmpxchg32_32(r10 - 4, w0, w1)\nr0 = *(u32 *)(r10 - 4)\nexit', 1n],
  ['a callback reference loads a kernel text address', 'r0 = func(f) ll\nexit\nf:\nr0 = 0\nexit', 0xffffffffa0000000n + 3n * 8n],
  ['jset with a sign-extended immediate tests the upper half', 'r1 = 0x100000000 ll\nr0 = 0\nif r1 & 0x80000000 goto +1\nr0 = 1\nexit', 0n],
  ['jmp32 ignores the upper half', 'r1 = 0x100000001 ll\nr0 = 0\nif w1 == 1 goto +1\nr0 = 1\nexit', 0n],
  ['gotol', 'r0 = 1\ngotol +1\nr0 = 2\nexit', 1n],
  ['null read', 'r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit', { fault: 'memory', pc: 1 }],
  ['read below the deepest frame', 'r0 = *(u64 *)(r10 - 4104)\nexit', { fault: 'memory', pc: 0 }],
  ['write above the stack', 'r0 = 0\n*(u64 *)(r10 + 0) = r0\nexit', { fault: 'memory', pc: 1 }],
  ['an access straddling the top of the stack', 'r0 = *(u64 *)(r10 - 4)\nexit', { fault: 'memory', pc: 0 }],
  ['a stack pointer moved through arithmetic', 'r1 = r10\nr1 += -4096\nr0 = *(u64 *)(r1 + 0)\nr1 += -8\nr0 = *(u64 *)(r1 + 0)\nexit', { fault: 'memory', pc: 4 }],
  ['user address', 'r1 = 0x7fff0000 ll\nr0 = *(u8 *)(r1 + 0)\nexit', { fault: 'memory', pc: 2 }],
  ['fell off the end', 'r0 = 1', { fault: 'bad_jump', pc: 1 }],
  ['an empty program', '', { fault: 'bad_jump', pc: 0 }],
  ['jump out', 'goto +5\nexit', { fault: 'bad_jump', pc: 6 }],
  ['jump before the start, after a helper call (the fault names the last call)', 'call 8\nr0 = 1\ngoto -10\nexit', { fault: 'bad_jump', pc: 0 }],
  ['jump before the start, after a later helper call', 'r0 = 1\ncall 8\ngoto -10\nexit', { fault: 'bad_jump', pc: 1 }],
  ['lddw in the last slot', 'r0 = 0\n.raw 0x0000000500000018', { fault: 'bad_jump', pc: 3 }],
  ['jump into the second slot of an lddw', 'goto +1\nr0 = 5 ll\nexit', { fault: 'bad_insn', pc: 2 }],
  ['unknown opcode', '.raw 0x00000000000000ff\nexit', { fault: 'bad_insn', pc: 0 }],
  ['unknown atomic operation', '.raw 0x000000e0fff81adb\nexit', { fault: 'bad_insn', pc: 0 }],
  ['unknown helper', 'call 9999\nexit', { fault: 'helper', pc: 0 }],
  ['infinite loop', 'l: goto l', { fault: 'budget', pc: 0 }],
  ['recursion', 'f: call f\nexit', { fault: 'call_depth', pc: 0 }],
  ['call out of the program', 'call +5\nexit', { fault: 'bad_jump', pc: 6 }],
  ['callx of an unknown helper', 'r1 = 9999\ncallx r1\nexit', { fault: 'helper', pc: 1 }],
];

describe('semantics where WebAssembly differs', () => {
  const pair = new RawPair();
  it.each(ROWS)('%s', (_name, src, want) => {
    const [a, b] = pair.run(assemble(src).insns, new Uint8Array(8), 10_000);
    expectSameOutcome(a, b);
    if (typeof want === 'bigint') expect(b.result).toMatchObject({ ok: true, r0: want });
    else expect(b.result).toMatchObject({ ok: false, fault: { kind: want.fault, ...(want.pc === undefined ? {} : { pc: want.pc }) } });
  });
});

const BUDGETED: [string, string][] = [
  [
    'a loop with stores, an atomic and a helper call',
    'r0 = 0\nr1 = 0\nl: r2 = r1\nr2 *= 3\n*(u64 *)(r10 - 8) = r2\nr3 = 1\nlock *(u64 *)(r10 - 8) += r3\nr4 = *(u64 *)(r10 - 8)\nr0 += r4\ncall 8\nr1 += 1\nif r1 < 4 goto l\nexit',
  ],
  ['bpf-to-bpf calls', 'r1 = 5\ncall f\nr0 += 1\ncall f\nexit\nf:\nr0 = r1\n*(u64 *)(r10 - 8) = r0\nr0 += 2\nexit'],
  ['lddw slots and a fall-through out of the program', 'r1 = 1 ll\nr2 = 2 ll\nr0 = r1\nr0 += r2\n*(u64 *)(r10 - 8) = r0\nr3 = 3 ll'],
  ['checked loads through a pointer', 'r6 = r1\nr0 = *(u32 *)(r6 + 0)\nr2 = *(u8 *)(r6 + 3)\nr0 += r2\nr6 += 2\nr2 = *(u16 *)(r6 + 0)\nr0 += r2\nexit'],
];

describe('helpers that throw something other than a fault', () => {
  // Helper 300 throws for r1 = 2 (an Error) and r1 = 3 (a string), else returns r1; helper 200 calls its callback with r1 = 7.
  const pair = new RawPair((machine) =>
    machine.helpers.define([
      {
        id: 300,
        arity: 1,
        fn: (r1) => {
          if (r1 === 2n) throw new TypeError('boom');
          if (r1 === 3n) throw 'bang';
          return r1;
        },
      },
      { id: 200, arity: 1, fn: (fn) => machine.helpers.invoke(fn, 7n, 0n, 0n, 0n, 0n) },
    ]),
  );
  const ROWS3: [string, string, string, number][] = [
    ['an Error', 'r1 = 2\ncall 300\nexit', 'helper 300 failed: boom', 1],
    ['a string', 'r1 = 3\ncall 300\nexit', 'helper 300 failed: bang', 1],
    ['through callx', 'r1 = 2\nr2 = 300\ncallx r2\nexit', 'helper 300 failed: boom', 2],
    ['inside a callback', 'r1 = func(cb) ll\ncall 200\nexit\ncb:\nr1 -= 5\ncall 300\nexit', 'helper 300 failed: boom', 5],
  ];
  it.each(ROWS3)('%s ends the program with a helper fault at its call', (_name, src, message, pc) => {
    const [a, b] = pair.run(assemble(src).insns, new Uint8Array(0));
    expectSameOutcome(a, b);
    expect(b.result).toMatchObject({ ok: false, fault: { kind: 'helper', pc, message } });
  });
});

describe('a prepared program run again', () => {
  it('starts each run afresh (budget, depth, the slot of the last helper call)', () => {
    const m = new Machine();
    const insns = assemble('if r2 != 0 goto +2\ncall 8\nexit\ngoto -10').insns;
    const jit = jitEngine.prepare(insns, m);
    const interp = new Interpreter(insns, { mem: m.mem, helpers: m.helpers, stackTop: m.stackTop });
    for (const r2 of [0n, 8n, 0n, 8n]) expect(jit.run(0n, r2, 100)).toEqual(interp.run(0n, r2, 100));
  });
});

describe('registers past r10', () => {
  // FaultKind 'bad_insn' covers registers the machine does not know; the interpreter instead writes r11-r15 into nothing.
  it('are a bad instruction on the JIT', () => {
    const r = jitEngine.prepare(assemble('.raw 0x0000000000000bb7\nr0 = 0\nexit').insns, new Machine()).run(0n, 0n, 100);
    expect(r).toEqual({ ok: false, fault: { kind: 'bad_insn', pc: 0, message: 'unknown register r11' }, insns: 1 });
  });
});

describe('the instruction budget is exact', () => {
  const pair = new RawPair();
  it.each(BUDGETED)('%s: every budget up to completion', (_name, src) => {
    const insns = assemble(src).insns;
    const input = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const [full] = pair.run(insns, input, 1_000_000);
    const total = full.result.insns;
    expect(total).toBeGreaterThan(5);
    for (let budget = 1; budget <= total + 1; budget++) expectSameOutcome(...pair.run(insns, input, budget));
  });
});

describe('bpf-to-bpf calls and callbacks', () => {
  const pair = new RawPair();
  const ROWS2: [string, string, bigint][] = [
    [
      'each frame has its own 512 bytes and r6-r9 and r10 come back',
      'r6 = 7\n*(u64 *)(r10 - 8) = r6\nr1 = r10\ncall f\nr2 = *(u64 *)(r10 - 8)\nr0 += r2\nr0 += r6\nexit\nf:\nr6 = 100\n*(u64 *)(r10 - 8) = r6\nr0 = r1\nr0 -= r10\nexit',
      512n + 14n,
    ],
    ['r0-r5 come back from the callee', 'r3 = 1\ncall f\nr0 = r3\nexit\nf:\nr3 = 42\nexit', 42n],
    ['the callee sees the caller r0 and r6', 'r0 = 3\nr6 = 4\ncall f\nexit\nf:\nr0 += r6\nexit', 7n],
    ['eight frames are allowed', Array.from({ length: 7 }, (_, k) => `f${k}: call f${k + 1}\nexit`).join('\n') + '\nf7: r0 = 1\nexit', 1n],
    ['a function reached from two call sites and by falling through', 'call f\nr6 = r0\ncall f\nr0 += r6\nf:\nr0 += 1\nexit', 4n],
  ];
  it.each(ROWS2)('%s', (_name, src, want) => {
    const [a, b] = pair.run(assemble(src).insns, new Uint8Array(0));
    expectSameOutcome(a, b);
    expect(b.result).toMatchObject({ ok: true, r0: want });
  });

  it('runs callbacks on a frame below the caller, nested ones too, with the budget shared', () => {
    // Helper 200 calls its callback with r1 = 1 and 2 and sums; helper 201 calls it once with r1 = 5.
    const m = new RawPair((machine) =>
      machine.helpers.define([
        { id: 200, arity: 1, fn: (fn) => machine.helpers.invoke(fn, 1n, 0n, 0n, 0n, 0n) + machine.helpers.invoke(fn, 2n, 0n, 0n, 0n, 0n) },
        { id: 201, arity: 1, fn: (fn) => machine.helpers.invoke(fn, 5n, 0n, 0n, 0n, 0n) },
      ]),
    );
    const src = 'r6 = 1000\n*(u64 *)(r10 - 8) = r6\nr1 = func(cb) ll\ncall 200\nr1 = *(u64 *)(r10 - 8)\nr0 += r1\nexit\ncb:\n*(u64 *)(r10 - 8) = r1\nr0 = r1\nr0 *= 10\nr6 = r0\nr1 = func(inner) ll\ncall 201\nr0 += r6\nexit\ninner:\nr0 = r1\nr0 += r10\nexit';
    const [a, b] = m.run(assemble(src).insns, new Uint8Array(0), 500);
    expectSameOutcome(a, b);
    expect(b.result.ok).toBe(true);
    for (let budget = 1; budget < b.result.insns; budget += 3) {
      const [x, y] = m.run(assemble(src).insns, new Uint8Array(0), budget);
      expectSameOutcome(x, y);
    }
  });
});

describe('control flow', () => {
  const pair = new RawPair();
  // Two entries into the a/b cycle: no arrangement of blocks and loops expresses it.
  const IRREDUCIBLE = 'r0 = 0\nif r1 == 0 goto b\na:\nr0 += 1\nif r0 > 9 goto out\ngoto b\nb:\nr0 += 2\nif r0 > 9 goto out\ngoto a\nout:\nexit';
  it('compiles an irreducible graph through the dispatcher and runs it like the interpreter', () => {
    const insns = assemble(IRREDUCIBLE).insns;
    expect(printModule(compileProgram(insns, new Machine()).bytes)).toContain('br_table');
    for (const input of [new Uint8Array(0), Uint8Array.of(1)]) {
      const [a, b] = pair.run(insns, input);
      expectSameOutcome(a, b);
      expect(b.result.ok).toBe(true);
    }
  });
  it('structures long chains of branches without deep recursion', () => {
    const insns = [movImm(0, 0)];
    for (let i = 0; i < 5000; i++) insns.push(jmpImm('JGT', 0, i, 1), aluImm('ADD', 0, 2), aluImm('ADD', 0, 1));
    insns.push(exit());
    const [a, b] = pair.run(insns, new Uint8Array(0));
    expectSameOutcome(a, b);
    expect(b.result.ok).toBe(true);
  });
  it('leaves a program too large for a WebAssembly function to the interpreter', () => {
    const insns = [movImm(0, 0)];
    for (let i = 0; i < 100_000; i++) insns.push(jmpImm('JGT', 0, i, 1), aluImm('ADD', 0, 2), aluImm('ADD', 0, 1));
    insns.push(exit());
    const machine = new Machine();
    const prepared = jitEngine.prepare(insns, machine);
    expect(jitEngine.dump(prepared)).toMatch(/^;; not compiled \(.*maximum function size.*\): the interpreter runs this program/);
    expect(prepared.run(0n, 0n, 1_000_000)).toEqual(new Interpreter(insns, { mem: machine.mem, helpers: machine.helpers, stackTop: machine.stackTop }).run(0n, 0n, 1_000_000));
  });
  it('keeps reducible loops as nested blocks and loops', () => {
    const text = printModule(compileProgram(assemble('r0 = 0\nl: r0 += 1\nif r0 < 10 goto l\nif r0 == 3 goto +1\nr0 += 1\nexit').insns, new Machine()).bytes);
    expect(text).toContain('loop');
    expect(text).not.toContain('br_table');
  });
});
