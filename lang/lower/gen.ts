// The per-program generator state and its basic moves: the two temporary registers
// (r7, r8; r6 holds ctx), the stack frame and the per-CPU scratch buffer with
// stack-discipline temporaries, places (where a memory value lives) and the loads,
// stores, copies and zero-fills on them, scratch variables, and helper-call plumbing.
// Expression, statement and call lowering live in the files beside it.
//
// Frame layout (offsets from the frame base: r10 in the probe's body, r9 in for-loop
// callbacks, which run on the probe's frame through the pointer they receive):
//   -8   ctx (for callbacks and for reloading)
//   -16  pointer to this CPU's scratch buffer (when used)
//   below: variables, then statement temporaries.
import type * as A from '../ast';
import type { ConcreteProbe } from '../probes';
import type { Ty } from '../types';
import { movReg, type SizeName } from '../../vm/isa/build';
import { Builder, type Label, R0, R1, R10, R2, R3, R5, R6, R7, R8 } from './builder';
import type { ScriptState } from './script';

/** Where a memory value lives: the probe's frame (negative offsets) or the scratch buffer. */
export interface Place {
  base: 'fp' | 'scratch';
  off: number;
}

export const at = (p: Place, delta: number): Place => ({ base: p.base, off: p.off + delta });

export const CTX_SLOT = -8;
export const SCRATCH_SLOT = -16;
const FRAME_RESERVED = 16;
const STACK_SIZE = 512;
/** Memory values up to this size go on the stack while it has room; larger ones to scratch. */
const STACK_VALUE_LIMIT = 128;

/** A lowering error at a span: becomes a diagnostic. */
export class LowerError extends Error {
  constructor(
    message: string,
    readonly span?: A.Span,
  ) {
    super(message);
  }
}

export interface LoopCtx {
  /** Native loops jump; callback loops return 1 (break) or 0 (continue). */
  kind: 'native' | 'callback';
  breakLabel?: Label;
  continueLabel?: Label;
}

export interface Mark {
  frame: number;
  scratch: number;
}

const SIZE_NAME: Readonly<Record<1 | 2 | 4 | 8, SizeName>> = { 1: 'B', 2: 'H', 4: 'W', 8: 'DW' };
export const sizeName = (n: 1 | 2 | 4 | 8): SizeName => SIZE_NAME[n];

export class Gen {
  b: Builder;
  /** Register holding the frame base (r10, or r9 inside a callback). */
  fp = R10;
  private frameUsed = FRAME_RESERVED;
  frameMax = FRAME_RESERVED;
  private scratchUsed = 0;
  scratchMax = 0;
  usesScratch = false;
  private readonly held = new Set<number>();
  readonly vars = new Map<string, Place>();
  loops: LoopCtx[] = [];
  /** Where `return` and exit() go: sets r0 = 0 and exits (in the main body). */
  exitLabel: Label;
  /** Inside a callback body: `return` there is an error the type pass reports. */
  inCallback = false;
  /** Callback subprograms with their entry labels (emitted when referenced). */
  readonly subprogs: { b: Builder; entry: Label }[] = [];
  /** The callback of len(@map), emitted once. */
  countCallback?: Label;

  constructor(
    readonly s: ScriptState,
    readonly probe: A.Probe,
    /** The concrete probe this program is generated for (the first when shared). */
    readonly site: ConcreteProbe,
    readonly sites: readonly ConcreteProbe[],
  ) {
    this.b = new Builder();
    this.exitLabel = this.b.label('exit');
  }

  get probeIndex(): number {
    return this.probe.index ?? 0;
  }

  /** Runs `fn` with the span of a node as the current span. */
  at<T>(span: A.Span | undefined, fn: () => T): T {
    return this.b.at(span, fn);
  }

  // -------------------------------------------------------------------------------------
  // Temporary registers.

  reg(): number {
    for (const r of [R7, R8]) {
      if (!this.held.has(r)) {
        this.held.add(r);
        return r;
      }
    }
    throw new LowerError('expression too complex: out of registers');
  }

  free(r: number): void {
    this.held.delete(r);
  }

  get heldCount(): number {
    return this.held.size;
  }

  // -------------------------------------------------------------------------------------
  // Frame and scratch memory.

  mark(): Mark {
    return { frame: this.frameUsed, scratch: this.scratchUsed };
  }

  release(m: Mark): void {
    this.frameUsed = m.frame;
    this.scratchUsed = m.scratch;
  }

  /** `size` bytes on the stack (8-aligned), or undefined when the frame is full. */
  stack(size: number): Place | undefined {
    const n = Math.ceil(Math.max(1, size) / 8) * 8;
    if (this.frameUsed + n > STACK_SIZE) return undefined;
    this.frameUsed += n;
    this.frameMax = Math.max(this.frameMax, this.frameUsed);
    return { base: 'fp', off: -this.frameUsed };
  }

  scratch(size: number): Place {
    const n = Math.ceil(Math.max(1, size) / 8) * 8;
    const off = this.scratchUsed;
    this.scratchUsed += n;
    this.scratchMax = Math.max(this.scratchMax, this.scratchUsed);
    this.usesScratch = true;
    this.s.scratchIndex();
    return { base: 'scratch', off };
  }

  /**
   * A temporary for a memory value: on the stack when small and it fits, else scratch.
   * Inside loop callbacks the stack is the probe's frame, reached through the pointer the
   * callback receives (as bpftrace's callbacks reach the probe's variables).
   */
  temp(size: number): Place {
    return (size <= STACK_VALUE_LIMIT ? this.stack(size) : undefined) ?? this.scratch(size);
  }

  /** An 8-byte slot for spilling a scalar (scratch when the frame is full). */
  slot(): Place {
    return this.stack(8) ?? this.scratch(8);
  }

  /** Allocates the place of a scratch variable for the whole probe (`scratch` forces the scratch buffer). */
  varPlace(b: A.VarBinding, size: number, scratch = false): Place {
    let p = this.vars.get(b.id);
    if (!p) {
      p = (size <= STACK_VALUE_LIMIT / 2 && !scratch ? this.stack(size) : undefined) ?? this.scratch(size);
      this.vars.set(b.id, p);
    }
    return p;
  }

  // -------------------------------------------------------------------------------------
  // Addresses, loads and stores on places.

  /** Loads the scratch buffer pointer into `reg`. */
  scratchBase(reg: number): void {
    this.b.load('DW', reg, this.fp, SCRATCH_SLOT);
  }

  /** A base register and offset for accessing `p` (loading the scratch pointer into `tmp` when needed). */
  base(p: Place, tmp: number): [number, number] {
    if (p.base === 'fp') return [this.fp, p.off];
    this.scratchBase(tmp);
    return [tmp, p.off];
  }

  /** `reg = &p`. */
  addr(p: Place, reg: number): void {
    if (p.base === 'fp') {
      this.b.mov(reg, this.fp);
      if (p.off) this.b.alu('ADD', reg, p.off);
    } else {
      this.scratchBase(reg);
      if (p.off) this.b.alu('ADD', reg, p.off);
    }
  }

  /**
   * Stores `size` low bytes of `reg` at `p` (uses r1 for scratch places, r0 for unaligned
   * stack places: `reg` must be neither then). The stack takes only aligned accesses, so
   * an unaligned store is done byte by byte.
   */
  storeReg(p: Place, reg: number, size: 1 | 2 | 4 | 8): void {
    const [base, off] = this.base(p, reg === R1 ? R2 : R1);
    if (p.base === 'fp' && off % size !== 0) {
      const t = reg === R0 ? R5 : R0;
      for (let i = 0; i < size; i++) {
        this.b.mov(t, reg);
        if (i) this.b.alu('RSH', t, i * 8);
        this.b.store('B', base, off + i, t);
      }
      return;
    }
    this.b.store(sizeName(size), base, off, reg);
  }

  storeImm(p: Place, imm: number, size: 1 | 2 | 4 | 8): void {
    const [base, off] = this.base(p, R1);
    if (p.base === 'fp' && off % size !== 0) {
      const v = BigInt.asUintN(64, BigInt(imm));
      for (let i = 0; i < size; i++) this.b.storeImm('B', base, off + i, Number((v >> BigInt(i * 8)) & 0xffn));
      return;
    }
    this.b.storeImm(sizeName(size), base, off, imm);
  }

  /** `reg = *(size *)p`, zero- or sign-extended to 64 bits (byte by byte when unaligned on the stack; uses r0 then). */
  loadReg(reg: number, p: Place, size: 1 | 2 | 4 | 8, signed = false): void {
    const [base, off] = this.base(p, reg);
    if (p.base === 'fp' && off % size !== 0) {
      const t = reg === R0 ? R5 : R0;
      this.b.movImm(reg, 0);
      for (let i = size - 1; i >= 0; i--) {
        this.b.alu('LSH', reg, 8);
        this.b.load('B', t, base, off + i);
        this.b.aluR('OR', reg, t);
      }
    } else this.b.load(sizeName(size), reg, base, off);
    if (signed && size < 8) this.signExtend(reg, size);
  }

  signExtend(reg: number, size: 1 | 2 | 4 | 8): void {
    if (size === 8) return;
    const sh = 64 - size * 8;
    this.b.alu('LSH', reg, sh);
    this.b.alu('ARSH', reg, sh);
  }

  zeroExtend(reg: number, size: 1 | 2 | 4 | 8): void {
    if (size === 8) return;
    if (size === 4) this.b.emit(movReg(reg, reg, true));
    else this.b.alu('AND', reg, size === 1 ? 0xff : 0xffff);
  }

  /** Zero-fills `size` bytes at `p`. */
  zero(p: Place, size: number): void {
    if (size <= 0) return;
    const [base, off] = this.base(p, R1);
    let o = off;
    const end = off + size;
    while (o < end) {
      const left = end - o;
      const w = widest(o, left);
      this.b.storeImm(sizeName(w), base, o, 0);
      o += w;
    }
  }

  /** Copies `size` bytes from `src` to `dst` (regions must not overlap). */
  copy(dst: Place, src: Place, size: number): void {
    if (size <= 0 || (dst.base === src.base && dst.off === src.off)) return;
    if (size > 64) {
      // Larger copies go through probe_read_kernel, as a memcpy.
      this.addr(dst, R1);
      this.b.movImm(R2, size);
      this.addr(src, R3);
      this.b.call(113);
      return;
    }
    const [db, doff] = this.base(dst, R1);
    const [sb, soff] = this.base(src, R2);
    let i = 0;
    while (i < size) {
      const w = Math.min(widest(doff + i, size - i), widest(soff + i, size - i)) as 1 | 2 | 4 | 8;
      this.b.load(sizeName(w), R3, sb, soff + i);
      this.b.store(sizeName(w), db, doff + i, R3);
      i += w;
    }
  }

  /** Writes constant bytes at `p` (with immediates, 4 bytes at a time). */
  writeBytes(p: Place, bytes: Uint8Array): void {
    const [base, off] = this.base(p, R1);
    let i = 0;
    while (i < bytes.length) {
      const w = Math.min(widest(off + i, bytes.length - i), 4) as 1 | 2 | 4;
      let v = 0;
      for (let k = w - 1; k >= 0; k--) v = v * 256 + bytes[i + k];
      this.b.storeImm(sizeName(w), base, off + i, w === 4 ? v | 0 : v);
      i += w;
    }
  }

  // -------------------------------------------------------------------------------------
  // Spills.

  /** Spills `reg` to a fresh slot and frees it. */
  spill(reg: number): Place {
    const p = this.slot();
    this.storeReg(p, reg, 8);
    this.free(reg);
    return p;
  }

  /** Reloads a spilled value into a fresh register. */
  unspill(p: Place): number {
    const r = this.reg();
    this.loadReg(r, p, 8);
    return r;
  }

  /** The register holding ctx (r6: set at entry, and reloaded at the start of callbacks). */
  ctxReg(): number {
    return R6;
  }
}

/** The widest access (8, 4, 2, 1) allowed at offset `off` for `left` remaining bytes. */
export function widest(off: number, left: number): 1 | 2 | 4 | 8 {
  const a = off & 7;
  if (a === 0 && left >= 8) return 8;
  if ((a & 3) === 0 && left >= 4) return 4;
  if ((a & 1) === 0 && left >= 2) return 2;
  return 1;
}
