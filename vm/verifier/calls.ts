// Calls and returns (the kernel's check_helper_call, check_func_call and
// prepare_func_exit): helper arguments checked against the prototype table of
// vm/helpers/protos.ts, return values typed, r1-r5 clobbered; bpf-to-bpf calls entering a
// new frame; for_each_map_elem callbacks verified as frames called again and again; and
// the checks at program exit (r0 a scalar, every ring buffer reservation released).
import type { Insn } from '../isa/insn';
import { Limits } from '../isa/opcodes';
import { type ArgKind, type HelperProto, helperById } from '../helpers/protos';
import { kfuncById } from '../helpers/kfuncs';
import { MapType } from '../maps/types';
import type { Env } from './env';
import { type Reg, type VState, Live, NOT_INIT, Slot, constReg, copyState, isPointer, newFrame, ptrReg, scalarReg, typeName, unknownReg } from './state';
import { checkHelperMem, checkPtrOffZero, checkRegion } from './mem';
import { isConst, known, syncBounds, unbounded } from './scalar';
import { tnumIsConst } from './tnum';
import { markPrecise } from './precision';

/** Type lists the kernel prints after `expected=`. */
const MEM_TYPES = 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_';
const MEM_OK = new Set(['fp', 'map_key', 'map_value', 'ringbuf_mem', 'btf_id', 'mem']);
/** Largest size argument (BPF_MAX_VAR_SIZ). */
const MAX_VAR_SIZ = 1n << 29n;
const MAX_ERRNO = 4095n;

const GET_SMP_PROCESSOR_ID = 8;
/** Helpers whose return is at most the size argument (do_refine_retval_range). */
const RET_BOUNDED_BY_SIZE = new Set([45, 67, 114, 115]);

interface CallMeta {
  map: number;
  /** A constant key for array lookups, when the key bytes are known. */
  constKey?: bigint;
  memSize: number;
  releaseRef: number;
  msizeMax: bigint;
  callback: number;
  /** Register and size of an uninit-memory argument the helper fills (raw mode). */
  raw?: { regno: number; size: number };
}

function typeMismatch(env: Env, regno: number, r: Reg, expected: string): never {
  env.reject(`R${regno} type=${typeName(r)} expected=${expected}`);
}

/** For array maps: the key's value when the stack bytes it points to are a known constant. */
function constantKey(env: Env, r: Reg, size: number): bigint | undefined {
  if (r.type !== 'fp' || !tnumIsConst(r.var) || size !== 4) return undefined;
  const f = env.cur.frames[r.frameno];
  const off = Number(BigInt.asIntN(64, r.var.value)) + r.off;
  const b0 = 512 + off;
  if (b0 < 0 || b0 + size > 512) return undefined;
  const slot = b0 >> 3;
  const sp = f.spilled[slot];
  if ((b0 & 7) === 0 && sp && sp.type === 'scalar' && isConst(sp) && f.bytes[b0] === Slot.SPILL) {
    let n = 0;
    while (n < 8 && f.bytes[slot * 8 + n] === Slot.SPILL) n++;
    if (n >= size) return sp.var.value & 0xffffffffn;
  }
  for (let b = b0; b < b0 + size; b++) if (f.bytes[b] !== Slot.ZERO) return undefined;
  return 0n;
}

/** The stack slot a constant key was read from must keep its value. */
function keySlot(r: Reg): number[] {
  if (r.type !== 'fp' || !tnumIsConst(r.var)) return [];
  const b0 = 512 + Number(BigInt.asIntN(64, r.var.value)) + r.off;
  return b0 >= 0 && b0 < 512 ? [r.frameno * 64 + (b0 >> 3)] : [];
}

function checkArg(env: Env, h: HelperProto, idx: number, kind: ArgKind, meta: CallMeta, prevReg: () => number): void {
  const regno = idx + 1;
  const r = env.readReg(regno);
  const maps = env.spec.maps;
  switch (kind) {
    case 'anything':
      return;
    case 'const_map_ptr':
      if (r.type !== 'map_ptr') typeMismatch(env, regno, r, 'map_ptr');
      meta.map = r.map;
      return;
    case 'ptr_to_map_key':
    case 'ptr_to_map_value': {
      if (!MEM_OK.has(r.type) || r.maybeNull) typeMismatch(env, regno, r, MEM_TYPES);
      if (meta.map < 0) env.reject(`invalid map_ptr to access map->${kind === 'ptr_to_map_key' ? 'key' : 'value'}`);
      const m = maps[meta.map];
      const size = kind === 'ptr_to_map_key' ? m.keySize : m.valueSize;
      checkHelperMem(env, regno, size, false, false);
      if (kind === 'ptr_to_map_key') {
        meta.constKey = constantKey(env, r, size);
        const m2 = maps[meta.map];
        if (meta.constKey !== undefined && (m2.type === MapType.ARRAY || m2.type === MapType.PERCPU_ARRAY)) markPrecise(env, [], keySlot(r));
      }
      return;
    }
    case 'ptr_to_mem':
    case 'ptr_to_uninit_mem':
      if (!MEM_OK.has(r.type) || r.maybeNull) typeMismatch(env, regno, r, MEM_TYPES);
      return;
    case 'const_size':
    case 'const_size_or_zero': {
      if (r.type !== 'scalar') typeMismatch(env, regno, r, 'scalar');
      markPrecise(env, [regno]);
      const zeroOk = kind === 'const_size_or_zero';
      meta.msizeMax = r.umax;
      if (r.smin < 0n) env.reject(`R${regno} min value is negative, either use unsigned or 'var &= const'`);
      if (r.umin === 0n && !zeroOk) env.reject(`R${regno} invalid zero-sized read: u64=[${r.umin},${r.umax}]`);
      if (r.umax >= MAX_VAR_SIZ) env.reject(`R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
      const memReg = prevReg();
      const write = h.args[idx - 1] === 'ptr_to_uninit_mem';
      checkHelperMem(env, memReg, Number(r.umax), write, zeroOk);
      if (write && tnumIsConst(r.var)) meta.raw = { regno: memReg, size: Number(r.umax) };
      return;
    }
    case 'const_alloc_size_or_zero':
      if (r.type !== 'scalar') typeMismatch(env, regno, r, 'scalar');
      if (!tnumIsConst(r.var)) env.reject(`R${regno} is not a known constant'`);
      markPrecise(env, [regno]);
      meta.memSize = Number(r.var.value);
      return;
    case 'ptr_to_ctx':
      if (r.type !== 'ctx') typeMismatch(env, regno, r, 'ctx');
      checkPtrOffZero(env, r, regno);
      return;
    case 'ptr_to_ringbuf_mem':
      if (r.type !== 'ringbuf_mem' || r.maybeNull) typeMismatch(env, regno, r, 'ringbuf_mem');
      if (r.off !== 0 || !tnumIsConst(r.var) || r.var.value !== 0n) env.reject(`R${regno} must have zero offset when passed to release func`);
      if (!r.refObjId) env.reject(`R${regno} must be referenced when passed to release function`);
      meta.releaseRef = r.refObjId;
      return;
    case 'ptr_to_func':
      if (r.type !== 'func') typeMismatch(env, regno, r, 'func');
      meta.callback = r.subprog;
      return;
    case 'ptr_to_stack_or_null':
      if (r.type === 'scalar' && isConst(r) && r.var.value === 0n) return;
      if (r.type !== 'fp') typeMismatch(env, regno, r, 'fp');
      return;
    default: {
      const never: never = kind;
      env.reject(`unsupported argument kind ${String(never)}`);
    }
  }
}

/** check_map_func_compatibility: which map types each helper accepts. */
function checkMapCompat(env: Env, h: HelperProto, mapIdx: number): void {
  if (mapIdx < 0) return;
  const t = env.spec.maps[mapIdx].type;
  const bad = (): never => env.reject(`cannot pass map_type ${t} into func bpf_${h.name}#${h.id}`);
  const ringbufHelpers = [130, 131];
  if (t === MapType.RINGBUF && !ringbufHelpers.includes(h.id)) bad();
  if (ringbufHelpers.includes(h.id) && t !== MapType.RINGBUF) bad();
  if (t === MapType.PERF_EVENT_ARRAY && h.id !== 25) bad();
  if (h.id === 25 && t !== MapType.PERF_EVENT_ARRAY) bad();
  if (t === MapType.STACK_TRACE && h.id !== 27 && h.id !== 1) bad();
  if (h.id === 27 && t !== MapType.STACK_TRACE) bad();
  if (t === MapType.PROG_ARRAY) bad();
  const isArray = t === MapType.ARRAY || t === MapType.PERCPU_ARRAY;
  if (h.id === 3 && isArray) void 0; // delete on arrays fails at run time (-EINVAL), as in the kernel
  if (h.id === 195 && t !== MapType.PERCPU_ARRAY && t !== MapType.PERCPU_HASH && t !== MapType.LRU_PERCPU_HASH) bad();
  if (h.id === 164 && ![MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH].includes(t as 1)) bad();
}

export function checkHelperCall(env: Env, insn: Insn): void {
  const h = helperById(insn.imm);
  if (!h) env.reject(`invalid func unknown#${insn.imm}`);
  if (h.kprobeOnly && env.spec.type !== 'kprobe') env.reject(`program of this type cannot use helper bpf_${h.name}#${h.id}`);
  if ((h.id === 25 || h.id === 27 || h.id === 58 || h.id === 67 || h.id === 173) && env.spec.type === 'raw') {
    env.reject(`program of this type cannot use helper bpf_${h.name}#${h.id}`);
  }
  const meta: CallMeta = { map: -1, memSize: 0, releaseRef: 0, msizeMax: 0n, callback: -1 };
  const nargs = h.maxArgs ? Math.min(h.maxArgs, 5) : h.args.length;
  let lastMemReg = 0;
  for (let i = 0; i < nargs; i++) {
    const kind = h.args[i] ?? 'anything';
    if (h.maxArgs && i >= h.args.length) {
      // Variadic extras only need to be initialised when present: trace_printk's unused args may be anything.
      continue;
    }
    if (h.maxArgs && i > 1 && env.frame().regs[i + 1].type === 'not_init') continue;
    checkArg(env, h, i, kind, meta, () => lastMemReg);
    if (kind === 'ptr_to_mem' || kind === 'ptr_to_uninit_mem') lastMemReg = i + 1;
  }
  checkMapCompat(env, h, meta.map);

  if (meta.releaseRef) {
    const id = meta.releaseRef;
    if (!env.cur.refs.some((x) => x.id === id)) env.reject(`R1 must be referenced when passed to release function`);
    env.cur.refs = env.cur.refs.filter((x) => x.id !== id);
    // Every copy of the released pointer becomes a plain scalar.
    for (const f of env.cur.frames) {
      for (let r = 0; r < f.regs.length; r++) if (f.regs[r].refObjId === id) f.regs[r] = unknownReg();
      for (let s = 0; s < f.spilled.length; s++) if (f.spilled[s]?.refObjId === id) f.spilled[s] = unknownReg();
    }
  }

  if (meta.callback >= 0) {
    enterCallback(env, insn, h, meta);
    return;
  }

  env.clobberCallerSaved();
  setReturn(env, h, meta);
  env.cur.insn = env.insnIdx + 1;
}

/**
 * A kernel function call (check_kfunc_call): the prototype from vm/helpers/kfuncs.ts; an
 * acquiring kfunc's pointer carries a reference that must be released before exit, and
 * a releasing one takes a referenced, non-NULL pointer at offset 0.
 */
export function checkKfuncCall(env: Env, insn: Insn): void {
  const k = kfuncById(insn.imm);
  if (!k) env.reject(`kernel btf_id ${insn.imm} is not a function`);
  const r1 = env.readReg(1);
  let release = 0;
  if (k.arg.kind === 'scalar') {
    if (r1.type !== 'scalar') typeMismatch(env, 1, r1, 'scalar');
  } else {
    if (r1.type !== 'btf_id' || r1.btf !== k.arg.btf) typeMismatch(env, 1, r1, `trusted_ptr_${k.arg.btf}`);
    if (r1.maybeNull) env.reject(`Possibly NULL pointer passed to trusted arg0`);
    if (r1.off !== 0 || !tnumIsConst(r1.var) || r1.var.value !== 0n) env.reject(`R1 must have zero offset when passed to release func or trusted arg to kfunc`);
    if (k.release) {
      if (!r1.refObjId || !env.cur.refs.some((x) => x.id === r1.refObjId)) env.reject(`release kernel function ${k.name} expects refcounted PTR_TO_BTF_ID`);
      release = r1.refObjId;
    }
  }
  if (release) {
    env.cur.refs = env.cur.refs.filter((x) => x.id !== release);
    for (const f of env.cur.frames) {
      for (let r = 0; r < f.regs.length; r++) if (f.regs[r].refObjId === release) f.regs[r] = unknownReg();
      for (let s = 0; s < f.spilled.length; s++) if (f.spilled[s]?.refObjId === release) f.spilled[s] = unknownReg();
    }
  }
  env.clobberCallerSaved();
  if (k.ret.kind === 'void') env.setReg(0, NOT_INIT);
  else {
    const id = env.newId();
    if (k.ret.acquire) env.cur.refs = [...env.cur.refs, { id, insn: env.insnIdx }];
    env.setReg(0, ptrReg('btf_id', { btf: k.ret.btf, maybeNull: k.ret.maybeNull, id: k.ret.maybeNull ? id : 0, refObjId: k.ret.acquire ? id : 0 }));
  }
  env.cur.insn = env.insnIdx + 1;
}

function setReturn(env: Env, h: HelperProto, meta: CallMeta): void {
  switch (h.ret) {
    case 'integer': {
      if (h.id === GET_SMP_PROCESSOR_ID) {
        const b = unbounded();
        b.umax = BigInt(env.limits.nrCpus - 1);
        syncBounds(b);
        env.setReg(0, scalarReg(b));
      } else if (RET_BOUNDED_BY_SIZE.has(h.id)) {
        const b = unbounded();
        b.smin = -MAX_ERRNO;
        b.smax = meta.msizeMax;
        b.s32min = -MAX_ERRNO;
        b.s32max = meta.msizeMax;
        syncBounds(b);
        env.setReg(0, scalarReg(b));
      } else {
        env.setReg(0, unknownReg());
      }
      return;
    }
    case 'void':
      env.setReg(0, NOT_INIT);
      return;
    case 'ptr_to_map_value_or_null': {
      const m = env.spec.maps[meta.map];
      const isArray = m.type === MapType.ARRAY || m.type === MapType.PERCPU_ARRAY;
      if (h.id === 1 && isArray && meta.constKey !== undefined && meta.constKey < BigInt(m.maxEntries)) {
        env.setReg(0, ptrReg('map_value', { map: meta.map }));
        return;
      }
      env.setReg(0, ptrReg('map_value', { map: meta.map, maybeNull: true, id: env.newId() }));
      return;
    }
    case 'ptr_to_ringbuf_mem_or_null': {
      env.newId(); // the id of the maybe-null pointer, replaced by the reference's, as in the kernel
      const id = env.newId();
      env.cur.refs = [...env.cur.refs, { id, insn: env.insnIdx }];
      env.setReg(0, ptrReg('ringbuf_mem', { maybeNull: true, id, refObjId: id, memSize: meta.memSize }));
      return;
    }
    case 'ptr_to_btf_id':
      env.setReg(0, ptrReg('btf_id', { btf: h.retBtf ?? 'unknown' }));
      return;
    default: {
      const never: never = h.ret;
      env.reject(`unsupported return kind ${String(never)}`);
    }
  }
}

/** A bpf-to-bpf call: a new frame for the callee, its r1-r5 the caller's. */
export function checkLocalCall(env: Env, insn: Insn): void {
  const target = env.insnIdx + insn.imm + 1;
  if (env.cur.frames.length >= Limits.MAX_CALL_FRAMES) env.reject(`the call stack of ${env.cur.frames.length + 1} frames is too deep`);
  const caller = env.frame();
  const callee = newFrame(env.insnIdx, target, env.cur.frames.length);
  for (let r = 1; r <= 5; r++) {
    callee.regs[r] = caller.regs[r];
    if (caller.regs[r].type !== 'not_init') env.markRegRead(env.cur, env.frameIndex(), r);
  }
  callee.regLive.fill(Live.WRITTEN);
  callee.stackLive.fill(Live.WRITTEN);
  env.clobberCallerSaved();
  env.cur.frames.push(callee);
  env.cur.insn = target;
}

/** for_each_map_elem: explore "no more calls" (continue after the helper) and "one more call" (enter the callback). */
function enterCallback(env: Env, insn: Insn, h: HelperProto, meta: CallMeta): void {
  void insn;
  // Precision is not followed through callback frames: every scalar counts as precise.
  env.allPrecise = true;
  if (env.cur.frames.length >= Limits.MAX_CALL_FRAMES) env.reject(`the call stack of ${env.cur.frames.length + 1} frames is too deep`);
  const caller = env.frame();
  const ctxArg = caller.regs[3];
  // Path 1: the helper returns (the callback ran any number of times, already explored).
  const after = copyState(env.cur, true);
  after.insn = env.insnIdx + 1;
  const af = after.frames[after.frames.length - 1];
  for (let r = 1; r <= 5; r++) {
    af.regs[r] = NOT_INIT;
    af.regLive[r] |= Live.WRITTEN;
  }
  af.regs[0] = unknownReg();
  af.regLive[0] |= Live.WRITTEN;
  env.pushBranch(after);
  // Path 2: one (more) call of the callback.
  const callee = newFrame(env.insnIdx, meta.callback, env.cur.frames.length, true);
  callee.regs[1] = ptrReg('map_ptr', { map: meta.map });
  callee.regs[2] = ptrReg('map_key', { map: meta.map });
  callee.regs[3] = ptrReg('map_value', { map: meta.map });
  callee.regs[4] = ctxArg;
  callee.regLive.fill(Live.WRITTEN);
  callee.stackLive.fill(Live.WRITTEN);
  env.cur.frames.push(callee);
  env.cur.insn = meta.callback;
  env.cur.callbackUnrollDepth++;
  void h;
}

/** BPF_EXIT: return to the caller frame, or end the path after the main program's checks. Returns true when the path ended. */
export function checkExit(env: Env): boolean {
  const f = env.frame();
  const r0 = f.regs[0];
  if (env.cur.frames.length === 1 && env.cur.refs.length) {
    for (const ref of env.cur.refs) env.log.line(`Unreleased reference id=${ref.id} alloc_insn=${ref.insn}`);
    env.reject('BPF_EXIT instruction in main prog would lead to reference leak');
  }
  if (r0.type === 'not_init') env.reject('R0 !read_ok');
  env.markRegRead(env.cur, env.frameIndex(), 0);
  if (env.cur.frames.length === 1) {
    // Tracing programs return a number; a raw program's r0 is only printed.
    if (isPointer(r0) && env.spec.type !== 'raw') env.reject('R0 leaks addr as return value');
    return true;
  }
  if (f.callback) {
    if (r0.type !== 'scalar') env.reject(`At callback return the register R0 is not a known value (${typeName(r0)})`);
    if (r0.smin < 0n || r0.smax > 1n) {
      env.reject(`At callback return the register R0 has smin=${r0.smin} smax=${r0.smax} should have been in [0, 1]`);
    }
  } else if (r0.type === 'fp') {
    env.reject('cannot return stack pointer to the caller');
  }
  const callsite = f.callsite;
  env.cur.frames.pop();
  if (f.callback) {
    // Call the callback again from the helper call site with the state it left behind.
    env.cur.insn = callsite;
    widenScalars(env, callsite);
    return false;
  }
  env.setReg(0, r0);
  env.cur.insn = callsite + 1;
  return false;
}

/**
 * Before a callback is called again: scalars that changed since the previous call
 * become unknown, so that the states at the call site converge (the kernel's
 * widen_imprecise_scalars, applied to every scalar since all are tracked precisely).
 */
function widenScalars(env: Env, callsite: number): void {
  const cps = env.explored.get(callsite);
  if (!cps) return;
  const prev = [...cps.active].reverse().find((s) => s.frames.length === env.cur.frames.length);
  if (!prev) return;
  env.cur.frames.forEach((f, fi) => {
    const pf = prev.frames[fi];
    for (let r = 0; r < 10; r++) {
      const a = f.regs[r];
      const b = pf.regs[r];
      if (a.type === 'scalar' && b.type === 'scalar' && !sameScalar(a, b)) f.regs[r] = unknownReg();
    }
    for (let s = 0; s < f.spilled.length; s++) {
      const a = f.spilled[s];
      const b = pf.spilled[s];
      if (a && b && a.type === 'scalar' && b.type === 'scalar' && !sameScalar(a, b)) f.spilled[s] = unknownReg();
    }
  });
}

const sameScalar = (a: Reg, b: Reg): boolean =>
  a.var.value === b.var.value && a.var.mask === b.var.mask && a.smin === b.smin && a.smax === b.smax && a.umin === b.umin && a.umax === b.umax;

export { known, constReg, copyState };
export type { VState };
