// Histogram buckets and rows: the reference bucket index of hist() (with k) and lhist()
// agrees with the labels the rows print (property tests), and rows for hist(n, k) with
// k > 0, which bpftrace 0.17 cannot run, follow types_format.cpp build_histogram.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildHistogram,
  buildLinearHistogram,
  histBucketCount,
  histBucketIndex,
  histIndexLabel,
  HIST_MAX_K,
  lhistBucketCount,
  lhistBucketIndex,
} from '../../../runtime/output/hist';
import { histBarWidth, histRowLabel, histText } from '../../../runtime/output/text-output';
import type { Primitive } from '../../../runtime/output/value';

function numeric(p: Primitive): bigint {
  if (p.kind === 'int' || p.kind === 'symbolic') return p.value;
  throw new Error(`label ${p.kind} is not a number`);
}

/** [lower, upper) of hist bucket i (i >= 1) from the labels the printer uses. */
function bounds(i: number, k: number): [bigint, bigint] {
  const exact = 2 << k;
  const at = (j: number): bigint => (j <= exact ? BigInt(j) : numeric(histIndexLabel(j, k)));
  return [at(i - 1), at(i)];
}

function counts(values: bigint[], k: number): bigint[] {
  const c = new Array<bigint>(histBucketCount(k)).fill(0n);
  for (const v of values) c[histBucketIndex(v, k)] += 1n;
  return c;
}

describe('hist buckets', () => {
  it('puts every value in the bucket whose printed bounds contain it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.integer({ min: 0, max: HIST_MAX_K }), (v, k) => {
        const i = histBucketIndex(v, k);
        const [lo, hi] = bounds(i, k);
        expect(lo <= v && (v < hi || i === histBucketCount(k) - 1)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('sends negative values to bucket 0 and the largest int64 to the last bucket', () => {
    for (let k = 0; k <= HIST_MAX_K; k++) {
      expect(histBucketIndex(-1n, k)).toBe(0);
      expect(histBucketIndex(2n ** 63n - 1n, k)).toBe(histBucketCount(k) - 1);
    }
    expect(histBucketCount(0)).toBe(65);
  });

  it('labels powers of two with 1024-based suffixes up to E', () => {
    const labels = [10, 11, 20, 21, 30, 40, 50, 60, 64].map((i) => histIndexLabel(i, 0));
    expect(labels.map((l) => (l.kind === 'symbolic' ? l.symbol : ''))).toEqual(['512', '1K', '512K', '1M', '512M', '512G', '512T', '512P', '8E']);
  });

  it('prints hist(n, 1) with single values up to 2^(k+1) and 2^k buckets per power of two after', () => {
    const hist = buildHistogram(counts([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n], 1), 1);
    const rows = hist.counts.map((_, i) => histRowLabel(hist, i));
    expect(rows).toEqual(['[0]', '[1]', '[2]', '[3]', '[4, 6)', '[6, 8)', '[8, 12)']);
  });

  it('prints hist(n, 2) sub-buckets, suffixed by the power of the bucket size', () => {
    // hist_index_label picks the suffix from the power of two of the sub-bucket, so
    // 1024 = 2^8 * 4 prints as 1024 with k = 2 (and as 1K with k = 0); 4096 = 2^10 * 4 is 4K.
    const hist = buildHistogram(counts([1000n, 1100n, 1300n, 1600n, 2047n, 5000n], 2), 2);
    expect(hist.counts.map((_, i) => histRowLabel(hist, i))).toEqual([
      '[896, 1024)',
      '[1024, 1280)',
      '[1280, 1536)',
      '[1536, 1792)',
      '[1792, 2048)',
      '[2048, 2560)',
      '[2560, 3072)',
      '[3072, 3584)',
      '[3584, 4K)',
      '[4K, 5K)',
    ]);
    expect(histRowLabel(buildHistogram(counts([5000000n], 2), 2), 0)).toBe('[4M, 5M)');
  });

  it('starts after an empty lower range with a label bound', () => {
    const hist = buildHistogram(counts([100n], 3), 3);
    expect(histRowLabel(hist, 0)).toBe('[96, 104)');
  });

  it('divides counts by print()\'s divisor and ignores a zero divisor', () => {
    const c = counts([5n, 5n, 5n, 100n], 0);
    expect(buildHistogram(c, 0, 2n).counts).toEqual([1n, 0n, 0n, 0n, 0n]);
    expect(buildHistogram(c, 0, 0n).counts).toEqual([3n, 0n, 0n, 0n, 1n]);
  });

  it('gives no rows when every bucket is zero', () => {
    expect(buildHistogram(new Array<bigint>(65).fill(0n))).toEqual({ labels: [], counts: [] });
    expect(histText({ labels: [], counts: [] })).toBe('');
  });
});

describe('lhist buckets', () => {
  it('puts every value in the bucket whose printed bounds contain it', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1000n, max: 5000n }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (v, min, step, steps) => {
          const [lo, st] = [BigInt(min), BigInt(step)];
          const max = lo + st * BigInt(steps);
          const c = new Array<bigint>(lhistBucketCount(lo, max, st)).fill(0n);
          const i = lhistBucketIndex(v, lo, max, st);
          c[i] = 1n;
          const label = histRowLabel(buildLinearHistogram(c, lo, max, st), 0);
          if (v < lo) expect(label).toBe(`(..., ${lo})`);
          else if (v >= max) expect(label).toBe(`[${max}, ...)`);
          else {
            const start = lo + ((v - lo) / st) * st;
            expect(label).toBe(step === 1 ? `[${start}]` : `[${start}, ${start + st})`);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('uses K and M labels when the step is a multiple of 1024', () => {
    const c = new Array<bigint>(lhistBucketCount(0n, 4194304n, 1048576n)).fill(0n);
    c[1] = 1n;
    c[3] = 2n;
    const h = buildLinearHistogram(c, 0n, 4194304n, 1048576n);
    expect(h.counts.map((_, i) => histRowLabel(h, i))).toEqual(['[0, 1M)', '[1M, 2M)', '[2M, 3M)']);
  });

  it('ignores print()\'s divisor', () => {
    expect(buildLinearHistogram([0n, 4n, 0n], 0n, 1n, 1n).counts).toEqual([4n]);
  });
});

describe('bars', () => {
  const cases: [bigint, bigint, number][] = [
    [1n, 1n, 52],
    [1n, 2n, 26],
    [1n, 3n, 17],
    [2n, 3n, 34],
    [0n, 5n, 0],
    [7n, 11n, 33],
    [999999n, 1000000n, 51],
    [123456789n, 123456789n, 52],
  ];
  it.each(cases)('%s of %s is %s wide', (count, max, width) => {
    expect(histBarWidth(count, max)).toBe(width);
  });
});
