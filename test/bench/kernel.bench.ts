// Simulated-kernel benchmarks. Times are CPU time of this process (user + system), so a busy
// shared machine does not distort them; the wall-clock variants are reported beside them.
//
// kernel.events_per_s_unobserved: hook events per second of host time with nothing
// attached. A first run of the default workload with a counter on every hook gives the
// number of hook events in the simulated interval (observers do not change the run); a
// second, unobserved run of the same interval is timed.
//
// kernel.overhead_count_probe: the same unobserved run timed again with a count() program
// (`@ = count()`: a per-CPU array map lookup and an increment, as bpftrace emits) attached
// to the hottest hook, divided by the unobserved time (medians of five alternating runs). ENGINE selects the engine that runs it.
import { assemble } from '../../vm/asm/assemble';
import { jitEngine } from '../../vm/jit/engine';
import { loadPrograms, type Engine } from '../../vm/loader';
import { Machine } from '../../vm/machine';
import { MapType } from '../../vm/maps/types';
import { ProbeManager } from '../../probes/attach';
import { System } from '../../workloads/system';
import { TraceRecorder } from '../../workloads/trace/recorder';
import type { Benchmark, Figure } from './harness';

/** The engine the count program runs on (switching engines is this one line). */
const ENGINE: Engine = jitEngine;

const WORKLOAD = 'default';
const SEED = 1;
const SIM_NS = 20e9;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs the interval once; returns CPU ms and wall ms. */
function timed(setup: (s: System) => void): { cpu: number; wall: number } {
  const s = new System({ workload: WORKLOAD, seed: SEED });
  setup(s);
  const c0 = cpuMs();
  const w0 = performance.now();
  s.runFor(SIM_NS);
  return { cpu: cpuMs() - c0, wall: performance.now() - w0 };
}

function countEvents(): { events: number; hottest: string } {
  const s = new System({ workload: WORKLOAD, seed: SEED });
  const r = new TraceRecorder(s.kernel, () => true, true);
  s.runFor(SIM_NS);
  let hottest = '';
  let most = 0;
  for (const [name, n] of r.counts) if (n > most && !name.startsWith('software:')) [hottest, most] = [name, n];
  return { events: r.events, hottest };
}

/** The attach point bpftrace would use for a hook name (`kprobe:x`, `tracepoint:c:e`, `uprobe:path:fn`). */
function attachPoint(s: System, hook: string): string {
  const h = s.kernel.hooks.all.find((x) => x.name === hook)!;
  return h.kind === 'tracepoint' ? `tracepoint:${hook}` : `${h.kind}:${hook}`;
}

const COUNT = `
  r1 = 0
  *(u32 *)(r10 - 4) = r1
  r1 = map[count] ll
  r2 = r10
  r2 += -4
  call 1
  if r0 == 0 goto +3
  r1 = *(u64 *)(r0 + 0)
  r1 += 1
  *(u64 *)(r0 + 0) = r1
  r0 = 0
  exit`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export const kernelBenchmarks: Benchmark[] = [
  {
    name: 'kernel.events_per_s_unobserved',
    unit: 'events/s',
    async run(): Promise<Record<string, Figure>> {
      const { events } = countEvents();
      const runs = [timed(() => {}), timed(() => {}), timed(() => {})];
      const cpu = median(runs.map((r) => r.cpu));
      const wall = median(runs.map((r) => r.wall));
      return {
        'kernel.events_per_s_unobserved': { value: events / (cpu / 1000), unit: 'events/s' },
        'kernel.events_per_s_unobserved_wall': { value: events / (wall / 1000), unit: 'events/s' },
        'kernel.events_per_sim_s': { value: events / (SIM_NS / 1e9), unit: 'events' },
      };
    },
  },
  {
    name: 'kernel.overhead_count_probe',
    unit: 'ratio',
    async run(): Promise<Record<string, Figure>> {
      const { hottest } = countEvents();
      let links: { hits: number }[] = [];
      const attachCount = (s: System): void => {
        const m = new Machine({ mem: s.kernel.mem, nrCpus: s.kernel.nrCpus });
        const maps = [{ name: 'count', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }];
        const spec = { name: 'count', type: 'kprobe' as const, insns: assemble(COUNT).insns, maps, ctx: { name: 'struct pt_regs', size: 168, fields: [] } };
        const r = loadPrograms(m, [spec], { engine: ENGINE });
        if (!r.ok) throw new Error(r.errors.join('\n'));
        const prog = r.programs[0];
        const pm = new ProbeManager(s.kernel);
        const a = pm.attach(attachPoint(s, hottest), { run: (ctx, env) => prog.run(ctx, env) });
        if (!a.ok) throw new Error(a.error);
        links = a.links;
      };
      // Unobserved and probed runs alternate, five of each, so that drift in the machine
      // (other load, the heap this process has grown) falls on both sides of the ratio.
      const base: { cpu: number }[] = [];
      const probed: { cpu: number }[] = [];
      for (let i = 0; i < 5; i++) {
        base.push(timed(() => {}));
        probed.push(timed(attachCount));
      }
      const fired = links.reduce((n, l) => n + l.hits, 0);
      const b = median(base.map((r) => r.cpu));
      const p = median(probed.map((r) => r.cpu));
      return {
        'kernel.overhead_count_probe': { value: p / b, unit: `ratio (${ENGINE.name}, ${hottest})` },
        'kernel.overhead_count_probe_fired': { value: fired, unit: 'program runs' },
      };
    },
  },
];
