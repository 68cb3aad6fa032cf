// Histogram buckets: the reference bucket index of hist() (log2, with 2^k sub-buckets per
// power of two) and lhist(), and the construction of printable rows from a bucket array
// (bpftrace's build_histogram / build_linear_histogram: labels with K/M/G/T/P/E
// suffixes, rows from the first to the last non-empty bucket). The bytecode computes the
// same indexes in the kernel; this file is the host-side definition and test oracle.
// Row layout (widths, bars) is text-output.ts's job.
import { int, symbolic, type Histogram, type Primitive } from './value';

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Largest k accepted by hist(n, k). */
export const HIST_MAX_K = 5;

/** Number of buckets of a hist() map value for a given k (indexes 0 .. (64-k)*2^k). */
export function histBucketCount(k: number): number {
  return (64 - k) * (1 << k) + 1;
}

/**
 * The bucket of `value` in hist(value, k): 0 for negatives, `value + 1` below 2^k, then
 * 2^k buckets per power of two.
 */
export function histBucketIndex(value: bigint, k = 0): number {
  const n = 1n << BigInt(k);
  if (value < 0n) return 0;
  if (value < n) return Number(value) + 1;
  const power = BigInt(value.toString(2).length - 1);
  const sub = (value >> (power - BigInt(k))) - n;
  return Number((power - BigInt(k) + 1n) * n + sub + 1n);
}

/** Number of buckets of lhist(_, min, max, step): below min, the steps, max and above. */
export function lhistBucketCount(min: bigint, max: bigint, step: bigint): number {
  return Number((max - min) / step) + 2;
}

/** The bucket of `value` in lhist(value, min, max, step). */
export function lhistBucketIndex(value: bigint, min: bigint, max: bigint, step: bigint): number {
  if (value < min) return 0;
  if (value > max) return Number((max - min) / step) + 1;
  return Number((value - min) / step) + 1;
}

/**
 * The exclusive upper bound of hist bucket `index` (index > 2^(k+1)) as a label with a
 * 1024-based suffix: each power of two holds 2^k buckets starting at 2^p * (2^k + i).
 */
export function histIndexLabel(index: number, k: number): Primitive {
  const n = 1 << k;
  const interval = index & (n - 1);
  let power = (index >> k) - 1;
  const value = U64((1n << BigInt(power)) * BigInt(n + interval));
  const decade = Math.floor(power / 10);
  const suffix = ['', 'K', 'M', 'G', 'T', 'P', 'E'][decade] ?? '';
  power -= 10 * decade;
  return symbolic(`${U64((1n << BigInt(power)) * BigInt(n + interval))}${suffix}`, value);
}

/** Index range of non-empty buckets, or null when every bucket is zero. */
function nonEmptyRange(counts: readonly bigint[]): [number, number] | null {
  let first = -1;
  let last = -1;
  counts.forEach((c, i) => {
    if (c > 0n) {
      if (first === -1) first = i;
      last = i;
    }
  });
  return first === -1 ? null : [first, last];
}

/**
 * Printable rows of a hist() value: buckets from the first to the last non-empty one,
 * counts divided by `div` (print's third argument). All-zero buckets give no rows.
 */
export function buildHistogram(counts: readonly bigint[], k = 0, div = 1n): Histogram {
  const hist: Histogram = { labels: [], counts: [] };
  const range = nonEmptyRange(counts);
  if (!range) return hist;
  const [first, last] = range;
  const exact = 2 << k;
  if (first !== 0) hist.lowerBound = first - 1 <= exact ? int(first - 1) : histIndexLabel(first - 1, k);
  for (let i = first; i <= last; i++) {
    if (i === 0) hist.labels.push(int(0));
    else if (i <= exact) hist.labels.push(int(i));
    else hist.labels.push(histIndexLabel(i, k));
    hist.counts.push(U64(counts[i] / (div === 0n ? 1n : div)));
  }
  return hist;
}

/** An lhist label: plain below 1024-multiples of step, else with a K or M suffix. */
export function lhistIndexLabel(n: bigint, step: bigint): Primitive {
  if (step % 1024n !== 0n) return int(n);
  const mega = 1024n * 1024n;
  let label: string;
  if (n === 0n) label = '0';
  else if (n % mega === 0n) label = `${n / mega}M`;
  else if (n % 1024n === 0n) label = `${n / 1024n}K`;
  else label = `${n}`;
  return symbolic(label, n);
}

/**
 * Printable rows of an lhist() value: `(..., min)`, `[min, min+step)`, ..., `[max, ...)`
 * trimmed to the non-empty range. print's divisor does not apply to lhist.
 */
export function buildLinearHistogram(counts: readonly bigint[], min: bigint, max: bigint, step: bigint): Histogram {
  const hist: Histogram = { labels: [], counts: [] };
  const range = nonEmptyRange(counts);
  if (!range) return hist;
  const [first, last] = range;
  if (first !== 0) hist.lowerBound = lhistIndexLabel(min + BigInt(first - 1) * step, step);
  for (let i = first; i <= last; i++) {
    const bound = min + BigInt(i) * step;
    if (bound <= max) hist.labels.push(lhistIndexLabel(bound, step));
    hist.counts.push(counts[i]);
  }
  return hist;
}
