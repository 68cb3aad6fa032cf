// Array maps: ARRAY and PERCPU_ARRAY. Keys are u32 indices below max_entries; every
// value exists from creation (zeroed), laid out contiguously in the shared memory with
// each value rounded up to 8 bytes (per-CPU: the CPUs' copies of one index together).
// Elements cannot be deleted; BPF_NOEXIST always fails with -EEXIST.
import { Region } from '../memory/memory';
import { MapType, UpdateFlag, type MapSpec } from './types';
import { BpfMap, E2BIG, EEXIST, EINVAL, ENOENT, MapError, round8, type MapHost } from './map';

export class ArrayMap extends BpfMap {
  override readonly perCpu: boolean;
  private readonly valueRound: number;
  private readonly stride: number;
  /** Linear offset of index 0's (CPU 0's) value. */
  readonly valuesLin: number;
  private readonly base: bigint;

  constructor(spec: MapSpec, host: MapHost) {
    super(spec, host);
    if (spec.keySize !== 4) throw new MapError(`${spec.name}: array maps need a 4-byte key, got ${spec.keySize}`);
    if (spec.valueSize <= 0 || spec.maxEntries <= 0) throw new MapError(`${spec.name}: array maps need value size and max_entries > 0`);
    this.perCpu = spec.type === MapType.PERCPU_ARRAY;
    this.valueRound = round8(spec.valueSize);
    this.stride = this.valueRound * (this.perCpu ? host.nrCpus : 1);
    this.valuesLin = host.mem.alloc(this.stride * spec.maxEntries, Region.MAP);
    this.base = host.mem.addr(this.valuesLin);
  }

  private at(index: number, cpu: number): number {
    return this.valuesLin + index * this.stride + (this.perCpu ? cpu * this.valueRound : 0);
  }

  override lookupElem(keyLin: number, cpu: number): bigint {
    const index = this.mem.readU32(keyLin);
    if (index >= this.spec.maxEntries) return 0n;
    return this.base + BigInt(index * this.stride + (this.perCpu ? cpu * this.valueRound : 0));
  }

  private check(index: number, flags: number): number {
    if (flags > UpdateFlag.EXIST || flags < 0) return -EINVAL;
    if (index >= this.spec.maxEntries) return -E2BIG;
    if (flags === UpdateFlag.NOEXIST) return -EEXIST;
    return 0;
  }

  override updateElem(keyLin: number, valueLin: number, flags: number, cpu: number): number {
    const index = this.mem.readU32(keyLin);
    const err = this.check(index, flags);
    if (err) return err;
    const to = this.at(index, cpu);
    this.mem.u8.copyWithin(to, valueLin, valueLin + this.spec.valueSize);
    return 0;
  }

  override deleteElem(): number {
    return -EINVAL;
  }

  override forEachElem(cpu: number, visit: (keyLin: number, valueLin: number) => boolean): number {
    const keyLin = this.scratchKey();
    let n = 0;
    for (let i = 0; i < this.spec.maxEntries; i++) {
      this.mem.writeU32(keyLin, i);
      n++;
      if (visit(keyLin, this.at(i, cpu))) break;
    }
    return n;
  }

  protected override freeStorage(): void {
    this.mem.free(this.valuesLin);
    if (this.keyLin >= 0) this.mem.free(this.keyLin);
  }

  private keyLin = -1;
  private scratchKey(): number {
    if (this.keyLin < 0) this.keyLin = this.mem.alloc(8, Region.KERNEL);
    return this.keyLin;
  }

  private index(key: Uint8Array): number {
    if (key.length !== 4) throw new MapError(`${this.spec.name}: key of ${key.length} bytes, expected 4`);
    return new DataView(key.buffer, key.byteOffset, 4).getUint32(0, true);
  }

  override lookup(key: Uint8Array): Uint8Array | undefined {
    const i = this.index(key);
    return i < this.spec.maxEntries ? this.mem.readBytes(this.at(i, 0), this.spec.valueSize) : undefined;
  }

  override lookupPerCpu(key: Uint8Array): Uint8Array[] | undefined {
    const i = this.index(key);
    if (i >= this.spec.maxEntries) return undefined;
    const cpus = this.perCpu ? this.host.nrCpus : 1;
    return Array.from({ length: cpus }, (_, cpu) => this.mem.readBytes(this.at(i, cpu), this.spec.valueSize));
  }

  /** Host update; for per-CPU arrays `value` is one value for every CPU or nrCpus values rounded to 8 bytes. */
  override update(key: Uint8Array, value: Uint8Array, flags = 0): number {
    const i = this.index(key);
    const err = this.check(i, flags);
    if (err) return err;
    const cpus = this.perCpu ? this.host.nrCpus : 1;
    const vs = this.spec.valueSize;
    const all = this.perCpu && value.length === this.valueRound * cpus;
    if (!all && value.length !== vs) throw new MapError(`${this.spec.name}: value of ${value.length} bytes, expected ${vs}`);
    for (let cpu = 0; cpu < cpus; cpu++) this.mem.u8.set(all ? value.subarray(cpu * this.valueRound, cpu * this.valueRound + vs) : value, this.at(i, cpu));
    return 0;
  }

  override delete(): number {
    return -EINVAL;
  }

  /** Zeroes every value (arrays cannot lose elements). */
  override clear(): void {
    this.mem.u8.fill(0, this.valuesLin, this.valuesLin + this.stride * this.spec.maxEntries);
  }

  override *keys(): IterableIterator<Uint8Array> {
    for (let i = 0; i < this.spec.maxEntries; i++) {
      const k = new Uint8Array(4);
      new DataView(k.buffer).setUint32(0, i, true);
      yield k;
    }
  }

  override nextKey(key?: Uint8Array): Uint8Array | undefined {
    const i = key === undefined ? -1 : this.index(key);
    const next = i >= this.spec.maxEntries ? 0 : i + 1;
    if (next >= this.spec.maxEntries) return undefined;
    const k = new Uint8Array(4);
    new DataView(k.buffer).setUint32(0, next, true);
    return k;
  }

  override get size(): number {
    return this.spec.maxEntries;
  }
}

