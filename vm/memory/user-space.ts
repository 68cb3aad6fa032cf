// One process's user address space: mappings of user virtual ranges (PIE binary at
// 0x55..., libraries and stack at 0x7f...) onto pages of the shared linear memory.
// User addresses stay below 2^47, so they are exact JavaScript numbers.
import { PAGE_SIZE, Region, USER_SPACE_END, type Memory, type UserTranslator } from './memory';

export interface Mapping {
  start: number;
  end: number;
  /** Linear offset of `start`. */
  lin: number;
  /** What backs it: a binary's path, '[heap]', '[stack]', ... */
  name: string;
}

export class UserSpace implements UserTranslator {
  private maps: Mapping[] = [];

  constructor(private readonly mem: Memory) {}

  get mappings(): readonly Mapping[] {
    return this.maps;
  }

  /** Maps `size` bytes (rounded up to pages) at page-aligned `start`; returns the linear offset. */
  map(start: number, size: number, name: string): number {
    if (start % PAGE_SIZE !== 0) throw new RangeError(`user mapping at 0x${start.toString(16)} is not page-aligned`);
    if (!(size > 0)) throw new RangeError(`user mapping ${name} has size ${size}`);
    const pages = Math.ceil(size / PAGE_SIZE);
    const end = start + pages * PAGE_SIZE;
    if (start < PAGE_SIZE || BigInt(end) > USER_SPACE_END) throw new RangeError(`user mapping ${name} at 0x${start.toString(16)} is outside user space`);
    if (this.maps.some((m) => start < m.end && m.start < end)) throw new RangeError(`user mapping ${name} overlaps an existing one`);
    const lin = this.mem.allocPages(pages, Region.USER);
    this.maps.push({ start, end, lin, name });
    this.maps.sort((a, b) => a.start - b.start);
    return lin;
  }

  /** Removes every mapping (exit, exec), returning the pages to the allocator. */
  clear(): void {
    for (const m of this.maps) this.mem.freePages(m.lin, (m.end - m.start) / PAGE_SIZE);
    this.maps = [];
  }

  find(vaddr: number): Mapping | undefined {
    let lo = 0;
    let hi = this.maps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.maps[mid];
      if (vaddr < m.start) hi = mid - 1;
      else if (vaddr >= m.end) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** Linear offset of `len` bytes at vaddr inside one mapping, or -1 (callers copy page by page across mappings). */
  translate(vaddr: number, len: number): number {
    const m = this.find(vaddr);
    if (!m || vaddr + len > m.end) return -1;
    return m.lin + (vaddr - m.start);
  }
}
