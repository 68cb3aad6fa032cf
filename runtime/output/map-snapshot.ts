// Map snapshots (what the session reads out of a map for `print(@m)`, `print(@m, top,
// div)` and the end-of-run dump) and their conversion to a printable MapValue with
// bpftrace's ordering: ascending by value for count/sum/min/max/integers, by average for
// avg/stats, by total count for hist/lhist, otherwise by key; then `top` keeps the last
// (largest) entries and `div` scales values. Per-CPU reduction helpers are here too.
// Text and JSON layout are in text-output.ts and json-output.ts.
import { buildHistogram, buildLinearHistogram } from './hist';
import { int, record, uint, type IntSize, type MapValue, type OrderedMap, type Primitive } from './value';

export interface Entry<V> {
  /** The map key; ignored for scalar maps. */
  key: Primitive;
  value: V;
}

/** Running totals of avg() and stats(): sum of values and number of values. */
export interface StatsValue {
  total: bigint;
  count: bigint;
}

interface SnapshotBase {
  /** `@name`, or `@` for the anonymous map. */
  name: string;
  /** True for maps without keys (`@x = count()`): printed as `@x: value`. */
  scalar: boolean;
}

/** A map's contents, already reduced across CPUs, in the map's iteration order. */
export type MapSnapshot = SnapshotBase &
  (
    | { agg: 'count'; entries: Entry<bigint>[] }
    | { agg: 'sum' | 'min' | 'max'; signed: boolean; entries: Entry<bigint>[] }
    | { agg: 'avg' | 'stats'; signed: boolean; entries: Entry<StatsValue>[] }
    | { agg: 'hist'; k: number; entries: Entry<bigint[]>[] }
    | { agg: 'lhist'; min: bigint; max: bigint; step: bigint; entries: Entry<bigint[]>[] }
    /** Plain integer values (`@x = 5`, `@x++`), printed with their type's width. */
    | { agg: 'int'; signed: boolean; size: IntSize; entries: Entry<bigint>[] }
    /** Any other value (strings, tuples, stacks, ...): ordered by key. */
    | { agg: 'value'; entries: Entry<Primitive>[] }
  );

export type AggKind = MapSnapshot['agg'];

export interface PrintOptions {
  /** Print only the `top` largest entries (0 = all). */
  top?: number;
  /** Divide values by `div` (0 or absent = 1). Has no effect on lhist. */
  div?: number | bigint;
}

// ---------------------------------------------------------------------------------------
// Per-CPU reduction, as bpftrace reads PERCPU maps.

export function reduceSum(perCpu: readonly bigint[], signed = false): bigint {
  const total = perCpu.reduce((a, b) => a + b, 0n);
  return signed ? BigInt.asIntN(64, total) : BigInt.asUintN(64, total);
}

/** min()/max() slots hold (value, is-set); unset CPUs are skipped; none set gives 0. */
export function reduceMinMax(perCpu: readonly { value: bigint; isSet: boolean }[], isMax: boolean): bigint {
  let result = 0n;
  let set = false;
  for (const { value, isSet } of perCpu) {
    if (!isSet) continue;
    if (!set || (isMax ? value > result : value < result)) result = value;
    set = true;
  }
  return result;
}

export function reduceStats(perCpu: readonly StatsValue[]): StatsValue {
  return perCpu.reduce((a, b) => ({ total: a.total + b.total, count: a.count + b.count }), { total: 0n, count: 0n });
}

/** Bucket-wise sum of per-CPU histogram arrays. */
export function reduceBuckets(perCpu: readonly (readonly bigint[])[]): bigint[] {
  const out: bigint[] = [];
  for (const buckets of perCpu) buckets.forEach((c, i) => (out[i] = (out[i] ?? 0n) + c));
  return out;
}

// ---------------------------------------------------------------------------------------
// Ordering.

const wrap = (v: bigint, signed: boolean): bigint => (signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v));

/** Integer division truncating toward zero at 64 bits, as C++ does. */
function div64(v: bigint, d: bigint, signed: boolean): bigint {
  return wrap(wrap(v, signed) / (signed ? BigInt.asIntN(64, d) : d), signed);
}

/** The average bpftrace prints: total / count in the value's signedness, 0 when empty. */
export function statsAverage(s: StatsValue, signed: boolean): bigint {
  if (wrap(s.count, signed) <= 0n) return 0n;
  return wrap(wrap(s.total, signed) / wrap(s.count, signed), signed);
}

function stableSortBy<T>(items: T[], key: (t: T) => bigint): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map((x) => x.item);
}

/** Byte-wise comparison of two strings as NUL-padded buffers (how bpftrace orders string keys). */
function compareStringKeys(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = i < a.length ? a.charCodeAt(i) & 0xff : 0;
    const cb = i < b.length ? b.charCodeAt(i) & 0xff : 0;
    if (ca !== cb) return ca - cb;
  }
  return 0;
}

/** Integer keys compare as signed integers of their size, whatever their signedness. */
function compareIntKeys(a: Primitive & { kind: 'int' }, b: Primitive & { kind: 'int' }): number {
  const x = BigInt.asIntN(a.size * 8, a.value);
  const y = BigInt.asIntN(b.size * 8, b.value);
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortableFieldCompare(a: Primitive, b: Primitive): number | null {
  if (a.kind === 'int' && b.kind === 'int') return compareIntKeys(a, b);
  if (a.kind === 'string' && b.kind === 'string') return compareStringKeys(a.value, b.value);
  return null;
}

/**
 * bpftrace's sort_by_key: integer and string keys in order; tuple keys by a stable sort
 * on each integer or string field from the last to the first (so the first field
 * dominates); other keys keep the map's iteration order.
 */
export function sortByKey<T extends { key: Primitive }>(entries: readonly T[]): T[] {
  let out = [...entries];
  const first = out[0]?.key;
  if (!first) return out;
  const stable = (cmp: (a: T, b: T) => number | null): void => {
    out = out.map((e, i) => ({ e, i })).sort((x, y) => cmp(x.e, y.e) || x.i - y.i).map((x) => x.e);
  };
  if (first.kind === 'tuple') {
    for (let f = first.elems.length - 1; f >= 0; f--) {
      stable((a, b) => {
        const x = a.key.kind === 'tuple' ? a.key.elems[f] : undefined;
        const y = b.key.kind === 'tuple' ? b.key.elems[f] : undefined;
        return x && y ? sortableFieldCompare(x, y) : null;
      });
    }
  } else {
    stable((a, b) => sortableFieldCompare(a.key, b.key));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Snapshot -> MapValue.

/** Keep the last `top` entries (bpftrace skips the first `total - top`). */
function applyTop<T>(entries: T[], top: number): T[] {
  return top > 0 && entries.length > top ? entries.slice(entries.length - top) : entries;
}

function finish(snapshot: MapSnapshot, entries: { key: Primitive; value: MapValue }[], stats: boolean): MapValue {
  if (snapshot.scalar) {
    // A scalar map prints its single value, or nothing at all when it was never set.
    const v = entries[0]?.value;
    if (v && stats && v.kind === 'primitive') return { kind: 'stats', value: v };
    if (v) return v;
  }
  const map: OrderedMap = { entries };
  return stats ? { kind: 'stats', value: { kind: 'map', map } } : { kind: 'map', map };
}

const prim = (value: Primitive): MapValue => ({ kind: 'primitive', value });

/**
 * The printable value of a map snapshot, ordered and cut as `print(@m, top, div)` prints
 * it (bpftrace's format(map, top, div)).
 */
export function mapToValue(snapshot: MapSnapshot, options: PrintOptions = {}): MapValue {
  const top = options.top ?? 0;
  const div = BigInt(options.div ?? 1) || 1n;
  switch (snapshot.agg) {
    case 'hist':
    case 'lhist': {
      const sorted = stableSortBy(snapshot.entries, (e) => e.value.reduce((a, b) => a + b, 0n));
      const entries = applyTop(sorted, top).map((e) => {
        const hist =
          snapshot.agg === 'hist'
            ? buildHistogram(e.value, snapshot.k, div)
            : buildLinearHistogram(e.value, snapshot.min, snapshot.max, snapshot.step);
        return { key: e.key, value: { kind: 'hist', hist } as MapValue };
      });
      return finish(snapshot, entries, false);
    }
    case 'count': {
      const sorted = stableSortBy(snapshot.entries, (e) => BigInt.asUintN(64, e.value));
      const entries = applyTop(sorted, top).map((e) => ({ key: e.key, value: prim(uint(div64(e.value, div, false))) }));
      return finish(snapshot, entries, false);
    }
    case 'sum': {
      const { signed } = snapshot;
      const sorted = stableSortBy(snapshot.entries, (e) => wrap(e.value, signed));
      const entries = applyTop(sorted, top).map((e) => ({
        key: e.key,
        value: prim(signed ? int(div64(e.value, div, true)) : uint(div64(e.value, div, false))),
      }));
      return finish(snapshot, entries, false);
    }
    case 'min':
    case 'max': {
      const { signed } = snapshot;
      // bpftrace orders min/max maps by the value read as unsigned, even for signed maps.
      const sorted = stableSortBy(snapshot.entries, (e) => BigInt.asUintN(64, e.value));
      const entries = applyTop(sorted, top).map((e) => ({
        key: e.key,
        value: prim(signed ? int(div64(e.value, div, true)) : uint(div64(e.value, div, false))),
      }));
      return finish(snapshot, entries, false);
    }
    case 'int': {
      const { signed, size } = snapshot;
      const sorted = stableSortBy(snapshot.entries, (e) => (signed ? BigInt.asIntN(64, e.value) : BigInt.asUintN(64, e.value)));
      const entries = applyTop(sorted, top).map((e) => {
        const bits = size * 8;
        const v = signed ? BigInt.asIntN(bits, e.value) : BigInt.asUintN(bits, e.value);
        const d = signed ? BigInt.asIntN(bits, div) : BigInt.asUintN(bits, div);
        const q = d === 0n ? v : v / d;
        return { key: e.key, value: prim(signed ? int(q) : uint(q)) };
      });
      return finish(snapshot, entries, false);
    }
    case 'avg':
    case 'stats': {
      const { signed, agg } = snapshot;
      const sorted = stableSortBy(snapshot.entries, (e) => statsAverage(e.value, signed));
      const mk = (v: bigint): Primitive => (signed ? int(v) : uint(v));
      const entries = applyTop(sorted, top).map((e) => {
        const avg = div64(statsAverage(e.value, signed), div, signed);
        const value =
          agg === 'avg'
            ? mk(avg)
            : record([
                ['count', mk(wrap(e.value.count, signed))],
                ['average', mk(avg)],
                ['total', mk(wrap(e.value.total, signed))],
              ]);
        return { key: e.key, value: prim(value) };
      });
      return finish(snapshot, entries, true);
    }
    case 'value': {
      const sorted = sortByKey(snapshot.entries);
      const entries = applyTop(sorted, top).map((e) => ({ key: e.key, value: prim(e.value) }));
      return finish(snapshot, entries, false);
    }
    default: {
      const never: never = snapshot;
      throw new Error(`unknown map aggregation ${JSON.stringify(never)}`);
    }
  }
}
