// ALU instructions on abstract registers (the kernel's check_alu_op and
// adjust_reg_min_max_vals): moves (keeping scalar copies linked by id), scalar arithmetic
// through scalar.ts, and pointer arithmetic only where the kernel allows it (a scalar
// added to or subtracted from a pointer; pointer minus pointer gives a scalar).
import type { Insn } from '../isa/insn';
import { Alu as Alu_, Class as Class_, Src as Src_, aluOpOf as aluOpOf_, classOf as classOf_ } from '../isa/opcodes';
import type { Env } from './env';
import {
  type Bounds, type ScalarOp, S32_MAX, S32_MIN, S64_MAX, S64_MIN, U64_MAX, UNBOUNDED, boundsOf, coerceToSize, isConst, known, scalarAlu, signExtend,
  syncBounds, unbounded, zext32,
} from './scalar';
import { type Reg, constReg, isPointer, mkReg, scalarReg, typeName, unknownReg, withFields } from './state';
import { tnumAdd, tnumSub } from './tnum';
import { ALU_OP_NAMES } from './disasm';
import { markPrecise } from './precision';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Alu = { ...Alu_ };
const Class = { ...Class_ };
const Src = { ...Src_ };
const aluOpOf = aluOpOf_;
const classOf = classOf_;

/** Largest offset magnitude a pointer may carry (BPF_MAX_VAR_OFF). */
export const MAX_VAR_OFF = 1 << 29;

const OP_NAME: Record<number, ScalarOp | undefined> = {
  [Alu.ADD]: 'ADD', [Alu.SUB]: 'SUB', [Alu.MUL]: 'MUL', [Alu.AND]: 'AND', [Alu.OR]: 'OR', [Alu.XOR]: 'XOR', [Alu.LSH]: 'LSH',
  [Alu.RSH]: 'RSH', [Alu.ARSH]: 'ARSH',
};

function unknownScalar(alu32: boolean): Reg {
  const b = unbounded();
  if (alu32) {
    zext32(b);
    syncBounds(b);
  }
  return scalarReg(b);
}

/** Byte swaps and truncations of a scalar. */
function endResult(src: Reg, insn: Insn, alu64: boolean): Reg {
  const bits = insn.imm;
  const toBe = (insn.code & Src.X) !== 0;
  if (isConst(src)) {
    let v = src.var.value & ((1n << BigInt(bits)) - 1n);
    if (alu64 || toBe) {
      let r = 0n;
      for (let i = 0; i < bits / 8; i++) r = (r << 8n) | ((v >> BigInt(i * 8)) & 0xffn);
      v = r;
    }
    return constReg(v);
  }
  const b: Bounds = alu64 || toBe ? unbounded() : boundsOf(src);
  coerceToSize(b, bits / 8);
  if (bits === 64 && (alu64 || toBe)) return scalarReg(unbounded());
  return scalarReg(b);
}

export function checkAlu(env: Env, insn: Insn): void {
  const alu32 = classOf(insn.code) === Class.ALU;
  const op = aluOpOf(insn.code);
  const isX = (insn.code & Src.X) !== 0;
  const d = insn.dst;

  if (op === Alu.END || op === Alu.NEG) {
    const dst = env.readReg(d);
    env.checkWritable(d);
    if (isPointer(dst)) {
      if (op === Alu.NEG) return env.setReg(d, unknownScalar(alu32));
      return env.setReg(d, unknownScalar(false));
    }
    if (op === Alu.NEG) {
      const res = scalarAlu('SUB', known(0n), dst, alu32);
      return env.setReg(d, scalarReg(res));
    }
    return env.setReg(d, endResult(dst, insn, !alu32));
  }

  if (op === Alu.MOV) {
    env.checkWritable(d);
    if (!isX) {
      const v = alu32 ? BigInt(insn.imm >>> 0) : BigInt(insn.imm);
      return env.setReg(d, constReg(v));
    }
    const src = env.readReg(insn.src);
    if (insn.off !== 0) {
      // movsx: sign-extend the low 8, 16 or 32 bits.
      if (isPointer(src)) return env.setReg(d, unknownScalar(alu32));
      const b = boundsOf(src);
      signExtend(b, insn.off / 8, alu32);
      if (alu32) {
        zext32(b);
        syncBounds(b);
      }
      return env.setReg(d, scalarReg(b));
    }
    if (!alu32) {
      if (src.type === 'scalar' && !isConst(src)) {
        // Link the copies so that a range learned on one applies to the other. A source
        // linked with a constant difference starts a link of its own (as in the kernel).
        let linked = src;
        if (!src.id || src.addConst) {
          linked = withFields(src, { id: env.newId(), off: 0, addConst: false });
          env.setReg(insn.src, linked);
        }
        return env.setReg(d, linked);
      }
      return env.setReg(d, src);
    }
    if (isPointer(src)) return env.setReg(d, unknownScalar(true));
    const b = boundsOf(src);
    coerceToSize(b, 4);
    zext32(b);
    syncBounds(b);
    return env.setReg(d, scalarReg(b));
  }

  // Binary operations: dst op= src (or imm). Constant division by zero and shifts out of
  // range are refused in tracing programs, as Linux does; 'raw' programs (the conformance
  // harness) keep the ISA's defined results (x / 0 = 0, shift counts masked).
  if (!isX && env.spec.type !== 'raw') {
    if ((op === Alu.DIV || op === Alu.MOD) && insn.imm === 0) env.reject('div by zero');
    if ((op === Alu.LSH || op === Alu.RSH || op === Alu.ARSH) && (insn.imm < 0 || insn.imm >= (alu32 ? 32 : 64))) env.reject(`invalid shift ${insn.imm}`);
  }
  const dst = env.readReg(d);
  let src: Reg;
  if (isX) src = env.readReg(insn.src);
  else src = constReg(BigInt(insn.imm));
  env.checkWritable(d);
  const name = ALU_OP_NAMES[op] ?? '?';

  if (isPointer(dst) || isPointer(src)) {
    if (isPointer(dst) && isPointer(src)) {
      if (op === Alu.SUB) return env.setReg(d, unknownScalar(alu32));
      env.reject(`R${d} pointer ${name} pointer prohibited`);
    }
    if (isPointer(src)) {
      // scalar op= pointer: pointer arithmetic with the operands swapped (only += is legal).
      if (op === Alu.ADD && !alu32) markPrecise(env, [d]);
      return env.setReg(d, ptrArith(env, insn, src, dst, d, alu32, true));
    }
    if (isX) markPrecise(env, [insn.src]);
    return env.setReg(d, ptrArith(env, insn, dst, src, d, alu32));
  }

  const sop = OP_NAME[op];
  if (!sop) {
    // DIV, MOD: not tracked; as in the kernel the result is a fully unknown scalar, even
    // for 32-bit operations (whose upper half is in fact zero).
    return env.setReg(d, unknownScalar(false));
  }
  let srcB: Bounds = boundsOf(src);
  if (!isX && alu32) srcB = known(BigInt(insn.imm >>> 0));
  const res = scalarAlu(sop, boundsOf(dst), srcB, alu32);
  // dst += K or dst -= K keeps dst linked to its copies, with the constant as the
  // difference (once; a second constant or a difference past 32 bits breaks the link).
  if (!alu32 && (op === Alu.ADD || op === Alu.SUB) && dst.id && !dst.addConst && isConst(src) && !isConst(dst)) {
    const v = BigInt.asIntN(64, src.var.value);
    const delta = op === Alu.ADD ? v : -v;
    if (delta >= S32_MIN && delta <= S32_MAX) return env.setReg(d, mkReg('scalar', res, { id: dst.id, off: Number(delta), addConst: true }));
  }
  env.setReg(d, scalarReg(res));
}

/** pointer op scalar, or scalar op pointer when `swapped` (adjust_ptr_min_max_vals). */
function ptrArith(env: Env, insn: Insn, ptr: Reg, off: Reg, d: number, alu32: boolean, swapped = false): Reg {
  const op = aluOpOf(insn.code);
  const name = ALU_OP_NAMES[op] ?? '?';
  if (alu32) {
    if (op === Alu.SUB) return unknownScalar(false);
    env.reject(`R${d} 32-bit pointer arithmetic prohibited`);
  }
  if (ptr.maybeNull) env.reject(`R${d} pointer arithmetic on ${typeName(ptr)} prohibited, null-check it first`);
  const knownOff = isConst(off);
  const offVal = off.smin;
  switch (ptr.type) {
    case 'ctx':
    case 'map_value':
    case 'map_key':
    case 'fp':
    case 'ringbuf_mem':
    case 'btf_id':
    case 'func':
    case 'mem':
      break;
    case 'map_ptr':
      if (knownOff && offVal === 0n && op === Alu.ADD) break;
      env.reject(`R${d} pointer arithmetic on ${typeName(ptr)} prohibited`);
      break;
    default:
      env.reject(`R${d} pointer arithmetic on ${typeName(ptr)} prohibited`);
  }
  checkSaneOffset(env, off, ptr, d);
  checkSaneOffset(env, ptr, ptr, d);
  if (op !== Alu.ADD && op !== Alu.SUB) {
    if (op === Alu.AND || op === Alu.OR || op === Alu.XOR) env.reject(`R${d} bitwise operator ${name} on pointer prohibited`);
    env.reject(`R${d} pointer arithmetic with ${name} operator prohibited`);
  }
  if (op === Alu.SUB && swapped) env.reject(`R${d} tried to subtract pointer from scalar`);
  let res: Reg;
  if (op === Alu.ADD) {
    const fixed = ptr.off + Number(offVal);
    if (knownOff && fixed === (fixed | 0)) {
      res = withFields(ptr, { off: fixed });
    } else {
      const b: Bounds = { ...UNBOUNDED };
      const sminS = ptr.smin + off.smin;
      const smaxS = ptr.smax + off.smax;
      if (sminS < S64_MIN || smaxS > S64_MAX) {
        b.smin = S64_MIN; b.smax = S64_MAX;
      } else {
        b.smin = sminS; b.smax = smaxS;
      }
      const uminS = ptr.umin + off.umin;
      const umaxS = ptr.umax + off.umax;
      if (uminS > U64_MAX || umaxS > U64_MAX) {
        b.umin = 0n; b.umax = U64_MAX;
      } else {
        b.umin = uminS; b.umax = umaxS;
      }
      b.var = tnumAdd(ptr.var, off.var);
      syncBounds(b);
      res = mkReg(ptr.type, b, ptr);
    }
  } else {
    if (ptr.type === 'fp') env.reject(`R${d} subtraction from stack pointer prohibited`);
    const fixed = ptr.off - Number(offVal);
    if (knownOff && fixed === (fixed | 0)) {
      res = withFields(ptr, { off: fixed });
    } else {
      const b: Bounds = { ...UNBOUNDED };
      const lo = ptr.smin - off.smax;
      const hi = ptr.smax - off.smin;
      if (lo < S64_MIN || hi > S64_MAX) {
        b.smin = S64_MIN; b.smax = S64_MAX;
      } else {
        b.smin = lo; b.smax = hi;
      }
      if (ptr.umin < off.umax) {
        b.umin = 0n; b.umax = U64_MAX;
      } else {
        b.umin = ptr.umin - off.umax;
        b.umax = ptr.umax - off.umin;
      }
      b.var = tnumSub(ptr.var, off.var);
      syncBounds(b);
      res = mkReg(ptr.type, b, ptr);
    }
  }
  checkSaneOffset(env, res, ptr, d);
  return res;
}

/** check_reg_sane_offset: offsets beyond +-2^29 are refused before they can overflow. */
function checkSaneOffset(env: Env, reg: Reg, ptr: Reg, d: number): void {
  const t = typeName(ptr);
  const lim = BigInt(MAX_VAR_OFF);
  if (isConst(reg)) {
    const v = BigInt.asIntN(64, reg.var.value);
    if (v >= lim || v <= -lim) env.reject(`math between ${t} pointer and ${v} is not allowed`);
  }
  if (reg.off >= MAX_VAR_OFF || reg.off <= -MAX_VAR_OFF) env.reject(`${t} pointer offset ${reg.off} is not allowed`);
  if (reg.smin === S64_MIN) env.reject(`math between ${t} pointer and register with unbounded min value is not allowed`);
  if (reg.smin >= lim || reg.smin <= -lim) env.reject(`value ${reg.smin} makes ${t} pointer be out of bounds`);
  void d;
}

export { unknownReg };
