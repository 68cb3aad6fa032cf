// Map semantics on the host-side API: flags, full maps, iteration order, LRU eviction,
// per-CPU values, stack ids, ring buffer and perf buffer behaviour.
import { describe, expect, it } from 'vitest';
import { Memory } from '../../../vm/memory/memory';
import { createMap } from '../../../vm/maps/create';
import { MapType, UpdateFlag, StackFlag, type MapSpec, type MapTypeId } from '../../../vm/maps/types';
import { E2BIG, EEXIST, EINVAL, ENOENT, MapError, sumU64 } from '../../../vm/maps/map';
import { HashMap } from '../../../vm/maps/hash';
import { ArrayMap } from '../../../vm/maps/array';
import { RingBuf } from '../../../vm/maps/ringbuf';
import { PerfEventArray } from '../../../vm/maps/perf-event-array';
import { StackTraceMap } from '../../../vm/maps/stack-trace';

const mem = new Memory({ initialBytes: 4 << 20 });
const host = { mem, nrCpus: 4 };
const spec = (type: MapTypeId, keySize: number, valueSize: number, maxEntries: number): MapSpec => ({ name: 'm', type, keySize, valueSize, maxEntries });
const u32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
const u64 = (n: bigint): Uint8Array => new Uint8Array(new BigUint64Array([n]).buffer);
const num = (b: Uint8Array | undefined): bigint | undefined => (b ? new DataView(b.buffer, b.byteOffset).getBigUint64(0, true) : undefined);

describe('hash maps: update flags', () => {
  // [description, existing?, flags, expected return]
  const ROWS: [string, boolean, number, number][] = [
    ['ANY creates', false, UpdateFlag.ANY, 0],
    ['ANY replaces', true, UpdateFlag.ANY, 0],
    ['NOEXIST creates', false, UpdateFlag.NOEXIST, 0],
    ['NOEXIST refuses an existing key', true, UpdateFlag.NOEXIST, -EEXIST],
    ['EXIST replaces', true, UpdateFlag.EXIST, 0],
    ['EXIST refuses a missing key', false, UpdateFlag.EXIST, -ENOENT],
    ['unknown flags', false, 7, -EINVAL],
  ];
  it.each(ROWS)('%s', (_d, existing, flags, want) => {
    const m = createMap(spec(MapType.HASH, 4, 8, 4), host);
    if (existing) m.update(u32(1), u64(10n));
    expect(m.update(u32(1), u64(20n), flags)).toBe(want);
    expect(num(m.lookup(u32(1)))).toBe(want === 0 ? 20n : existing ? 10n : undefined);
  });
});

describe('hash maps', () => {
  it('refuses a new key when full with E2BIG, but still replaces', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 2), host);
    expect([m.update(u32(1), u64(1n)), m.update(u32(2), u64(2n)), m.update(u32(3), u64(3n)), m.update(u32(1), u64(9n))]).toEqual([0, 0, -E2BIG, 0]);
    expect(m.size).toBe(2);
  });
  it('deletes, and reports missing keys', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 2), host);
    m.update(u32(1), u64(1n));
    expect([m.delete(u32(1)), m.delete(u32(1))]).toEqual([0, -ENOENT]);
    expect(m.lookup(u32(1))).toBeUndefined();
  });
  it('iterates in a stable order with get_next_key semantics', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 8), host);
    for (const k of [5, 3, 9]) m.update(u32(k), u64(BigInt(k)));
    const order: number[] = [];
    for (let k = m.nextKey(); k; k = m.nextKey(k)) order.push(new DataView(k.buffer).getUint32(0, true));
    expect(order).toEqual([5, 3, 9]);
    expect(m.nextKey(u32(42))).toEqual(u32(5)); // a missing key restarts from the first
    expect([...m.entries()].map(([, v]) => num(v))).toEqual([5n, 3n, 9n]);
  });
  it('keeps values in the shared memory at the address lookup returns', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 2), host) as HashMap;
    m.update(u32(7), u64(77n));
    const keyLin = mem.allocBytes(u32(7), 1);
    const addr = m.lookupElem(keyLin, 0);
    expect(addr >> 32n).toBe(0xffffc900n);
    expect(mem.readU64(mem.kernelLin(addr, 8))).toBe(77n);
  });
  it('checks key and value sizes on the host side', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 2), host);
    expect(() => m.update(u64(1n), u64(1n))).toThrow(MapError);
    expect(() => m.update(u32(1), u32(1))).toThrow(MapError);
  });
});

describe('LRU hash maps', () => {
  it('evicts the least recently used element when full', () => {
    const m = createMap(spec(MapType.LRU_HASH, 4, 8, 3), host) as HashMap;
    for (const k of [1, 2, 3]) m.update(u32(k), u64(BigInt(k)));
    const keyLin = mem.allocBytes(u32(1), 1);
    expect(m.lookupElem(keyLin, 0)).not.toBe(0n); // a program lookup refreshes 1
    expect(m.update(u32(4), u64(4n))).toBe(0); // evicts 2, the oldest
    expect([...m.keys()].map((k) => k[0]).sort()).toEqual([1, 3, 4]);
    expect([...m.recency()].map((k) => k[0])).toEqual([3, 1, 4]);
  });
});

describe('per-CPU maps', () => {
  it.each([
    ['percpu_hash', MapType.PERCPU_HASH],
    ['percpu_array', MapType.PERCPU_ARRAY],
    ['lru_percpu_hash', MapType.LRU_PERCPU_HASH],
  ] as const)('%s keeps one value per CPU, readable per CPU and summed', (_n, type) => {
    const m = createMap(spec(type, 4, 8, 4), host) as HashMap | ArrayMap;
    m.update(u32(1), u64(0n));
    const keyLin = mem.allocBytes(u32(1), 1);
    for (const cpu of [0, 1, 1, 3]) {
      const lin = mem.kernelLin(m.lookupElem(keyLin, cpu), 8);
      mem.writeU64(lin, mem.readU64(lin) + 5n);
    }
    const per = m.lookupPerCpu(u32(1))!;
    expect(per.map(num)).toEqual([5n, 10n, 0n, 5n]);
    expect(sumU64(per)).toEqual([20n]);
  });
  it('reads maps that are not per-CPU through the same API, as one value', () => {
    const m = createMap(spec(MapType.HASH, 4, 8, 4), host);
    m.update(u32(1), u64(6n));
    expect(m.perCpu).toBe(false);
    expect(m.lookupPerCpu(u32(1))!.map(num)).toEqual([6n]);
    expect(m.lookupPerCpu(u32(2))).toBeUndefined();
  });

  it('takes a host update of all CPUs at once', () => {
    const m = createMap(spec(MapType.PERCPU_HASH, 4, 4, 4), host) as HashMap;
    const all = new Uint8Array(32);
    all[0] = 1;
    all[8] = 2;
    all[16] = 3;
    all[24] = 4;
    expect(m.update(u32(1), all)).toBe(0);
    expect(m.lookupPerCpu(u32(1))!.map((v) => v[0])).toEqual([1, 2, 3, 4]);
  });
});

describe('array maps', () => {
  const ROWS: [string, number, number, number][] = [
    ['ANY in range', 3, UpdateFlag.ANY, 0],
    ['EXIST in range', 3, UpdateFlag.EXIST, 0],
    ['NOEXIST always exists', 3, UpdateFlag.NOEXIST, -EEXIST],
    ['out of range', 4, UpdateFlag.ANY, -E2BIG],
  ];
  it.each(ROWS)('update: %s', (_d, index, flags, want) => {
    const m = createMap(spec(MapType.ARRAY, 4, 8, 4), host);
    expect(m.update(u32(index), u64(1n), flags)).toBe(want);
  });
  it('has every element from creation, zeroed; cannot delete; iterates by index', () => {
    const m = createMap(spec(MapType.ARRAY, 4, 8, 3), host);
    expect(num(m.lookup(u32(2)))).toBe(0n);
    expect(m.lookup(u32(3))).toBeUndefined();
    expect(m.delete(u32(0))).toBe(-EINVAL);
    expect([m.nextKey(), m.nextKey(u32(0)), m.nextKey(u32(2)), m.nextKey(u32(99))]).toEqual([u32(0), u32(1), undefined, u32(0)]);
    m.update(u32(1), u64(5n));
    m.clear();
    expect(num(m.lookup(u32(1)))).toBe(0n);
  });
});

describe('map specs the kernel would refuse', () => {
  const BAD: [string, MapSpec][] = [
    ['array with an 8-byte key', spec(MapType.ARRAY, 8, 8, 1)],
    ['hash with no entries', spec(MapType.HASH, 4, 8, 0)],
    ['ringbuf not a power of two', spec(MapType.RINGBUF, 0, 0, 5000)],
    ['ringbuf with a key', spec(MapType.RINGBUF, 4, 0, 4096)],
    ['stack trace value not a multiple of 8', spec(MapType.STACK_TRACE, 4, 12, 16)],
    ['prog array', spec(MapType.PROG_ARRAY, 4, 4, 4)],
  ];
  it.each(BAD)('%s', (_d, s) => expect(() => createMap(s, host)).toThrow(MapError));
});

describe('stack trace maps', () => {
  it('gives the same id for the same stack, -EEXIST on collision unless REUSE_STACKID', () => {
    const m = createMap(spec(MapType.STACK_TRACE, 4, 8 * 4, 1), host) as StackTraceMap;
    const a = [0xffffffff81000010n, 0xffffffff81000020n];
    const b = [0xffffffff81000030n];
    const id = m.getStackId(a, 0);
    expect(id).toBe(0);
    expect(m.getStackId(a, 0)).toBe(id);
    expect(m.getStackId(b, 0)).toBe(-EEXIST);
    expect(m.getStackId(b, StackFlag.REUSE_STACKID)).toBe(0);
    expect(m.frames(0)).toEqual(b);
    const v = m.lookup(u32(0))!;
    expect(v.length).toBe(32);
    expect(num(v)).toBe(b[0]);
  });
  it('skips frames, truncates to the value size and fails on an empty stack', () => {
    const m = createMap(spec(MapType.STACK_TRACE, 4, 8 * 2, 64), host) as StackTraceMap;
    const id = m.getStackId([1n, 2n, 3n, 4n], 1);
    expect(m.frames(id)).toEqual([2n, 3n]);
    expect(m.getStackId([], 0)).toBe(-14);
  });
});

describe('ring buffers', () => {
  it('drains submitted records in order, skips discarded ones, stops at a busy one', () => {
    const r = createMap(spec(MapType.RINGBUF, 0, 0, 4096), host) as RingBuf;
    const a = r.reserve(3);
    const b = r.reserve(5);
    const c = r.reserve(1);
    mem.u8.set([1, 2, 3], a);
    r.commit(a, false);
    r.commit(b, true);
    const got: number[][] = [];
    expect(r.drain((d) => got.push([...d]))).toBe(1);
    expect(got).toEqual([[1, 2, 3]]);
    r.commit(c, false);
    expect(r.drain((d) => got.push([...d]))).toBe(1);
    expect(r.used).toBe(0);
  });
  it('counts lost events when full and wraps records with padding', () => {
    const r = createMap(spec(MapType.RINGBUF, 0, 0, 4096), host) as RingBuf;
    const big = r.reserve(3000);
    expect(r.reserve(2000)).toBe(-1);
    expect(r.lost).toBe(1);
    r.commit(big, false);
    expect(r.drain(() => {})).toBe(1);
    const wrapped = r.reserve(2000); // does not fit before the end: padding, then offset 0
    expect(wrapped).toBe(r.dataLin + 8);
    expect(r.commit(wrapped, false)).toBe(0);
    expect(r.drain((d) => expect(d.length).toBe(2000))).toBe(1);
    expect(r.commit(wrapped, false)).toBe(-EINVAL);
  });
});

describe('perf event arrays', () => {
  it('queues records per CPU, counts lost records when a buffer is full', () => {
    const p = new PerfEventArray(spec(MapType.PERF_EVENT_ARRAY, 4, 4, 2), host, 64);
    const src = mem.allocBytes(new Uint8Array([9, 8, 7, 6]), 1);
    expect(p.output(0xffffffffn, 1, src, 4)).toBe(0); // current CPU
    expect(p.output(0n, 1, src, 40)).toBe(0);
    expect(p.output(0n, 1, src, 40)).toBe(-28);
    expect(p.output(5n, 1, src, 4)).toBe(-E2BIG);
    expect(p.lost).toEqual([1, 0]);
    const got: [number, number][] = [];
    expect(p.drain((d, slot) => got.push([slot, d.length]))).toBe(2);
    expect(got).toEqual([[0, 40], [1, 4]]);
  });
});

describe('freeing maps', () => {
  // [kind, spec]: each is filled, freed, and made again many times.
  const ROWS: [string, MapSpec][] = [
    ['hash', spec(MapType.HASH, 8, 64, 1024)],
    ['per-CPU hash', spec(MapType.PERCPU_HASH, 8, 16, 1024)],
    ['LRU hash', spec(MapType.LRU_HASH, 8, 8, 16)],
    ['array', spec(MapType.ARRAY, 4, 4096, 64)],
    ['per-CPU array', spec(MapType.PERCPU_ARRAY, 4, 256, 8)],
    ['stack trace', spec(MapType.STACK_TRACE, 4, 127 * 8, 4096)],
    ['ring buffer', spec(MapType.RINGBUF, 0, 0, 1 << 18)],
    ['perf event array', spec(MapType.PERF_EVENT_ARRAY, 4, 4, 4)],
  ];
  const fill = (m: ReturnType<typeof createMap>): void => {
    if (m instanceof HashMap) for (let i = 0; i < 200; i++) m.update(u64(BigInt(i)), new Uint8Array(m.spec.valueSize).fill(1));
    else if (m instanceof ArrayMap) m.update(u32(1), new Uint8Array(m.spec.valueSize).fill(2));
    else if (m instanceof StackTraceMap) m.getStackId([0xffffffff81000000n, 0xffffffff81000010n], 0);
  };
  it.each(ROWS)('%s: memory returns when freed', (_d, s) => {
    const own = new Memory({ initialBytes: 4 << 20 });
    const h = { mem: own, nrCpus: 4 };
    // The first round may leave slab chunks mapped for reuse; later rounds reuse them.
    const first = createMap(s, h);
    fill(first);
    first.free();
    const steady = own.mappedBytes;
    for (let round = 0; round < 20; round++) {
      const m = createMap(s, h);
      fill(m);
      m.free();
      expect(m.freed).toBe(true);
      expect(own.mappedBytes).toBe(steady);
    }
  });

  it('a freed ring buffer unmaps its data pages, and the registry forgets it', async () => {
    const { MapRegistry } = await import('../../../vm/maps/create');
    const own = new Memory({ initialBytes: 4 << 20 });
    const before = own.mappedBytes;
    const r = createMap(spec(MapType.RINGBUF, 0, 0, 1 << 16), { mem: own, nrCpus: 1 }) as RingBuf;
    const reg = new MapRegistry();
    reg.add(r);
    expect(reg.at(r.addr)).toBe(r);
    expect(own.mappedBytes - before).toBeGreaterThanOrEqual(1 << 16);
    reg.remove(r);
    r.free();
    expect(reg.at(r.addr)).toBeUndefined();
    expect(reg.ringOwning(r.dataLin)).toBeUndefined();
    expect(own.mappedBytes - before).toBeLessThan(1 << 16);
  });
});
