// A deterministic stand-in for the runtime session behind the REPL, for tests and for
// driving the real binary in a terminal before a session is connected. Programs are read
// by pattern (fake/program.ts), expressions evaluated over a few builtins (fake/eval.ts);
// each tick advances simulated time by 100 ms, updates the maps of running programs with
// fixed increments and prints their printf formats. Maps print through runtime/output's
// formatters, so what the REPL shows has bpftrace's layout.
import { printMapsAtExit } from '../../../runtime/output/exit-dump';
import { buildHistogram, histBucketIndex } from '../../../runtime/output/hist';
import { mapToValue, type MapSnapshot } from '../../../runtime/output/map-snapshot';
import { StringSink } from '../../../runtime/output/output';
import { mapText, TextOutput } from '../../../runtime/output/text-output';
import { str, uint } from '../../../runtime/output/value';
import type { DebugStage } from '../../cli/request';
import { speedText } from '../../cli/values';
import type { BackendEvent, LiveStats, ProgramInfo, ReplBackend, Result, SubmitResult, WorldSettings } from '../backend';
import { evaluate } from './eval';
import { FAKE_PROBES, parseFakeProgram, type FakeAgg, type FakeProgram } from './program';

export const FAKE_WORKLOADS = ['default', 'web', 'db', 'build', 'io', 'net', 'containers'];
const COMMS = ['bash', 'sshd', 'nginx', 'postgres', 'cron'];
export const TICK_NS = 100_000_000;

interface FakeMap {
  agg: FakeAgg;
  keyed: boolean;
  /** count/sum per key; hist buckets per key. */
  values: Map<string, bigint>;
  buckets: Map<string, bigint[]>;
}

interface Running {
  info: ProgramInfo;
  program: FakeProgram;
}

export interface FakeOptions {
  /** Advance the world on a timer (ms); absent: only tick() advances it. */
  autoTickMs?: number;
}

export class FakeBackend implements ReplBackend {
  private running = new Map<number, Running>();
  private maps = new Map<string, FakeMap>();
  private listeners = new Set<(e: BackendEvent) => void>();
  private nextId = 1;
  private ticks = 0;
  private world: WorldSettings = { workload: 'default', seed: 1, speed: { kind: 'realtime' } };
  private lastStages: Partial<Record<DebugStage, string>> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  closed = false;

  constructor(opts: FakeOptions = {}) {
    if (opts.autoTickMs) this.timer = setInterval(() => this.tick(), opts.autoTickMs);
  }

  private emit(e: BackendEvent): void {
    for (const l of this.listeners) l(e);
  }

  private out(text: string): void {
    this.emit({ kind: 'output', stream: 'stdout', text });
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get simTimeNs(): number {
    return this.ticks * TICK_NS;
  }

  async submit(source: string, file = 'stdin'): Promise<SubmitResult> {
    if (!source.includes('{')) {
      const text = source.trim();
      const mapRef = /^(@[A-Za-z0-9_]*)$/.exec(text);
      if (mapRef) {
        const r = this.printMap(mapRef[1]);
        return r.ok ? { kind: 'value', text: r.value } : { kind: 'error', text: `ERROR: ${r.error}\n` };
      }
      const r = evaluate(source, { builtin: (n) => this.builtin(n) }, file);
      if (!r.ok) return { kind: 'error', text: r.error };
      this.lastStages = { ast: `Program\n begin\n  call: print\n   ${text}` };
      return { kind: 'value', text: String(r.value) };
    }
    const parsed = parseFakeProgram(source, file);
    if (!parsed.ok) return { kind: 'error', text: parsed.error };
    const p = parsed.program;
    const info: ProgramInfo = { id: this.nextId++, source: source.trim(), file, probes: p.probes.length };
    this.lastStages = {
      ast: `Program\n${p.probes.map((x) => ` ${x}`).join('\n')}`,
      bytecode: p.probes.map((x, i) => `${x}:\n   0: r0 = ${i}\n   1: exit`).join('\n'),
      verifier: `processed ${p.probes.length * 2} insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0`,
      jit: '(module\n  (func $prog (result i64)\n    i64.const 0))',
    };
    for (const m of p.maps) if (!this.maps.has(m.name)) this.maps.set(m.name, { agg: m.agg, keyed: m.keyed, values: new Map(), buckets: new Map() });
    this.emit({ kind: 'output', stream: 'stderr', text: `Attached ${p.probes.length} probe${p.probes.length === 1 ? '' : 's'}\n` });
    for (const f of p.beginPrintfs) this.out(this.format(f));
    if (p.exitsAtBegin) {
      this.out(this.dump(p.maps.map((m) => m.name)));
      for (const m of p.maps) this.maps.delete(m.name);
    } else this.running.set(info.id, { info, program: p });
    this.emitStats();
    return { kind: 'attached', program: info };
  }

  private builtin(name: string): bigint | string | undefined {
    switch (name) {
      case 'nsecs':
        return BigInt(this.simTimeNs);
      case 'pid':
      case 'tid':
        return 4242n;
      case 'comm':
        return 'bpfsim';
      case 'cpu':
        return 0n;
      default:
        return undefined;
    }
  }

  private format(f: string): string {
    let n = 0;
    return f.replace(/%(-?\d*)(l*)([dusx%])/g, (_, _w: string, _l: string, c: string) => (c === '%' ? '%' : c === 's' ? COMMS[n++ % COMMS.length] : String(this.ticks + n++)));
  }

  /** Advances the world by one tick (100 ms of simulated time). */
  tick(): void {
    this.ticks++;
    for (const r of [...this.running.values()]) {
      for (const m of r.program.maps) {
        const map = this.maps.get(m.name);
        if (!map) continue;
        (map.keyed ? COMMS : ['']).forEach((key, i) => {
          const inc = BigInt(((this.ticks + i) % 5) + i + 1);
          if (map.agg === 'hist') {
            const b = map.buckets.get(key) ?? [];
            const idx = histBucketIndex(inc * 100n);
            while (b.length <= idx) b.push(0n);
            b[idx] += 1n;
            map.buckets.set(key, b);
          } else map.values.set(key, (map.values.get(key) ?? 0n) + (map.agg === 'count' ? BigInt(i + 1) : inc));
        });
      }
      for (const f of r.program.tickPrintfs) this.out(this.format(f));
      if (r.program.exitsOnTick) this.out(this.finish(r.info.id));
    }
    this.emitStats();
  }

  private snapshot(name: string): MapSnapshot | undefined {
    const m = this.maps.get(name);
    if (!m) return undefined;
    const key = (k: string) => (m.keyed ? str(k) : uint(0));
    if (m.agg === 'hist') return { name, scalar: !m.keyed, agg: 'hist', k: 0, entries: [...m.buckets].map(([k, v]) => ({ key: key(k), value: v })) };
    if (m.agg === 'sum') return { name, scalar: !m.keyed, agg: 'sum', signed: false, entries: [...m.values].map(([k, v]) => ({ key: key(k), value: v })) };
    return { name, scalar: !m.keyed, agg: 'count', entries: [...m.values].map(([k, v]) => ({ key: key(k), value: v })) };
  }

  private dump(names: readonly string[]): string {
    const sink = new StringSink();
    printMapsAtExit(new TextOutput(sink), names.map((n) => this.snapshot(n)).filter((s): s is MapSnapshot => s !== undefined));
    return sink.stdout;
  }

  private finish(id: number): string {
    const r = this.running.get(id);
    if (!r) return '';
    this.running.delete(id);
    const names = r.program.maps.map((m) => m.name).filter((n) => ![...this.running.values()].some((o) => o.program.maps.some((m) => m.name === n)));
    const text = this.dump(names);
    for (const n of names) this.maps.delete(n);
    return text;
  }

  private stats(): LiveStats {
    const maps = [...this.maps.keys()].sort().flatMap((name) => {
      const s = this.snapshot(name);
      return s && s.entries.length > 0 ? [{ name, value: mapToValue(s) }] : [];
    });
    const firings = [...this.running.values()].reduce((a, r) => a + r.program.probes.length * 1000, 0);
    return { simTimeNs: this.simTimeNs, eventsPerSec: firings, programs: this.programs(), maps };
  }

  private emitStats(): void {
    this.emit({ kind: 'stats', stats: this.stats() });
  }

  programs(): readonly ProgramInfo[] {
    return [...this.running.values()].map((r) => r.info);
  }

  async detach(id: number): Promise<Result<string>> {
    if (!this.running.has(id)) return { ok: false, error: `no program ${id} is running (see .list)` };
    const text = this.finish(id);
    this.emitStats();
    return { ok: true, value: text };
  }

  async detachAll(): Promise<string> {
    const names = [...new Set([...this.running.values()].flatMap((r) => r.program.maps.map((m) => m.name)))];
    const text = this.dump(names);
    this.running.clear();
    for (const n of names) this.maps.delete(n);
    this.emitStats();
    return text;
  }

  mapNames(): readonly string[] {
    return [...this.maps.keys()].sort();
  }

  printMap(name: string): Result<string> {
    const s = this.snapshot(name);
    if (!s) return { ok: false, error: `Undefined map: ${name}` };
    return { ok: true, value: mapText(name, mapToValue(s)) };
  }

  clearMap(name: string): Result<void> {
    const m = this.maps.get(name);
    if (!m) return { ok: false, error: `Undefined map: ${name}` };
    m.values.clear();
    m.buckets.clear();
    this.emitStats();
    return { ok: true, value: undefined };
  }

  stage(stage: DebugStage): Result<string> {
    if (!this.lastStages) return { ok: false, error: 'no program compiled yet' };
    const s = this.lastStages[stage];
    return s === undefined ? { ok: false, error: `the last entry has no ${stage} stage` } : { ok: true, value: s };
  }

  listProbes(pattern: string | undefined): Result<string[]> {
    const re = new RegExp(`^${(pattern ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const wanted = pattern === undefined || pattern.includes(':') ? re : new RegExp(`^.*:${re.source.slice(1)}`);
    return { ok: true, value: FAKE_PROBES.filter((p) => wanted.test(p)) };
  }

  completeProbe(prefix: string): string[] {
    const providers = [...new Set(FAKE_PROBES.map((p) => (p.includes(':') ? p.split(':')[0] + ':' : p)))];
    if (!prefix.includes(':')) return providers.filter((p) => p.startsWith(prefix));
    return FAKE_PROBES.filter((p) => p.startsWith(prefix));
  }

  workloads(): readonly string[] {
    return FAKE_WORKLOADS;
  }

  settings(): WorldSettings {
    return this.world;
  }

  async configure(change: Partial<WorldSettings>): Promise<Result<string>> {
    if (change.workload !== undefined && !FAKE_WORKLOADS.includes(change.workload)) {
      return { ok: false, error: `unknown workload '${change.workload}'. Valid workloads: ${FAKE_WORKLOADS.map((w) => `'${w}'`).join(', ')}` };
    }
    const restart = (change.workload !== undefined && change.workload !== this.world.workload) || (change.seed !== undefined && change.seed !== this.world.seed);
    this.world = { ...this.world, ...change };
    if (restart) this.ticks = 0;
    this.emitStats();
    const parts = [`workload ${this.world.workload}`, `seed ${this.world.seed}`];
    return { ok: true, value: restart ? `world restarted: ${parts.join(', ')}` : `speed ${speedText(this.world.speed)}` };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.running.clear();
    this.closed = true;
  }
}
