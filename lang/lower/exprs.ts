// Scalar expressions: integers, booleans and pointers computed into a temporary register
// with bpftrace's rules (operands promoted to 64 bits by their own signedness; a
// comparison is signed only when both sides are; division, modulo and right shift are
// unsigned; narrow results wrapped to their type), conditions compiled to jumps with
// short-circuit `&&`/`||`, the ternary, casts, increments, sizeof/offsetof. Memory
// values (strings, tuples, ...) are memory.ts's; calls, fields, maps and builtins have
// their own files.
import type * as A from '../ast';
import { constInt } from '../consteval';
import { type Ty, isCastableAgg, isSigned, tySize } from '../types';
import type { JmpOp } from '../../vm/isa/build';
import { type Label, R0 } from './builder';
import { builtinScalar } from './builtins';
import { callScalar } from './calls';
import { addressOf, derefScalar, fieldScalar, indexScalar } from './fields';
import { type Gen, LowerError, at } from './gen';
import { isScalarTy, scalarSize } from './layout';
import { mapIncDec, mapReadScalar } from './maps';
import { needsCpuSum, perCpuRead } from './percpu';
import { mem } from './memory';
import { blockExprStmts } from './stmts';
import { compareMem } from './strings';

/** Signed 32-bit immediates fit ALU and JMP instructions as they are. */
const fitsImm = (v: bigint): boolean => v >= -(1n << 31n) && v < 1n << 31n;

/** The canonical 64-bit value of a literal, or undefined. */
function literal(e: A.Expr): bigint | undefined {
  if (e.kind === 'int') return BigInt.asIntN(64, e.negative ? -e.value : e.value);
  if (e.kind === 'bool') return e.value ? 1n : 0n;
  if (e.kind === 'sizeof' || e.kind === 'offsetof') return e.value !== undefined ? BigInt(e.value) : undefined;
  if (e.kind === 'unop' && e.op === '-' && e.expr.kind === 'int') return BigInt.asIntN(64, -e.expr.value);
  return undefined;
}

/**
 * Whether evaluating `e` needs only the register its result lands in (no second
 * temporary): such operands are evaluated while another value is held.
 */
export function isSimple(e: A.Expr): boolean {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'var':
    case 'builtin':
    case 'sizeof':
    case 'offsetof':
      return true;
    case 'unop':
      return (e.op === '-' || e.op === '~' || e.op === '!') && isSimple(e.expr);
    case 'cast':
      return isScalarTy(e.expr.ty ?? { k: 'none' }) && isSimple(e.expr);
    case 'field':
      return e.expr.kind === 'builtin' && e.expr.name === 'args' && !!e.ty && isScalarTy(e.ty) && e.ty.k !== 'pointer';
    case 'binop':
      return !['&&', '||'].includes(e.op) && literal(e.right) !== undefined && isSimple(e.left) && isScalarTy(e.left.ty ?? { k: 'none' });
    default:
      return false;
  }
}

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

/** Scalars, and aggregate map values that read as integers (count, sum, min, max, avg). */
export const isScalarValue = (t: Ty): boolean => isScalarTy(t) || isCastableAgg(t);

/** Evaluates a scalar expression into a fresh temporary register. */
export function scalar(g: Gen, e: A.Expr): number {
  if (g.heldCount > 0 && !isSimple(e)) throw new LowerError('internal error: complex operand evaluated while a register is held', e.span);
  return g.at(e.span, () => scalarInner(g, e));
}

function scalarInner(g: Gen, e: A.Expr): number {
  const lit = literal(e);
  if (lit !== undefined) {
    const r = g.reg();
    g.b.movConst(r, lit);
    return r;
  }
  switch (e.kind) {
    case 'builtin':
      return builtinScalar(g, e);
    case 'var': {
      if (!e.binding) throw new LowerError(`unbound variable $${e.name}`, e.span);
      const p = g.vars.get(e.binding.id);
      const r = g.reg();
      if (!p) g.b.movImm(r, 0);
      else g.loadReg(r, p, 8);
      return r;
    }
    case 'map': {
      const m = g.s.userMap(e.name);
      return needsCpuSum(m) ? perCpuRead(g, e, m) : mapReadScalar(g, e);
    }
    case 'unop':
      return unop(g, e);
    case 'incdec':
      return incdec(g, e);
    case 'binop':
      return binop(g, e);
    case 'ternary':
      return ternary(g, e);
    case 'cast':
      return cast(g, e);
    case 'field':
      return fieldScalar(g, e);
    case 'tupleIndex': {
      const t = tyOf(e.expr);
      if (t.k !== 'tuple') throw new LowerError('tuple index on a non-tuple', e.span);
      const m = g.mark();
      const p = mem(g, e.expr);
      const off = tupleOffset(t.elems, e.index);
      const r = g.reg();
      loadScalarAt(g, r, at(p, off), tyOf(e));
      g.release(m);
      return r;
    }
    case 'index':
      return indexScalar(g, e);
    case 'call':
      return callScalar(g, e);
    case 'blockExpr': {
      blockExprStmts(g, e);
      if (!e.result) {
        const r = g.reg();
        g.b.movImm(r, 0);
        return r;
      }
      return scalar(g, e.result);
    }
    default:
      throw new LowerError(`cannot compute a value of kind ${e.kind} here`, e.span);
  }
}

/** Offset of element `i` of a tuple of `elems` (C layout). */
export function tupleOffset(elems: readonly Ty[], i: number): number {
  let off = 0;
  for (let k = 0; k <= i; k++) {
    const a = alignOf(elems[k]);
    off = Math.ceil(off / a) * a;
    if (k < i) off += tySize(elems[k]);
  }
  return off;
}

function alignOf(t: Ty): number {
  switch (t.k) {
    case 'string':
    case 'buffer':
    case 'inet':
    case 'macaddr':
    case 'usym':
    case 'timestamp':
    case 'cgroupPath':
      return 1;
    case 'tuple':
      return Math.max(1, ...t.elems.map(alignOf));
    case 'record':
      return Math.max(1, ...t.fields.map((f) => alignOf(f.ty)));
    case 'array':
      return alignOf(t.of);
    case 'struct': {
      const s = t.size;
      return s === 0 ? 1 : Math.min(8, s & -s);
    }
    default: {
      const s = tySize(t);
      return s <= 1 ? 1 : s <= 2 ? 2 : s <= 4 ? 4 : 8;
    }
  }
}

/** Loads a scalar of type `t` stored in its memory form at `p` (ints at their own width). */
export function loadScalarAt(g: Gen, reg: number, p: import('./gen').Place, t: Ty): void {
  const size = scalarSize(t);
  g.loadReg(reg, p, size, t.k === 'int' && t.signed);
}

/** Wraps a 64-bit value in `reg` to the integer type `t` (truncating, then extending by its signedness). */
export function canonicalize(g: Gen, reg: number, t: Ty): void {
  if (t.k === 'bool') return;
  if (t.k !== 'int' || t.bits === 64) return;
  const size = (t.bits / 8) as 1 | 2 | 4;
  if (t.signed) g.signExtend(reg, size);
  else g.zeroExtend(reg, size);
}

// ---------------------------------------------------------------------------------------
// Operators.

function unop(g: Gen, e: A.Unop): number {
  switch (e.op) {
    case '-': {
      const r = scalar(g, e.expr);
      g.b.alu('NEG', r, 0);
      return r;
    }
    case '~': {
      const r = scalar(g, e.expr);
      g.b.alu('XOR', r, -1);
      canonicalize(g, r, tyOf(e));
      return r;
    }
    case '!': {
      const r = scalar(g, e.expr);
      toBool(g, r, true);
      return r;
    }
    case '*':
      return derefScalar(g, e);
    case '&':
      return addressOf(g, e);
    default:
      throw new LowerError(`unknown operator ${e.op}`, e.span);
  }
}

/** Turns `reg` into 1/0 for (reg != 0), or for (reg == 0) when `negate`. */
export function toBool(g: Gen, reg: number, negate = false): void {
  const done = g.b.label('bool');
  const t = negate ? 1 : 0;
  g.b.jmpImm('JEQ', reg, 0, done);
  g.b.movImm(reg, 1 - t);
  const end = g.b.label('boolend');
  g.b.goto(end);
  g.b.bind(done);
  g.b.movImm(reg, t);
  g.b.bind(end);
}

const ARITH: Readonly<Record<string, import('../../vm/isa/build').AluOp>> = {
  '+': 'ADD',
  '-': 'SUB',
  '*': 'MUL',
  '/': 'DIV',
  '%': 'MOD',
  '&': 'AND',
  '|': 'OR',
  '^': 'XOR',
  '<<': 'LSH',
  '>>': 'RSH',
};

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Whether two integer operands compare as signed: both are converted to a common type
 * first (a signed type wider than the unsigned one holds both), as bpftrace does; a
 * signed operand against a uint64 has no common type and compares unsigned.
 */
export function promotedSigned(l: Ty, r: Ty): boolean {
  const ls = isSigned(l);
  const rs = isSigned(r);
  const lb = l.k === 'int' ? l.bits : l.k === 'bool' ? 8 : 64;
  const rb = r.k === 'int' ? r.bits : r.k === 'bool' ? 8 : 64;
  return (ls && rs) || (ls && rb < 64) || (rs && lb < 64);
}

/** Evaluates `left` and `right` into two registers, spilling the left one if needed. */
export function operands(g: Gen, left: A.Expr, right: A.Expr): [number, number] {
  const l = scalar(g, left);
  if (isSimple(right)) return [l, scalar(g, right)];
  const saved = g.spill(l);
  const r = scalar(g, right);
  return [g.unspill(saved), r];
}

function binop(g: Gen, e: A.Binop): number {
  if (e.op === '&&' || e.op === '||' || COMPARE.has(e.op)) {
    const no = g.b.label('false');
    const end = g.b.label('end');
    branch(g, e, no, false);
    const out = g.reg();
    g.b.movImm(out, 1);
    g.b.goto(end);
    g.b.bind(no);
    g.b.movImm(out, 0);
    g.b.bind(end);
    return out;
  }
  const lt = tyOf(e.left);
  const rt = tyOf(e.right);
  // Pointer arithmetic scales the integer by the pointee size.
  if ((lt.k === 'pointer' || rt.k === 'pointer') && (e.op === '+' || e.op === '-')) return pointerArith(g, e, lt, rt);
  const op = ARITH[e.op];
  if (!op) throw new LowerError(`operator ${e.op} is not supported on these operands`, e.opSpan);
  const rl = literal(e.right);
  if (rl !== undefined && fitsImm(rl) && isScalarValue(lt)) {
    const l = scalar(g, e.left);
    g.b.alu(op, l, Number(rl));
    return l;
  }
  const [l, r] = operands(g, e.left, e.right);
  g.b.aluR(op, l, r);
  g.free(r);
  return l;
}

function pointerArith(g: Gen, e: A.Binop, lt: Ty, rt: Ty): number {
  const ptrLeft = lt.k === 'pointer';
  const p = (ptrLeft ? lt : rt) as Extract<Ty, { k: 'pointer' }>;
  const other = ptrLeft ? rt : lt;
  const elem = Math.max(1, p.to.k === 'void' ? 1 : tySize(p.to));
  const [l, r] = operands(g, e.left, e.right);
  if (other.k === 'pointer') {
    // ptr - ptr: the distance in elements.
    g.b.aluR('SUB', l, r);
    g.free(r);
    if (elem > 1) g.b.alu('DIV', l, elem);
    return l;
  }
  const [pr, ir] = ptrLeft ? [l, r] : [r, l];
  if (elem > 1) g.b.alu('MUL', ir, elem);
  g.b.aluR(e.op === '+' ? 'ADD' : 'SUB', pr, ir);
  g.free(ir);
  return pr;
}

const JUMP: Readonly<Record<string, [JmpOp, JmpOp]>> = {
  // [unsigned, signed]
  '==': ['JEQ', 'JEQ'],
  '!=': ['JNE', 'JNE'],
  '<': ['JLT', 'JSLT'],
  '<=': ['JLE', 'JSLE'],
  '>': ['JGT', 'JSGT'],
  '>=': ['JGE', 'JSGE'],
};
const NEGATE: Readonly<Record<string, string>> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/**
 * Jumps to `target` when `e` is true (`whenTrue`) or false (`!whenTrue`); falls through
 * otherwise. Comparisons and logical operators become jumps without materialising 0/1.
 */
export function branch(g: Gen, e: A.Expr, target: Label, whenTrue: boolean): void {
  g.at(e.span, () => branchInner(g, e, target, whenTrue));
}

function branchInner(g: Gen, e: A.Expr, target: Label, whenTrue: boolean): void {
  const lit = literal(e);
  if (lit !== undefined) {
    if ((lit !== 0n) === whenTrue) g.b.goto(target);
    return;
  }
  if (e.kind === 'unop' && e.op === '!') return branch(g, e.expr, target, !whenTrue);
  if (e.kind === 'binop' && (e.op === '&&' || e.op === '||')) {
    const and = e.op === '&&';
    if (and !== whenTrue) {
      // (a && b) false: a false or b false. (a || b) true: a true or b true.
      branch(g, e.left, target, whenTrue);
      branch(g, e.right, target, whenTrue);
    } else {
      const skip = g.b.label('sc');
      branch(g, e.left, skip, !whenTrue);
      branch(g, e.right, target, whenTrue);
      g.b.bind(skip);
    }
    return;
  }
  if (e.kind === 'binop' && COMPARE.has(e.op)) {
    const lt = tyOf(e.left);
    const rt = tyOf(e.right);
    if (!isScalarValue(lt) || !isScalarValue(rt)) {
      // Strings, tuples, arrays, buffers: a byte comparison giving 1 when equal.
      const r = compareMem(g, e);
      g.b.jmpImm((e.op === '==') === whenTrue ? 'JNE' : 'JEQ', r, 0, target);
      g.free(r);
      return;
    }
    const op = whenTrue ? e.op : NEGATE[e.op];
    const signed = lt.k !== 'pointer' && rt.k !== 'pointer' && promotedSigned(lt, rt);
    const j = JUMP[op][signed ? 1 : 0];
    const rl = literal(e.right);
    if (rl !== undefined && fitsImm(rl) && (signed || rl >= 0n)) {
      const l = scalar(g, e.left);
      g.b.jmpImm(j, l, Number(rl), target);
      g.free(l);
      return;
    }
    const [l, r] = operands(g, e.left, e.right);
    g.b.jmpReg(j, l, r, target);
    g.free(l);
    g.free(r);
    return;
  }
  if (!isScalarValue(tyOf(e))) throw new LowerError('condition is not a scalar', e.span);
  const r = scalar(g, e);
  g.b.jmpImm(whenTrue ? 'JNE' : 'JEQ', r, 0, target);
  g.free(r);
}

function ternary(g: Gen, e: A.Ternary): number {
  const slot = g.slot();
  const no = g.b.label('else');
  const end = g.b.label('tend');
  if (!e.then) {
    // Elvis `a ?: b`: a when true.
    const c = scalar(g, e.cond);
    g.storeReg(slot, c, 8);
    g.b.jmpImm('JNE', c, 0, end);
    g.free(c);
  } else {
    branch(g, e.cond, no, false);
    const a = scalar(g, e.then);
    canonicalize(g, a, tyOf(e));
    g.storeReg(slot, a, 8);
    g.free(a);
    g.b.goto(end);
  }
  g.b.bind(no);
  const b = scalar(g, e.else);
  canonicalize(g, b, tyOf(e));
  g.storeReg(slot, b, 8);
  g.free(b);
  g.b.bind(end);
  const r = g.reg();
  g.loadReg(r, slot, 8);
  return r;
}

function cast(g: Gen, e: A.Cast): number {
  const to = tyOf(e);
  const from = tyOf(e.expr);
  if (from.k === 'array' && isScalarTy(to)) {
    // (uint32)array: the array's bytes as an integer.
    const m = g.mark();
    const p = mem(g, e.expr);
    const r = g.reg();
    loadScalarAt(g, r, p, to);
    g.release(m);
    return r;
  }
  const r = scalar(g, e.expr);
  if (to.k === 'bool') {
    toBool(g, r);
    return r;
  }
  canonicalize(g, r, to);
  return r;
}

function incdec(g: Gen, e: A.IncDec): number {
  const t = e.target;
  if (t.kind === 'map') return mapIncDec(g, e, t);
  if (t.kind !== 'var' || !t.binding) throw new LowerError('++/-- needs a variable or a map', e.span);
  const p = g.vars.get(t.binding.id) ?? g.varPlace(t.binding, 8);
  const r = g.reg();
  g.loadReg(r, p, 8);
  const step = stepOf(t.ty ?? t.binding.ty);
  const delta = e.op === '++' ? step : -step;
  if (e.prefix) {
    g.b.alu('ADD', r, delta);
    canonicalize(g, r, t.binding.ty);
    g.storeReg(p, r, 8);
    return r;
  }
  g.b.mov(R0, r);
  g.b.alu('ADD', R0, delta);
  canonicalize(g, R0, t.binding.ty);
  g.storeReg(p, R0, 8);
  return r;
}

/** ++ on a pointer moves by the pointee size. */
export function stepOf(t: Ty): number {
  return t.k === 'pointer' ? Math.max(1, t.to.k === 'void' ? 1 : tySize(t.to)) : 1;
}

/** The value of a compile-time constant expression, when it is one. */
export function constValue(e: A.Expr): bigint | undefined {
  return literal(e) ?? constInt(e);
}
