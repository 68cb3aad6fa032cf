// State pruning (the kernel's is_state_visited and states_equal): at prune points the
// current state is compared with the checkpoints recorded there; if one already proven
// safe covers it (every register and stack slot its continuation read holds at most
// the values it allowed), the path stops. Checkpoints still being explored (loops)
// are used only to detect an infinite loop: an exact repeat of an earlier state.
import type { Env } from './env';
import { type Frame, type Reg, type VState, Live as Live_, Slot as Slot_, STACK_SLOTS, copyState, unlinked } from './state';
import { rangeWithin } from './scalar';
import { tnumEq, tnumIn } from './tnum';
import { propagatePrecision } from './precision';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Live = { ...Live_ };
const Slot = { ...Slot_ };

type Mode = 'not_exact' | 'range_within' | 'exact';

class IdMap {
  private fwd = new Map<number, number>();
  private back = new Map<number, number>();
  /** Old id a must correspond to current id b, consistently both ways. */
  check(a: number, b: number): boolean {
    if (!a && !b) return true;
    if (!a || !b) return false;
    const f = this.fwd.get(a);
    const g = this.back.get(b);
    if (f === undefined && g === undefined) {
      this.fwd.set(a, b);
      this.back.set(b, a);
      return true;
    }
    return f === b && g === a;
  }
}

function regsExact(o: Reg, c: Reg, ids: IdMap): boolean {
  return o.type === c.type && o.maybeNull === c.maybeNull && o.off === c.off && o.addConst === c.addConst && tnumEq(o.var, c.var) && o.smin === c.smin && o.smax === c.smax &&
    o.umin === c.umin && o.umax === c.umax && o.s32min === c.s32min && o.s32max === c.s32max && o.u32min === c.u32min && o.u32max === c.u32max &&
    o.map === c.map && o.memSize === c.memSize && o.frameno === c.frameno && o.btf === c.btf && o.subprog === c.subprog &&
    ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId);
}

/** regsafe: may the explored register `o` stand for the current `c`? */
function regSafe(o: Reg, c: Reg, live: number, mode: Mode, ids: IdMap, precise = true): boolean {
  if (mode === 'not_exact' && !(live & Live.READ)) return true;
  if (o.type === 'not_init') return mode !== 'exact' || c.type === 'not_init';
  if (mode === 'exact') return regsExact(o, c, ids);
  if (o.type !== c.type || o.maybeNull !== c.maybeNull) return false;
  switch (o.type) {
    case 'scalar':
      // No path below used its value for a decision: any scalar will do. (Copies linked
      // by id that matter are precise too: backtracking follows refinements to them.)
      if (!precise && mode === 'not_exact') return true;
      if (!(rangeWithin(o, c) && tnumIn(o.var, c.var))) return false;
      // Scalars linked in the old state must be linked the same way now.
      return o.id === 0 || (ids.check(o.id, c.id) && o.addConst === c.addConst && o.off === c.off);
    case 'map_value':
    case 'map_key':
    case 'ringbuf_mem':
      return o.off === c.off && o.map === c.map && o.memSize === c.memSize && rangeWithin(o, c) && tnumIn(o.var, c.var) &&
        ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId);
    case 'fp':
      return regsExact(o, c, ids);
    default:
      return regsExact(o, c, ids);
  }
}

function stackSafe(o: Frame, c: Frame, mode: Mode, ids: IdMap, allPrecise: boolean): boolean {
  for (let s = 0; s < STACK_SLOTS; s++) {
    if (mode === 'not_exact' && !(o.stackLive[s] & Live.READ)) continue;
    const base = s * 8;
    const os0 = o.spilled[s];
    if (mode === 'not_exact' && !allPrecise && !o.stackPrecise[s] && os0 && os0.type === 'scalar' && o.bytes[base] === Slot.SPILL) {
      // An imprecise spilled scalar: the slot may hold any scalar bytes now, not a pointer.
      const cs0 = c.spilled[s];
      if (cs0 && cs0.type !== 'scalar' && c.bytes[base] === Slot.SPILL) return false;
      let ok = true;
      for (let k = 0; k < 8; k++) if (o.bytes[base + k] === Slot.ZERO && c.bytes[base + k] !== Slot.ZERO) ok = false;
      if (!ok) return false;
      continue;
    }
    for (let k = 0; k < 8; k++) {
      const ot = o.bytes[base + k];
      const ct = c.bytes[base + k];
      if (mode === 'exact') {
        if (ot !== ct) return false;
        continue;
      }
      // Unknown or uninitialised bytes (readable in privileged mode) cover anything.
      if (ot === Slot.INVALID || ot === Slot.MISC) continue;
      if (ot === Slot.ZERO) {
        if (ct === Slot.ZERO) continue;
        const sp = c.spilled[s];
        if (ct === Slot.SPILL && sp && sp.type === 'scalar' && sp.var.mask === 0n && sp.var.value === 0n) continue;
        return false;
      }
      if (ct !== Slot.SPILL) return false;
    }
    const os = o.spilled[s];
    if (os && o.bytes[base] === Slot.SPILL) {
      const cs = c.spilled[s];
      if (!cs || c.bytes[base] !== Slot.SPILL) return false;
      if (!regSafe(os, cs, Live.READ, mode, ids, allPrecise || o.stackPrecise[s] === 1)) return false;
    } else if (mode === 'exact' && (o.spilled[s] !== null) !== (c.spilled[s] !== null)) {
      return false;
    }
  }
  return true;
}

export function statesEqual(o: VState, c: VState, mode: Mode, allPrecise = true): boolean {
  if (o.frames.length !== c.frames.length) return false;
  const ids = new IdMap();
  if (o.refs.length !== c.refs.length) return false;
  for (let i = 0; i < o.refs.length; i++) if (!ids.check(o.refs[i].id, c.refs[i].id)) return false;
  for (let f = 0; f < o.frames.length; f++) {
    const of = o.frames[f];
    const cf = c.frames[f];
    if (of.callsite !== cf.callsite || of.callback !== cf.callback) return false;
    for (let r = 0; r < 10; r++) if (!regSafe(of.regs[r], cf.regs[r], of.regLive[r], mode, ids, allPrecise || of.regPrecise[r] === 1)) return false;
    if (!stackSafe(of, cf, mode, ids, allPrecise)) return false;
  }
  return true;
}

/** propagate_liveness: what the covering state's continuation read, the current path reads too. */
function propagateLiveness(env: Env, sl: VState, cur: VState): void {
  for (let f = 0; f < sl.frames.length; f++) {
    const sf = sl.frames[f];
    for (let r = 0; r < 10; r++) if (sf.regLive[r] & Live.READ) env.markRegRead(cur, f, r);
    for (let s = 0; s < STACK_SLOTS; s++) if (sf.stackLive[s] & Live.READ) env.markStackRead(cur, f, s);
  }
}

/** The quick test before an exact comparison (states_maybe_looping). */
function maybeLooping(o: VState, c: VState): boolean {
  if (o.frames.length !== c.frames.length) return false;
  const of = o.frames[o.frames.length - 1];
  const cf = c.frames[c.frames.length - 1];
  for (let r = 0; r < 11; r++) {
    const a = of.regs[r];
    const b = cf.regs[r];
    if (a.type !== b.type || a.var.value !== b.var.value || a.var.mask !== b.var.mask || a.off !== b.off || a.umax !== b.umax || a.smin !== b.smin) return false;
  }
  return true;
}

/** The checkpoints recorded at one instruction. */
export interface Checkpoints {
  /** Complete checkpoints: every path below them was explored; these prune. */
  done: VState[];
  /** Checkpoints with paths still being explored (the current path is inside their loop). */
  active: Set<VState>;
  /** Active and former active checkpoints by the fingerprint of their current frame's registers. */
  byRegs: Map<number, VState[]>;
}

/** Exact text of the current frame's registers: equal states have equal fingerprints. */
function fingerprint(st: VState): number {
  const f = st.frames[st.frames.length - 1];
  let h = st.frames.length;
  for (const r of f.regs) h = (Math.imul(h, 31) + regKey(r)) | 0;
  return h;
}

const TYPE_CODE: Record<string, number> = { not_init: 0, scalar: 1, ctx: 2, map_ptr: 3, map_value: 4, map_key: 5, fp: 6, ringbuf_mem: 7, btf_id: 8, func: 9, mem: 10 };
/** A hash of the fields an exact comparison looks at first (equal registers hash equally), cached on the register. */
function regKey(r: Reg): number {
  if (r.hash === 0) {
    const mix = r.var.value ^ (r.var.mask << 7n) ^ (r.umax << 13n) ^ (r.smin << 3n);
    r.hash = ((Math.imul(TYPE_CODE[r.type] * 2 + (r.maybeNull ? 1 : 0), 0x9e3779b1) + r.off * 131 + Number(BigInt.asIntN(32, mix ^ (mix >> 32n)))) | 0) || 1;
  }
  return r.hash;
}

function checkpointsAt(env: Env, idx: number): Checkpoints {
  let c = env.explored.get(idx);
  if (!c) env.explored.set(idx, (c = { done: [], active: new Set(), byRegs: new Map() }));
  return c;
}

/** Returns true when the current path is covered by a checkpoint and can stop here. */
export function isStateVisited(env: Env, idx: number): boolean {
  const cur = env.cur;
  const force = env.cfg.forceCheckpoint[idx] === 1;
  let addNew = force;
  if (env.jmpsProcessed - env.prevJmpsProcessed >= 2 && env.processed - env.prevInsnProcessed >= 8) addNew = true;
  const cps = checkpointsAt(env, idx);
  let fp: number | undefined;
  if (cps.active.size > 0) {
    if (force) {
      // A callback loop: the state at the call is covered if it repeats within an earlier one.
      for (const sl of cps.active) {
        if (statesEqual(sl, cur, 'range_within')) {
          sl.hits++;
          return true;
        }
      }
    } else {
      fp = fingerprint(cur);
      for (const sl of cps.byRegs.get(fp) ?? []) {
        // Not across callback iterations: each entry into a callback is a new unrolling.
        if (sl.branches > 0 && sl.callbackUnrollDepth === cur.callbackUnrollDepth && statesEqual(sl, cur, 'exact')) {
          env.log.line(`infinite loop detected at insn ${idx}`);
          if (env.level >= 1) {
            env.log.line(`cur state: ${env.stateText(cur)}`);
            env.log.line(`old state: ${env.stateText(sl)}`);
          }
          env.reject(`infinite loop detected at insn ${idx}`);
        }
      }
      if (env.jmpsProcessed - env.prevJmpsProcessed < 20 && env.processed - env.prevInsnProcessed < 100) addNew = false;
    }
  }
  const list = cps.done;
  for (let k = 0; k < list.length; k++) {
    const sl = list[k];
    if (statesEqual(sl, cur, 'not_exact', env.allPrecise)) {
      sl.hits++;
      propagateLiveness(env, sl, cur);
      propagatePrecision(env, sl);
      return true;
    }
    if (addNew) sl.misses++;
    if (sl.misses > sl.hits * 3 + 3) {
      list.splice(k, 1);
      k--;
      env.curStates--;
    }
  }
  const count = list.length + cps.active.size;
  if (count > env.maxStatesPerInsn) env.maxStatesPerInsn = count;
  if (!addNew) return false;
  env.totalStates++;
  env.curStates++;
  if (env.curStates > env.peakStates) env.peakStates = env.curStates;
  env.prevJmpsProcessed = env.jmpsProcessed;
  env.prevInsnProcessed = env.processed;
  const saved = copyState(cur, true, true);
  clearSingularIds(saved);
  saved.insn = idx;
  saved.branches = 1;
  saved.parent = cur.parent;
  cps.active.add(saved);
  const key = fp ?? fingerprint(cur);
  const same = cps.byRegs.get(key);
  if (same) same.push(saved);
  else cps.byRegs.set(key, [saved]);
  cur.parent = saved;
  cur.hist = null;
  for (const f of cur.frames) {
    f.regLive.fill(Live.NONE);
    f.stackLive.fill(Live.NONE);
  }
  return false;
}

/** A path ended (exit, or pruned): the checkpoints it descends from may now be complete. */
export function pathEnded(env: Env, st: VState): void {
  let p = st.parent;
  while (p) {
    p.branches--;
    if (p.branches > 0) break;
    const cps = env.explored.get(p.insn);
    if (cps && cps.active.delete(p)) {
      cps.done.push(p);
      const key = fingerprint(p);
      const same = cps.byRegs.get(key);
      if (same) {
        const at = same.indexOf(p);
        if (at >= 0) same.splice(at, 1);
        if (!same.length) cps.byRegs.delete(key);
      }
    }
    p = p.parent;
  }
}

/** Scalar ids held by a single register or slot link nothing: dropping them helps pruning. */
function clearSingularIds(st: VState): void {
  const count = new Map<number, number>();
  for (const f of st.frames) {
    for (const r of f.regs) if (r.type === 'scalar' && r.id) count.set(r.id, (count.get(r.id) ?? 0) + 1);
    for (const r of f.spilled) if (r && r.type === 'scalar' && r.id) count.set(r.id, (count.get(r.id) ?? 0) + 1);
  }
  for (const f of st.frames) {
    for (let i = 0; i < f.regs.length; i++) {
      const r = f.regs[i];
      if (r.type === 'scalar' && r.id && count.get(r.id) === 1) f.regs[i] = unlinked(r);
    }
    for (let i = 0; i < f.spilled.length; i++) {
      const r = f.spilled[i];
      if (r && r.type === 'scalar' && r.id && count.get(r.id) === 1) f.spilled[i] = unlinked(r);
    }
  }
}
