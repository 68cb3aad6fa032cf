// STACK_TRACE: get_stackid's store. Keys are u32 stack ids, values arrays of u64
// instruction pointers (value_size / 8 frames at most, zero-padded). The id is a hash of
// the frames (FNV-1a here, jhash in the kernel) modulo the bucket count, max_entries
// rounded up to a power of two; a different stack already in the bucket makes
// get_stackid fail with -EEXIST unless BPF_F_REUSE_STACKID is given.
import { Region } from '../memory/memory';
import { StackFlag, type MapSpec } from './types';
import { BpfMap, EEXIST, EFAULT, EINVAL, ENOENT, MapError, type MapHost } from './map';

export class StackTraceMap extends BpfMap {
  readonly buckets: number;
  private readonly depth: number;
  private readonly valuesLin: number;
  /** Frames stored per bucket (undefined: empty). */
  private readonly stored: (readonly bigint[] | undefined)[];

  constructor(spec: MapSpec, host: MapHost) {
    super(spec, host);
    if (spec.keySize !== 4) throw new MapError(`${spec.name}: stack trace maps need a 4-byte key`);
    if (spec.valueSize <= 0 || spec.valueSize % 8 !== 0) throw new MapError(`${spec.name}: stack trace values must be a positive multiple of 8 bytes`);
    if (spec.maxEntries <= 0) throw new MapError(`${spec.name}: stack trace maps need max_entries > 0`);
    this.buckets = 1 << Math.ceil(Math.log2(spec.maxEntries));
    this.depth = spec.valueSize / 8;
    this.valuesLin = host.mem.alloc(this.buckets * spec.valueSize, Region.MAP);
    this.stored = new Array(this.buckets);
  }

  protected override freeStorage(): void {
    this.mem.free(this.valuesLin);
  }

  /** Stores a stack (innermost first) and returns its id, or a negative errno. */
  getStackId(frames: readonly bigint[], flags: number): number {
    if (flags & ~(StackFlag.SKIP_MASK | StackFlag.USER_STACK | StackFlag.FAST_STACK_CMP | StackFlag.REUSE_STACKID)) return -EINVAL;
    const ips = frames.slice(flags & StackFlag.SKIP_MASK, (flags & StackFlag.SKIP_MASK) + this.depth);
    if (ips.length === 0) return -EFAULT;
    let h = 0x811c9dc5;
    for (const ip of ips) {
      for (let k = 0n; k < 64n; k += 8n) h = Math.imul(h ^ Number((ip >> k) & 0xffn), 0x01000193);
    }
    const id = (h >>> 0) & (this.buckets - 1);
    const old = this.stored[id];
    if (old && !(old.length === ips.length && old.every((v, i) => v === ips[i]))) {
      if (!(flags & StackFlag.REUSE_STACKID)) return -EEXIST;
    }
    this.stored[id] = ips;
    const at = this.valuesLin + id * this.spec.valueSize;
    this.mem.u8.fill(0, at, at + this.spec.valueSize);
    ips.forEach((ip, i) => this.mem.writeU64(at + i * 8, ip));
    return id;
  }

  /** The frames stored under an id, or undefined. */
  frames(id: number): readonly bigint[] | undefined {
    return id >= 0 && id < this.buckets ? this.stored[id] : undefined;
  }

  override lookup(key: Uint8Array): Uint8Array | undefined {
    const id = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, true);
    if (!this.frames(id)) return undefined;
    return this.mem.readBytes(this.valuesLin + id * this.spec.valueSize, this.spec.valueSize);
  }

  override delete(key: Uint8Array): number {
    const id = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, true);
    if (!this.frames(id)) return -ENOENT;
    this.stored[id] = undefined;
    return 0;
  }

  override deleteElem(keyLin: number): number {
    return this.delete(this.mem.readBytes(keyLin, 4));
  }

  override *keys(): IterableIterator<Uint8Array> {
    for (let id = 0; id < this.buckets; id++) {
      if (!this.stored[id]) continue;
      const k = new Uint8Array(4);
      new DataView(k.buffer).setUint32(0, id, true);
      yield k;
    }
  }
}
