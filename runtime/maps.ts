// Reading a script's maps out of the machine into MapSnapshots (runtime/output orders and
// prints them): keys and values decoded with the lowering's layout, per-CPU values
// reduced as bpftrace does (sums for count/sum/hist/lhist, set-flag aware min/max,
// total and count for avg/stats), hist/lhist entries regrouped from (key, bucket)
// elements into bucket arrays. Also clear() and zero() on live maps.
import type { ScriptMap } from '../lang/lower';
import { layout as L } from '../lang/lower';
import type { BpfMap } from '../vm/maps/map';
import { histBucketCount, lhistBucketCount } from './output/hist';
import { type Entry, type MapSnapshot, type StatsValue, reduceMinMax } from './output/map-snapshot';
import * as V from './output/value';
import { type DecodeContext, decodeValue } from './values';

const u64 = (b: Uint8Array, off: number): bigint => {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
};

function keyOf(m: ScriptMap, key: Uint8Array, ctx: DecodeContext): V.Primitive {
  if (!m.layout.key) return V.none;
  return decodeValue(key, 0, m.layout.key, ctx);
}

/** The bytes of a key without the hist/lhist bucket, as a grouping string. */
function groupKey(bytes: Uint8Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Reads a live map into a snapshot ready for mapToValue(). */
export function snapshotMap(m: ScriptMap, live: BpfMap, ctx: DecodeContext): MapSnapshot {
  const name = `@${m.name}`;
  const scalar = !m.layout.key;
  const value = m.layout.value;
  const perCpu = (k: Uint8Array): Uint8Array[] => live.lookupPerCpu(k) ?? [];
  const keys = [...live.keys()];
  if (value.k === 'agg') {
    switch (value.fn) {
      case 'count':
      case 'sum': {
        const entries: Entry<bigint>[] = keys.map((k) => ({ key: keyOf(m, k, ctx), value: perCpu(k).reduce((a, v) => a + u64(v, 0), 0n) }));
        if (value.fn === 'count') return { name, scalar, agg: 'count', entries: entries.map((e) => ({ ...e, value: BigInt.asUintN(64, e.value) })) };
        return { name, scalar, agg: 'sum', signed: value.signed, entries: entries.map((e) => ({ ...e, value: value.signed ? BigInt.asIntN(64, e.value) : BigInt.asUintN(64, e.value) })) };
      }
      case 'min':
      case 'max': {
        const entries = keys.map((k) => {
          const lanes = perCpu(k).map((v) => ({ value: value.signed ? BigInt.asIntN(64, u64(v, L.MINMAX.value)) : u64(v, L.MINMAX.value), isSet: u64(v, L.MINMAX.isSet) !== 0n }));
          return { key: keyOf(m, k, ctx), value: reduceMinMax(lanes, value.fn === 'max') };
        });
        return { name, scalar, agg: value.fn, signed: value.signed, entries };
      }
      case 'avg':
      case 'stats': {
        const entries: Entry<StatsValue>[] = keys.map((k) => {
          let total = 0n;
          let count = 0n;
          for (const v of perCpu(k)) {
            total += u64(v, L.AVG.total);
            count += u64(v, L.AVG.count);
          }
          return { key: keyOf(m, k, ctx), value: { total: BigInt.asIntN(64, total), count } };
        });
        return { name, scalar, agg: value.fn, signed: value.signed, entries };
      }
      case 'hist':
      case 'lhist': {
        const agg = m.res.agg;
        const bucketOff = m.layout.bucketOff ?? 8;
        const keyLen = m.layout.key ? Math.min(bucketOff, m.layout.keySize) : 0;
        const n = value.fn === 'hist' ? histBucketCount(agg?.bits ?? 0) : lhistBucketCount(BigInt(agg?.min ?? 0), BigInt(agg?.max ?? 0), BigInt(agg?.step ?? 1));
        const groups = new Map<string, { key: V.Primitive; buckets: bigint[] }>();
        for (const k of keys) {
          const g = groupKey(k, keyLen);
          let e = groups.get(g);
          if (!e) {
            e = { key: keyOf(m, k, ctx), buckets: new Array<bigint>(n).fill(0n) };
            groups.set(g, e);
          }
          const b = Number(u64(k, bucketOff));
          if (b >= 0 && b < n) e.buckets[b] += perCpu(k).reduce((a, v) => a + u64(v, 0), 0n);
        }
        const entries = [...groups.values()].map((e) => ({ key: e.key, value: e.buckets }));
        if (value.fn === 'hist') return { name, scalar, agg: 'hist', k: agg?.bits ?? 0, entries };
        return { name, scalar, agg: 'lhist', min: BigInt(agg?.min ?? 0), max: BigInt(agg?.max ?? 0), step: BigInt(agg?.step ?? 1), entries };
      }
      case 'tseries':
        return { name, scalar, agg: 'value', entries: [] };
    }
  }
  if (value.k === 'int') {
    const entries = keys.map((k) => {
      const v = perCpu(k)[0] ?? new Uint8Array(8);
      return { key: keyOf(m, k, ctx), value: value.signed ? BigInt.asIntN(64, u64(v, 0)) : u64(v, 0) };
    });
    return { name, scalar, agg: 'int', signed: value.signed && !value.enumName, size: 8, entries };
  }
  const entries = keys.map((k) => {
    const v = perCpu(k)[0] ?? new Uint8Array(m.layout.valueSize);
    return { key: keyOf(m, k, ctx), value: decodeValue(v, 0, value, ctx) };
  });
  return { name, scalar, agg: 'value', entries };
}

/** clear(): removes every element. */
export function clearMap(live: BpfMap): void {
  live.clear();
}

/** zero(): sets every value (on every CPU) to zero, keeping the keys. */
export function zeroMap(live: BpfMap): void {
  for (const k of [...live.keys()]) {
    const n = live.lookupPerCpu(k)?.[0]?.length ?? live.spec.valueSize;
    live.update(k, new Uint8Array(n));
  }
}
