// The REPL's backend over the runtime session: entries are classified by the front end's
// fragment parser (probe blocks are compiled, verified and attached; a lone expression is
// evaluated in a BEGIN probe that prints it, except `@m` / `@m[key]`, which read the
// running programs' maps; statements and void calls run once in a BEGIN probe), the
// world is paced against the wall clock by a timer (as fast as possible only while
// something is attached), maps of the same name are shared by every entry (one map, as in
// one bpftrace program; a type that disagrees is an error), scripts that call exit() are
// detached with their maps printed,
// and live statistics (firings per second, maps read out of the machine) are sent a few
// times a second. Text the session prints is streamed as output events, or captured when
// a call returns it (values, detach dumps, `.print`).
import { functionSig, parseFragment, listProbes, providerNames, listWorkloads } from '../../runtime/system-info';
import type { CompiledScript } from '../../runtime/compile';
import { snapshotMap } from '../../runtime/maps';
import { mapToValue } from '../../runtime/output/map-snapshot';
import { mapKeyText, valueText } from '../../runtime/output/text-output';
import { type RunningScript, Session } from '../../runtime/session';
import { stageText } from '../../runtime/stages';
import type { DebugStage, SimSettings } from '../cli/request';
import { speedText } from '../cli/values';
import type { BackendEvent, LiveMap, LiveStats, ProgramInfo, ReplBackend, Result, SubmitResult, WorldSettings } from './backend';

/** How often the world advances and how often statistics go out (ms). */
const TICK_MS = 50;
const STATS_MS = 250;
/** Wall time one tick may spend running the world as fast as possible (ms). */
const MAX_SLICE_MS = 30;

export interface SessionBackendOptions {
  sim: SimSettings;
  unsafe?: boolean;
  warnings?: 0 | 1 | 2;
  /** Wall clock in ms (tests pass their own). */
  now?: () => number;
  /** Start the pacing timer (tests drive `advance` themselves). */
  timer?: boolean;
}

export class SessionBackend implements ReplBackend {
  private session!: Session;
  private listeners = new Set<(e: BackendEvent) => void>();
  private capture: string[] | undefined;
  private world: WorldSettings;
  private readonly cpus: number;
  private readonly jit: boolean;
  private lastCompiled: CompiledScript | undefined;
  private sources = new Map<number, { source: string; file: string }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTick: number;
  private lastStats = 0;
  private lastFirings = 0;
  private rate = 0;
  private readonly now: () => number;

  constructor(private readonly opts: SessionBackendOptions) {
    this.world = { workload: opts.sim.workload, seed: opts.sim.seed, speed: opts.sim.speed };
    this.cpus = opts.sim.cpus;
    this.jit = opts.sim.jit;
    this.now = opts.now ?? (() => Date.now());
    this.lastTick = this.now();
    this.boot();
    if (opts.timer ?? true) this.timer = setInterval(() => this.advance(), TICK_MS);
  }

  private boot(): void {
    this.session = new Session({
      workload: this.world.workload,
      seed: this.world.seed,
      cpus: this.cpus,
      jit: this.jit,
      helperErrors: this.opts.warnings === 2,
      sink: {
        out: (text) => this.write('stdout', text),
        err: (text) => this.write('stderr', text),
      },
    });
    this.lastFirings = 0;
  }

  private write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.capture && stream === 'stdout') this.capture.push(text);
    else this.emit({ kind: 'output', stream, text });
  }

  private captured(f: () => void): string {
    const prev = this.capture;
    const buf: string[] = [];
    this.capture = buf;
    try {
      f();
    } finally {
      this.capture = prev;
    }
    return buf.join('');
  }

  private emit(e: BackendEvent): void {
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private info(rs: RunningScript): ProgramInfo {
    const s = this.sources.get(rs.id);
    return { id: rs.id, source: s?.source ?? rs.compiled.source, file: s?.file ?? rs.compiled.file, probes: rs.probeCount };
  }

  async submit(source: string, file = 'stdin'): Promise<SubmitResult> {
    if (source.trim() === '') return { kind: 'value', text: '' };
    const f = parseFragment(source, file);
    const fragment = f.fragment;
    if (!fragment) return this.attachProgram(source, file);
    switch (fragment.kind) {
      case 'expr': {
        const e = fragment.expr;
        // `@m` and `@m[key]` read the maps of the running programs.
        if (e.kind === 'map' && this.owner(`@${e.name}`)) return this.readMap(`@${e.name}`, e.key ? source.slice(e.key.span.start, e.key.span.end) : undefined);
        // A call to a function without a value (printf, time, ...) is a statement.
        if (e.kind === 'call' && functionSig(e.name)?.sigs.every((sig) => sig.startsWith('void'))) return this.runOnce(source, file);
        return this.evaluate(source);
      }
      case 'stmts':
        return this.runOnce(source, file);
      case 'program':
        return this.attachProgram(source, file);
      default: {
        const never: never = fragment;
        return never;
      }
    }
  }

  private evaluate(source: string): SubmitResult {
    const holder: { result?: ReturnType<Session['evaluate']> } = {};
    const text = this.captured(() => (holder.result = this.session.evaluate(source)));
    this.session.resume();
    const result = holder.result;
    if (result && !result.ok) return { kind: 'error', text: result.rendered };
    return { kind: 'value', text };
  }

  /** `@m` prints the map; `@m[key]` the value under the key (0 when absent, as a lookup gives). */
  private readMap(name: string, keySource: string | undefined): SubmitResult {
    if (keySource === undefined) {
      const r = this.printMap(name);
      return r.ok ? { kind: 'value', text: r.value } : { kind: 'error', text: `ERROR: ${r.error}\n` };
    }
    const key = this.evaluate(keySource.includes(',') ? `(${keySource})` : keySource);
    if (key.kind !== 'value') return key;
    const keyText = key.text.replace(/\n$/, '').replace(/^\((.*)\)$/s, '$1');
    const rs = this.owner(name)!;
    const m = rs.userMap(name)!;
    const value = mapToValue(snapshotMap(m, rs.maps[m.index], this.session.decodeContext(rs)));
    const entries = value.kind === 'map' ? value.map.entries : value.kind === 'stats' && value.value.kind === 'map' ? value.value.map.entries : [];
    const hit = entries.find((en) => mapKeyText(en.key) === keyText);
    return { kind: 'value', text: hit ? valueText(hit.value).replace(/\n*$/, '\n') : '0\n' };
  }

  /** Statements run once in a BEGIN probe; what they print (and their maps) is the value. */
  private runOnce(source: string, file: string): SubmitResult {
    const r = this.session.compile(`BEGIN { ${source} }`, { file, unsafe: this.opts.unsafe, knownMaps: this.session.knownMaps() });
    if (!r.ok) return { kind: 'error', text: r.rendered };
    this.lastCompiled = r.compiled;
    let error: string | undefined;
    const text = this.captured(() => {
      const a = this.session.attach(r.compiled, { announce: false, shareMapsWith: this.session.attached });
      if (a.ok) this.session.detach(a.script);
      else error = a.error;
    });
    this.session.resume();
    if (error !== undefined) return { kind: 'error', text: `ERROR: ${error}\n` };
    return { kind: 'value', text: text.replace(/^\n+/, '') };
  }

  private attachProgram(source: string, file: string): SubmitResult {
    // Maps of the running programs are this entry's too (typed as they are, and shared
    // live), as the probes of one bpftrace program share their maps.
    const r = this.session.compile(source, { file, unsafe: this.opts.unsafe, knownMaps: this.session.knownMaps() });
    if (!r.ok) return { kind: 'error', text: r.rendered };
    this.lastCompiled = r.compiled;
    if (this.opts.warnings !== 0 && r.compiled.warnings) this.emit({ kind: 'output', stream: 'stderr', text: r.compiled.warnings });
    const a = this.session.attach(r.compiled, { shareMapsWith: this.session.attached });
    if (!a.ok) return { kind: 'error', text: `ERROR: ${a.error}\n` };
    this.sources.set(a.script.id, { source: source.trim(), file });
    const info = this.info(a.script);
    this.reapExited();
    this.sendStats();
    return { kind: 'attached', program: info };
  }

  /** Detaches scripts that called exit(): END runs and their maps print, as at the end of a bpftrace run. */
  private reapExited(): void {
    for (const rs of this.session.attached) if (rs.exitCode !== undefined) this.session.detach(rs);
    this.session.resume();
  }

  /** Advances the world by the wall time since the last call, at the current speed. */
  advance(): void {
    const t = this.now();
    const wall = Math.max(0, t - this.lastTick);
    this.lastTick = t;
    const s = this.world.speed;
    try {
      switch (s.kind) {
        case 'max': {
          if (this.session.attached.length === 0) break;
          const until = t + MAX_SLICE_MS;
          while (this.now() < until && !this.session.done) this.session.runFor(5e6);
          break;
        }
        case 'realtime':
        case 'factor': {
          const factor = s.kind === 'realtime' ? 1 : s.factor;
          // A stall (a long compile) does not make the world jump ahead.
          this.session.runFor(Math.min(250, wall) * 1e6 * factor);
          break;
        }
        default: {
          const never: never = s;
          return never;
        }
      }
      this.reapExited();
    } catch (e) {
      this.emit({ kind: 'output', stream: 'stderr', text: `ERROR: the simulation stopped: ${e instanceof Error ? e.message : String(e)}\n` });
    }
    if (t - this.lastStats >= STATS_MS) this.sendStats();
  }

  private liveMaps(): LiveMap[] {
    const out: LiveMap[] = [];
    for (const rs of this.session.attached) {
      const ctx = this.session.decodeContext(rs);
      for (const m of rs.script.userMaps) {
        const snap = snapshotMap(m, rs.maps[m.index], ctx);
        if (snap.entries.length > 0) out.push({ name: snap.name, program: rs.id, value: mapToValue(snap) });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.program ?? 0) - (b.program ?? 0)));
  }

  private sendStats(): void {
    const t = this.now();
    const firings = this.session.firings;
    const dt = (t - this.lastStats) / 1000;
    if (this.lastStats > 0 && dt > 0) this.rate = Math.max(0, (firings - this.lastFirings) / dt);
    this.lastStats = t;
    this.lastFirings = firings;
    const stats: LiveStats = { simTimeNs: this.session.elapsedNs, eventsPerSec: this.rate, programs: this.programs(), maps: this.liveMaps() };
    this.emit({ kind: 'stats', stats });
  }

  programs(): readonly ProgramInfo[] {
    return this.session.attached.map((rs) => this.info(rs));
  }

  private find(id: number): RunningScript | undefined {
    return this.session.attached.find((rs) => rs.id === id);
  }

  async detach(id: number): Promise<Result<string>> {
    const rs = this.find(id);
    if (!rs) return { ok: false, error: `no program ${id} is running (see .list)` };
    const text = this.captured(() => this.session.detach(rs));
    this.sendStats();
    return { ok: true, value: text };
  }

  async detachAll(): Promise<string> {
    const text = this.captured(() => {
      for (const rs of this.session.attached) this.session.detach(rs);
    });
    this.session.resume();
    this.sendStats();
    return text;
  }

  /** The newest running script that has a map of this name. */
  private owner(name: string): RunningScript | undefined {
    return [...this.session.attached].reverse().find((rs) => rs.userMap(name) !== undefined);
  }

  mapNames(): readonly string[] {
    const names = new Set<string>();
    for (const rs of this.session.attached) for (const m of rs.script.userMaps) names.add(`@${m.name}`);
    return [...names].sort();
  }

  printMap(name: string): Result<string> {
    const rs = this.owner(name);
    if (!rs) return { ok: false, error: `Undefined map: ${name}` };
    return { ok: true, value: this.captured(() => this.session.printMap(rs, name)) };
  }

  clearMap(name: string): Result<void> {
    const rs = this.owner(name);
    if (!rs || !this.session.clearMap(rs, name)) return { ok: false, error: `Undefined map: ${name}` };
    this.sendStats();
    return { ok: true, value: undefined };
  }

  stage(stage: DebugStage): Result<string> {
    if (!this.lastCompiled) return { ok: false, error: 'no program compiled yet' };
    try {
      return { ok: true, value: stageText(stage, this.lastCompiled, this.session.catalogue).replace(/^\n+/, '') };
    } catch (e) {
      return { ok: false, error: `cannot show the ${stage} stage: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  listProbes(pattern: string | undefined): Result<string[]> {
    const r = listProbes(pattern, false);
    return r.ok ? { ok: true, value: r.lines } : { ok: false, error: r.error };
  }

  completeProbe(prefix: string): string[] {
    if (!prefix.includes(':')) {
      const kinds = providerNames().filter((p) => p.startsWith(prefix));
      return kinds.map((k) => (/^(BEGIN|END|begin|end)$/.test(k) ? k : `${k}:`));
    }
    const r = listProbes(`${prefix}*`, false);
    return r.ok ? r.lines.filter((l) => l.startsWith(prefix)) : [];
  }

  workloads(): readonly string[] {
    return listWorkloads().map((w) => w.name);
  }

  settings(): WorldSettings {
    return this.world;
  }

  async configure(change: Partial<WorldSettings>): Promise<Result<string>> {
    if (change.workload !== undefined && !this.workloads().includes(change.workload)) {
      return { ok: false, error: `unknown workload '${change.workload}'. Valid workloads: ${this.workloads().map((w) => `'${w}'`).join(', ')}` };
    }
    const restart = (change.workload !== undefined && change.workload !== this.world.workload) || (change.seed !== undefined && change.seed !== this.world.seed);
    if (restart && this.session.attached.length > 0) return { ok: false, error: 'detach the running programs first (Ctrl-C or .detach N): a new world starts empty' };
    this.world = { ...this.world, ...change };
    if (restart) this.boot();
    this.lastTick = this.now();
    this.sendStats();
    return { ok: true, value: restart ? `world restarted: workload ${this.world.workload}, seed ${this.world.seed}` : `speed ${speedText(this.world.speed)}` };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const rs of this.session.attached) this.captured(() => this.session.detach(rs, { printMaps: false }));
  }
}
