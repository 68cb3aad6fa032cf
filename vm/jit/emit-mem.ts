// WebAssembly for loads, stores and atomics. Each access first becomes a linear offset:
// a frame-relative one needs nothing (`fpb` + constant), a verifier-proven one a wrap of
// the register, and any other one goes through a per-site page cache (three globals:
// page base, window size, address upper half) that a miss refills through the `miss`
// import, which applies the interpreter's exact page-table check and raises its fault.
// The cache is emptied at every run and after any helper that might unmap memory.
// Atomics are plain read-modify-write sequences: the machine runs one program at a time,
// and WebAssembly's atomics would trap on unaligned addresses where eBPF's do not.
import type { OpName } from './wasm/opcodes';
import type { Op } from './decode';
import { Loc, type FnCtx } from './context';

/** Codes of the `what` argument of the miss import. */
export const MEM_WHAT = ['read', 'write', 'atomic access'] as const;

const PAGE = 4096;

/** Pushes the i32 linear address of the access at `pc` and returns the memarg offset to use with it. */
export function emitAddress(f: FnCtx, pc: number, base: number, off: number, bytes: number, what: 0 | 1 | 2): number {
  const { w, mod } = f;
  const a = f.plan.access.get(pc);
  if (!a) throw new Error(`no access plan for slot ${pc}`);
  switch (a.k) {
    case 'frame':
      w.get(Loc.FPB);
      return a.offset;
    case 'proven':
      w.get(base).op('i32.wrap_i64');
      if (off >= 0) return off;
      w.i32(off).op('i32.add');
      return 0;
    case 'checked': {
      const site = mod.newSite();
      w.get(base).i64(off).op('i64.add').tee(Loc.ADDR).op('i32.wrap_i64').tee(Loc.LIN);
      w.gget(site.base).op('i32.sub').gget(site.lim).op('i32.lt_u');
      w.get(Loc.ADDR).i64(32).op('i64.shr_u').op('i32.wrap_i64').tee(Loc.HI);
      w.gget(site.hi).op('i32.eq').op('i32.and').op('i32.eqz').if_();
      w.get(Loc.LEFT).gset(mod.g.left);
      w.get(Loc.LIN).get(Loc.HI).i32(bytes).i32(what).i32(pc).call(mod.imp.miss);
      // The page base when the access lies in one page (cache it), -1 when it spans two.
      w.tee(Loc.T32).gset(site.base);
      w.get(Loc.HI).gset(site.hi);
      w.i32(PAGE + 1 - bytes).i32(0).get(Loc.T32).i32(-1).op('i32.ne').op('select').gset(site.lim);
      w.end();
      w.get(Loc.LIN);
      return 0;
    }
    default: {
      const never: never = a;
      throw new Error(`unhandled access ${String(never)}`);
    }
  }
}

const LOADS: Record<number, [OpName, OpName]> = {
  1: ['i64.load8_u', 'i64.load8_s'],
  2: ['i64.load16_u', 'i64.load16_s'],
  4: ['i64.load32_u', 'i64.load32_s'],
  8: ['i64.load', 'i64.load'],
};
const STORES: Record<number, OpName> = { 1: 'i64.store8', 2: 'i64.store16', 4: 'i64.store32', 8: 'i64.store' };

export function emitLoad(f: FnCtx, pc: number, op: Extract<Op, { t: 'load' }>): void {
  const at = emitAddress(f, pc, op.base, op.off, op.bytes, 0);
  f.w.mem(LOADS[op.bytes][op.signed ? 1 : 0], op.bytes, at).set(op.dst);
}

export function emitStore(f: FnCtx, pc: number, op: Extract<Op, { t: 'store' }>): void {
  const at = emitAddress(f, pc, op.base, op.off, op.bytes, 1);
  if ('imm' in op.value) f.w.i64(op.value.imm);
  else f.w.get(op.value.reg);
  f.w.mem(STORES[op.bytes], op.bytes, at);
}

const RMW: Record<'add' | 'or' | 'and' | 'xor', OpName> = { add: 'i64.add', or: 'i64.or', and: 'i64.and', xor: 'i64.xor' };

export function emitAtomic(f: FnCtx, pc: number, op: Extract<Op, { t: 'atomic' }>): void {
  const { w } = f;
  const at = emitAddress(f, pc, op.base, op.off, op.bytes, 2);
  w.set(Loc.A32);
  const load = (): void => void w.get(Loc.A32).mem(op.bytes === 8 ? 'i64.load' : 'i64.load32_u', op.bytes, at);
  const store = (): void => void w.mem(STORES[op.bytes], op.bytes, at);
  const s = op.src;
  switch (op.op) {
    case 'add':
    case 'or':
    case 'and':
    case 'xor':
      if (!op.fetch) {
        w.get(Loc.A32);
        load();
        w.get(s).op(RMW[op.op]);
        store();
        return;
      }
      load();
      w.set(Loc.OLD).get(Loc.A32).get(Loc.OLD).get(s).op(RMW[op.op]);
      store();
      w.get(Loc.OLD).set(s);
      return;
    case 'xchg':
      load();
      w.set(Loc.OLD).get(Loc.A32).get(s);
      store();
      w.get(Loc.OLD).set(s);
      return;
    case 'cmpxchg':
      load();
      w.tee(Loc.OLD).get(0);
      if (op.bytes === 4) w.i64(0xffffffff).op('i64.and');
      w.op('i64.eq').if_().get(Loc.A32).get(s);
      store();
      w.end().get(Loc.OLD).set(0);
      return;
    default: {
      const never: never = op.op;
      throw new Error(`unhandled atomic ${String(never)}`);
    }
  }
}

/** An atomic with an unknown operation: its address is checked (and may fault) first. */
export function emitAtomicBadAddress(f: FnCtx, pc: number, op: Extract<Op, { t: 'atomic_bad' }>): void {
  emitAddress(f, pc, op.base, op.off, op.bytes, 2);
  f.w.op('drop');
}
