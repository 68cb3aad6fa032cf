// The bpfvm commands called through runCli with in-memory files: every input form,
// outputs, and bad input giving `bpfvm: ...` and a non-zero status (never a stack trace).
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../vm/cli/cli';
import type { CliIo } from '../../../vm/cli/command';
import { assemble } from '../../../vm/asm/assemble';
import { encode } from '../../../vm/isa/insn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LOOP = 'r0 = 0\nr1 = 10\nl: r0 += r1\nr1 -= 1\nif r1 != 0 goto l\nexit\n';

function cli(argv: string[], files: Record<string, string | Uint8Array> = {}): { status: number; out: string; err: string; files: Record<string, string | Uint8Array> } {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    writeFile: (p, d) => void (files[p] = d),
  };
  const status = runCli(argv, io);
  return { status, out, err, files };
}

describe('bpfvm run', () => {
  const bin = encode(assemble(LOOP).insns);
  const hex = Array.from(bin, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const FORMS: [string, string | Uint8Array][] = [
    ['p.s', LOOP],
    ['p.bin', bin],
    ['p.hex', hex],
    ['p.data', `-- asm\n${LOOP}-- result\n0x37\n`],
    ['conf.s', 'mov %r0, 0\nmov %r1, 10\nl:\nadd %r0, %r1\nsub %r1, 1\njne %r1, 0, l\nexit\n'],
  ];
  it.each(FORMS)('reads %s', (name, content) => {
    expect(cli(['run', name], { [name]: content })).toMatchObject({ status: 0, out: '0x37\n', err: '' });
  });
  it('passes --mem as r1/r2 and prefers it over the file mem', () => {
    const prog = 'r0 = *(u8 *)(r1 + 1)\nr0 += r2\nexit';
    expect(cli(['run', 'm.s', '--mem', '00 05 00'], { 'm.s': prog }).out).toBe('0x8\n');
    expect(cli(['run', 'm.data'], { 'm.data': `-- asm\n${prog}\n-- mem\n01 02\n-- result\n0x4\n` }).out).toBe('0x4\n');
  });
  it('runs on the interpreter with --no-jit', () => {
    expect(cli(['run', 'p.s', '--no-jit'], { 'p.s': LOOP }).out).toBe('0x37\n');
  });
  it('creates named maps', () => {
    const prog = '*(u64 *)(r10 - 8) = 1\nr1 = map[m] ll\nr2 = r10\nr2 += -8\ncall 1\nexit';
    expect(cli(['run', 'm.s'], { 'm.s': prog }).out).toBe('0x0\n');
  });
  it('reports a fault with its slot', () => {
    expect(cli(['run', 'f.s', '--no-verify'], { 'f.s': 'r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit' })).toMatchObject({ status: 1, out: '', err: expect.stringMatching(/^bpfvm: fault at slot 1 \(memory\): /) });
    expect(cli(['run', 'l.s', '--budget', '100', '--no-verify'], { 'l.s': 'l: goto l' }).err).toMatch(/budget/);
  });
});

describe('bpfvm asm and disasm', () => {
  it('asm prints hex slots or writes bytes', () => {
    expect(cli(['asm', 'p.s'], { 'p.s': 'r0 = 1\nexit' }).out).toBe('b7 00 00 00 01 00 00 00\n95 00 00 00 00 00 00 00\n');
    const r = cli(['asm', 'p.s', '-o', 'p.bin'], { 'p.s': LOOP });
    expect(r.files['p.bin']).toEqual(encode(assemble(LOOP).insns));
  });
  it('disasm prints the objdump layout, --plain reassembles', () => {
    const r = cli(['disasm', 'p.s'], { 'p.s': LOOP });
    expect(r.out.split('\n')[4]).toBe('       4:\t55 01 fd ff 00 00 00 00\tif r1 != 0 goto -3');
    const plain = cli(['disasm', 'p.s', '--plain'], { 'p.s': LOOP }).out;
    expect(assemble(plain).insns).toEqual(assemble(LOOP).insns);
  });
});

describe('ELF objects', () => {
  const obj = new Uint8Array(readFileSync(join(__dirname, '..', 'elf', 'fixtures', 'counters.o')));
  it('disassembles every program under its name with map names', () => {
    const out = cli(['disasm', 'c.o', '--plain'], { 'c.o': obj }).out;
    expect(out).toMatch(/^count_calls:\n/);
    expect(out).toContain('\nsum_counts:\n');
    expect(out).toContain('r1 = map[counts] ll');
  });
  it('runs a chosen program with the maps of the object', () => {
    expect(cli(['run', 'c.o', '--prog', 'sum_counts'], { 'c.o': obj })).toMatchObject({ status: 0, out: '0x0\n' });
    expect(cli(['run', 'c.o', '--prog', 'nope'], { 'c.o': obj }).err).toMatch(/it has count_calls, sum_counts/);
  });
});

describe('bad input', () => {
  const ROWS: [string, string[], Record<string, string | Uint8Array>, RegExp][] = [
    ['no command', [], {}, /USAGE/],
    ['unknown command', ['frob'], {}, /^bpfvm: unknown command 'frob'/],
    ['missing file', ['run', 'nope.s'], {}, /^bpfvm: cannot read nope.s: ENOENT/],
    ['assembler error', ['run', 'b.s'], { 'b.s': 'r0 = 1\nr11 = 2' }, /^bpfvm: b.s: line 2: unknown register 'r11'/],
    ['odd byte count', ['run', 'b.bin'], { 'b.bin': new Uint8Array([0, 1, 2]) }, /not a whole number of 8-byte instructions/],
    ['truncated ELF object', ['disasm', 'x.o'], { 'x.o': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1]) }, /^bpfvm: x.o: truncated ELF header/],
    ['unknown --prog', ['run', 'p.s', '--prog', 'main'], { 'p.s': 'exit' }, /no program 'main' in p.s/],
    ['bad --mem', ['run', 'p.s', '--mem', 'zz'], { 'p.s': 'exit' }, /is not hex bytes/],
    ['unknown option', ['run', 'p.s', '--fast'], { 'p.s': 'exit' }, /unknown option '--fast'/],
    ['missing option value', ['asm', 'p.s', '-o'], { 'p.s': 'exit' }, /option -o needs a value/],
    ['two files', ['disasm', 'a', 'b'], {}, /disasm takes one FILE/],
    ['--dump-jit on the interpreter', ['run', 'p.s', '--no-jit', '--dump-jit'], { 'p.s': 'exit' }, /does not compile programs/],
    ['bad data file', ['run', 'x.data'], { 'x.data': '-- asm\nexit\n-- result\nnope\n' }, /bad -- result/],
  ];
  it.each(ROWS)('%s', (_n, argv, files, msg) => {
    const r = cli(argv, files);
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
  it('help and version', () => {
    expect(cli(['--help'])).toMatchObject({ status: 0, out: expect.stringContaining('run FILE [--mem HEX] [--prog NAME] [--no-jit] [--dump-jit]') });
    expect(cli(['run', '--help'])).toMatchObject({ status: 0, out: expect.stringContaining('bpfvm run FILE') });
    expect(cli(['--version']).out).toMatch(/^bpfvm v\d+\.\d+\.\d+\n$/);
  });
});
