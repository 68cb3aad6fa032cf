// WebAssembly for arithmetic, moves, byte swaps and jump conditions, with eBPF's
// semantics where WebAssembly's differ: x / 0 = 0 and x % 0 = x instead of a trap,
// INT_MIN / -1 = INT_MIN, 32-bit results zero-extended into the 64-bit register, shift
// counts masked (WebAssembly masks them the same way), sign-extending moves, byte swaps
// built from shifts and rotates. Registers are the i64 locals 0-10.
import type { CodeWriter } from './wasm/writer';
import { ValType, type OpName } from './wasm/opcodes';
import type { AluOpName, CmpName, Op, Operand } from './decode';
import { Loc } from './context';

type AluOp = Extract<Op, { t: 'alu' }>;

const OPS64: Record<Exclude<AluOpName, 'div' | 'sdiv' | 'mod' | 'smod'>, OpName> = {
  add: 'i64.add', sub: 'i64.sub', mul: 'i64.mul', or: 'i64.or', and: 'i64.and', xor: 'i64.xor', lsh: 'i64.shl', rsh: 'i64.shr_u', arsh: 'i64.shr_s',
};
const OPS32: Record<keyof typeof OPS64, OpName> = {
  add: 'i32.add', sub: 'i32.sub', mul: 'i32.mul', or: 'i32.or', and: 'i32.and', xor: 'i32.xor', lsh: 'i32.shl', rsh: 'i32.shr_u', arsh: 'i32.shr_s',
};

/** Pushes a 64-bit operand (immediates sign-extended). */
function src64(w: CodeWriter, s: Operand): void {
  if ('imm' in s) w.i64(s.imm);
  else w.get(s.reg);
}

/** Pushes the low 32 bits of an operand. */
function src32(w: CodeWriter, s: Operand): void {
  if ('imm' in s) w.i32(s.imm);
  else w.get(s.reg).op('i32.wrap_i64');
}

const low32 = (w: CodeWriter, reg: number): CodeWriter => w.get(reg).op('i32.wrap_i64');

export function emitAlu(w: CodeWriter, op: AluOp): void {
  const d = op.dst;
  switch (op.op) {
    case 'div':
    case 'sdiv':
    case 'mod':
    case 'smod':
      if (op.w64) divmod64(w, op);
      else divmod32(w, op);
      return;
    default:
      if (op.w64) {
        w.get(d);
        if ('imm' in op.src && (op.op === 'lsh' || op.op === 'rsh' || op.op === 'arsh')) w.i64(op.src.imm & 63);
        else src64(w, op.src);
        w.op(OPS64[op.op]).set(d);
      } else {
        low32(w, d);
        src32(w, op.src);
        w.op(OPS32[op.op]).op('i64.extend_i32_u').set(d);
      }
  }
}

function divmod64(w: CodeWriter, op: AluOp): void {
  const d = op.dst;
  const signed = op.op === 'sdiv' || op.op === 'smod';
  const div = op.op === 'div' || op.op === 'sdiv';
  const name: OpName = div ? (signed ? 'i64.div_s' : 'i64.div_u') : signed ? 'i64.rem_s' : 'i64.rem_u';
  if ('imm' in op.src) {
    const k = op.src.imm;
    if (k === 0) {
      if (div) w.i64(0).set(d); // x / 0 = 0; x % 0 = x
      return;
    }
    if (signed && k === -1) {
      // INT_MIN / -1 would trap: x / -1 = -x; x % -1 = 0.
      if (div) w.i64(0).get(d).op('i64.sub').set(d);
      else w.i64(0).set(d);
      return;
    }
    w.get(d).i64(k).op(name).set(d);
    return;
  }
  const s = op.src.reg;
  w.get(s).op('i64.eqz').if_(ValType.i64);
  if (div) w.i64(0);
  else w.get(d);
  w.else_();
  if (signed && div) {
    w.get(s).i64(-1).op('i64.eq').if_(ValType.i64);
    w.i64(0).get(d).op('i64.sub');
    w.else_();
    w.get(d).get(s).op(name);
    w.end();
  } else w.get(d).get(s).op(name); // rem_s by -1 is 0 without a trap
  w.end().set(d);
}

function divmod32(w: CodeWriter, op: AluOp): void {
  const d = op.dst;
  const signed = op.op === 'sdiv' || op.op === 'smod';
  const div = op.op === 'div' || op.op === 'sdiv';
  const name: OpName = div ? (signed ? 'i32.div_s' : 'i32.div_u') : signed ? 'i32.rem_s' : 'i32.rem_u';
  if ('imm' in op.src) {
    const k = op.src.imm;
    if (k === 0) {
      if (div) w.i64(0).set(d);
      else low32(w, d).op('i64.extend_i32_u').set(d);
      return;
    }
    if (signed && k === -1) {
      if (div) low32(w.i32(0), d).op('i32.sub').op('i64.extend_i32_u').set(d);
      else w.i64(0).set(d);
      return;
    }
    low32(w, d).i32(k).op(name).op('i64.extend_i32_u').set(d);
    return;
  }
  w.get(op.src.reg).op('i32.wrap_i64').tee(Loc.T32).op('i32.eqz').if_(ValType.i32);
  if (div) w.i32(0);
  else low32(w, d);
  w.else_();
  if (signed && div) {
    w.get(Loc.T32).i32(-1).op('i32.eq').if_(ValType.i32);
    w.i32(0);
    low32(w, d).op('i32.sub');
    w.else_();
    low32(w, d).get(Loc.T32).op(name);
    w.end();
  } else low32(w, d).get(Loc.T32).op(name);
  w.end().op('i64.extend_i32_u').set(d);
}

export function emitMov(w: CodeWriter, op: Extract<Op, { t: 'mov' }>): void {
  const d = op.dst;
  if ('imm' in op.src) {
    w.i64(op.w64 ? op.src.imm : op.src.imm >>> 0).set(d);
    return;
  }
  const s = op.src.reg;
  if (op.w64) {
    w.get(s);
    if (op.sx === 8) w.op('i64.extend8_s');
    else if (op.sx === 16) w.op('i64.extend16_s');
    else if (op.sx === 32) w.op('i64.extend32_s');
  } else {
    low32(w, s);
    if (op.sx === 8) w.op('i32.extend8_s');
    else if (op.sx === 16) w.op('i32.extend16_s');
    w.op('i64.extend_i32_u');
  }
  w.set(d);
}

export function emitNeg(w: CodeWriter, op: Extract<Op, { t: 'neg' }>): void {
  if (op.w64) w.i64(0).get(op.dst).op('i64.sub').set(op.dst);
  else {
    w.i32(0);
    low32(w, op.dst).op('i32.sub').op('i64.extend_i32_u').set(op.dst);
  }
}

export function emitLe(w: CodeWriter, op: Extract<Op, { t: 'le' }>): void {
  if (op.width === 64) return;
  w.get(op.dst).i64(op.width === 16 ? 0xffff : 0xffffffff).op('i64.and').set(op.dst);
}

const M8 = 0x00ff00ff00ff00ffn;
const M16 = 0x0000ffff0000ffffn;

export function emitSwap(w: CodeWriter, op: Extract<Op, { t: 'swap' }>): void {
  const d = op.dst;
  switch (op.width) {
    case 16:
      w.get(d).i64(0xff).op('i64.and').i64(8).op('i64.shl');
      w.get(d).i64(8).op('i64.shr_u').i64(0xff).op('i64.and');
      w.op('i64.or').set(d);
      return;
    case 32:
      low32(w, d).i32(0xff00ff00 | 0).op('i32.and').i32(8).op('i32.rotl');
      low32(w, d).i32(0x00ff00ff).op('i32.and').i32(8).op('i32.rotr');
      w.op('i32.or').op('i64.extend_i32_u').set(d);
      return;
    case 64:
      w.get(d).i64(8).op('i64.shr_u').i64(M8).op('i64.and');
      w.get(d).i64(M8).op('i64.and').i64(8).op('i64.shl');
      w.op('i64.or').set(d);
      w.get(d).i64(16).op('i64.shr_u').i64(M16).op('i64.and');
      w.get(d).i64(M16).op('i64.and').i64(16).op('i64.shl');
      w.op('i64.or').i64(32).op('i64.rotl').set(d);
      return;
    default: {
      const never: never = op.width;
      throw new Error(`unhandled swap width ${String(never)}`);
    }
  }
}

const CMP64: Record<Exclude<CmpName, 'jset'>, OpName> = {
  jeq: 'i64.eq', jne: 'i64.ne', jgt: 'i64.gt_u', jge: 'i64.ge_u', jlt: 'i64.lt_u', jle: 'i64.le_u', jsgt: 'i64.gt_s', jsge: 'i64.ge_s', jslt: 'i64.lt_s', jsle: 'i64.le_s',
};
const CMP32: Record<Exclude<CmpName, 'jset'>, OpName> = {
  jeq: 'i32.eq', jne: 'i32.ne', jgt: 'i32.gt_u', jge: 'i32.ge_u', jlt: 'i32.lt_u', jle: 'i32.le_u', jsgt: 'i32.gt_s', jsge: 'i32.ge_s', jslt: 'i32.lt_s', jsle: 'i32.le_s',
};

/** Pushes the i32 truth value of a conditional jump's test. */
export function emitCond(w: CodeWriter, op: Extract<Op, { t: 'jcond' }>): void {
  if (op.w64) {
    w.get(op.dst);
    src64(w, op.src);
    if (op.cmp === 'jset') w.op('i64.and').op('i64.eqz').op('i32.eqz');
    else w.op(CMP64[op.cmp]);
  } else {
    low32(w, op.dst);
    src32(w, op.src);
    if (op.cmp === 'jset') w.op('i32.and').op('i32.eqz').op('i32.eqz');
    else w.op(CMP32[op.cmp]);
  }
}
