// Map snapshots to printed text and JSON: bpftrace's ordering rules (including the ones
// the literal-only case files cannot reach: unsigned min/max ordering, key sorting of
// sized and unsigned integers, tuple fields, non-sortable keys), top/div at each value
// type, empty maps, and the per-CPU reductions.
import { describe, expect, it } from 'vitest';
import { JsonOutput } from '../../../runtime/output/json-output';
import {
  mapToValue,
  reduceBuckets,
  reduceMinMax,
  reduceStats,
  reduceSum,
  sortByKey,
  statsAverage,
  type MapSnapshot,
  type PrintOptions,
} from '../../../runtime/output/map-snapshot';
import { StringSink } from '../../../runtime/output/output';
import { mapText } from '../../../runtime/output/text-output';
import { int, stack, str, tuple, uint, type Primitive } from '../../../runtime/output/value';

const s = (v: string): Primitive => str(v);

// [name, snapshot, print options, text]
const TEXT: [string, MapSnapshot, PrintOptions, string][] = [
  [
    'min maps order by the unsigned value',
    { name: '@m', scalar: false, agg: 'min', signed: true, entries: [{ key: s('a'), value: -5n }, { key: s('b'), value: 3n }] },
    {},
    '@m[b]: 3\n@m[a]: -5\n',
  ],
  [
    'sum maps order by the signed value',
    { name: '@m', scalar: false, agg: 'sum', signed: true, entries: [{ key: s('a'), value: -5n }, { key: s('b'), value: 3n }] },
    {},
    '@m[a]: -5\n@m[b]: 3\n',
  ],
  [
    'unsigned sums wrap at 64 bits',
    { name: '@m', scalar: true, agg: 'sum', signed: false, entries: [{ key: s(''), value: -1n }] },
    {},
    '@m: 18446744073709551615\n',
  ],
  [
    'count with top and div',
    {
      name: '@c',
      scalar: false,
      agg: 'count',
      entries: [
        { key: s('x'), value: 10n },
        { key: s('y'), value: 40n },
        { key: s('z'), value: 25n },
      ],
    },
    { top: 2, div: 10 },
    '@c[z]: 2\n@c[y]: 4\n',
  ],
  [
    'top larger than the map keeps everything',
    { name: '@c', scalar: false, agg: 'count', entries: [{ key: s('x'), value: 1n }] },
    { top: 5 },
    '@c[x]: 1\n',
  ],
  [
    'int32 values divide at their width',
    { name: '@i', scalar: false, agg: 'int', signed: true, size: 4, entries: [{ key: int(1), value: -7n }, { key: int(2), value: 9n }] },
    { div: 2 },
    '@i[1]: -3\n@i[2]: 4\n',
  ],
  [
    'uint8 values wrap to their width',
    { name: '@i', scalar: true, agg: 'int', signed: false, size: 1, entries: [{ key: s(''), value: 257n }] },
    {},
    '@i: 1\n',
  ],
  [
    'avg maps order by average and divide it',
    {
      name: '@a',
      scalar: false,
      agg: 'avg',
      signed: false,
      entries: [
        { key: s('p'), value: { total: 300n, count: 3n } },
        { key: s('q'), value: { total: 50n, count: 1n } },
      ],
    },
    { div: 10 },
    '@a[q]: 5\n@a[p]: 10\n',
  ],
  [
    'stats with no values average 0',
    { name: '@s', scalar: true, agg: 'stats', signed: true, entries: [{ key: s(''), value: { total: 0n, count: 0n } }] },
    {},
    '@s: { .count = 0, .average = 0, .total = 0 }\n',
  ],
  [
    'integer keys sort as signed values of their size',
    {
      name: '@k',
      scalar: false,
      agg: 'value',
      entries: [
        { key: uint(2n ** 63n), value: s('big') },
        { key: uint(1), value: s('one') },
        { key: int(-1, 4), value: s('minus') },
      ],
    },
    {},
    '@k[9223372036854775808]: big\n@k[-1]: minus\n@k[1]: one\n',
  ],
  [
    'tuple keys sort by the first field, then the next',
    {
      name: '@t',
      scalar: false,
      agg: 'value',
      entries: [
        { key: tuple(int(2), s('a')), value: int(1) },
        { key: tuple(int(1), s('b')), value: int(2) },
        { key: tuple(int(1), s('a')), value: int(3) },
        { key: tuple(int(2), s('0')), value: int(4) },
      ],
    },
    {},
    '@t[1, a]: 3\n@t[1, b]: 2\n@t[2, 0]: 4\n@t[2, a]: 1\n',
  ],
  [
    'string keys sort bytewise with shorter strings first',
    {
      name: '@s',
      scalar: false,
      agg: 'value',
      entries: ['b', 'B', 'apple', 'app', 'a'].map((k) => ({ key: s(k), value: int(0) })),
    },
    {},
    '@s[B]: 0\n@s[a]: 0\n@s[app]: 0\n@s[apple]: 0\n@s[b]: 0\n',
  ],
  [
    'stack keys keep the map order',
    {
      name: '@',
      scalar: false,
      agg: 'count',
      entries: [
        { key: stack('kstack', [{ addr: 1n, symbol: 'b', offset: 2n }]), value: 2n },
        { key: stack('kstack', [{ addr: 1n, symbol: 'a', offset: 1n }]), value: 1n },
      ],
    },
    {},
    '@[\n        a+1\n]: 1\n@[\n        b+2\n]: 2\n',
  ],
  [
    'stack values print on the line after the key',
    { name: '@s', scalar: false, agg: 'value', entries: [{ key: int(42), value: stack('ustack', [{ addr: 0x1000n }], 'raw') }] },
    {},
    '@s[42]: \n1000\n\n',
  ],
  [
    'a scalar map that was never set prints nothing',
    { name: '@x', scalar: true, agg: 'count', entries: [] },
    {},
    '',
  ],
  [
    'an empty keyed hist map prints nothing',
    { name: '@h', scalar: false, agg: 'hist', k: 0, entries: [] },
    {},
    '',
  ],
  [
    'hist maps order by total count',
    {
      name: '@h',
      scalar: false,
      agg: 'hist',
      k: 0,
      entries: [
        { key: s('big'), value: [0n, 0n, 5n] },
        { key: s('small'), value: [0n, 1n] },
      ],
    },
    { top: 1 },
    '@h[big]:\n[1]                    5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n',
  ],
];

describe('map snapshot to text', () => {
  it.each(TEXT.map(([n, snap, opt, text]) => [n, snap, opt, text] as const))('%s', (_, snap, opt, text) => {
    expect(mapText(snap.name, mapToValue(snap, opt))).toBe(text);
  });
});

describe('map snapshot to JSON', () => {
  const json = (snap: MapSnapshot, opt: PrintOptions = {}): string => {
    const sink = new StringSink();
    new JsonOutput(sink).map(snap.name, mapToValue(snap, opt));
    return sink.stdout;
  };

  it('prints nothing for an empty keyed map', () => {
    expect(json({ name: '@c', scalar: false, agg: 'count', entries: [] })).toBe('');
  });

  it('prints an empty stats object for an empty avg map', () => {
    expect(json({ name: '@a', scalar: false, agg: 'avg', signed: true, entries: [] })).toBe('{"type": "stats", "data": {"@a": {}}}\n');
  });

  it('labels avg maps as stats and hist maps as hist', () => {
    expect(json({ name: '@a', scalar: true, agg: 'avg', signed: true, entries: [{ key: s(''), value: { total: 9n, count: 3n } }] })).toBe(
      '{"type": "stats", "data": {"@a": 3}}\n',
    );
    expect(json({ name: '@h', scalar: false, agg: 'hist', k: 0, entries: [{ key: int(7), value: [0n, 0n, 0n, 2n] }] })).toBe(
      '{"type": "hist", "data": {"@h": {"7": [{"min": 2, "max": 3, "count": 2}]}}}\n',
    );
  });
});

describe('sortByKey', () => {
  it('keeps the order of keys it cannot compare', () => {
    const entries = [{ key: s('b') }, { key: int(1) }, { key: s('a') }];
    expect(sortByKey(entries).map((e) => e.key)).toEqual([s('b'), int(1), s('a')]);
  });
});

describe('per-CPU reductions', () => {
  it('sums counters and wraps them to 64 bits', () => {
    expect(reduceSum([1n, 2n, 3n])).toBe(6n);
    expect(reduceSum([2n ** 64n - 1n, 2n])).toBe(1n);
    expect(reduceSum([-5n, 2n], true)).toBe(-3n);
  });

  it('takes min/max over the CPUs that saw a value, 0 when none did', () => {
    const slots = [
      { value: 9n, isSet: true },
      { value: 0n, isSet: false },
      { value: -4n, isSet: true },
    ];
    expect(reduceMinMax(slots, true)).toBe(9n);
    expect(reduceMinMax(slots, false)).toBe(-4n);
    expect(reduceMinMax([{ value: 7n, isSet: false }], true)).toBe(0n);
  });

  it('adds stats totals and counts, and bucket arrays element-wise', () => {
    expect(reduceStats([{ total: 10n, count: 2n }, { total: 5n, count: 1n }])).toEqual({ total: 15n, count: 3n });
    expect(reduceBuckets([[1n, 2n], [0n, 1n, 4n]])).toEqual([1n, 3n, 4n]);
  });

  it('averages with integer division in the value\'s signedness', () => {
    expect(statsAverage({ total: -7n, count: 2n }, true)).toBe(-3n);
    expect(statsAverage({ total: -7n, count: 2n }, false)).toBe(BigInt.asUintN(64, -7n) / 2n);
  });
});
