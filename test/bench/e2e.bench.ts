// End-to-end speed: probe firings per second of `tracepoint:raw_syscalls:sys_enter
// { @[comm] = count(); }` on the default workload run as fast as possible (the simulated
// kernel and the JIT-compiled program together), and the median time from source to
// attached program (front end, lowering, verifier, JIT, attach) over the .bt tools: the
// scripts in scripts/ when that folder exists, else the corpus in test/lang/corpus.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { median, type Benchmark, type Figure } from './harness';
import { repoPath } from './paths';
import { Session } from '../../runtime/session';

const quiet = { out: (): void => undefined, err: (): void => undefined };

function eventsPerSecond(): number {
  const s = new Session({ sink: quiet, workload: 'default', seed: 1, quiet: true });
  const r = s.compile('tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }');
  if (!r.ok) throw new Error(r.rendered);
  const a = s.attach(r.compiled);
  if (!a.ok) throw new Error(a.error);
  s.runFor(200e6);
  const before = s.firings;
  const t0 = process.hrtime.bigint();
  s.runFor(3e9);
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  return (s.firings - before) / sec;
}

/** The .bt scripts to compile: scripts/ when present, else the language corpus. */
function scripts(): { name: string; text: string }[] {
  const dir = existsSync(repoPath('scripts')) && readdirSync(repoPath('scripts')).some((f) => f.endsWith('.bt')) ? repoPath('scripts') : repoPath('test/lang/corpus');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

function compileMs(): Record<string, Figure> {
  const s = new Session({ sink: quiet, workload: 'default', seed: 1, quiet: true });
  const list = scripts();
  // Warm the front end (the grammar is built on first use).
  s.compile('BEGIN { exit(); }');
  const samples: number[] = [];
  let failed = 0;
  for (let round = 0; round < 3; round++) {
    for (const sc of list) {
      const t0 = process.hrtime.bigint();
      const r = s.compile(sc.text, { file: sc.name, params: ['1'] });
      const a = r.ok ? s.attach(r.compiled, { announce: false }) : undefined;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!r.ok || !a?.ok) {
        failed++;
        continue;
      }
      samples.push(ms);
      s.detach(a.script, { printMaps: false });
      s.resume();
    }
  }
  return {
    'e2e.compile_ms_median': { value: median(samples), unit: 'ms' },
    'e2e.compile_scripts': { value: list.length, unit: 'scripts' },
    'e2e.compile_failures': { value: failed / 3, unit: 'scripts' },
  };
}

export const e2eBenchmarks: Benchmark[] = [
  {
    name: 'e2e.events_per_s_count_by_comm',
    unit: 'firings/s',
    async run() {
      eventsPerSecond();
      return median([eventsPerSecond(), eventsPerSecond(), eventsPerSecond()]);
    },
  },
  {
    name: 'e2e.compile_ms_median',
    unit: 'ms',
    async run() {
      return compileMs();
    },
  },
];
