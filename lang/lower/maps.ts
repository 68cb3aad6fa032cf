// Maps in bytecode: keys packed in their C layout (a zero u64 for scalar maps), lookups
// with the null check (a missing key reads as zero), updates, compound assignments and
// ++/-- as lookup-then-update, delete, has_key, and len() through for_each_map_elem with
// a callback that only counts. Aggregations are aggregations.ts's.
import type * as A from '../ast';
import { type Ty, tySize } from '../types';
import type { AluOp } from '../../vm/isa/build';
import { R0, R1, R2, R3, R4 } from './builder';
import { canonicalize, isSimple, scalar, stepOf } from './exprs';
import { helperErrorCheck } from './events';
import { type Gen, LowerError, type Place, at } from './gen';
import { AVG, isScalarTy, scalarSize } from './layout';
import { memInto, storeValue } from './memory';
import type { ScriptMap } from './script';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

/** Builds the key of `m` for `key` (undefined: a scalar map) in a fresh temporary. */
export function mapKey(g: Gen, m: ScriptMap, key: A.Expr | undefined): Place {
  const p = g.temp(m.layout.keySize);
  if (!key || !m.layout.key) {
    g.zero(p, m.layout.keySize);
    return p;
  }
  const kt = m.layout.key;
  if (m.layout.keySize > tySize(kt)) g.zero(at(p, tySize(kt)), m.layout.keySize - tySize(kt));
  if (isScalarTy(kt)) storeValue(g, key, p, kt);
  else memInto(g, key, p, kt);
  return p;
}

/** `r0 = bpf_map_lookup_elem(map, &key)`. */
export function lookup(g: Gen, m: ScriptMap, key: Place): void {
  g.b.ldMap(R1, m.index);
  g.addr(key, R2);
  g.b.call(1);
}

/** `bpf_map_update_elem(map, &key, &value, flags)`, with the helper error check when asked. */
export function update(g: Gen, m: ScriptMap, key: Place, value: Place, flags = 0): void {
  g.b.ldMap(R1, m.index);
  g.addr(key, R2);
  g.addr(value, R3);
  g.b.movImm(R4, flags);
  g.b.call(2);
  helperErrorCheck(g, 'map_update_elem');
}

/** Loads a map value's scalar reading from the value pointer in r0 into `reg`. */
function loadValue(g: Gen, reg: number, value: Ty): void {
  if (value.k === 'agg') {
    if (value.fn === 'avg') {
      // An avg map read as an integer: total / count.
      g.b.load('DW', reg, R0, AVG.total);
      g.b.load('DW', R1, R0, AVG.count);
      const z = g.b.label('avg0');
      g.b.jmpImm('JEQ', R1, 0, z);
      g.b.aluR('DIV', reg, R1);
      g.b.bind(z);
      return;
    }
    g.b.load('DW', reg, R0, 0);
    return;
  }
  const size = scalarSize(value);
  g.b.load(size === 8 ? 'DW' : size === 4 ? 'W' : size === 2 ? 'H' : 'B', reg, R0, 0);
  if (value.k === 'int' && value.signed) g.signExtend(reg, size);
}

export function mapReadScalar(g: Gen, e: A.MapExpr): number {
  const m = g.s.userMap(e.name);
  const mark = g.mark();
  const key = mapKey(g, m, e.key);
  lookup(g, m, key);
  g.release(mark);
  const r = g.reg();
  g.b.movImm(r, 0);
  const miss = g.b.label('miss');
  g.b.jmpImm('JEQ', R0, 0, miss);
  loadValue(g, r, m.layout.value);
  g.b.bind(miss);
  return r;
}

/** Copies `size` bytes from the pointer in r0 to `dest`. */
function copyFromR0(g: Gen, dest: Place, size: number): void {
  if (size > 64) {
    g.b.mov(R3, R0);
    g.addr(dest, R1);
    g.b.movImm(R2, size);
    g.b.call(113);
    return;
  }
  const [base, off] = g.base(dest, R1);
  let i = 0;
  while (i < size) {
    const w = size - i >= 8 && ((off + i) & 7) === 0 ? 8 : size - i >= 4 && ((off + i) & 3) === 0 ? 4 : size - i >= 2 && ((off + i) & 1) === 0 ? 2 : 1;
    const sn = w === 8 ? 'DW' : w === 4 ? 'W' : w === 2 ? 'H' : 'B';
    g.b.load(sn, R2, R0, i);
    g.b.store(sn, base, off + i, R2);
    i += w;
  }
}

export function mapReadMem(g: Gen, e: A.MapExpr, dest: Place): Place {
  const m = g.s.userMap(e.name);
  const size = tySize(m.layout.value);
  const mark = g.mark();
  const key = mapKey(g, m, e.key);
  lookup(g, m, key);
  g.release(mark);
  const miss = g.b.label('miss');
  const end = g.b.label('read');
  g.b.jmpImm('JEQ', R0, 0, miss);
  copyFromR0(g, dest, size);
  g.b.goto(end);
  g.b.bind(miss);
  g.zero(dest, size);
  g.b.bind(end);
  return dest;
}

const COMPOUND: Readonly<Record<string, AluOp>> = {
  '+=': 'ADD',
  '-=': 'SUB',
  '*=': 'MUL',
  '/=': 'DIV',
  '%=': 'MOD',
  '&=': 'AND',
  '|=': 'OR',
  '^=': 'XOR',
  '<<=': 'LSH',
  '>>=': 'RSH',
};

/** `@m[k] = v` and `@m[k] op= v`. */
export function mapAssign(g: Gen, s: A.AssignStmt, target: A.MapExpr): void {
  const m = g.s.userMap(target.name);
  const vt = m.layout.value;
  const val = g.temp(m.layout.valueSize);
  if (s.op === '=') {
    storeValue(g, s.value, val, vt);
    const key = mapKey(g, m, target.key);
    update(g, m, key, val);
    return;
  }
  const op = COMPOUND[s.op];
  if (!op || !isScalarTy(vt) && vt.k !== 'agg') throw new LowerError(`${s.op} needs an integer map value`, s.span);
  const key = mapKey(g, m, target.key);
  lookup(g, m, key);
  const cur = g.reg();
  g.b.movImm(cur, 0);
  const miss = g.b.label('miss');
  g.b.jmpImm('JEQ', R0, 0, miss);
  loadValue(g, cur, vt);
  g.b.bind(miss);
  const step = vt.k === 'pointer' && (op === 'ADD' || op === 'SUB') ? stepOf(vt) : 1;
  let v: number;
  let c = cur;
  if (isSimple(s.value)) v = scalar(g, s.value);
  else {
    const saved = g.spill(cur);
    v = scalar(g, s.value);
    c = g.unspill(saved);
  }
  if (step > 1) g.b.alu('MUL', v, step);
  g.b.aluR(op, c, v);
  g.free(v);
  canonicalize(g, c, vt);
  g.storeReg(val, c, vt.k === 'agg' ? 8 : scalarSize(vt));
  g.free(c);
  update(g, m, key, val);
}

/** `@m[k]++` and friends: returns the value before (postfix) or after (prefix). */
export function mapIncDec(g: Gen, e: A.IncDec, target: A.MapExpr): number {
  const m = g.s.userMap(target.name);
  const vt = m.layout.value;
  const mark = g.mark();
  const key = mapKey(g, m, target.key);
  const val = g.temp(m.layout.valueSize);
  lookup(g, m, key);
  const r = g.reg();
  g.b.movImm(r, 0);
  const miss = g.b.label('miss');
  g.b.jmpImm('JEQ', R0, 0, miss);
  loadValue(g, r, vt);
  g.b.bind(miss);
  const delta = (e.op === '++' ? 1 : -1) * stepOf(vt);
  g.b.alu('ADD', r, delta);
  canonicalize(g, r, vt);
  g.storeReg(val, r, vt.k === 'agg' ? 8 : scalarSize(vt));
  update(g, m, key, val);
  if (!e.prefix) {
    g.b.alu('SUB', r, delta);
    canonicalize(g, r, vt);
  }
  g.release(mark);
  return r;
}

/** delete(@m[, k]): true when the key was there. */
export function mapDelete(g: Gen, e: A.Call): number {
  const mapArg = e.args[0];
  if (mapArg?.kind !== 'map') throw new LowerError('delete() expects a map', e.span);
  const m = g.s.userMap(mapArg.name);
  const mark = g.mark();
  const key = mapKey(g, m, e.args[1]);
  g.b.ldMap(R1, m.index);
  g.addr(key, R2);
  g.b.call(3);
  g.release(mark);
  const r = g.reg();
  g.b.mov(r, R0);
  const ok = g.b.label('del');
  const end = g.b.label('delend');
  g.b.jmpImm('JEQ', r, 0, ok);
  g.b.movImm(r, 0);
  g.b.goto(end);
  g.b.bind(ok);
  g.b.movImm(r, 1);
  g.b.bind(end);
  return r;
}

export function mapHasKey(g: Gen, e: A.Call): number {
  const mapArg = e.args[0];
  if (mapArg?.kind !== 'map') throw new LowerError('has_key() expects a map', e.span);
  const m = g.s.userMap(mapArg.name);
  const mark = g.mark();
  const key = mapKey(g, m, e.args[1]);
  lookup(g, m, key);
  g.release(mark);
  const r = g.reg();
  g.b.movImm(r, 0);
  const miss = g.b.label('nokey');
  g.b.jmpImm('JEQ', R0, 0, miss);
  g.b.movImm(r, 1);
  g.b.bind(miss);
  return r;
}

/** len(@m): for_each_map_elem with a callback that returns 0 visits (and counts) every element. */
export function mapLen(g: Gen, e: A.Call): number {
  const mapArg = e.args[0];
  if (mapArg?.kind !== 'map') throw new LowerError('len() expects a map', e.span);
  const m = g.s.userMap(mapArg.name);
  g.b.ldMap(R1, m.index);
  g.b.ldFunc(R2, countingCallback(g));
  g.b.movImm(R3, 0);
  g.b.movImm(R4, 0);
  g.b.call(164);
  const r = g.reg();
  g.b.mov(r, R0);
  return r;
}

function countingCallback(g: Gen): import('./builder').Label {
  if (g.countCallback) return g.countCallback;
  const sub = g.b.sibling();
  const l = sub.label('count_cb');
  sub.bind(l);
  sub.movImm(R0, 0);
  sub.exit();
  g.subprogs.push({ b: sub, entry: l });
  g.countCallback = l;
  return l;
}
