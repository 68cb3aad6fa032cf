// The WebAssembly layer on its own: LEB128 constants checked against V8 (a module that
// returns the constant must give it back), the module builder's output validated and
// printed for every conformance program, the text printer's format on a small program,
// its errors on bytes it does not understand, and (where wabt's wat2wasm is installed)
// its text assembled back to the same types, globals and code.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ModuleBuilder } from '../../../vm/jit/wasm/module';
import { CodeWriter } from '../../../vm/jit/wasm/writer';
import { ValType } from '../../../vm/jit/wasm/opcodes';
import { printModule, WasmReadError } from '../../../vm/jit/wasm/printer';
import { compileProgram } from '../../../vm/jit/compile';
import { dumpJit } from '../../../vm/jit/engine';
import { assemble } from '../../../vm/asm/assemble';
import { parseDataFile } from '../../../vm/asm/data-file';
import { Machine } from '../../../vm/machine';

/** A module exporting `f`, which returns the constant. */
function constModule(v: bigint, type: 'i32' | 'i64'): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  const t = type === 'i64' ? ValType.i64 : ValType.i32;
  const f = m.declareFunc({ params: [], results: [t] }, 'f');
  const w = new CodeWriter();
  if (type === 'i64') w.i64(v);
  else w.i32(Number(v));
  m.setBody(f, w);
  m.exportFunc('f', f);
  return m.encode();
}

const run = (bytes: Uint8Array<ArrayBuffer>): unknown => (new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f as () => unknown)();

describe('constants', () => {
  it('round-trips every i64 through signed LEB128', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(0n, -1n, 63n, 64n, -64n, -65n, 1n << 31n, -(1n << 31n) - 1n, (1n << 63n) - 1n, -(1n << 63n))), (v) => run(constModule(v, 'i64')) === v),
      { numRuns: 300 },
    );
  });
  it('round-trips every i32', () => {
    fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (v) => run(constModule(BigInt(v), 'i32')) === v), { numRuns: 300 });
  });
  it('prints constants as the signed values they encode', () => {
    const text = printModule(constModule(-(1n << 63n), 'i64'));
    expect(text).toContain('i64.const -9223372036854775808');
  });
});

describe('modules of the conformance programs', () => {
  const dir = join(__dirname, '../conformance/bpf_conformance');
  const machine = new Machine();
  machine.helpers.define([{ id: 5, arity: 1, fn: (r1) => r1 }]);
  const files = readdirSync(dir).filter((f) => f.endsWith('.data'));
  it.each(files)('%s validates and prints', (file) => {
    const d = parseDataFile(readFileSync(join(dir, file), 'utf8'));
    const bytes = compileProgram(d.asm !== undefined ? assemble(d.asm).insns : d.raw!, machine).bytes;
    expect(WebAssembly.validate(bytes)).toBe(true);
    const text = printModule(bytes);
    expect(text.startsWith('(module\n')).toBe(true);
    expect(text.endsWith(')\n')).toBe(true);
    // Balanced parentheses and block structure.
    expect([...text].filter((c) => c === '(').length).toBe([...text].filter((c) => c === ')').length);
    const opens = text.split('\n').filter((l) => /^\s+(block|loop|if)\b/.test(l)).length;
    expect(text.split('\n').filter((l) => /^\s+end$/.test(l)).length).toBe(opens);
  });
});

describe('the text printer', () => {
  it('names functions, registers and globals, indents by nesting, and shows the eBPF instruction of each stretch of code', () => {
    const text = dumpJit(assemble('r0 = 0\nl: r0 += 1\nif r0 < 3 goto l\nexit').insns, new Machine());
    expect(text).toContain('(import "env" "memory" (memory 0))');
    expect(text).toContain('(import "env" "budget" (func $budget (type 1)))');
    expect(text).toContain('(global $left (mut i32) (i32.const 0))');
    expect(text).toMatch(/\(func \$f0 \(type \d+\) \(param \$r0 i64\)/);
    expect(text).toContain('    (local $left i32)');
    expect(text).toMatch(/\n {4};; 0: r0 = 0\n/);
    expect(text).toMatch(/\n {4}loop\n {6};; 1: r0 \+= 1\n {6}local\.get \$left\n/);
    expect(text).toMatch(/\n {6};; 2: if r0 < 3 goto -2\n/);
    expect(text).toContain('      br_if 0');
    expect(text).toContain('(export "run" (func $run))');
  });
  it('rejects bytes that are not a module', () => {
    expect(() => printModule(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toThrow(WasmReadError);
  });
  it('names the offset of an opcode it does not know', () => {
    const m = new ModuleBuilder();
    const f = m.declareFunc({ params: [], results: [] }, 'f');
    const w = new CodeWriter();
    w.byte(0xfc).byte(0x00); // a prefixed opcode the JIT never emits
    m.setBody(f, w);
    expect(() => printModule(m.encode())).toThrow(/unknown opcode 0xfc at byte \d+/);
  });
});

/** The payload of a module's section with the given id. */
function section(bytes: Uint8Array, id: number): Uint8Array {
  let at = 8;
  while (at < bytes.length) {
    const sid = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (sid === id) return bytes.subarray(at, at + size);
    at += size;
  }
  return new Uint8Array(0);
}

const wat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;

describe.skipIf(!wat2wasm)('the text reassembles with wabt (skipped without wat2wasm)', () => {
  const dir = join(__dirname, '../conformance/bpf_conformance');
  const machine = new Machine();
  machine.helpers.define([{ id: 5, arity: 1, fn: (r1) => r1 }]);
  const work = mkdtempSync(join(tmpdir(), 'bpfsim-wat-'));
  it.each(readdirSync(dir).filter((f) => f.endsWith('.data')).slice(0, 60))('%s: same types and code', (file) => {
    const d = parseDataFile(readFileSync(join(dir, file), 'utf8'));
    const insns = d.asm !== undefined ? assemble(d.asm).insns : d.raw!;
    const ours = compileProgram(insns, machine).bytes;
    writeFileSync(join(work, 'm.wat'), dumpJit(insns, machine));
    const r = spawnSync('wat2wasm', [join(work, 'm.wat'), '-o', join(work, 'm.wasm')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const theirs = new Uint8Array(readFileSync(join(work, 'm.wasm')));
    for (const id of [1, 3, 6, 10]) expect(Buffer.from(section(theirs, id)).equals(Buffer.from(section(ours, id)))).toBe(true);
  });
});
