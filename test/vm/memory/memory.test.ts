// The shared address space: allocation, addresses, bounds checks, the probe_read family's
// fault semantics, and per-process user mappings.
import { describe, expect, it } from 'vitest';
import { EFAULT, KERNEL_PREFIX, Memory, PAGE_SIZE, Region, VMALLOC_PREFIX } from '../../../vm/memory/memory';
import { UserSpace } from '../../../vm/memory/user-space';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('allocation and addresses', () => {
  it('never hands out the first 64 KiB, aligns to 8 and zeroes', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const a = m.alloc(3, Region.KERNEL);
    const b = m.alloc(100, Region.MAP);
    expect(a).toBeGreaterThanOrEqual(65536);
    expect(a % 8).toBe(0);
    expect(b % 8).toBe(0);
    m.u8.fill(0xaa, a, a + 3);
    m.free(a);
    const c = m.alloc(3, Region.KERNEL);
    expect(c).toBe(a); // slab reuse
    expect([...m.readBytes(c, 3)]).toEqual([0, 0, 0]);
  });
  it('gives kernel-looking addresses by region', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const k = m.alloc(16, Region.KERNEL);
    const v = m.alloc(16, Region.MAP);
    expect(m.addr(k) >> 32n).toBe(BigInt(KERNEL_PREFIX));
    expect(m.addr(v) >> 32n).toBe(BigInt(VMALLOC_PREFIX));
    expect(m.addr(m.allocPages(1, Region.USER))).toBe(0n);
    expect(m.kernelLin(m.addr(k), 16)).toBe(k);
  });
  it('rejects wrong prefixes, unmapped pages, NULL and ranges running off a mapping', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const k = m.allocPages(1, Region.KERNEL);
    const addr = m.addr(k);
    const ROWS: [string, bigint, number, boolean][] = [
      ['whole page', addr, PAGE_SIZE, true],
      ['last byte', addr + 4095n, 1, true],
      ['one past the page', addr + 4095n, 2, false],
      ['vmalloc prefix on a kernel page', (BigInt(VMALLOC_PREFIX) << 32n) | BigInt(k), 8, false],
      ['NULL', 0n, 8, false],
      ['beyond the memory', addr + (1n << 30n), 8, false],
    ];
    for (const [name, a, len, ok] of ROWS) expect(m.kernelLin(a, len) >= 0, name).toBe(ok);
  });
  it('unmaps freed pages and reuses them zeroed', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const p = m.alloc(3 * PAGE_SIZE, Region.MAP);
    const addr = m.addr(p);
    m.u8[p] = 7;
    m.free(p);
    expect(m.kernelLin(addr, 1)).toBe(-1);
    const q = m.alloc(3 * PAGE_SIZE, Region.MAP);
    expect(q).toBe(p);
    expect(m.u8[q]).toBe(0);
    expect(() => m.free(12345)).toThrow(RangeError);
  });
  it('grows the buffer on demand up to its maximum', () => {
    const m = new Memory({ initialBytes: 64 << 10, maxBytes: 1 << 20 });
    const before = m.size;
    m.allocPages(100, Region.KERNEL);
    expect(m.size).toBeGreaterThan(before);
    expect(() => m.allocPages(1000, Region.KERNEL)).toThrow(/exhausted/);
  });
  it('guards pages on both sides of a guarded allocation', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const s = m.allocGuarded(1, Region.STACK);
    expect(m.kindAt(s)).toBe(Region.STACK);
    expect(m.kindAt(s - 1)).toBe(Region.NONE);
    expect(m.kindAt(s + PAGE_SIZE)).toBe(Region.NONE);
  });
  it('reads and writes typed values, pointers and C strings', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const a = m.alloc(64, Region.KERNEL);
    m.writeU64(a, -1n);
    expect(m.readU64(a)).toBe(0xffffffffffffffffn);
    m.writePtr(a, a);
    expect(m.readU64(a)).toBe(m.addr(a));
    m.writeNum64(a + 8, 2 ** 40 + 5);
    expect(m.readU64(a + 8)).toBe(2n ** 40n + 5n);
    m.writeCString(a + 16, 'hello world', 6);
    expect(m.readCString(a + 16, 64)).toBe('hello');
  });
});

describe('probe_read semantics', () => {
  function world() {
    const m = new Memory({ initialBytes: 1 << 20 });
    const dst = m.alloc(64, Region.STACK);
    const k = m.allocPages(1, Region.KERNEL);
    m.u8.set(enc('kernel\0'), k);
    m.u8.set(enc('tail'), k + PAGE_SIZE - 4); // a string running into an unmapped page
    const u = new UserSpace(m);
    const a = u.map(0x7f0000000000, PAGE_SIZE, 'a');
    const b = u.map(0x7f0000001000, PAGE_SIZE, 'b'); // adjacent, not linear-contiguous
    m.u8.set(enc('ABCD'), a + PAGE_SIZE - 4);
    m.u8.set(enc('EFGH\0'), b);
    return { m, dst, kaddr: m.addr(k), u };
  }
  it('reads kernel and user memory, by space or by address', () => {
    const { m, dst, kaddr, u } = world();
    expect(m.probeRead(dst, 6, kaddr, 'kernel', null)).toBe(0);
    expect(m.readCString(dst, 6)).toBe('kernel');
    expect(m.probeRead(dst, 8, 0x7f0000000ffcn, 'user', u)).toBe(0);
    expect(m.readCString(dst, 8)).toBe('ABCDEFGH');
    expect(m.probeRead(dst, 2, 0x7f0000001000n, 'any', u)).toBe(0);
  });
  const FAULTS: [string, bigint, 'kernel' | 'user' | 'any', boolean][] = [
    ['user address as kernel', 0x7f0000001000n, 'kernel', true],
    ['kernel address as user', 0xffff888100000000n, 'user', true],
    ['unmapped user address', 0x7f0000005000n, 'user', true],
    ['user read without a process', 0x7f0000001000n, 'user', false],
    ['NULL', 0n, 'any', true],
  ];
  it.each(FAULTS)('faults with a zero-filled destination: %s', (_n, src, space, withUser) => {
    const { m, dst, u } = world();
    m.u8.fill(0x55, dst, dst + 8);
    expect(m.probeRead(dst, 8, src, space, withUser ? u : null)).toBe(-EFAULT);
    expect([...m.readBytes(dst, 8)]).toEqual(new Array(8).fill(0));
  });
  it('faults when a range runs off a mapping', () => {
    const { m, dst, kaddr } = world();
    expect(m.probeRead(dst, 8, kaddr + 4092n, 'kernel', null)).toBe(-EFAULT);
  });
  it('reads strings: length with the NUL, truncation, and faults', () => {
    const { m, dst, kaddr, u } = world();
    expect(m.probeReadStr(dst, 64, kaddr, 'kernel', null)).toBe(7);
    expect(m.readCString(dst, 64)).toBe('kernel');
    expect(m.probeReadStr(dst, 4, kaddr, 'kernel', null)).toBe(4);
    expect(m.readCString(dst, 64)).toBe('ker');
    expect(m.probeReadStr(dst, 1, kaddr, 'kernel', null)).toBe(1);
    expect(m.probeReadStr(dst, 16, 0x7f0000000ffcn, 'user', u)).toBe(9); // across two mappings
    expect(m.readCString(dst, 16)).toBe('ABCDEFGH');
    m.u8.fill(0x55, dst, dst + 16);
    expect(m.probeReadStr(dst, 16, kaddr + 4092n, 'kernel', null)).toBe(-EFAULT); // runs into an unmapped page
    expect([...m.readBytes(dst, 16)]).toEqual(new Array(16).fill(0));
    expect(m.probeReadStr(dst, 0, kaddr, 'kernel', null)).toBe(0);
  });
});

describe('user space', () => {
  it('maps, finds, translates and clears', () => {
    const m = new Memory({ initialBytes: 1 << 20 });
    const u = new UserSpace(m);
    const lin = u.map(0x555555554000, 3 * PAGE_SIZE, '/usr/bin/bash');
    u.map(0x7ffffffde000, PAGE_SIZE, '[stack]');
    expect(u.mappings.map((x) => x.name)).toEqual(['/usr/bin/bash', '[stack]']);
    expect(u.find(0x555555555000)?.name).toBe('/usr/bin/bash');
    expect(u.translate(0x555555555010, 8)).toBe(lin + PAGE_SIZE + 0x10);
    expect(u.translate(0x555555557ffc, 8)).toBe(-1);
    expect(u.translate(0x1000, 1)).toBe(-1);
    u.clear();
    expect(u.mappings).toEqual([]);
    expect(m.kindAt(lin)).toBe(Region.NONE);
  });
  const BAD: [string, number, number][] = [
    ['unaligned', 0x555555554001, PAGE_SIZE],
    ['empty', 0x555555554000, 0],
    ['page zero', 0, PAGE_SIZE],
    ['beyond user space', 0x7ffffffff000, 2 * PAGE_SIZE],
  ];
  it.each(BAD)('refuses a bad mapping: %s', (_n, start, size) => {
    const u = new UserSpace(new Memory({ initialBytes: 1 << 20 }));
    expect(() => u.map(start, size, 'x')).toThrow(RangeError);
  });
  it('refuses overlapping mappings', () => {
    const u = new UserSpace(new Memory({ initialBytes: 1 << 20 }));
    u.map(0x400000, 2 * PAGE_SIZE, 'a');
    expect(() => u.map(0x401000, PAGE_SIZE, 'b')).toThrow(/overlaps/);
  });
});
