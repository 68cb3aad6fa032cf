// The base of every live map: its spec, its kernel object (a small `struct bpf_map`-like
// record in kernel memory whose address is what `lddw` with a map reference loads), and
// the two faces of the API: program-side operations on linear offsets of the shared
// memory (used by helpers, so that lookup returns a real pointer) and host-side
// operations on byte arrays (used by the runtime to read and clear maps). Value decoding
// is not here: callers get bytes.
import { Region, type Memory } from '../memory/memory';
import type { MapSpec } from './types';

export const ENOENT = 2;
export const E2BIG = 7;
export const ENOMEM = 12;
export const EEXIST = 17;
export const EINVAL = 22;
export const ENOSPC = 28;
export const EFAULT = 14;
export const EBUSY = 16;
export const EOPNOTSUPP = 95;

/** A map spec the kernel would refuse (bad sizes, flags or entry count). */
export class MapError extends Error {}

/** Offsets of the fields written into a map's kernel object (as in `struct bpf_map`). */
export const MAP_OBJECT = { TYPE: 24, KEY_SIZE: 28, VALUE_SIZE: 32, MAX_ENTRIES: 36, SIZE: 64 } as const;

export const round8 = (n: number): number => (n + 7) & ~7;

/** What maps need from the machine they live on. */
export interface MapHost {
  mem: Memory;
  nrCpus: number;
}

export abstract class BpfMap {
  /** Linear offset of the map's kernel object. */
  readonly lin: number;
  /** Its kernel address: what `lddw rN, map` loads. */
  readonly addr: bigint;

  constructor(
    readonly spec: MapSpec,
    protected readonly host: MapHost,
  ) {
    const mem = host.mem;
    this.lin = mem.alloc(MAP_OBJECT.SIZE, Region.KERNEL);
    mem.writeU32(this.lin + MAP_OBJECT.TYPE, spec.type);
    mem.writeU32(this.lin + MAP_OBJECT.KEY_SIZE, spec.keySize);
    mem.writeU32(this.lin + MAP_OBJECT.VALUE_SIZE, spec.valueSize);
    mem.writeU32(this.lin + MAP_OBJECT.MAX_ENTRIES, spec.maxEntries);
    this.addr = mem.addr(this.lin);
  }

  get mem(): Memory {
    return this.host.mem;
  }

  /** True once free() has returned the map's memory. */
  freed = false;

  /**
   * Returns the map's memory (its kernel object, values and elements) to the machine, as
   * the kernel frees a map when its last reference goes. The map must not be used after.
   */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.freeStorage();
    this.mem.free(this.lin);
  }

  /** Frees what the map kind allocated besides its kernel object. */
  protected freeStorage(): void {}

  // ---- program side: keys and values as linear offsets; results as the helpers return them ----

  /** bpf_map_lookup_elem: the kernel address of the value for `cpu`, or 0n. */
  lookupElem(_keyLin: number, _cpu: number): bigint {
    return 0n;
  }

  /** bpf_map_update_elem: 0 or a negative errno. */
  updateElem(_keyLin: number, _valueLin: number, _flags: number, _cpu: number): number {
    return -EOPNOTSUPP;
  }

  /** bpf_map_delete_elem: 0 or a negative errno. */
  deleteElem(_keyLin: number): number {
    return -EOPNOTSUPP;
  }

  /** Visits elements for bpf_for_each_map_elem: calls visit(keyLin, valueLin) until it returns true (stop); returns the number visited. */
  forEachElem(_cpu: number, _visit: (keyLin: number, valueLin: number) => boolean): number {
    return -EOPNOTSUPP;
  }

  // ---- host side: bytes in, bytes out ----

  /** True for the per-CPU kinds, whose values lookupPerCpu reads one per CPU. */
  readonly perCpu: boolean = false;

  /** The value under key (for per-CPU maps, CPU 0's; see lookupPerCpu), or undefined. */
  lookup(_key: Uint8Array): Uint8Array | undefined {
    return undefined;
  }

  /** Every CPU's value under key (a single value for maps that are not per-CPU), or undefined. */
  lookupPerCpu(key: Uint8Array): Uint8Array[] | undefined {
    const v = this.lookup(key);
    return v && [v];
  }

  /** Creates or replaces an element; returns 0 or a negative errno (as the bpf syscall does). */
  update(_key: Uint8Array, _value: Uint8Array, _flags = 0): number {
    return -EOPNOTSUPP;
  }

  delete(_key: Uint8Array): number {
    return -EOPNOTSUPP;
  }

  /** The key after `key` in the map's iteration order (the first key for undefined or a missing key), or undefined at the end. */
  nextKey(key?: Uint8Array): Uint8Array | undefined {
    let take = key === undefined;
    let first: Uint8Array | undefined;
    for (const k of this.keys()) {
      first ??= k;
      if (take) return k;
      if (key && sameBytes(k, key)) take = true;
    }
    return take || key === undefined ? undefined : first;
  }

  /** Keys in a stable order (insertion order for hashes, index order for arrays). */
  *keys(): IterableIterator<Uint8Array> {}

  /** Key and value pairs in keys() order. */
  *entries(): IterableIterator<[Uint8Array, Uint8Array]> {
    for (const k of this.keys()) {
      const v = this.lookup(k);
      if (v) yield [k, v];
    }
  }

  /** Removes every element (as bpftrace's clear() does). */
  clear(): void {
    for (const k of [...this.keys()]) this.delete(k);
  }

  /** Number of elements present. */
  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sums per-CPU values lane by lane as little-endian u64s (for count/sum maps). */
export function sumU64(values: readonly Uint8Array[]): bigint[] {
  const lanes = values.length ? Math.floor(values[0].length / 8) : 0;
  const out = new Array<bigint>(lanes).fill(0n);
  for (const v of values) {
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    for (let i = 0; i < lanes; i++) out[i] = BigInt.asUintN(64, out[i] + dv.getBigUint64(i * 8, true));
  }
  return out;
}
