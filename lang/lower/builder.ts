// The instruction builder the lowering emits through: eBPF slots with symbolic labels for
// jumps, local calls and callback references, each slot tagged with the script span that
// produced it. Only `assemble()` turns labels into offsets (a conditional jump too far
// for its 16-bit offset is rewritten into an inverted jump over a `gotol`). It knows
// nothing about the language; lowering files call it.
import type { Span } from '../ast';
import { type AluOp, type JmpOp, aluImm, aluReg, call, callKfunc, exit, ja, jmpImm, jmpReg, lddw, ldMapFd, ldMapValue, ldx, movImm, movReg, st, stx, type SizeName } from '../../vm/isa/build';
import { type Insn, insn } from '../../vm/isa/insn';
import { Class, Jmp, PseudoCall, PseudoLd } from '../../vm/isa/opcodes';

export interface Label {
  readonly id: number;
  readonly name: string;
}

/** Registers by name, for readability of the lowering code. */
export const R0 = 0;
export const R1 = 1;
export const R2 = 2;
export const R3 = 3;
export const R4 = 4;
export const R5 = 5;
export const R6 = 6;
export const R7 = 7;
export const R8 = 8;
export const R9 = 9;
export const R10 = 10;

type Item =
  | { k: 'slot'; insn: Insn; span?: Span }
  | { k: 'label'; label: Label }
  /** A jump (conditional or not) to a label. `cond` undefined: unconditional. */
  | { k: 'jump'; cond?: { op: JmpOp; dst: number; src?: number; imm?: number; w32: boolean }; to: Label; span?: Span }
  | { k: 'callLocal'; to: Label; span?: Span }
  | { k: 'ldFunc'; dst: number; to: Label; span?: Span };

/** Inverse of each conditional jump (for rewriting far jumps). */
const INVERSE: Readonly<Record<JmpOp, JmpOp | undefined>> = {
  JA: undefined,
  JEQ: 'JNE',
  JNE: 'JEQ',
  JGT: 'JLE',
  JLE: 'JGT',
  JGE: 'JLT',
  JLT: 'JGE',
  JSGT: 'JSLE',
  JSLE: 'JSGT',
  JSGE: 'JSLT',
  JSLT: 'JSGE',
  JSET: undefined,
};

export class AssemblyError extends Error {}

const EXIT_CODE = Class.JMP | Jmp.EXIT;

export interface Assembled {
  insns: Insn[];
  /** The span of each slot (both slots of an lddw carry it). */
  spans: (Span | undefined)[];
  /** Slot of each bound label, by label name (labels named more than once keep the first). */
  labels: Map<string, number>;
}

/** Label numbering shared by the builders of one program (its main body and subprograms). */
export interface LabelCounter {
  next: number;
}

/**
 * Code after an unconditional jump or exit is unreachable until a label some reachable
 * jump targets is bound: the builder drops it (the verifier rejects unreachable
 * instructions, as the kernel's does).
 */
export class Builder {
  private readonly items: Item[] = [];
  private dead = false;
  /** Labels targeted by emitted (reachable) jumps, calls and callback references. */
  private readonly referenced: Set<number>;
  /** The span given to the instructions emitted from now on. */
  span: Span | undefined;

  /** Runs `fn` with `span` as the current span, restoring the previous one after. */
  at<T>(span: Span | undefined, fn: () => T): T {
    const saved = this.span;
    if (span) this.span = span;
    try {
      return fn();
    } finally {
      this.span = saved;
    }
  }

  constructor(
    private readonly counter: LabelCounter = { next: 0 },
    referenced?: Set<number>,
  ) {
    this.referenced = referenced ?? new Set();
  }

  /** A builder for a subprogram whose labels do not collide with this one's (starting at this one's span). */
  sibling(): Builder {
    const b = new Builder(this.counter, this.referenced);
    b.span = this.span;
    return b;
  }

  /** Whether reachable code jumps to, calls or references the label. */
  isReferenced(l: Label): boolean {
    return this.referenced.has(l.id);
  }

  /** Marks a label as targeted (by code emitted elsewhere, such as a prologue built later). */
  reference(l: Label): void {
    this.referenced.add(l.id);
  }

  /** Whether code emitted now is reachable. */
  get reachable(): boolean {
    return !this.dead;
  }

  private push(it: Item): void {
    if (this.dead) return;
    this.items.push(it);
    if (it.k === 'jump' || it.k === 'callLocal' || it.k === 'ldFunc') this.referenced.add(it.to.id);
    if ((it.k === 'jump' && !it.cond) || (it.k === 'slot' && it.insn.code === EXIT_CODE)) this.dead = true;
  }

  label(name = 'L'): Label {
    const id = this.counter.next++;
    return { id, name: `${name}${id}` };
  }

  bind(l: Label): void {
    if (this.dead && !this.referenced.has(l.id)) return;
    this.dead = false;
    this.items.push({ k: 'label', label: l });
  }

  /** Number of items emitted (a cheap position marker for tests). */
  get size(): number {
    return this.items.length;
  }

  emit(...slots: Insn[]): void {
    for (const i of slots) this.push({ k: 'slot', insn: i, span: this.span });
  }

  // ---- shorthands ----

  movImm(dst: number, imm: number): void {
    this.emit(movImm(dst, imm));
  }
  mov(dst: number, src: number): void {
    if (dst !== src) this.emit(movReg(dst, src));
  }
  /** `dst = imm` for any 64-bit constant (one slot when it fits a signed 32-bit immediate). */
  movConst(dst: number, v: bigint): void {
    const s = BigInt.asIntN(64, v);
    if (s >= -(1n << 31n) && s < 1n << 31n) this.emit(movImm(dst, Number(s)));
    else this.emit(...lddw(dst, s));
  }
  /**
   * `dst op= imm`. A constant divisor of zero or a shift count outside 0..63 gives 0, as
   * bpftrace's compiled code does; the verifier refuses those immediates.
   */
  alu(op: AluOp, dst: number, imm: number): void {
    const zero = ((op === 'DIV' || op === 'MOD') && imm === 0) || ((op === 'LSH' || op === 'RSH' || op === 'ARSH') && (imm < 0 || imm > 63));
    this.emit(zero ? movImm(dst, 0) : aluImm(op, dst, imm));
  }
  aluR(op: AluOp, dst: number, src: number): void {
    this.emit(aluReg(op, dst, src));
  }
  alu32(op: AluOp, dst: number, imm: number): void {
    this.emit(aluImm(op, dst, imm, true));
  }
  load(size: SizeName, dst: number, src: number, off: number): void {
    this.emit(ldx(size, dst, src, off));
  }
  store(size: SizeName, dst: number, off: number, src: number): void {
    this.emit(stx(size, dst, off, src));
  }
  storeImm(size: SizeName, dst: number, off: number, imm: number): void {
    this.emit(st(size, dst, off, imm));
  }
  call(helper: number): void {
    this.emit(call(helper));
  }
  callKfunc(btfId: number): void {
    this.emit(callKfunc(btfId));
  }
  exit(): void {
    this.emit(exit());
  }
  ldMap(dst: number, index: number): void {
    this.emit(...ldMapFd(dst, index));
  }
  ldMapValue(dst: number, index: number, off: number): void {
    this.emit(...ldMapValue(dst, index, off));
  }

  // ---- control flow ----

  /** `if dst op imm goto l`. */
  jmpImm(op: JmpOp, dst: number, imm: number, to: Label, w32 = false): void {
    this.push({ k: 'jump', cond: { op, dst, imm, w32 }, to, span: this.span });
  }
  /** `if dst op src goto l`. */
  jmpReg(op: JmpOp, dst: number, src: number, to: Label, w32 = false): void {
    this.push({ k: 'jump', cond: { op, dst, src, w32 }, to, span: this.span });
  }
  goto(to: Label): void {
    this.push({ k: 'jump', to, span: this.span });
  }
  callLocal(to: Label): void {
    this.push({ k: 'callLocal', to, span: this.span });
  }
  /** `dst = func(l) ll`: a callback reference for for_each_map_elem. */
  ldFunc(dst: number, to: Label): void {
    this.push({ k: 'ldFunc', dst, to, span: this.span });
  }

  /** Appends another builder's items (a subprogram placed after the main body). */
  append(other: Builder): void {
    this.items.push(...other.items);
    this.dead = other.dead;
  }

  // ---- assembly ----

  assemble(): Assembled {
    // Slot sizes: far conditional jumps grow from 1 to 2 slots; iterate until stable.
    const far = new Set<number>();
    for (let round = 0; round < 8; round++) {
      const { at, labelAt } = this.place(far);
      let grew = false;
      this.items.forEach((it, n) => {
        if (it.k !== 'jump' || far.has(n)) return;
        const target = labelAt.get(it.to.id);
        if (target === undefined) return;
        const off = target - (at[n] + 1);
        if (off < -32768 || off > 32767) {
          far.add(n);
          grew = true;
        }
      });
      if (!grew) return this.emitAll(far);
    }
    throw new AssemblyError('jump offsets did not settle');
  }

  private place(far: ReadonlySet<number>): { at: number[]; labelAt: Map<number, number> } {
    const at: number[] = [];
    const labelAt = new Map<number, number>();
    let pc = 0;
    this.items.forEach((it, n) => {
      at.push(pc);
      switch (it.k) {
        case 'label':
          labelAt.set(it.label.id, pc);
          break;
        case 'slot':
        case 'callLocal':
          pc += 1;
          break;
        case 'ldFunc':
          pc += 2;
          break;
        case 'jump':
          pc += far.has(n) ? (it.cond ? 2 : 1) : 1;
          break;
      }
    });
    return { at, labelAt };
  }

  private emitAll(far: ReadonlySet<number>): Assembled {
    const { at, labelAt } = this.place(far);
    const insns: Insn[] = [];
    const spans: (Span | undefined)[] = [];
    const labels = new Map<string, number>();
    const target = (l: Label): number => {
      const t = labelAt.get(l.id);
      if (t === undefined) throw new AssemblyError(`label ${l.name} is never bound`);
      return t;
    };
    const push = (i: Insn, span: Span | undefined): void => {
      insns.push(i);
      spans.push(span);
    };
    this.items.forEach((it, n) => {
      const pc = at[n];
      switch (it.k) {
        case 'label':
          if (!labels.has(it.label.name)) labels.set(it.label.name, pc);
          break;
        case 'slot':
          push(it.insn, it.span);
          break;
        case 'callLocal':
          push(insn(Class.JMP | Jmp.CALL, 0, PseudoCall.LOCAL, 0, target(it.to) - (pc + 1)), it.span);
          break;
        case 'ldFunc': {
          const [a, b] = lddw(it.dst, BigInt(target(it.to) - (pc + 1)), PseudoLd.FUNC);
          push(a, it.span);
          push(b, it.span);
          break;
        }
        case 'jump': {
          const t = target(it.to);
          const c = it.cond;
          if (!far.has(n)) {
            const off = t - (pc + 1);
            if (!c) push(ja(off), it.span);
            else push(c.src !== undefined ? jmpReg(c.op, c.dst, c.src, off, c.w32) : jmpImm(c.op, c.dst, c.imm ?? 0, off, c.w32), it.span);
            break;
          }
          // Far: `gotol` for unconditional jumps; an inverted jump over a `gotol` otherwise.
          if (!c) {
            push(insn(Class.JMP32 | Jmp.JA, 0, 0, 0, t - (pc + 1)), it.span);
            break;
          }
          const inv = INVERSE[c.op];
          if (!inv) throw new AssemblyError(`conditional jump ${c.op} too far for its offset`);
          push(c.src !== undefined ? jmpReg(inv, c.dst, c.src, 1, c.w32) : jmpImm(inv, c.dst, c.imm ?? 0, 1, c.w32), it.span);
          push(insn(Class.JMP32 | Jmp.JA, 0, 0, 0, t - (pc + 2)), it.span);
          break;
        }
      }
    });
    return { insns, spans, labels };
  }
}
