// Memory accesses on abstract state (the kernel's check_mem_access and friends): loads
// and stores through stack, ctx, map value, map key, ring buffer and kernel-object
// pointers, with bounds checked against the region's size, stack spill and fill kept
// exact, and the memory arguments of helper calls. Helper argument kinds are in calls.ts.
import type { Env } from './env';
import { type Reg, type Frame, Live as Live_, unlinked, Slot as Slot_, STACK_SLOTS, NOT_INIT, constReg, scalarReg, typeName, unknownReg } from './state';
import { S64_MIN, boundsOf, coerceToSize, isConst, signExtend, unbounded } from './scalar';
import { tnumAdd, tnumConst, tnumIsAligned, tnumIsConst, tnumStr } from './tnum';
import { MAX_VAR_OFF } from './alu';
import type { Region } from './facts';
import { markPrecise } from './precision';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Live = { ...Live_ };
const Slot = { ...Slot_ };

export type AccessType = 'read' | 'write';

/** Where the loaded value goes, or what is stored. */
export interface AccessValue {
  /** Destination register of a load, or source register of a store (-1 for none). */
  regno: number;
  /** A store of this immediate (ST class). */
  imm?: number;
  /** Sign-extending load. */
  signed?: boolean;
  /** Alignment is checked for every pointer kind (atomics), not only the stack. */
  strict?: boolean;
}

const tnText = (r: Reg): string => (tnumIsConst(r.var) ? `${BigInt.asIntN(64, r.var.value)}` : tnumStr(r.var));

/** Checks and performs the access of `size` bytes at (regno + off); updates the value register on reads. */
export function checkMemAccess(env: Env, regno: number, off: number, size: number, t: AccessType, val: AccessValue): void {
  const reg = env.frame().regs[regno];
  if (reg.maybeNull || reg.type === 'scalar' || reg.type === 'map_ptr' || reg.type === 'func' || reg.type === 'not_init') {
    env.reject(`R${regno} invalid mem access '${typeName(reg)}'`);
  }
  let result: Reg | null = null;
  if (val.strict && size > 1 && reg.type !== 'fp') {
    const at = tnumAdd(reg.var, tnumConst(BigInt(reg.off + off)));
    const desc = reg.type === 'map_value' ? 'value ' : reg.type === 'map_key' ? 'key ' : reg.type === 'ctx' ? 'context ' : '';
    if (!tnumIsAligned(at, size)) env.reject(`misaligned ${desc}access off ${tnText(reg)}+${reg.off}+${off} size ${size}`);
  }
  switch (reg.type) {
    case 'fp': {
      const reg_off = tnumAdd(reg.var, tnumConst(BigInt(reg.off + off)));
      if (!tnumIsAligned(reg_off, size)) env.reject(`misaligned stack access off ${tnText(reg)}+${reg.off}+${off} size ${size}`);
      const frame = env.cur.frames[reg.frameno];
      const full = off + reg.off;
      const [lo, hi] = stackBounds(env, reg, regno, full, size, t === 'read' ? ' read from' : ' write to');
      env.noteStackDepth(frame, lo);
      env.noteAccess({ region: 'stack', minOff: lo, maxEnd: hi });
      if (env.curNode) env.curNode.slot = tnumIsConst(reg.var) ? reg.frameno * 64 + ((512 + lo) >> 3) : -2;
      if (t === 'write') {
        if (tnumIsConst(reg.var)) stackWriteFixed(env, reg.frameno, lo, size, val);
        else stackWriteVar(env, reg.frameno, lo, hi, val);
      } else if (tnumIsConst(reg.var)) {
        result = stackReadFixed(env, reg.frameno, lo, size, val.regno);
      } else {
        result = stackReadVar(env, reg.frameno, lo, hi);
      }
      break;
    }
    case 'ctx': {
      if (t === 'write' && val.regno >= 0) env.readReg(val.regno);
      checkPtrOffZero(env, reg, regno);
      const ctx = env.spec.ctx;
      const o = off;
      const field = ctx.fields.find((f) => o >= f.offset && o + size <= f.offset + f.size);
      if (t === 'write' || o < 0 || o + size > ctx.size || o % size !== 0 || !field) env.reject(`invalid bpf_context access off=${o} size=${size}`);
      env.noteAccess({ region: 'ctx', minOff: o, maxEnd: o + size });
      result = unknownReg();
      break;
    }
    case 'map_value':
    case 'map_key': {
      const m = env.spec.maps[reg.map];
      const limit = reg.type === 'map_value' ? m.valueSize : m.keySize;
      if (t === 'write' && reg.type === 'map_key') env.reject(`R${regno} cannot write into ${typeName(reg)}`);
      if (t === 'write' && m.flags !== undefined && (m.flags & BPF_F_RDONLY_PROG) !== 0) env.reject('write into map forbidden, value_size=' + m.valueSize + ' off=' + (reg.off + off) + ' size=' + size);
      const [lo, hi] = checkRegion(env, regno, reg, off + reg.off, size, limit, false);
      env.noteAccess({ region: reg.type, minOff: lo, maxEnd: hi, map: reg.map });
      if (t === 'write' && val.regno >= 0) env.readReg(val.regno);
      result = unknownReg();
      break;
    }
    case 'ringbuf_mem':
    case 'mem': {
      const [lo, hi] = checkRegion(env, regno, reg, off + reg.off, size, reg.memSize, false);
      env.noteAccess({ region: reg.type === 'mem' ? 'mem' : 'ringbuf_mem', minOff: lo, maxEnd: hi });
      if (t === 'write' && val.regno >= 0) env.readReg(val.regno);
      result = unknownReg();
      break;
    }
    case 'btf_id': {
      if (t === 'write') env.reject(`only read is supported`);
      if (!tnumIsConst(reg.var) || reg.var.value !== 0n) env.reject(`R${regno} is ${typeName(reg)} invalid variable offset: off=${reg.off}, var_off=${tnumStr(reg.var)}`);
      const o = reg.off + off;
      if (o < 0) env.reject(`R${regno} is ptr_${reg.btf} invalid negative access: off=${o}`);
      if (o + size > BTF_OBJECT_LIMIT) env.reject(`access beyond struct ${reg.btf} at off ${o} size ${size}`);
      env.noteAccess({ region: 'btf_id', minOff: o, maxEnd: o + size });
      result = unknownReg();
      break;
    }
    default:
      env.reject(`R${regno} invalid mem access '${typeName(reg)}'`);
  }
  if (t === 'read' && val.regno >= 0 && result) {
    if (result.type === 'scalar' && size < 8) {
      const b = boundsOf(result);
      if (val.signed) signExtend(b, size);
      else coerceToSize(b, size);
      result = scalarReg(b, result.id);
    }
    env.setReg(val.regno, result);
  }
}

/** Map flag: the program may only read the map (BPF_F_RDONLY_PROG). */
export const BPF_F_RDONLY_PROG = 1 << 7;
/** Largest offset readable through a trusted kernel-object pointer (no BTF layouts in vm/). */
export const BTF_OBJECT_LIMIT = 1 << 16;

/** __check_ptr_off_reg for ctx: the pointer must be unmodified. */
export function checkPtrOffZero(env: Env, reg: Reg, regno: number): void {
  if (reg.off !== 0) env.reject(`dereference of modified ${typeName(reg)} ptr R${regno} off=${reg.off} disallowed`);
  if (!tnumIsConst(reg.var) || reg.var.value !== 0n) env.reject(`variable ${typeName(reg)} access var_off=${tnumStr(reg.var)} disallowed`);
}

function regionMessage(reg: Reg, limit: number, off: number, size: number): string {
  switch (reg.type) {
    case 'map_value':
      return `invalid access to map value, value_size=${limit} off=${off} size=${size}`;
    case 'map_key':
      return `invalid access to map key, key_size=${limit} off=${off} size=${size}`;
    default:
      return `invalid access to memory, mem_size=${limit} off=${off} size=${size}`;
  }
}

/**
 * check_mem_region_access: [off + var, off + var + size) inside [0, limit) for every
 * value of the variable part. Returns the lowest and one-past-highest byte offsets.
 */
export function checkRegion(env: Env, regno: number, reg: Reg, off: number, size: number, limit: number, zeroOk: boolean): [number, number] {
  const within = (o: bigint): boolean => o >= 0n && (size > 0 || (size === 0 && zeroOk)) && o + BigInt(size) <= BigInt(limit);
  const smin = reg.smin;
  if (smin < 0n && (smin === S64_MIN || BigInt(off) + smin !== BigInt.asIntN(32, BigInt(off) + smin) || smin + BigInt(off) < 0n)) {
    env.reject(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
  }
  const lo = smin + BigInt(off);
  if (!within(lo)) {
    env.log.line(regionMessage(reg, limit, Number(BigInt.asIntN(32, lo)), size));
    env.reject(`R${regno} min value is outside of the allowed memory range`);
  }
  if (reg.umax >= BigInt(MAX_VAR_OFF)) env.reject(`R${regno} unbounded memory access, make sure to bounds check any such access`);
  const hi = reg.umax + BigInt(off);
  if (!within(hi)) {
    env.log.line(regionMessage(reg, limit, Number(hi), size));
    env.reject(`R${regno} max value is outside of the allowed memory range`);
  }
  return [Number(lo), Number(hi) + size];
}

/** check_stack_access_within_bounds; returns [lowest, one past highest] fp-relative offsets. */
export function stackBounds(env: Env, reg: Reg, regno: number, off: number, size: number, what: string): [number, number] {
  let minOff: bigint;
  let maxOff: bigint;
  if (tnumIsConst(reg.var)) {
    minOff = BigInt.asIntN(64, reg.var.value) + BigInt(off);
    maxOff = minOff + BigInt(size);
  } else {
    if (reg.smax >= BigInt(MAX_VAR_OFF) || reg.smin <= -BigInt(MAX_VAR_OFF)) env.reject(`invalid unbounded variable-offset${what} stack R${regno}`);
    minOff = reg.smin + BigInt(off);
    maxOff = reg.smax + BigInt(off) + BigInt(size);
  }
  if (minOff < -512n || minOff > -1n || maxOff > 0n || size < 0) {
    if (tnumIsConst(reg.var)) env.reject(`invalid${what} stack R${regno} off=${Number(minOff)} size=${size}`);
    env.reject(`invalid variable-offset${what} stack R${regno} var_off=${tnumStr(reg.var)} off=${off} size=${size}`);
  }
  return [Number(minOff), Number(maxOff)];
}

const byteIndex = (off: number): number => 512 + off;

/** The register of an 8-byte slot spill, or of a narrow scalar spill starting at the slot's lowest byte. */
function spillSize(f: Frame, slot: number): number {
  let n = 0;
  while (n < 8 && f.bytes[slot * 8 + n] === Slot.SPILL) n++;
  return n;
}

/** Any write to a slot holding a spill turns its spilled bytes into plain initialised bytes. */
function scrubSpill(f: Frame, slot: number): void {
  if (!f.spilled[slot]) return;
  f.spilled[slot] = null;
  for (let b = slot * 8; b < slot * 8 + 8; b++) if (f.bytes[b] === Slot.SPILL) f.bytes[b] = Slot.MISC;
}

function stackWriteFixed(env: Env, frameno: number, off: number, size: number, val: AccessValue): void {
  const f = env.cur.frames[frameno];
  const b0 = byteIndex(off);
  const slot = b0 >> 3;
  const aligned = (b0 & 7) === 0;
  const value = val.regno >= 0 ? env.readReg(val.regno) : null;
  const atStart = aligned;
  // A scalar stored at the start of a slot is kept as a (narrow) spill: a fill of the same
  // or fewer bytes gives it back, truncated to the loaded size, as in the kernel.
  if (value && value.type === 'scalar' && atStart) {
    saveSpill(env, f, frameno, slot, size === 8 || value.umax < 1n << BigInt(size * 8) ? value : unlinked(value), size);
    return;
  }
  if (!value && val.imm !== undefined && atStart) {
    saveSpill(env, f, frameno, slot, constReg(BigInt(val.imm)), size);
    return;
  }
  if (value && value.type !== 'scalar') {
    if (size !== 8) env.reject('invalid size of register spill');
    if (frameno !== env.frameIndex() && value.type === 'fp') env.reject('cannot spill pointers to stack into stack frame of the caller');
    saveSpill(env, f, frameno, slot, value, 8);
    return;
  }
  const zero = (value && tnumIsConst(value.var) && value.var.value === 0n) || (!value && val.imm === 0);
  // Zeroed bytes are compared exactly, so the register that made them must keep its value.
  if (zero && value) markPrecise(env, [val.regno]);
  scrubSpill(f, slot);
  for (let b = b0; b < b0 + size; b++) f.bytes[b] = zero ? Slot.ZERO : Slot.MISC;
  if (size === 8) f.stackLive[slot] |= Live.WRITTEN;
}

function saveSpill(env: Env, f: Frame, frameno: number, slot: number, reg: Reg, size: number): void {
  void env;
  void frameno;
  const base = slot * 8;
  f.spilled[slot] = reg;
  for (let b = base; b < base + size; b++) f.bytes[b] = Slot.SPILL;
  for (let b = base + size; b < base + 8; b++) if (f.bytes[b] === Slot.SPILL) f.bytes[b] = Slot.MISC;
  if (size === 8) f.stackLive[slot] |= Live.WRITTEN;
}

function stackWriteVar(env: Env, frameno: number, lo: number, hi: number, val: AccessValue): void {
  const f = env.cur.frames[frameno];
  const value = val.regno >= 0 ? env.readReg(val.regno) : null;
  const zero = (value && value.type === 'scalar' && tnumIsConst(value.var) && value.var.value === 0n) || (!value && val.imm === 0);
  for (let o = lo; o < hi; o++) {
    const b = byteIndex(o);
    scrubSpill(f, b >> 3);
    f.bytes[b] = zero && f.bytes[b] === Slot.ZERO ? Slot.ZERO : Slot.MISC;
  }
}

function stackReadFixed(env: Env, frameno: number, off: number, size: number, dst: number): Reg {
  const f = env.cur.frames[frameno];
  const b0 = byteIndex(off);
  const slot = b0 >> 3;
  const sp = f.spilled[slot];
  env.markStackRead(env.cur, frameno, slot);
  if (sp && f.bytes[b0] === Slot.SPILL) {
    const n = spillSize(f, slot);
    if (size === 8 && n === 8) return sp;
    if (sp.type !== 'scalar') env.reject('invalid size of register fill');
    if ((b0 & 7) === 0 && size <= n) return unlinked(sp);
  }
  let zeros = 0;
  for (let b = b0; b < b0 + size; b++) if (f.bytes[b] === Slot.ZERO || (f.bytes[b] === Slot.SPILL && sp && isConst(sp) && sp.var.value === 0n)) zeros++;
  void dst;
  return zeros === size ? constReg(0n) : unknownReg();
}

function stackReadVar(env: Env, frameno: number, lo: number, hi: number): Reg {
  const f = env.cur.frames[frameno];
  let zeros = 0;
  for (let o = lo; o < hi; o++) {
    const b = byteIndex(o);
    if (o === lo || (b & 7) === 0) env.markStackRead(env.cur, frameno, b >> 3);
    if (f.bytes[b] === Slot.ZERO) zeros++;
  }
  return zeros === hi - lo ? constReg(0n) : scalarReg(unbounded());
}

/**
 * A helper reading (or, with `write`, filling) `size` bytes at the pointer in regno
 * (check_helper_mem_access). `size` is the largest the size argument may be.
 */
export function checkHelperMem(env: Env, regno: number, size: number, write: boolean, zeroOk: boolean): void {
  const reg = env.frame().regs[regno];
  if (size === 0 && zeroOk && reg.type === 'scalar' && isConst(reg) && reg.var.value === 0n) return;
  switch (reg.type) {
    case 'fp': {
      const frame = env.cur.frames[reg.frameno];
      if (size === 0 && !zeroOk) env.reject('invalid zero-sized read');
      const [lo, hi] = stackBounds(env, reg, regno, reg.off, size, write ? ' write to' : ' read from');
      if (size === 0) return;
      env.noteStackDepth(frame, lo);
      for (let o = lo; o < hi; o++) {
        const b = byteIndex(o);
        const slot = b >> 3;
        if (o === lo || (b & 7) === 0) env.markStackRead(env.cur, reg.frameno, slot);
        if (write) {
          // The helper fills these bytes: spilled registers there are lost.
          if (frame.spilled[slot]) {
            frame.spilled[slot] = null;
            for (let k = slot * 8; k < slot * 8 + 8; k++) if (frame.bytes[k] === Slot.SPILL) frame.bytes[k] = Slot.MISC;
          }
          frame.bytes[b] = Slot.MISC;
        }
      }
      return;
    }
    case 'map_value':
    case 'map_key': {
      const m = env.spec.maps[reg.map];
      if (write && reg.type === 'map_key') env.reject(`R${regno} cannot write into ${typeName(reg)}`);
      if (write && m.flags !== undefined && (m.flags & BPF_F_RDONLY_PROG) !== 0) env.reject('write into map forbidden');
      checkRegion(env, regno, reg, reg.off, size, reg.type === 'map_value' ? m.valueSize : m.keySize, zeroOk);
      return;
    }
    case 'ringbuf_mem':
    case 'mem':
      checkRegion(env, regno, reg, reg.off, size, reg.memSize, zeroOk);
      return;
    case 'btf_id':
      if (write) env.reject(`R${regno} type=${typeName(reg)} expected=fp`);
      return;
    default:
      env.reject(`R${regno} type=${typeName(reg)} expected=fp`);
  }
}

/** Region kind of a pointer register, for the access facts. */
export function regionOf(r: Reg): Region | undefined {
  switch (r.type) {
    case 'fp':
      return 'stack';
    case 'ctx':
      return 'ctx';
    case 'map_value':
      return 'map_value';
    case 'map_key':
      return 'map_key';
    case 'ringbuf_mem':
      return 'ringbuf_mem';
    case 'mem':
      return 'mem';
    case 'btf_id':
      return 'btf_id';
    default:
      return undefined;
  }
}

export { NOT_INIT, STACK_SLOTS };
