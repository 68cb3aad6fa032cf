// Conditional jumps (the kernel's check_cond_jmp_op): decide a branch when the ranges
// settle it (is_branch_taken), otherwise queue the jump target and refine both sides
// (regs_refine_cond_op), null-check map_value_or_null and ringbuf_mem_or_null pointers
// on every copy sharing their id, and carry refinements to scalars linked by id.
import type { Insn } from '../isa/insn';
import { Class as Class_, Jmp as Jmp_, Src as Src_, aluOpOf as aluOpOf_, classOf as classOf_ } from '../isa/opcodes';
import type { Env } from './env';
import { type Bounds, boundsInvalid, boundsOf, isConst, isConst32, known, scalarAlu, syncBounds } from './scalar';
import { type Reg, type VState, constReg, copyState, isPointer, mkReg, withFields } from './state';
import { markPrecise } from './precision';
import { U32, tnumAnd, tnumConst, tnumIntersect, tnumOr, tnumSubreg, tnumWithSubreg } from './tnum';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Class = { ...Class_ };
const Jmp = { ...Jmp_ };
const Src = { ...Src_ };
const aluOpOf = aluOpOf_;
const classOf = classOf_;

type Op = number;
/** The negation of JSET, for the fall-through side. */
export const JSET_NOT = 0x100;

export const NEGATE: Record<number, number> = {
  [Jmp.JEQ]: Jmp.JNE, [Jmp.JNE]: Jmp.JEQ, [Jmp.JGT]: Jmp.JLE, [Jmp.JGE]: Jmp.JLT, [Jmp.JLT]: Jmp.JGE, [Jmp.JLE]: Jmp.JGT,
  [Jmp.JSGT]: Jmp.JSLE, [Jmp.JSGE]: Jmp.JSLT, [Jmp.JSLT]: Jmp.JSGE, [Jmp.JSLE]: Jmp.JSGT, [Jmp.JSET]: JSET_NOT, [JSET_NOT]: Jmp.JSET,
};
/** a op b == b flip(op) a */
const FLIP: Record<number, number> = {
  [Jmp.JEQ]: Jmp.JEQ, [Jmp.JNE]: Jmp.JNE, [Jmp.JGT]: Jmp.JLT, [Jmp.JGE]: Jmp.JLE, [Jmp.JLT]: Jmp.JGT, [Jmp.JLE]: Jmp.JGE,
  [Jmp.JSGT]: Jmp.JSLT, [Jmp.JSGE]: Jmp.JSLE, [Jmp.JSLT]: Jmp.JSGT, [Jmp.JSLE]: Jmp.JSGE, [Jmp.JSET]: Jmp.JSET, [JSET_NOT]: JSET_NOT,
};

interface View {
  umin: bigint;
  umax: bigint;
  smin: bigint;
  smax: bigint;
  value: bigint;
  mask: bigint;
  isConst: boolean;
}

function view(b: Bounds, is32: boolean): View {
  if (is32) {
    const t = tnumSubreg(b.var);
    return { umin: b.u32min, umax: b.u32max, smin: b.s32min, smax: b.s32max, value: t.value, mask: t.mask, isConst: t.mask === 0n };
  }
  return { umin: b.umin, umax: b.umax, smin: b.smin, smax: b.smax, value: b.var.value, mask: b.var.mask, isConst: b.var.mask === 0n };
}

/** 1: always taken, 0: never, -1: unknown (is_scalar_branch_taken). */
export function scalarBranchTaken(a: Bounds, b: Bounds, op: Op, is32: boolean): 1 | 0 | -1 {
  const x = view(a, is32);
  const y = view(b, is32);
  switch (op) {
    case Jmp.JEQ:
    case Jmp.JNE: {
      let eq: 1 | 0 | -1 = -1;
      if (x.isConst && y.isConst) eq = x.value === y.value ? 1 : 0;
      else if (x.umin > y.umax || x.umax < y.umin || x.smin > y.smax || x.smax < y.smin) eq = 0;
      else if (((x.value ^ y.value) & ~(x.mask | y.mask) & (is32 ? U32 : (1n << 64n) - 1n)) !== 0n) eq = 0;
      else if (!is32 && (a.u32min > b.u32max || a.u32max < b.u32min || a.s32min > b.s32max || a.s32max < b.s32min)) eq = 0;
      if (eq === -1) return -1;
      return op === Jmp.JEQ ? eq : eq === 1 ? 0 : 1;
    }
    case Jmp.JSET:
    case JSET_NOT: {
      let r: 1 | 0 | -1 = -1;
      let p = x;
      let q = y;
      if (!q.isConst) [p, q] = [q, p];
      if (q.isConst) {
        if ((p.value & q.value) !== 0n) r = 1;
        else if (((p.mask | p.value) & q.value) === 0n) r = 0;
      }
      if (r === -1 || op === Jmp.JSET) return r;
      return r === 1 ? 0 : 1;
    }
    case Jmp.JGT:
      return x.umin > y.umax ? 1 : x.umax <= y.umin ? 0 : -1;
    case Jmp.JGE:
      return x.umin >= y.umax ? 1 : x.umax < y.umin ? 0 : -1;
    case Jmp.JLT:
      return x.umax < y.umin ? 1 : x.umin >= y.umax ? 0 : -1;
    case Jmp.JLE:
      return x.umax <= y.umin ? 1 : x.umin > y.umax ? 0 : -1;
    case Jmp.JSGT:
      return x.smin > y.smax ? 1 : x.smax <= y.smin ? 0 : -1;
    case Jmp.JSGE:
      return x.smin >= y.smax ? 1 : x.smax < y.smin ? 0 : -1;
    case Jmp.JSLT:
      return x.smax < y.smin ? 1 : x.smin >= y.smax ? 0 : -1;
    case Jmp.JSLE:
      return x.smax <= y.smin ? 1 : x.smin > y.smax ? 0 : -1;
    default:
      return -1;
  }
}

const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Narrows a and b (copies) assuming `a op b` holds (regs_refine_cond_op). */
export function refine(a: Bounds, b: Bounds, op: Op, is32: boolean): void {
  switch (op) {
    case Jmp.JEQ:
      if (is32) {
        a.u32min = b.u32min = maxB(a.u32min, b.u32min);
        a.u32max = b.u32max = minB(a.u32max, b.u32max);
        a.s32min = b.s32min = maxB(a.s32min, b.s32min);
        a.s32max = b.s32max = minB(a.s32max, b.s32max);
        const t = tnumIntersect(tnumSubreg(a.var), tnumSubreg(b.var));
        a.var = tnumWithSubreg(a.var, t);
        b.var = tnumWithSubreg(b.var, t);
      } else {
        a.umin = b.umin = maxB(a.umin, b.umin);
        a.umax = b.umax = minB(a.umax, b.umax);
        a.smin = b.smin = maxB(a.smin, b.smin);
        a.smax = b.smax = minB(a.smax, b.smax);
        a.var = b.var = tnumIntersect(a.var, b.var);
      }
      return;
    case Jmp.JNE: {
      let p = a;
      let q = b;
      if (!(is32 ? isConst32(q) : isConst(q))) [p, q] = [q, p];
      if (!(is32 ? isConst32(q) : isConst(q))) return;
      if (is32) {
        const v = tnumSubreg(q.var).value;
        const sv = BigInt.asIntN(32, v);
        if (p.u32min === v) p.u32min++;
        if (p.u32max === v) p.u32max--;
        if (p.s32min === sv) p.s32min++;
        if (p.s32max === sv) p.s32max--;
      } else {
        const v = q.var.value;
        const sv = BigInt.asIntN(64, v);
        if (p.umin === v) p.umin++;
        if (p.umax === v) p.umax--;
        if (p.smin === sv) p.smin++;
        if (p.smax === sv) p.smax--;
      }
      return;
    }
    case Jmp.JSET:
    case JSET_NOT: {
      let p = a;
      let q = b;
      if (!(is32 ? isConst32(q) : isConst(q))) [p, q] = [q, p];
      if (!(is32 ? isConst32(q) : isConst(q))) return;
      const v = is32 ? tnumSubreg(q.var).value : q.var.value;
      if (op === Jmp.JSET) {
        if (v === 0n || (v & (v - 1n)) !== 0n) return;
        if (is32) p.var = tnumWithSubreg(p.var, tnumOr(tnumSubreg(p.var), tnumConst(v)));
        else p.var = tnumOr(p.var, tnumConst(v));
      } else if (is32) {
        p.var = tnumWithSubreg(p.var, tnumAnd(tnumSubreg(p.var), tnumConst(~v & U32)));
      } else {
        p.var = tnumAnd(p.var, tnumConst(~v & ((1n << 64n) - 1n)));
      }
      return;
    }
    case Jmp.JLE:
      if (is32) {
        a.u32max = minB(a.u32max, b.u32max);
        b.u32min = maxB(b.u32min, a.u32min);
      } else {
        a.umax = minB(a.umax, b.umax);
        b.umin = maxB(b.umin, a.umin);
      }
      return;
    case Jmp.JLT:
      if (is32) {
        a.u32max = minB(a.u32max, b.u32max - 1n);
        b.u32min = maxB(b.u32min, a.u32min + 1n);
      } else {
        a.umax = minB(a.umax, b.umax - 1n);
        b.umin = maxB(b.umin, a.umin + 1n);
      }
      return;
    case Jmp.JSLE:
      if (is32) {
        a.s32max = minB(a.s32max, b.s32max);
        b.s32min = maxB(b.s32min, a.s32min);
      } else {
        a.smax = minB(a.smax, b.smax);
        b.smin = maxB(b.smin, a.smin);
      }
      return;
    case Jmp.JSLT:
      if (is32) {
        a.s32max = minB(a.s32max, b.s32max - 1n);
        b.s32min = maxB(b.s32min, a.s32min + 1n);
      } else {
        a.smax = minB(a.smax, b.smax - 1n);
        b.smin = maxB(b.smin, a.smin + 1n);
      }
      return;
    case Jmp.JGE:
    case Jmp.JGT:
    case Jmp.JSGE:
    case Jmp.JSGT:
      return refine(b, a, FLIP[op], is32);
    default:
      return;
  }
}

/** reg_not_null: pointer kinds the kernel knows are never NULL (not the stack or ctx). */
const NEVER_NULL = new Set(['map_value', 'map_key', 'ringbuf_mem', 'mem', 'btf_id']);
const nonNullPointer = (r: Reg): boolean => isPointer(r) && !r.maybeNull && NEVER_NULL.has(r.type);

/** Every register and spilled slot in every frame of st. */
function forEachReg(st: VState, fn: (r: Reg) => Reg | null): void {
  for (const f of st.frames) {
    for (let i = 0; i < f.regs.length; i++) {
      const n = fn(f.regs[i]);
      if (n) f.regs[i] = n;
    }
    for (let s = 0; s < f.spilled.length; s++) {
      const sp = f.spilled[s];
      if (!sp) continue;
      const n = fn(sp);
      if (n) f.spilled[s] = n;
    }
  }
}

/** mark_ptr_or_null_regs: every copy of the maybe-null pointer becomes NULL (a zero scalar) or the pointer. */
export function markPtrOrNull(st: VState, id: number, isNull: boolean): void {
  let refObjId = 0;
  forEachReg(st, (r) => {
    if (r.id !== id || !r.maybeNull) return null;
    if (r.refObjId) refObjId = r.refObjId;
    if (isNull) return constReg(0n);
    return withFields(r, { maybeNull: false, id: r.refObjId ? r.id : 0 });
  });
  if (isNull && refObjId) st.refs = st.refs.filter((x) => x.id !== refObjId);
}

/**
 * Copies refined bounds to every scalar sharing the id (sync_linked_regs); a scalar
 * linked with a difference gets the refined bounds moved by that difference.
 */
function syncLinked(st: VState, reg: Reg): void {
  if (!reg.id || reg.type !== 'scalar') return;
  const own = reg.addConst ? reg.off : 0;
  forEachReg(st, (r) => {
    if (r.type !== 'scalar' || r.id !== reg.id || r === reg) return null;
    const delta = (r.addConst ? r.off : 0) - own;
    if (delta === 0) return mkReg('scalar', reg, { id: r.id, off: r.off, addConst: r.addConst });
    const moved = scalarAlu('ADD', boundsOf(reg), known(BigInt(delta)), false);
    return mkReg('scalar', moved, { id: r.id, off: r.off, addConst: r.addConst });
  });
}

/** Applies `dst op src` to the scalars of st; false when the branch cannot happen, 'linked' when copies were refined too. */
function refineState(st: VState, insn: Insn, op: Op, is32: boolean): boolean | 'linked' {
  const f = st.frames[st.frames.length - 1];
  const dst = f.regs[insn.dst];
  const isX = (insn.code & Src.X) !== 0;
  const src = isX ? f.regs[insn.src] : constReg(BigInt(insn.imm));
  if (dst.type !== 'scalar' || src.type !== 'scalar') return true;
  const a = boundsOf(dst);
  const b = isX ? boundsOf(src) : known(BigInt(insn.imm));
  refine(a, b, op, is32);
  syncBounds(a);
  syncBounds(b);
  if (boundsInvalid(a) || boundsInvalid(b)) return false;
  const nd: Reg = mkReg(dst.type, a, dst);
  f.regs[insn.dst] = nd;
  syncLinked(st, nd);
  if (isX) {
    const ns: Reg = mkReg(src.type, b, src);
    f.regs[insn.src] = ns;
    syncLinked(st, ns);
  }
  return (dst.id !== 0 || (isX && src.id !== 0)) ? 'linked' : true;
}

/** Handles a conditional jump at env.insnIdx: sets the next instruction of the current path and queues the other. */
export function checkCondJmp(env: Env, insn: Insn): void {
  const op = aluOpOf(insn.code);
  const is32 = classOf(insn.code) === Class.JMP32;
  const isX = (insn.code & Src.X) !== 0;
  const dst = env.readReg(insn.dst);
  const src = isX ? env.readReg(insn.src) : constReg(BigInt(insn.imm));
  const target = env.insnIdx + insn.off + 1;
  const fall = env.insnIdx + 1;

  let pred: 1 | 0 | -1 = -1;
  if (dst.type === 'scalar' && src.type === 'scalar') {
    pred = scalarBranchTaken(boundsOf(dst), isX ? boundsOf(src) : is32 ? known(BigInt(insn.imm >>> 0)) : known(BigInt(insn.imm)), op, is32);
  } else {
    const [p, c] = isPointer(dst) ? [dst, src] : [src, dst];
    const zero = c.type === 'scalar' && (is32 ? isConst32(c) && (c.var.value & U32) === 0n : isConst(c) && c.var.value === 0n);
    if (nonNullPointer(p) && zero && (op === Jmp.JEQ || op === Jmp.JNE)) pred = op === Jmp.JEQ ? 0 : 1;
  }
  if (pred !== -1) {
    // The direction was decided by the values: they must stay what they are.
    if (dst.type === 'scalar') markPrecise(env, isX && src.type === 'scalar' ? [insn.dst, insn.src] : [insn.dst]);
    else if (isX && src.type === 'scalar') markPrecise(env, [insn.src]);
    env.cur.insn = pred === 1 ? target : fall;
    return;
  }

  const other = copyState(env.cur, true);
  other.insn = target;
  let otherOk = true;
  let curOk = true;
  if (!is32 && !isX && insn.imm === 0 && (op === Jmp.JEQ || op === Jmp.JNE) && dst.maybeNull && dst.id) {
    markPtrOrNull(other, dst.id, op === Jmp.JEQ);
    markPtrOrNull(env.cur, dst.id, op === Jmp.JNE);
  } else {
    const a = refineState(other, insn, op, is32);
    const b = refineState(env.cur, insn, NEGATE[op], is32);
    if ((a === 'linked' || b === 'linked') && env.curNode) env.curNode.linked = true;
    otherOk = a !== false;
    curOk = b !== false;
    if (otherOk !== curOk) {
      // One direction contradicts what is known of the values (their ranges and known
      // bits together): the branch is decided by them, as a decided branch above.
      if (dst.type === 'scalar') markPrecise(env, isX && src.type === 'scalar' ? [insn.dst, insn.src] : [insn.dst]);
      else if (isX && src.type === 'scalar') markPrecise(env, [insn.src]);
    }
  }
  if (otherOk && curOk) {
    env.pushBranch(other);
    env.cur.insn = fall;
  } else if (otherOk) {
    // The fall-through cannot happen: continue on the jump.
    const keepParent = env.cur.parent;
    env.cur = other;
    env.cur.parent = keepParent;
  } else {
    env.cur.insn = fall;
  }
}
