// Hash maps: HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH. Each element is one
// allocation in the shared memory holding the key, then the value (one copy per CPU for
// the per-CPU kinds, each rounded up to 8 bytes), so lookup hands the program a real
// pointer. Iteration follows insertion order (stable while the map is unchanged);
// LRU maps also keep a recency list: lookups and updates refresh an element, and an
// insert into a full map evicts the least recently used one (exactly, where the kernel
// approximates with per-CPU lists). Updating an existing key overwrites its value in place.
import { Region } from '../memory/memory';
import { MapType, UpdateFlag, type MapSpec } from './types';
import { BpfMap, E2BIG, EEXIST, EINVAL, ENOENT, ENOMEM, MapError, round8, type MapHost } from './map';

interface Entry {
  key: string;
  /** Linear offset of the key; the value starts at lin + keyRound. */
  lin: number;
  /** Kernel address of CPU 0's value. */
  addr: bigint;
  older: Entry | null;
  newer: Entry | null;
}

const UNITS: number[] = [];

/** A string key for bytes (two bytes per UTF-16 unit), built in one call so that it is a flat string. */
function keyOf(u8: Uint8Array, lin: number, size: number): string {
  if (size > 8192) return new TextDecoder('latin1').decode(u8.subarray(lin, lin + size));
  const n = size >> 1;
  UNITS.length = n + (size & 1);
  for (let i = 0; i < n; i++) UNITS[i] = u8[lin + 2 * i] | (u8[lin + 2 * i + 1] << 8);
  if (size & 1) UNITS[n] = u8[lin + size - 1];
  return String.fromCharCode.apply(null, UNITS);
}

export class HashMap extends BpfMap {
  private readonly table = new Map<string, Entry>();
  private readonly keyRound: number;
  private readonly valueRound: number;
  override readonly perCpu: boolean;
  readonly lru: boolean;
  /** LRU list ends: oldest is evicted first. */
  private oldest: Entry | null = null;
  private newest: Entry | null = null;

  constructor(spec: MapSpec, host: MapHost) {
    super(spec, host);
    if (spec.keySize <= 0 || spec.valueSize <= 0 || spec.maxEntries <= 0) throw new MapError(`${spec.name}: hash maps need key size, value size and max_entries > 0`);
    this.perCpu = spec.type === MapType.PERCPU_HASH || spec.type === MapType.LRU_PERCPU_HASH;
    this.lru = spec.type === MapType.LRU_HASH || spec.type === MapType.LRU_PERCPU_HASH;
    this.keyRound = round8(spec.keySize);
    this.valueRound = round8(spec.valueSize);
  }

  private get cpus(): number {
    return this.perCpu ? this.host.nrCpus : 1;
  }

  private valueLin(e: Entry, cpu: number): number {
    return e.lin + this.keyRound + (this.perCpu ? cpu * this.valueRound : 0);
  }

  private touch(e: Entry): void {
    if (!this.lru || this.newest === e) return;
    this.unlink(e);
    e.older = this.newest;
    e.newer = null;
    if (this.newest) this.newest.newer = e;
    this.newest = e;
    this.oldest ??= e;
  }

  private unlink(e: Entry): void {
    if (e.older) e.older.newer = e.newer;
    else if (this.oldest === e) this.oldest = e.newer;
    if (e.newer) e.newer.older = e.older;
    else if (this.newest === e) this.newest = e.older;
    e.older = e.newer = null;
  }

  private remove(e: Entry): void {
    this.table.delete(e.key);
    if (this.lru) this.unlink(e);
    this.mem.free(e.lin);
  }

  protected override freeStorage(): void {
    for (const e of [...this.table.values()]) this.remove(e);
    if (this.scratchLin >= 0) this.mem.free(this.scratchLin);
  }

  /** Finds or creates the element for the key at keyLin; returns it, or a negative errno. */
  private upsert(keyLin: number, flags: number): Entry | number {
    if (flags > UpdateFlag.EXIST || flags < 0) return -EINVAL;
    const mem = this.mem;
    const key = keyOf(mem.u8, keyLin, this.spec.keySize);
    const found = this.table.get(key);
    if (found) {
      if (flags === UpdateFlag.NOEXIST) return -EEXIST;
      this.touch(found);
      return found;
    }
    if (flags === UpdateFlag.EXIST) return -ENOENT;
    if (this.table.size >= this.spec.maxEntries) {
      if (!this.lru || !this.oldest) return -E2BIG;
      this.remove(this.oldest);
    }
    let lin: number;
    try {
      lin = mem.alloc(this.keyRound + this.valueRound * this.cpus, Region.MAP);
    } catch (e) {
      if (e instanceof RangeError) return -ENOMEM;
      throw e;
    }
    mem.u8.copyWithin(lin, keyLin, keyLin + this.spec.keySize);
    const e: Entry = { key, lin, addr: mem.addr(lin + this.keyRound), older: null, newer: null };
    this.table.set(key, e);
    this.touch(e);
    return e;
  }

  override lookupElem(keyLin: number, cpu: number): bigint {
    const e = this.table.get(keyOf(this.mem.u8, keyLin, this.spec.keySize));
    if (!e) return 0n;
    this.touch(e);
    return this.perCpu ? e.addr + BigInt(cpu * this.valueRound) : e.addr;
  }

  override updateElem(keyLin: number, valueLin: number, flags: number, cpu: number): number {
    const e = this.upsert(keyLin, flags);
    if (typeof e === 'number') return e;
    const at = this.valueLin(e, cpu);
    this.mem.u8.copyWithin(at, valueLin, valueLin + this.spec.valueSize);
    return 0;
  }

  override deleteElem(keyLin: number): number {
    const e = this.table.get(keyOf(this.mem.u8, keyLin, this.spec.keySize));
    if (!e) return -ENOENT;
    this.remove(e);
    return 0;
  }

  override forEachElem(cpu: number, visit: (keyLin: number, valueLin: number) => boolean): number {
    let n = 0;
    for (const e of [...this.table.values()]) {
      if (!this.table.has(e.key)) continue;
      n++;
      if (visit(e.lin, this.valueLin(e, cpu))) break;
    }
    return n;
  }

  /** Copies host bytes into a scratch allocation so that host calls share the program paths. */
  private withKey<T>(key: Uint8Array, f: (keyLin: number) => T): T {
    if (key.length !== this.spec.keySize) throw new MapError(`${this.spec.name}: key of ${key.length} bytes, expected ${this.spec.keySize}`);
    return f(this.scratch(key));
  }

  private scratchLin = -1;
  private scratch(bytes: Uint8Array): number {
    if (this.scratchLin < 0) this.scratchLin = this.mem.alloc(this.keyRound, Region.KERNEL);
    this.mem.u8.set(bytes, this.scratchLin);
    return this.scratchLin;
  }

  private find(key: Uint8Array): Entry | undefined {
    return this.withKey(key, (keyLin) => this.table.get(keyOf(this.mem.u8, keyLin, this.spec.keySize)));
  }

  override lookup(key: Uint8Array): Uint8Array | undefined {
    const e = this.find(key);
    return e && this.mem.readBytes(this.valueLin(e, 0), this.spec.valueSize);
  }

  /** Every CPU's value under key (one entry for non-per-CPU maps), or undefined. */
  override lookupPerCpu(key: Uint8Array): Uint8Array[] | undefined {
    const e = this.find(key);
    if (!e) return undefined;
    return Array.from({ length: this.cpus }, (_, cpu) => this.mem.readBytes(this.valueLin(e, cpu), this.spec.valueSize));
  }

  /**
   * Host update. For per-CPU maps `value` is either one value (copied to every CPU) or
   * nrCpus values each rounded up to 8 bytes, as the bpf syscall takes them.
   */
  override update(key: Uint8Array, value: Uint8Array, flags = 0): number {
    const vs = this.spec.valueSize;
    const all = this.perCpu && value.length === this.valueRound * this.cpus;
    if (!all && value.length !== vs) throw new MapError(`${this.spec.name}: value of ${value.length} bytes, expected ${vs}`);
    return this.withKey(key, (keyLin) => {
      const e = this.upsert(keyLin, flags);
      if (typeof e === 'number') return e;
      for (let cpu = 0; cpu < this.cpus; cpu++) this.mem.u8.set(all ? value.subarray(cpu * this.valueRound, cpu * this.valueRound + vs) : value, this.valueLin(e, cpu));
      return 0;
    });
  }

  override delete(key: Uint8Array): number {
    const e = this.find(key);
    if (!e) return -ENOENT;
    this.remove(e);
    return 0;
  }

  override *keys(): IterableIterator<Uint8Array> {
    for (const e of [...this.table.values()]) yield this.mem.readBytes(e.lin, this.spec.keySize);
  }

  override get size(): number {
    return this.table.size;
  }

  /** Keys from least to most recently used (LRU maps; insertion order otherwise). */
  *recency(): IterableIterator<Uint8Array> {
    if (!this.lru) yield* this.keys();
    for (let e = this.oldest; e; e = e.newer) yield this.mem.readBytes(e.lin, this.spec.keySize);
  }
}
