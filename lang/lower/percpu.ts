// Reading a per-CPU aggregate inside a program, as bpftrace does: a loop over the CPUs
// with bpf_map_lookup_percpu_elem (helper 195) that combines every CPU's slot (count and
// sum add, min and max keep the extreme of the slots that are set, avg divides the summed
// total by the summed count). The loop stops at the first CPU without a value (past the
// last CPU, or a key that is not there) and is bounded by MAX_CPUS for the verifier.
// Plain map reads and the updates themselves are maps.ts's and aggregations.ts's.
import type * as A from '../ast';
import type { AggFn } from '../ast';
import { R0, R1, R2, R3 } from './builder';
import { type Gen, LowerError, type Place, at } from './gen';
import { AVG, MINMAX } from './layout';
import { mapKey } from './maps';
import type { ScriptMap } from './script';

/** The most CPUs a machine has (the simulator's --cpus limit): the loop's constant bound. */
export const MAX_CPUS = 64;

/** Whether a read of `m`'s value must combine the CPUs' slots. */
export function needsCpuSum(m: ScriptMap): boolean {
  return m.perCpu && m.layout.value.k === 'agg';
}

/** `@agg[key]` of a per-CPU aggregate read as an integer: the value over all CPUs, in a fresh register. */
export function perCpuRead(g: Gen, e: A.MapExpr, m: ScriptMap): number {
  const mark = g.mark();
  const r = combinedScalar(g, combineCpus(g, m, mapKey(g, m, e.key), e.span));
  g.release(mark);
  return r;
}

/**
 * The value under the key `keyReg` points to (a for-loop callback's key), combined over
 * the CPUs, in a fresh register; `keyReg` must survive helper calls (r6-r9).
 */
export function perCpuReadAt(g: Gen, m: ScriptMap, keyReg: number, span: A.Span): number {
  const mark = g.mark();
  const r = combinedScalar(g, combineCpus(g, m, { reg: keyReg }, span));
  g.release(mark);
  return r;
}

/** The integer a read of the combined value gives (avg: total / count). */
function combinedScalar(g: Gen, c: { fn: AggFn; acc: Place; aux: Place }): number {
  const { fn, acc, aux } = c;
  const r = g.reg();
  g.loadReg(r, acc, 8);
  if (fn === 'avg') {
    const zero = g.b.label('avg0');
    g.loadReg(R1, aux, 8);
    g.b.jmpImm('JEQ', R1, 0, zero);
    g.b.aluR('DIV', r, R1);
    g.b.bind(zero);
  }
  return r;
}

/** `@agg[key]` of a per-CPU aggregate as a memory value (printf's argument): its value layout, combined over the CPUs. */
export function perCpuReadMem(g: Gen, e: A.MapExpr, m: ScriptMap, dest: Place): Place {
  const mark = g.mark();
  const { fn, acc, aux } = combineCpus(g, m, mapKey(g, m, e.key), e.span);
  g.zero(dest, m.layout.valueSize);
  g.copy(dest, acc, 8);
  if (fn === 'min' || fn === 'max') g.copy(at(dest, MINMAX.isSet), aux, 8);
  else if (fn === 'avg' || fn === 'stats') g.copy(at(dest, AVG.count), aux, 8);
  g.release(mark);
  return dest;
}

/**
 * The loop over the CPUs: leaves in `acc` the sum, the extreme or the total, and in `aux`
 * the set flag (min/max) or the count (avg/stats).
 */
function combineCpus(g: Gen, m: ScriptMap, key: Place | { reg: number }, span: A.Span): { fn: AggFn; acc: Place; aux: Place } {
  const vt = m.layout.value;
  const fn: AggFn = vt.k === 'agg' ? vt.fn : 'sum';
  const signed = vt.k === 'agg' && vt.signed;
  const cpu = g.slot();
  const acc = g.slot();
  const aux = g.slot();
  g.storeImm(cpu, 0, 8);
  g.storeImm(acc, 0, 8);
  g.storeImm(aux, 0, 8);
  const loop = g.b.label('cpu');
  const done = g.b.label('cpus');
  g.b.bind(loop);
  g.b.ldMap(R1, m.index);
  if ('reg' in key) g.b.mov(R2, key.reg);
  else g.addr(key, R2);
  g.loadReg(R3, cpu, 8);
  g.b.call(195);
  g.b.jmpImm('JEQ', R0, 0, done);
  switch (fn) {
    case 'min':
    case 'max':
      combineExtreme(g, acc, aux, fn === 'max', signed);
      break;
    case 'avg':
    case 'stats':
      addSlot(g, acc, AVG.total);
      addSlot(g, aux, AVG.count);
      break;
    case 'count':
    case 'sum':
    case 'hist':
    case 'lhist':
    case 'tseries':
      addSlot(g, acc, 0);
      break;
    default: {
      const never: never = fn;
      throw new LowerError(`unknown aggregation ${String(never)}`, span);
    }
  }
  g.loadReg(R1, cpu, 8);
  g.b.alu('ADD', R1, 1);
  g.storeReg(cpu, R1, 8);
  g.b.jmpImm('JLT', R1, MAX_CPUS, loop);
  g.b.bind(done);
  return { fn, acc, aux };
}

/** `*slot += *(u64 *)(r0 + off)`. */
function addSlot(g: Gen, slot: Place, off: number): void {
  g.b.load('DW', R1, R0, off);
  g.loadReg(R2, slot, 8);
  g.b.aluR('ADD', R2, R1);
  g.storeReg(slot, R2, 8);
}

/** Keeps in `acc` the larger (max) or smaller (min) of the set slots; `set` says one was. */
function combineExtreme(g: Gen, acc: Place, set: Place, isMax: boolean, signed: boolean): void {
  const skip = g.b.label('unset');
  const take = g.b.label('take');
  g.b.load('DW', R1, R0, MINMAX.isSet);
  g.b.jmpImm('JEQ', R1, 0, skip);
  g.b.load('DW', R1, R0, MINMAX.value);
  g.loadReg(R2, set, 8);
  g.b.jmpImm('JEQ', R2, 0, take);
  g.loadReg(R2, acc, 8);
  const keep = isMax ? (signed ? 'JSLE' : 'JLE') : signed ? 'JSGE' : 'JGE';
  g.b.jmpReg(keep, R1, R2, skip);
  g.b.bind(take);
  g.storeReg(acc, R1, 8);
  g.storeImm(set, 1, 8);
  g.b.bind(skip);
}
