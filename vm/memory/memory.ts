// The simulated machine's single address space (ARCHITECTURE decision 2): one
// WebAssembly.Memory holding kernel objects, program stacks, ctx records, map values,
// ring buffers and every process's user pages, so that the JIT reads it directly.
//
// Addresses. A kernel-visible address is `prefix << 32 | linear offset`, where the prefix
// depends on the kind of region the page belongs to:
//
//   0xffff8881_xxxxxxxx   kernel objects (the direct map, as kmalloc returns)
//   0xffffc900_xxxxxxxx   vmalloc space: map values, ring buffers, BPF stacks, ctx records
//
// so the JIT turns a checked pointer into a linear offset with a single wrap to i32.
// User pages have no kernel-visible address: they are reached through a process's
// UserSpace (user-space.ts), as probe_read_user does. Linear offset 0 is never handed
// out, so a NULL pointer always faults.
//
// This file holds the linear space, its page table and allocator, typed accessors and
// the probe_read family's semantics. It does not know what the kernel keeps in it.

export const PAGE_SIZE = 4096;
const WASM_PAGE = 65536;

/** What a page holds; stored per page in the page table. */
export const Region = {
  NONE: 0,
  KERNEL: 1,
  VMALLOC: 2,
  STACK: 3,
  CTX: 4,
  MAP: 5,
  RINGBUF: 6,
  USER: 7,
} as const;
export type RegionKind = (typeof Region)[keyof typeof Region];

export const KERNEL_PREFIX = 0xffff8881;
export const VMALLOC_PREFIX = 0xffffc900;

/** High 32 bits of kernel-visible addresses per region kind; 0 = no kernel-visible address. */
export const REGION_PREFIX: readonly number[] = [0, KERNEL_PREFIX, VMALLOC_PREFIX, VMALLOC_PREFIX, VMALLOC_PREFIX, VMALLOC_PREFIX, VMALLOC_PREFIX, 0];

/** Start of user space's upper bound: addresses below are user addresses (x86-64 TASK_SIZE). */
export const USER_SPACE_END = 0x0000_8000_0000_0000n;

export const EFAULT = 14;

export interface MemoryOptions {
  /** Initial size in bytes (default 32 MiB). */
  initialBytes?: number;
  /** Maximum size in bytes (default 1 GiB; at most 4 GiB). */
  maxBytes?: number;
}

/** Translates user virtual addresses of one process; implemented by UserSpace. */
export interface UserTranslator {
  /** Linear offset of `len` readable bytes at `vaddr`, or -1 when any of them is unmapped. */
  translate(vaddr: number, len: number): number;
}

export class Memory {
  readonly wasm: WebAssembly.Memory;
  readonly maxBytes: number;
  u8!: Uint8Array;
  dv!: DataView;
  /** The page table: the RegionKind of every page (PAGE_SIZE bytes) of the linear space. */
  readonly tags: Uint8Array;
  /** Next never-used page. */
  private brk = 16; // the first 64 KiB stay unmapped: NULL and small offsets fault
  /** Free runs of whole pages, by length in pages. */
  private freeRuns = new Map<number, number[]>();
  /** Small-object slabs: per kind and size class, free objects and the current bump chunk. */
  private slabs = new Map<number, { free: number[]; next: number; end: number }>();
  /** Size of every live allocation, by linear offset. */
  private sizes = new Map<number, number>();
  /** Pages mapped now (allocated and not freed; slab chunks stay mapped). */
  private mapped = 0;

  constructor(opts: MemoryOptions = {}) {
    this.maxBytes = Math.min(opts.maxBytes ?? 1 << 30, 2 ** 32);
    const initial = Math.ceil((opts.initialBytes ?? 32 << 20) / WASM_PAGE);
    this.wasm = new WebAssembly.Memory({ initial, maximum: Math.floor(this.maxBytes / WASM_PAGE) });
    this.tags = new Uint8Array(this.maxBytes / PAGE_SIZE);
    this.refresh();
  }

  get size(): number {
    return this.wasm.buffer.byteLength;
  }

  private refresh(): void {
    this.u8 = new Uint8Array(this.wasm.buffer);
    this.dv = new DataView(this.wasm.buffer);
  }

  private ensure(bytes: number): void {
    if (bytes <= this.size) return;
    if (bytes > this.maxBytes) throw new RangeError(`simulated memory exhausted (${this.maxBytes} bytes)`);
    const want = Math.min(Math.max(bytes, this.size * 2), this.maxBytes);
    this.wasm.grow(Math.ceil((want - this.size) / WASM_PAGE));
    this.refresh();
  }

  /** Maps `pages` fresh zeroed pages of the given kind and returns the linear offset of the first. */
  allocPages(pages: number, kind: RegionKind): number {
    const run = this.freeRuns.get(pages);
    let first: number;
    if (run && run.length) {
      first = run.pop()!;
      this.u8.fill(0, first * PAGE_SIZE, (first + pages) * PAGE_SIZE);
    } else {
      first = this.brk;
      this.ensure((first + pages) * PAGE_SIZE);
      this.brk += pages;
    }
    this.tags.fill(kind, first, first + pages);
    this.mapped += pages;
    return first * PAGE_SIZE;
  }

  /** Bytes of the linear space mapped now: what the machine's memory holds for its objects. */
  get mappedBytes(): number {
    return this.mapped * PAGE_SIZE;
  }

  /** Maps `pages` fresh pages of the given kind between two never-mapped guard pages, so that running off either end faults. */
  allocGuarded(pages: number, kind: RegionKind): number {
    const first = this.brk;
    this.ensure((first + pages + 2) * PAGE_SIZE);
    this.brk += pages + 2;
    this.tags.fill(kind, first + 1, first + 1 + pages);
    this.mapped += pages;
    return (first + 1) * PAGE_SIZE;
  }

  /** Unmaps pages obtained from allocPages; later reads of them fault. */
  freePages(lin: number, pages: number): void {
    const first = lin / PAGE_SIZE;
    this.tags.fill(Region.NONE, first, first + pages);
    this.mapped -= pages;
    let run = this.freeRuns.get(pages);
    if (!run) this.freeRuns.set(pages, (run = []));
    run.push(first);
  }

  /**
   * Allocates `size` zeroed bytes of the given kind (aligned to 8, or to a page for page-sized
   * requests) and returns the linear offset. Small objects come from per-kind slabs.
   */
  alloc(size: number, kind: RegionKind): number {
    if (size <= 0) size = 1;
    if (size > PAGE_SIZE / 2) {
      const pages = Math.ceil(size / PAGE_SIZE);
      const lin = this.allocPages(pages, kind);
      this.sizes.set(lin, pages * PAGE_SIZE);
      return lin;
    }
    const cls = size <= 64 ? (size + 15) & ~15 : 1 << (32 - Math.clz32(size - 1));
    const key = kind * 65536 + cls;
    let slab = this.slabs.get(key);
    if (!slab) this.slabs.set(key, (slab = { free: [], next: 0, end: 0 }));
    let lin: number;
    if (slab.free.length) {
      lin = slab.free.pop()!;
      this.u8.fill(0, lin, lin + cls);
    } else {
      if (slab.next + cls > slab.end) {
        slab.next = this.allocPages(4, kind);
        slab.end = slab.next + 4 * PAGE_SIZE;
      }
      lin = slab.next;
      slab.next += cls;
    }
    this.sizes.set(lin, cls);
    return lin;
  }

  /** Frees an allocation. Small objects stay mapped (as freed slab memory does); whole pages are unmapped. */
  free(lin: number): void {
    const size = this.sizes.get(lin);
    if (size === undefined) throw new RangeError(`free of unallocated offset 0x${lin.toString(16)}`);
    this.sizes.delete(lin);
    if (size > PAGE_SIZE / 2) {
      this.freePages(lin, size / PAGE_SIZE);
      return;
    }
    const kind = this.tags[Math.floor(lin / PAGE_SIZE)];
    this.slabs.get(kind * 65536 + size)!.free.push(lin);
  }

  /** Allocates and copies bytes in, returning the linear offset. */
  allocBytes(bytes: Uint8Array, kind: RegionKind): number {
    const lin = this.alloc(bytes.length, kind);
    this.u8.set(bytes, lin);
    return lin;
  }

  kindAt(lin: number): RegionKind {
    return (this.tags[Math.floor(lin / PAGE_SIZE)] ?? Region.NONE) as RegionKind;
  }

  /** The kernel-visible 64-bit address of a linear offset (0n for user pages or unmapped memory). */
  addr(lin: number): bigint {
    const prefix = REGION_PREFIX[this.kindAt(lin)];
    return prefix ? (BigInt(prefix) << 32n) | BigInt(lin >>> 0) : 0n;
  }

  /** High 32 bits of the kernel-visible address of a linear offset (0 if it has none). */
  prefixAt(lin: number): number {
    return REGION_PREFIX[this.kindAt(lin)];
  }

  /**
   * The linear offset of `len` bytes at kernel-visible address `addr`, or -1 when the address
   * has the wrong prefix for its pages or any byte is unmapped.
   */
  kernelLin(addr: bigint, len: number): number {
    const hi = Number(addr >> 32n) >>> 0;
    const lin = Number(BigInt.asUintN(32, addr));
    return this.checkKernel(hi, lin, len) ? lin : -1;
  }

  /** Like kernelLin, for an address split in halves (as the interpreter and JIT hold it). */
  checkKernel(hi: number, lin: number, len: number): boolean {
    if (hi === 0 || lin === 0 || len < 0 || lin + len > this.size) return false;
    const last = Math.floor((lin + Math.max(len, 1) - 1) / PAGE_SIZE);
    for (let p = Math.floor(lin / PAGE_SIZE); p <= last; p++) if (REGION_PREFIX[this.tags[p]] !== hi) return false;
    return true;
  }

  // ---- typed accessors on linear offsets (no checks beyond the buffer's own) ----
  readU8 = (lin: number): number => this.u8[lin];
  readU16 = (lin: number): number => this.dv.getUint16(lin, true);
  readU32 = (lin: number): number => this.dv.getUint32(lin, true);
  readI32 = (lin: number): number => this.dv.getInt32(lin, true);
  readU64 = (lin: number): bigint => this.dv.getBigUint64(lin, true);
  writeU8 = (lin: number, v: number): void => void (this.u8[lin] = v);
  writeU16 = (lin: number, v: number): void => this.dv.setUint16(lin, v, true);
  writeU32 = (lin: number, v: number): void => this.dv.setUint32(lin, v >>> 0, true);
  writeU64 = (lin: number, v: bigint): void => this.dv.setBigUint64(lin, BigInt.asUintN(64, v), true);

  /** Writes a u64 holding the kernel-visible address of `target` (0 for target 0) without BigInt work. */
  writePtr(lin: number, target: number): void {
    this.dv.setUint32(lin, target >>> 0, true);
    this.dv.setUint32(lin + 4, target ? this.prefixAt(target) : 0, true);
  }

  /** Writes a plain number (below 2^53) as a u64. */
  writeNum64(lin: number, v: number): void {
    this.dv.setUint32(lin, v >>> 0, true);
    this.dv.setUint32(lin + 4, Math.floor(v / 2 ** 32) >>> 0, true);
  }

  readBytes(lin: number, len: number): Uint8Array {
    return this.u8.slice(lin, lin + len);
  }

  writeBytes(lin: number, bytes: Uint8Array): void {
    this.u8.set(bytes, lin);
  }

  /** Reads a NUL-terminated string of at most `max` bytes (latin1/UTF-8 bytes decoded as UTF-8). */
  readCString(lin: number, max: number): string {
    let end = lin;
    const stop = Math.min(lin + max, this.size);
    while (end < stop && this.u8[end] !== 0) end++;
    return decoder.decode(this.u8.subarray(lin, end));
  }

  /** Writes a string as UTF-8 with a terminating NUL into `max` bytes (truncating, always terminated, rest zeroed). */
  writeCString(lin: number, s: string, max: number): void {
    const bytes = encoder.encode(s);
    const n = Math.min(bytes.length, max - 1);
    this.u8.set(bytes.subarray(0, n), lin);
    this.u8.fill(0, lin + n, lin + max);
  }

  // ---- the probe_read family ----

  /** Resolves a source address for a read: kernel addresses by prefix, user addresses through `user`. */
  private sourceLin(src: bigint, len: number, space: 'kernel' | 'user' | 'any', user: UserTranslator | null): number {
    const s = BigInt.asUintN(64, src);
    const isUser = s < USER_SPACE_END;
    if (space === 'user' || (space === 'any' && isUser)) {
      if (!isUser || !user) return -1;
      return user.translate(Number(s), len);
    }
    return this.kernelLin(s, len);
  }

  /**
   * bpf_probe_read_{kernel,user}: copies `len` bytes from `src` to linear `dst`, a page at a
   * time (so a range may span adjacent user mappings). Returns 0, or -EFAULT with the
   * destination zero-filled when any source byte is unreadable.
   */
  probeRead(dst: number, len: number, src: bigint, space: 'kernel' | 'user' | 'any', user: UserTranslator | null): number {
    if (len === 0) return 0;
    const s = BigInt.asUintN(64, src);
    const lin = this.sourceLin(s, len, space, user);
    if (lin >= 0) {
      this.u8.copyWithin(dst, lin, lin + len);
      return 0;
    }
    for (let n = 0; n < len; ) {
      const addr = s + BigInt(n);
      const chunk = Math.min(PAGE_SIZE - Number(addr & BigInt(PAGE_SIZE - 1)), len - n);
      const at = addr < 1n << 64n ? this.sourceLin(addr, chunk, space, user) : -1;
      if (at < 0) {
        this.u8.fill(0, dst, dst + len);
        return -EFAULT;
      }
      this.u8.copyWithin(dst + n, at, at + chunk);
      n += chunk;
    }
    return 0;
  }

  /**
   * bpf_probe_read_{kernel,user}_str: copies a NUL-terminated string of at most `len` bytes
   * (the last always NUL) and returns the bytes written including the NUL. As the kernel's
   * strncpy_from_*_nofault, a fault on any byte before the end of the string fails the
   * whole read: the destination is zero-filled and -EFAULT returned.
   */
  probeReadStr(dst: number, len: number, src: bigint, space: 'kernel' | 'user' | 'any', user: UserTranslator | null): number {
    if (len === 0) return 0;
    let n = 0;
    const s = BigInt.asUintN(64, src);
    for (;;) {
      const addr = s + BigInt(n);
      const chunk = Math.min(PAGE_SIZE - Number(addr & BigInt(PAGE_SIZE - 1)), len - n);
      const lin = this.sourceLin(addr, chunk, space, user);
      if (lin < 0) {
        this.u8.fill(0, dst, dst + len);
        return -EFAULT;
      }
      const zero = this.u8.subarray(lin, lin + chunk).indexOf(0);
      const take = zero >= 0 ? zero + 1 : chunk;
      this.u8.copyWithin(dst + n, lin, lin + take);
      n += take;
      if (zero >= 0) return n;
      if (n === len) {
        this.u8[dst + len - 1] = 0;
        return len;
      }
    }
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
