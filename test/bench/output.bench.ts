// Output formatting speed: printf lines per second for a typical tracing format, and the
// time to order and print a 10,000-key count map (the end-of-run dump of
// `@[comm, pid] = count()` on a busy machine) and a 100-key histogram map, as text and JSON.
import { median, type Benchmark, type Figure } from './harness';
import { parseFormat } from '../../runtime/output/printf/format-string';
import { formatPrintf } from '../../runtime/output/printf/apply';
import { mapToValue, type MapSnapshot } from '../../runtime/output/map-snapshot';
import { JsonOutput } from '../../runtime/output/json-output';
import { TextOutput } from '../../runtime/output/text-output';
import { StringSink, type Output } from '../../runtime/output/output';
import { histBucketCount, histBucketIndex } from '../../runtime/output/hist';
import { int, str, tuple, uint } from '../../runtime/output/value';

function timeMs(f: () => void, reps: number): number {
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    f();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

function countMap(n: number): MapSnapshot {
  const entries = Array.from({ length: n }, (_, i) => ({
    key: tuple(str(`proc${i % 97}`), int(1000 + i)),
    value: BigInt((i * 7919) % 100000),
  }));
  return { name: '@', scalar: false, agg: 'count', entries };
}

function histMap(n: number): MapSnapshot {
  const entries = Array.from({ length: n }, (_, i) => {
    const buckets = new Array<bigint>(histBucketCount(0)).fill(0n);
    for (let v = 1; v < 5000; v += 37 + i) buckets[histBucketIndex(BigInt(v * (i + 1)), 0)] += 1n;
    return { key: str(`disk${i}`), value: buckets };
  });
  return { name: '@lat', scalar: false, agg: 'hist', k: 0, entries };
}

function dump(snapshot: MapSnapshot, json: boolean): void {
  const sink = new StringSink();
  const out: Output = json ? new JsonOutput(sink) : new TextOutput(sink);
  out.map(snapshot.name, mapToValue(snapshot));
}

export const outputBenchmarks: Benchmark[] = [
  {
    name: 'output.printf_lines_per_s',
    unit: 'lines/s',
    async run() {
      const fmt = parseFormat('%-6d %-16s %-6d %s %lx\n');
      const args = [uint(4242, 4), str('nginx'), int(-2), str('/var/log/nginx/access.log'), uint(0xffff888012345678n)];
      const n = 50_000;
      const ms = timeMs(() => {
        for (let i = 0; i < n; i++) formatPrintf(fmt, args);
      }, 5);
      return (n / ms) * 1000;
    },
  },
  {
    name: 'output.map_dump',
    unit: 'ms',
    async run(): Promise<Record<string, Figure>> {
      const counts = countMap(10_000);
      const hists = histMap(100);
      return {
        'output.count_map_10k_text_ms': { value: timeMs(() => dump(counts, false), 7), unit: 'ms' },
        'output.count_map_10k_json_ms': { value: timeMs(() => dump(counts, true), 7), unit: 'ms' },
        'output.hist_map_100_text_ms': { value: timeMs(() => dump(hists, false), 7), unit: 'ms' },
      };
    },
  },
];
