// The assembler, table-driven: each row is source text in one of the two syntaxes and the
// bytes it must encode to (as the hex llvm-objdump prints), then error rows naming the line.
import { describe, expect, it } from 'vitest';
import { assemble, AsmError } from '../../../vm/asm/assemble';
import { encode } from '../../../vm/isa/insn';

const hex = (text: string): string => Array.from(encode(assemble(text).insns), (b) => b.toString(16).padStart(2, '0')).join(' ');

// [source, expected bytes]; every row is checked in both directions of sign and syntax.
const ROWS: [string, string][] = [
  // pseudo-C, 64-bit ALU
  ['r0 = 1', 'b7 00 00 00 01 00 00 00'],
  ['r6 = r1', 'bf 16 00 00 00 00 00 00'],
  ['r2 += -4', '07 02 00 00 fc ff ff ff'],
  ['r1 /= r2', '3f 21 00 00 00 00 00 00'],
  ['r2 s>>= 48', 'c7 02 00 00 30 00 00 00'],
  ['r0 = -r0', '87 00 00 00 00 00 00 00'],
  ['r1 &= 0xff', '57 01 00 00 ff 00 00 00'],
  ['r1 ^= 0xffffffff', 'a7 01 00 00 ff ff ff ff'],
  // 32-bit ALU
  ['w0 = w1', 'bc 10 00 00 00 00 00 00'],
  ['w0 *= 3', '24 00 00 00 03 00 00 00'],
  ['w0 = -w0', '84 00 00 00 00 00 00 00'],
  ['w0 = -1', 'b4 00 00 00 ff ff ff ff'],
  // cpu v4
  ['r0 s/= r1', '3f 10 01 00 00 00 00 00'],
  ['w0 s%= -3', '94 00 01 00 fd ff ff ff'],
  ['r0 = (s8)r1', 'bf 10 08 00 00 00 00 00'],
  ['w0 = (s16)w1', 'bc 10 10 00 00 00 00 00'],
  ['r0 = bswap32 r0', 'd7 00 00 00 20 00 00 00'],
  ['r0 = be16 r0', 'dc 00 00 00 10 00 00 00'],
  ['r0 = le64 r0', 'd4 00 00 00 40 00 00 00'],
  ['r0 = *(s16 *)(r1 + 2)', '89 10 02 00 00 00 00 00'],
  ['gotol +5', '06 00 00 00 05 00 00 00'],
  // memory
  ['r1 = *(u64 *)(r6 + 8)', '79 61 08 00 00 00 00 00'],
  ['w1 = *(u32 *)(r1 + 4)', '61 11 04 00 00 00 00 00'],
  ['*(u32 *)(r10 - 4) = r1', '63 1a fc ff 00 00 00 00'],
  ['*(u64 *)(r10 - 8) = 5', '7a 0a f8 ff 05 00 00 00'],
  ['*(u8 *)(r1 + 0) = w2', '73 21 00 00 00 00 00 00'],
  // atomics
  ['lock *(u64 *)(r0 + 0) += r1', 'db 10 00 00 00 00 00 00'],
  ['lock *(u32 *)(r10 - 8) |= w1', 'c3 1a f8 ff 40 00 00 00'],
  ['r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)', 'db 1a f8 ff 01 00 00 00'],
  ['w1 = atomic_fetch_xor((u32 *)(r10 - 8), w1)', 'c3 1a f8 ff a1 00 00 00'],
  ['r1 = xchg_64(r10 - 8, r1)', 'db 1a f8 ff e1 00 00 00'],
  ['w0 = cmpxchg32_32(r10 - 8, w0, w1)', 'c3 1a f8 ff f1 00 00 00'],
  // jumps and calls
  ['if r0 == 0 goto +2', '15 00 02 00 00 00 00 00'],
  ['if r2 > r1 goto +4 <LBB0_4>', '2d 12 04 00 00 00 00 00'],
  ['if w1 s> -3 goto +1', '66 01 01 00 fd ff ff ff'],
  ['if r1 & r2 goto -1', '4d 21 ff ff 00 00 00 00'],
  ['goto +24', '05 00 18 00 00 00 00 00'],
  ['call 5', '85 00 00 00 05 00 00 00'],
  ['call bpf_map_lookup_elem', '85 00 00 00 01 00 00 00'],
  ['call -1', '85 10 00 00 ff ff ff ff'],
  ['callx r3', '8d 03 00 00 00 00 00 00'],
  ['exit', '95 00 00 00 00 00 00 00'],
  // 64-bit immediates and pseudo sources
  ['r1 = 0x1122334455667788 ll', '18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11'],
  ['r1 = -1 ll', '18 01 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff'],
  ['r1 = map_fd(3) ll', '18 11 00 00 03 00 00 00 00 00 00 00 00 00 00 00'],
  ['r1 = map_value(2) + 16 ll', '18 21 00 00 02 00 00 00 00 00 00 00 10 00 00 00'],
  ['r1 = map_idx(1) ll', '18 51 00 00 01 00 00 00 00 00 00 00 00 00 00 00'],
  ['r2 = func(+3) ll', '18 42 00 00 03 00 00 00 00 00 00 00 00 00 00 00'],
  // conformance syntax
  ['mov32 %r0, 0', 'b4 00 00 00 00 00 00 00'],
  ['add32 %r0, %r1', '0c 10 00 00 00 00 00 00'],
  ['lddw %r0, 0x1122334455667788', '18 00 00 00 88 77 66 55 00 00 00 00 44 33 22 11'],
  ['ldxw %r0, [%r1+4]', '61 10 04 00 00 00 00 00'],
  ['ldxsh %r0, [%r10-2]', '89 a0 fe ff 00 00 00 00'],
  ['stdw [%r10-16], 0xab', '7a 0a f0 ff ab 00 00 00'],
  ['stxb [%r1], %r2', '73 21 00 00 00 00 00 00'],
  ['jeq %r1, 0x80000000, +1', '15 01 01 00 00 00 00 80'],
  ['jne32 %r1, %r2, -2', '5e 21 fe ff 00 00 00 00'],
  ['ja +3', '05 00 03 00 00 00 00 00'],
  ['neg32 %r0', '84 00 00 00 00 00 00 00'],
  ['sdiv %r0, 3', '37 00 01 00 03 00 00 00'],
  ['smod32 %r0, %r1', '9c 10 01 00 00 00 00 00'],
  ['movsx1664 %r0, %r1', 'bf 10 10 00 00 00 00 00'],
  ['movsx832 %r0, %r1', 'bc 10 08 00 00 00 00 00'],
  ['be32 %r0', 'dc 00 00 00 20 00 00 00'],
  ['swap16 %r0', 'd7 00 00 00 10 00 00 00'],
  ['bswap64 %r0', 'd7 00 00 00 40 00 00 00'],
  ['lock add32 [%r10-4], %r1', 'c3 1a fc ff 00 00 00 00'],
  ['lock fetch or [%r10-8], %r3', 'db 3a f8 ff 41 00 00 00'],
  ['lock xchg32 [%r10-8], %r1', 'c3 1a f8 ff e1 00 00 00'],
  ['lock cmpxchg [%r10-8], %r1', 'db 1a f8 ff f1 00 00 00'],
  ['call %r2', '8d 02 00 00 00 00 00 00'],
  // directives and decorations
  ['.raw 0x5566778800000018', '18 00 00 00 88 77 66 55'],
  ['      12:\t15 00 02 00 00 00 00 00\tif r0 == 0 goto +2 <LBB0_2>', '15 00 02 00 00 00 00 00'],
  ['r0 = 1 # a comment', 'b7 00 00 00 01 00 00 00'],
  ['   3: (85) call bpf_map_lookup_elem#1', '85 00 00 00 01 00 00 00'],
  ['   4: (15) if r0 == 0x0 goto pc+2', '15 00 02 00 00 00 00 00'],
  ['   5: (05) goto pc-3', '05 00 fd ff 00 00 00 00'],
  ['r0 = 1 // a comment', 'b7 00 00 00 01 00 00 00'],
];

describe('assemble: one instruction per row', () => {
  it.each(ROWS)('%s', (src, bytes) => {
    expect(hex(src)).toBe(bytes);
  });
});

describe('assemble: labels, maps and programs', () => {
  it('resolves forward and backward labels in both syntaxes', () => {
    const c = assemble('LBB0_1:\n  r1 += 1\n  if r1 < 10 goto LBB0_1\n  goto out\n  r0 = 2\nout:\n  exit\n');
    expect(c.insns.map((i) => i.off)).toEqual([0, -2, 1, 0, 0]);
    expect(c.labels.get('out')).toBe(4);
    const u = assemble('mov %r0, 0\nja32 L2\nL1:\nexit\nL2:\nja32 L1\n');
    expect(u.insns.map((i) => i.imm)).toEqual([0, 1, 0, -2]);
  });

  it('resolves a local call to a label and a callback reference', () => {
    const r = assemble('call local f\nr2 = func(f) ll\nexit\nf:\nr0 = 1\nexit');
    expect(r.insns[0].imm).toBe(3);
    expect(r.insns[1].imm).toBe(2);
    expect(assemble('call f\nexit\nf: exit').insns[0]).toMatchObject({ src: 1, imm: 1 });
  });

  it('jumps to the undefined label exit land on the last slot, as in the conformance suite', () => {
    expect(assemble('jne %r0, 2, exit\nmov %r0, 1\nexit').insns[0].off).toBe(1);
  });

  it('numbers named maps in order of first use', () => {
    const r = assemble('r1 = map[counts] ll\nr2 = map[starts] ll\nr3 = map_value[counts] + 8 ll\nexit');
    expect(r.maps).toEqual(['counts', 'starts']);
    expect([r.insns[0].imm, r.insns[2].imm, r.insns[4].imm, r.insns[5].imm]).toEqual([0, 1, 0, 8]);
    expect([r.insns[0].src, r.insns[4].src]).toEqual([1, 2]);
  });

  it('reads llvm-objdump -dr output, relocations naming maps', () => {
    const listing = [
      't.o:\tfile format elf64-bpf',
      '',
      'Disassembly of section kprobe/x:',
      '',
      '0000000000000000 <prog>:',
      '       0:\tbf 16 00 00 00 00 00 00\tr6 = r1',
      '       1:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0 ll',
      '\t\t0000000000000008:  R_BPF_64_64\tcounts',
      '       3:\t15 00 01 00 00 00 00 00\tif r0 == 0 goto +1 <LBB0_2>',
      '       4:\t95 00 00 00 00 00 00 00\texit',
      '',
      '0000000000000028 <LBB0_2>:',
      '       5:\t95 00 00 00 00 00 00 00\texit',
    ].join('\n');
    const r = assemble(listing);
    expect(r.insns).toHaveLength(6);
    expect(r.maps).toEqual(['counts']);
    expect(r.insns[1].src).toBe(1);
    expect(r.labels.get('LBB0_2')).toBe(5);
    expect(r.lines).toEqual([6, 7, 7, 9, 10, 13]);
  });
});

describe('assemble: errors name the line', () => {
  const ERRORS: [string, string][] = [
    ['r0 = 1\nr11 = 2', "line 2: unknown register 'r11'"],
    ['mov %r0, 1\nfoo %r0', "line 2: unknown mnemonic 'foo'"],
    ['goto nowhere', "line 1: unknown label 'nowhere'"],
    ['r0 = 0x100000000', 'line 1: immediate 0x100000000 does not fit in 32 bits'],
    ['r0 = *(u32 *)(r1 + 40000)', 'line 1: offset 40000 does not fit in 16 bits'],
    ['x:\nx:\nexit', "line 2: label 'x' defined twice"],
    ['add32 %r0', "line 1: 'add32' takes 2 operands, got 1"],
    ['r0 = *(u128 *)(r1 + 0)', "line 1: unknown access type 'u128'"],
    ['lock *(u8 *)(r1 + 0) += r2', 'line 1: atomic operations work on u32 or u64, not u8'],
    ['w1 = 5 ll', "line 1: a 64-bit immediate load needs an r register, got 'w1'"],
    ['\n\nr0 ==== 1', "line 3: cannot parse the right-hand side '=== 1'"],
  ];
  it.each(ERRORS)('%j', (src, message) => {
    expect(() => assemble(src)).toThrow(AsmError);
    expect(() => assemble(src)).toThrow(message);
  });
});
