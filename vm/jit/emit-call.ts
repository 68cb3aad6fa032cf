// WebAssembly for calls and faults. Helper calls publish the budget, the slot (for a
// fault the helper raises) and r10's low half (for callbacks) in globals, call the
// helper's import with r1.. as i64 (BigInts on the JavaScript side), and take back the
// budget a callback may have used. Fast paths pass linear offsets instead (imports bound
// to one map) or run in WebAssembly (array lookups). bpf-to-bpf calls check the frame
// depth, pass r0-r9 and the callee's r10 (512 bytes lower), and take back r0-r5.
import { Limits } from '../isa/opcodes';
import { ValType } from './wasm/opcodes';
import type { FaultKind } from '../engine';
import type { CallPlan } from './plan';
import type { FastPath } from './fast-helpers';
import { Loc, REG_COUNT, RESULT_REGS, type FnCtx } from './context';

const STACK = Limits.STACK_SIZE;

/** Stores the budget left in its global, so that a fault or a nested run sees it. */
export function syncLeft(f: FnCtx): void {
  f.w.get(Loc.LEFT).gset(f.mod.g.left);
}

/** Ends the program with a fault (the budget is published first). */
export function emitFault(f: FnCtx, kind: FaultKind, message: string, pc: number): void {
  syncLeft(f);
  f.w.i32(f.mod.faultIndex(kind, message, pc)).call(f.mod.imp.fault).op('unreachable');
}

/** Subtracts a segment of `len` instructions starting at slot `pc` from the budget; faults there if it does not cover them. */
export function emitBudget(f: FnCtx, pc: number, len: number): void {
  const { w, mod } = f;
  w.get(Loc.LEFT).i32(len).op('i32.sub').tee(Loc.LEFT).i32(0).op('i32.lt_s').if_();
  w.i32(pc).get(Loc.LEFT).i32(len).op('i32.add').call(mod.imp.budget).op('unreachable');
  w.end();
}

/** Control reached a slot outside the program: like the interpreter, that costs one instruction of budget, then faults. */
export function emitOutside(f: FnCtx, target: number): void {
  emitBudget(f, target, 1);
  emitFault(f, 'bad_jump', `control left the program at slot ${target}`, target);
}

function afterGeneric(f: FnCtx): void {
  f.w.set(0).gget(f.mod.g.left).set(Loc.LEFT);
  if (f.mod.tlbReset >= 0) f.w.call(f.mod.tlbReset);
}

function beforeGeneric(f: FnCtx, pc: number): void {
  syncLeft(f);
  f.w.i32(pc).gset(f.mod.g.pc).get(10).op('i32.wrap_i64').gset(f.mod.g.r10);
}

export function emitHelperCall(f: FnCtx, pc: number, plan: CallPlan | undefined): void {
  const { w, mod } = f;
  if (!plan) throw new Error(`no call plan for slot ${pc}`);
  switch (plan.k) {
    case 'unknown':
      emitFault(f, 'helper', `unknown helper ${plan.id}`, pc);
      return;
    case 'generic': {
      beforeGeneric(f, pc);
      const n = mod.arity(plan.id);
      for (let r = 1; r <= n; r++) w.get(r);
      w.call(mod.imp.helper.get(plan.id)!);
      afterGeneric(f);
      return;
    }
    case 'fast':
      emitFast(f, pc, plan.path);
      return;
    default: {
      const never: never = plan;
      throw new Error(`unhandled call plan ${String(never)}`);
    }
  }
}

/** The linear address of an r10-relative stack offset. */
const frameLin = (f: FnCtx, off: number): void => void f.w.get(Loc.FPB).i32(off + STACK).op('i32.add');

function emitFast(f: FnCtx, pc: number, p: FastPath): void {
  const { w, mod } = f;
  switch (p.k) {
    case 'lookup_array':
      w.get(Loc.FPB).mem('i32.load', 4, p.keyOff + STACK).tee(Loc.T32).i32(p.map.spec.maxEntries).op('i32.lt_u').if_(ValType.i64);
      w.i64(p.base).get(Loc.T32).op('i64.extend_i32_u').i64(p.stride).op('i64.mul').op('i64.add');
      if (p.perCpu) w.call(mod.imp.cpu).op('i64.extend_i32_u').i64(p.valueRound).op('i64.mul').op('i64.add');
      w.else_().i64(0).end().set(0);
      return;
    case 'lookup':
      syncLeft(f);
      w.i32(pc).gset(mod.g.pc);
      frameLin(f, p.keyOff);
      w.call(mod.imp.lookup.get(p.map)!).set(0);
      return;
    case 'update':
      syncLeft(f);
      w.i32(pc).gset(mod.g.pc);
      frameLin(f, p.keyOff);
      frameLin(f, p.valueOff);
      w.get(4).op('i32.wrap_i64').call(mod.imp.update.get(p.map)!).op('i64.extend_i32_s').set(0);
      if (mod.tlbReset >= 0) w.call(mod.tlbReset); // an LRU eviction may unmap pages
      return;
    case 'comm':
      syncLeft(f);
      w.i32(pc).gset(mod.g.pc);
      frameLin(f, p.bufOff);
      w.i32(p.size).call(mod.imp.comm).op('i64.extend_i32_s').set(0);
      return;
    default: {
      const never: never = p;
      throw new Error(`unhandled fast path ${String(never)}`);
    }
  }
}

export function emitCallx(f: FnCtx, pc: number, reg: number): void {
  beforeGeneric(f, pc);
  f.w.get(reg).op('i32.wrap_i64');
  for (let r = 1; r <= 5; r++) f.w.get(r);
  f.w.call(f.mod.imp.callx);
  afterGeneric(f);
}

/** Pushes the callee's r10: the caller's with its low half 512 lower (the upper half is kept, as the interpreter keeps it). */
function calleeFp(f: FnCtx): void {
  const { w } = f;
  if (f.mod.staticFp) {
    w.get(10).i64(STACK).op('i64.sub');
    return;
  }
  w.get(10).i64(-0x100000000n).op('i64.and');
  w.get(10).op('i32.wrap_i64').i32(STACK).op('i32.sub').op('i64.extend_i32_u').op('i64.or');
}

export function emitLocalCall(f: FnCtx, pc: number, target: number): void {
  const { w, mod } = f;
  syncLeft(f);
  w.gget(mod.g.depth).i32(Limits.MAX_CALL_FRAMES).op('i32.ge_u').if_();
  w.i32(mod.faultIndex('call_depth', `more than ${Limits.MAX_CALL_FRAMES} nested frames`, pc)).call(mod.imp.fault).op('unreachable');
  w.end();
  const fn = mod.fn.get(target);
  if (fn === undefined) {
    emitOutside(f, target);
    return;
  }
  w.gget(mod.g.depth).i32(1).op('i32.add').gset(mod.g.depth);
  for (let r = 0; r < REG_COUNT - 1; r++) w.get(r);
  calleeFp(f);
  w.call(fn);
  for (let r = RESULT_REGS - 1; r >= 0; r--) w.set(r);
  w.gget(mod.g.depth).i32(1).op('i32.sub').gset(mod.g.depth);
  w.gget(mod.g.left).set(Loc.LEFT);
}
