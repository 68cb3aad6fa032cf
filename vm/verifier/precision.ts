// Precision tracking (the kernel's mark_chain_precision and backtrack_insn): a scalar is
// "precise" in a checkpoint when some path below it makes a safety decision with its
// value (a pointer offset, a helper's size argument, a decided branch, a constant map
// key). Imprecise scalars of a checkpoint match any scalar when states are compared,
// which is what keeps sequences of branches from multiplying the states.
//
// When a decision uses registers or stack slots, their values are followed backward over
// the instructions of the current path (each state keeps the list since its parent
// checkpoint): a move passes the mark to its source, arithmetic adds the other operand,
// a fill passes it to the stack slot, a spill to the stored register, a constant ends
// it; at each checkpoint reached, what is still marked becomes precise there. Where the
// walk cannot follow (variable-offset fills, callbacks) every scalar is treated as
// precise from then on, which only makes pruning weaker.
import { Alu as Alu_, Atomic as Atomic_, Class as Class_, Jmp as Jmp_, Mode as Mode_, PseudoCall as PseudoCall_, Src as Src_, aluOpOf as aluOpOf_, classOf as classOf_, modeOf as modeOf_ } from '../isa/opcodes';
import type { Env } from './env';
import type { HistNode, VState } from './state';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Alu = { ...Alu_ };
const Atomic = { ...Atomic_ };
const Class = { ...Class_ };
const Jmp = { ...Jmp_ };
const Mode = { ...Mode_ };
const PseudoCall = { ...PseudoCall_ };
const Src = { ...Src_ };
const aluOpOf = aluOpOf_;
const classOf = classOf_;
const modeOf = modeOf_;

/** Registers and stack slots whose values matter: a register bitmask per frame, slot keys frame * 64 + slot. */
export class PreciseSet {
  readonly regMask = new Uint16Array(8);
  regCount = 0;
  readonly slots = new Set<number>();
  get empty(): boolean {
    return this.regCount === 0 && this.slots.size === 0;
  }
  hasReg(f: number, r: number): boolean {
    return ((this.regMask[f] >> r) & 1) === 1;
  }
  addReg(f: number, r: number): void {
    if (r < 0 || r >= 10 || f >= 8 || this.hasReg(f, r)) return;
    this.regMask[f] |= 1 << r;
    this.regCount++;
  }
  delReg(f: number, r: number): boolean {
    if (f >= 8 || !this.hasReg(f, r)) return false;
    this.regMask[f] &= ~(1 << r);
    this.regCount--;
    return true;
  }
  /** Calls fn(frame, reg) for every register in the set. */
  eachReg(fn: (f: number, r: number) => void): void {
    for (let f = 0; f < 8; f++) {
      const m = this.regMask[f];
      if (m) for (let r = 0; r < 10; r++) if ((m >> r) & 1) fn(f, r);
    }
  }
}

const scratch = new (class extends PreciseSet {
  reset(): PreciseSet {
    this.regMask.fill(0);
    this.regCount = 0;
    this.slots.clear();
    return this;
  }
})();

/** Marks the given registers (of the current frame) and stack slots precise along the current path. */
export function markPrecise(env: Env, regs: readonly number[], slots: readonly number[] = []): void {
  if (env.allPrecise) return;
  const set = scratch.reset();
  const f = env.frameIndex();
  for (const r of regs) if (env.frame().regs[r]?.type === 'scalar') set.addReg(f, r);
  for (const s of slots) set.slots.add(s);
  backtrack(env, env.cur, set);
}

/** After pruning against sl: what was precise there is precise for the current path too. */
export function propagatePrecision(env: Env, sl: VState): void {
  if (env.allPrecise) return;
  const set = new PreciseSet();
  sl.frames.forEach((fr, f) => {
    for (let r = 0; r < 10; r++) if (fr.regPrecise[r]) set.addReg(f, r);
    for (let s = 0; s < fr.stackPrecise.length; s++) if (fr.stackPrecise[s]) set.slots.add(f * 64 + s);
  });
  if (!set.empty) backtrack(env, env.cur, set);
}

function backtrack(env: Env, start: VState, set: PreciseSet): void {
  let st: VState = start;
  for (;;) {
    // The instruction being executed is not part of the values it uses.
    const first = st === start && st.hist === env.curNode ? (st.hist?.prev ?? null) : st.hist;
    for (let n: HistNode | null = first; n; n = n.prev) {
      if (!step(env, n, set)) {
        env.allPrecise = true;
        return;
      }
      if (set.empty) return;
    }
    const p = st.parent;
    if (!p) return;
    let fresh = false;
    set.eachReg((f, r) => {
      const fr = p.frames[f];
      if (fr && !fr.regPrecise[r]) {
        fr.regPrecise[r] = 1;
        fresh = true;
      }
    });
    for (const k of set.slots) {
      const fr = p.frames[Math.floor(k / 64)];
      if (fr && !fr.stackPrecise[k % 64]) {
        fr.stackPrecise[k % 64] = 1;
        fresh = true;
      }
    }
    // Marks already there were propagated further up when they were made.
    if (!fresh) return;
    st = p;
  }
}

/** Moves the marks backward over one instruction; false when the walk cannot follow. */
function step(env: Env, n: HistNode, set: PreciseSet): boolean {
  const insn = env.insns[n.idx];
  const f = n.frame;
  const cls = classOf(insn.code);
  const op = aluOpOf(insn.code);
  const x = (insn.code & Src.X) !== 0;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64:
      if (!set.hasReg(f, insn.dst)) return true;
      if (op === Alu.MOV) {
        set.delReg(f, insn.dst);
        if (x) set.addReg(f, insn.src);
      } else if (x && op !== Alu.NEG && op !== Alu.END) set.addReg(f, insn.src);
      return true;
    case Class.LDX:
      if (!set.delReg(f, insn.dst)) return true;
      if (n.slot === -2) return false;
      if (n.slot >= 0) set.slots.add(n.slot);
      return true;
    case Class.ST:
      if (n.slot >= 0) set.slots.delete(n.slot);
      return true;
    case Class.STX:
      if (modeOf(insn.code) === Mode.ATOMIC) {
        const load = insn.imm === Atomic.CMPXCHG ? 0 : (insn.imm & Atomic.FETCH) !== 0 ? insn.src : -1;
        if (load >= 0 && set.delReg(f, load)) {
          if (n.slot === -2) return false;
          if (n.slot >= 0) set.slots.add(n.slot);
        }
        if (n.slot >= 0 && set.slots.has(n.slot)) set.addReg(f, insn.src);
        if (n.slot === -2 && !set.empty) return false;
        return true;
      }
      if (n.slot >= 0 && set.slots.delete(n.slot)) set.addReg(f, insn.src);
      return true;
    case Class.LD:
      set.delReg(f, insn.dst);
      return true;
    case Class.JMP:
    case Class.JMP32:
      if (cls === Class.JMP && op === Jmp.CALL) {
        if (insn.src === PseudoCall.LOCAL) {
          // Back from the callee's entry to the call: its arguments are the caller's r1-r5.
          const callee = f + 1;
          for (let r = 0; r < 10; r++) {
            if (!set.delReg(callee, r)) continue;
            if (r >= 1 && r <= 5) set.addReg(f, r);
          }
          for (const k of [...set.slots]) if (Math.floor(k / 64) === callee) set.slots.delete(k);
          return true;
        }
        for (let r = 0; r <= 5; r++) set.delReg(f, r);
        return true;
      }
      if (cls === Class.JMP && op === Jmp.EXIT) {
        // Back from the caller's continuation into the callee: the caller's r0 is the callee's.
        if (f > 0 && set.delReg(f - 1, 0)) set.addReg(f, 0);
        return true;
      }
      if (n.linked && !set.empty) {
        set.addReg(f, insn.dst);
        if (x) set.addReg(f, insn.src);
      }
      return true;
    default:
      return true;
  }
}
