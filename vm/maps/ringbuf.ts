// RINGBUF: a byte ring of max_entries bytes (a power of two, at least a page) in the
// shared memory. A record is an 8-byte header (u32 length with the BUSY and DISCARD
// bits, u32 reserved) followed by its data, padded to 8 bytes. reserve() hands the
// program a pointer to the data; submit()/discard() clear BUSY (and set DISCARD). The
// kernel maps the data pages twice so that a record may wrap; one linear buffer cannot,
// so a record that would wrap is preceded by a discarded padding record instead. A
// reservation that does not fit fails and counts one lost event; the host drains
// submitted records in order, stopping at the first still-busy one.
import { Region } from '../memory/memory';
import type { MapSpec } from './types';
import { BpfMap, EINVAL, MapError, round8, type MapHost } from './map';

export const RINGBUF_BUSY = 0x80000000;
export const RINGBUF_DISCARD = 0x40000000;
export const RINGBUF_HDR = 8;
const LEN_MASK = 0x0fffffff;

export class RingBuf extends BpfMap {
  /** Linear offset of the data area. */
  readonly dataLin: number;
  private readonly mask: number;
  /** Producer and consumer positions (byte counts since creation). */
  private prod = 0;
  private cons = 0;
  /** Records that could not be reserved or output. */
  lost = 0;

  constructor(spec: MapSpec, host: MapHost) {
    super(spec, host);
    const n = spec.maxEntries;
    if (spec.keySize !== 0 || spec.valueSize !== 0) throw new MapError(`${spec.name}: ring buffers take no key or value size`);
    if (n < 4096 || (n & (n - 1)) !== 0) throw new MapError(`${spec.name}: ring buffer size ${n} is not a power of two of at least 4096`);
    this.mask = n - 1;
    this.dataLin = host.mem.allocPages(n / 4096, Region.RINGBUF);
  }

  protected override freeStorage(): void {
    this.mem.freePages(this.dataLin, this.spec.maxEntries / 4096);
  }

  /** True when the linear offset lies in this ring's data area. */
  owns(lin: number): boolean {
    return lin >= this.dataLin && lin < this.dataLin + this.spec.maxEntries;
  }

  /** Bytes reserved or submitted and not yet drained. */
  get used(): number {
    return this.prod - this.cons;
  }

  /** Reserves `size` bytes; returns the linear offset of the data or -1 (and counts a lost event). */
  reserve(size: number): number {
    const total = round8(size + RINGBUF_HDR);
    const cap = this.spec.maxEntries;
    if (size < 0 || size > LEN_MASK || total > cap) {
      this.lost++;
      return -1;
    }
    let at = this.prod & this.mask;
    const pad = at + total > cap ? cap - at : 0;
    if (this.prod - this.cons + pad + total > cap) {
      this.lost++;
      return -1;
    }
    const mem = this.mem;
    if (pad) {
      mem.writeU32(this.dataLin + at, (pad - RINGBUF_HDR) | RINGBUF_DISCARD);
      mem.writeU32(this.dataLin + at + 4, 0);
      this.prod += pad;
      at = 0;
    }
    mem.writeU32(this.dataLin + at, size | RINGBUF_BUSY);
    mem.writeU32(this.dataLin + at + 4, 0);
    this.prod += total;
    return this.dataLin + at + RINGBUF_HDR;
  }

  /** Commits (or discards) the record whose data starts at linear offset `dataLin`; 0 or -EINVAL. */
  commit(dataLin: number, discard: boolean): number {
    const hdr = dataLin - RINGBUF_HDR;
    if (!this.owns(hdr)) return -EINVAL;
    const len = this.mem.readU32(hdr);
    if (!(len & RINGBUF_BUSY)) return -EINVAL;
    this.mem.writeU32(hdr, (len & LEN_MASK) | (discard ? RINGBUF_DISCARD : 0));
    return 0;
  }

  /** bpf_ringbuf_output: reserve, copy, submit. 0 or -EAGAIN (lost). */
  output(srcLin: number, size: number): number {
    const at = this.reserve(size);
    if (at < 0) return -11;
    this.mem.u8.copyWithin(at, srcLin, srcLin + size);
    return this.commit(at, false);
  }

  /** Host side: hands each submitted record's bytes to `consume`, in order, up to `max`; returns the count. */
  drain(consume: (data: Uint8Array) => void, max = Infinity): number {
    let n = 0;
    const mem = this.mem;
    while (this.cons < this.prod && n < max) {
      const at = this.dataLin + (this.cons & this.mask);
      const hdr = mem.readU32(at);
      if (hdr & RINGBUF_BUSY) break;
      const len = hdr & LEN_MASK;
      if (!(hdr & RINGBUF_DISCARD)) {
        consume(mem.readBytes(at + RINGBUF_HDR, len));
        n++;
      }
      this.cons += round8(len + RINGBUF_HDR);
    }
    return n;
  }
}
