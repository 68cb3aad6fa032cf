// Aggregations computed in the bytecode, as bpftrace does: the map is per-CPU, so each
// update is a lookup of this CPU's value and a plain add (an atomic add when a map is
// declared shared), or an update inserting the first value. count/sum add; min/max keep
// a value and a set flag; avg/stats keep total and count; hist/lhist compute the bucket
// index in bytecode (log2 with 2^k sub-buckets, or linear steps) and count per
// (key, bucket).
import type * as A from '../ast';
import { atomic } from '../../vm/isa/build';
import { R0, R1, R2 } from './builder';
import { scalar } from './exprs';
import { type Gen, LowerError, type Place, at } from './gen';
import { AVG, MINMAX } from './layout';
import { lookup, mapKey, update } from './maps';
import type { ScriptMap } from './script';
import { unsupportedError } from './calls';

export function aggregate(g: Gen, s: A.AggregateStmt): void {
  const m = g.s.userMap(s.map.name);
  const agg = m.res.agg;
  const fn = s.fn;
  const val = g.temp(m.layout.valueSize);
  // The operand first (it may call helpers), kept in a stack slot.
  const v = s.call.args[0] ? g.slot() : undefined;
  if (v) {
    const r = scalar(g, s.call.args[0]);
    g.storeReg(v, r, 8);
    g.free(r);
  }
  const key = mapKey(g, m, s.map.key);
  switch (fn) {
    case 'count':
      return addTo(g, m, key, val, undefined);
    case 'sum':
      return addTo(g, m, key, val, v);
    case 'min':
    case 'max':
      return minMax(g, m, key, val, v!, fn === 'max', isSignedAgg(s));
    case 'avg':
    case 'stats':
      return avg(g, m, key, val, v!);
    case 'hist': {
      if (m.layout.bucketOff === undefined) throw new LowerError('hist map without a bucket key', s.span);
      histBucket(g, v!, agg?.bits ?? 0);
      g.copy(at(key, m.layout.bucketOff), v!, 8);
      return addTo(g, m, key, val, undefined);
    }
    case 'lhist': {
      if (m.layout.bucketOff === undefined || agg?.min === undefined || agg.max === undefined || agg.step === undefined) {
        throw new LowerError('lhist map without its parameters', s.span);
      }
      lhistBucket(g, v!, agg.min, agg.max, agg.step);
      g.copy(at(key, m.layout.bucketOff), v!, 8);
      return addTo(g, m, key, val, undefined);
    }
    case 'tseries':
      throw unsupportedError('tseries', 'tseries()', s.call.span);
    default: {
      const never: never = fn;
      throw new LowerError(`unknown aggregation ${String(never)}`, s.span);
    }
  }
}

/** The map's settled signedness (updates of both signs make it signed), else the call's. */
function isSignedAgg(s: A.AggregateStmt): boolean {
  const t = s.map.ty?.k === 'agg' ? s.map.ty : s.call.ty;
  return t?.k === 'agg' ? t.signed : true;
}

/** Adds 1 (v undefined) or *v to the u64 value under key, inserting it when missing. */
function addTo(g: Gen, m: ScriptMap, key: Place, val: Place, v: Place | undefined): void {
  lookup(g, m, key);
  const miss = g.b.label('new');
  const done = g.b.label('added');
  g.b.jmpImm('JEQ', R0, 0, miss);
  if (v) g.loadReg(R1, v, 8);
  else g.b.movImm(R1, 1);
  if (m.perCpu) {
    g.b.load('DW', R2, R0, 0);
    g.b.aluR('ADD', R2, R1);
    g.b.store('DW', R0, 0, R2);
  } else g.b.emit(atomic('ADD', 'DW', R0, 0, R1));
  g.b.goto(done);
  g.b.bind(miss);
  if (v) g.copy(val, v, 8);
  else g.storeImm(val, 1, 8);
  update(g, m, key, val);
  g.b.bind(done);
}

function minMax(g: Gen, m: ScriptMap, key: Place, val: Place, v: Place, isMax: boolean, signed: boolean): void {
  lookup(g, m, key);
  const miss = g.b.label('new');
  const set = g.b.label('set');
  const done = g.b.label('kept');
  g.b.jmpImm('JEQ', R0, 0, miss);
  g.loadReg(R1, v, 8);
  g.b.load('DW', R2, R0, MINMAX.isSet);
  g.b.jmpImm('JEQ', R2, 0, set);
  g.b.load('DW', R2, R0, MINMAX.value);
  // Keep the current value unless the new one is beyond it.
  const keep = isMax ? (signed ? 'JSLE' : 'JLE') : signed ? 'JSGE' : 'JGE';
  g.b.jmpReg(keep, R1, R2, done);
  g.b.bind(set);
  g.b.store('DW', R0, MINMAX.value, R1);
  g.b.storeImm('DW', R0, MINMAX.isSet, 1);
  g.b.goto(done);
  g.b.bind(miss);
  g.copy(at(val, MINMAX.value), v, 8);
  g.storeImm(at(val, MINMAX.isSet), 1, 8);
  update(g, m, key, val);
  g.b.bind(done);
}

function avg(g: Gen, m: ScriptMap, key: Place, val: Place, v: Place): void {
  lookup(g, m, key);
  const miss = g.b.label('new');
  const done = g.b.label('avgd');
  g.b.jmpImm('JEQ', R0, 0, miss);
  g.loadReg(R1, v, 8);
  if (m.perCpu) {
    g.b.load('DW', R2, R0, AVG.total);
    g.b.aluR('ADD', R2, R1);
    g.b.store('DW', R0, AVG.total, R2);
    g.b.load('DW', R2, R0, AVG.count);
    g.b.alu('ADD', R2, 1);
    g.b.store('DW', R0, AVG.count, R2);
  } else {
    g.b.emit(atomic('ADD', 'DW', R0, AVG.total, R1));
    g.b.movImm(R1, 1);
    g.b.emit(atomic('ADD', 'DW', R0, AVG.count, R1));
  }
  g.b.goto(done);
  g.b.bind(miss);
  g.copy(at(val, AVG.total), v, 8);
  g.storeImm(at(val, AVG.count), 1, 8);
  update(g, m, key, val);
  g.b.bind(done);
}

/**
 * Replaces the value in slot `v` by its hist(v, k) bucket: 0 for negatives, v + 1 below
 * 2^k, then (log2(v) - k + 1) * 2^k + ((v >> (log2(v) - k)) - 2^k) + 1.
 */
function histBucket(g: Gen, v: Place, k: number): void {
  const n = 1 << k;
  const x = g.reg();
  const pw = g.reg();
  g.loadReg(x, v, 8);
  const done = g.b.label('bucket');
  const big = g.b.label('log');
  const neg = g.b.label('neg');
  g.b.jmpImm('JSLT', x, 0, neg);
  g.b.jmpImm('JGE', x, n, big);
  g.b.alu('ADD', x, 1);
  g.b.goto(done);
  g.b.bind(neg);
  g.b.movImm(x, 0);
  g.b.goto(done);
  g.b.bind(big);
  // pw = floor(log2(x)) by halving the search range: shifts of 32, 16, 8, 4, 2, 1.
  g.b.movImm(pw, 0);
  g.b.mov(R1, x);
  for (const sh of [32, 16, 8, 4, 2, 1]) {
    const skip = g.b.label('lg');
    g.b.mov(R2, R1);
    g.b.alu('RSH', R2, sh);
    g.b.jmpImm('JEQ', R2, 0, skip);
    g.b.mov(R1, R2);
    g.b.alu('ADD', pw, sh);
    g.b.bind(skip);
  }
  // sub = (x >> (pw - k)) - 2^k; index = (pw - k + 1) * 2^k + sub + 1
  g.b.mov(R1, pw);
  if (k) g.b.alu('SUB', R1, k);
  g.b.aluR('RSH', x, R1);
  g.b.alu('SUB', x, n);
  g.b.alu('ADD', R1, 1);
  if (k) g.b.alu('LSH', R1, k);
  g.b.aluR('ADD', x, R1);
  g.b.alu('ADD', x, 1);
  g.b.bind(done);
  g.storeReg(v, x, 8);
  g.free(pw);
  g.free(x);
}

/** Replaces the value in slot `v` by its lhist bucket: 0 below min, 1 + (v - min) / step, the last above max. */
function lhistBucket(g: Gen, v: Place, min: number, max: number, step: number): void {
  const x = g.reg();
  g.loadReg(x, v, 8);
  const done = g.b.label('lbucket');
  const low = g.b.label('below');
  const high = g.b.label('above');
  g.b.movConst(R1, BigInt(min));
  g.b.jmpReg('JSLT', x, R1, low);
  g.b.movConst(R1, BigInt(max));
  g.b.jmpReg('JSGT', x, R1, high);
  g.b.movConst(R1, BigInt(min));
  g.b.aluR('SUB', x, R1);
  g.b.movConst(R1, BigInt(step));
  g.b.aluR('DIV', x, R1);
  g.b.alu('ADD', x, 1);
  g.b.goto(done);
  g.b.bind(low);
  g.b.movImm(x, 0);
  g.b.goto(done);
  g.b.bind(high);
  g.b.movConst(x, BigInt(Math.floor((max - min) / step) + 1));
  g.b.bind(done);
  g.storeReg(v, x, 8);
  g.free(x);
}
