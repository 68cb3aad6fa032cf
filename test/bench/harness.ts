// The benchmark harness: runs named benchmarks, prints a table and merges the figures
// into test/bench/results.json as { "name": { "value": n, "unit": "..." } }.
// Benchmarks measure; they never assert (the machine is shared and noisy).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

export interface Figure {
  value: number;
  unit: string;
}

export interface Benchmark {
  /** Dotted name, as the issues give it (e.g. `startup.version_ms`). */
  name: string;
  unit: string;
  /** Measures once and returns the figure, or several related figures keyed by name. */
  run(): Promise<number | Record<string, Figure>>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function runBenchmarks(all: readonly Benchmark[], filter: readonly string[], resultsPath: string): Promise<void> {
  const chosen = filter.length ? all.filter((b) => filter.some((f) => b.name.includes(f))) : all;
  const results: Record<string, Figure> = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  const rows: [string, string, string][] = [];
  for (const b of chosen) {
    process.stderr.write(`running ${b.name} ...\n`);
    const out = await b.run();
    const figures: Record<string, Figure> = typeof out === 'number' ? { [b.name]: { value: round(out), unit: b.unit } } : out;
    for (const [name, f] of Object.entries(figures)) {
      results[name] = { value: round(f.value), unit: f.unit };
      rows.push([name, String(round(f.value)), f.unit]);
    }
  }
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(resultsPath, JSON.stringify(sorted, null, 2) + '\n');
  const w0 = Math.max(9, ...rows.map((r) => r[0].length));
  const w1 = Math.max(5, ...rows.map((r) => r[1].length));
  process.stdout.write(`${'benchmark'.padEnd(w0)}  ${'value'.padStart(w1)}  unit\n`);
  for (const [n, v, u] of rows) process.stdout.write(`${n.padEnd(w0)}  ${v.padStart(w1)}  ${u}\n`);
}
