// The session engine: a simulated machine (kernel, workload, eBPF machine sharing its
// memory, probe manager) and the scripts attached to it. A script is compiled
// (compile.ts), loaded (the JIT by default, with the verifier's access facts), its BEGIN
// run, its probes attached; the world then runs (as fast as possible or paced) while
// ring-buffer events are drained and performed; detaching runs END, prints the maps in
// bpftrace's order and reports lost events. Output goes to the Output the caller gives
// (text or NDJSON over its sinks). The CLI's run (run.ts) and the REPL sit on this.
import { checkExpression } from '../lang';
import type { Catalogue } from '../lang/catalogue';
import type { LoweredProgram, LoweredScript } from '../lang/lower';
import { layout as L } from '../lang/lower';
import { catalogue as probeCatalogue } from '../probes/catalogue';
import { ProbeManager } from '../probes/attach';
import { expandProbeText } from '../probes/match';
import type { HelperEnv } from '../vm/helpers/env';
import { jitEngine } from '../vm/jit/engine';
import { type Engine, type LoadedProgram, interpreterEngine, loadPrograms } from '../vm/loader';
import { Machine } from '../vm/machine';
import type { BpfMap } from '../vm/maps/map';
import { StackTraceMap } from '../vm/maps/stack-trace';
import type { MapSpec } from '../vm/maps/types';
import { createMap } from '../vm/maps/create';
import type { AccessFact } from '../vm/verifier';
import { EPOCH_AT_ZERO_NS } from '../workloads/kernel/kernel';
import { ksymbolize } from '../workloads/kernel/kfuncs';
import { SYSCALL_TABLE } from '../workloads/kernel/syscall-table';
import { System } from '../workloads/system';
import { type CompileOptions, type CompileResult, type CompiledScript, compileScript } from './compile';
import { EventHandler, type EventHost } from './events';
import { clearMap, snapshotMap, zeroMap } from './maps';
import { printMapsAtExit } from './output/exit-dump';
import { JsonOutput } from './output/json-output';
import { mapToValue } from './output/map-snapshot';
import { logText } from './output/messages';
import type { Output, OutputSink } from './output/output';
import { UTC, type TimeZone } from './output/strftime';
import { TextOutput } from './output/text-output';
import type { DecodeContext } from './values';
import { RunningScript, knownMapsOf, mapShape } from './running-script';

export { RunningScript } from './running-script';

export interface SessionOptions {
  workload?: string;
  seed?: number;
  cpus?: number;
  /** Run programs on the WebAssembly JIT (default) or the interpreter. */
  jit?: boolean;
  format?: 'text' | 'json';
  /** stdout and stderr of the session. */
  sink: OutputSink;
  /** The simulated machine's time zone (UTC by default). */
  zone?: TimeZone;
  /** Only fire probes in this process (bpftrace -p). */
  pid?: number;
  /** -q: no `Attached N probes` message. */
  quiet?: boolean;
  /** Report failing helpers at run time (bpftrace -k). */
  helperErrors?: boolean;
  /**
   * Run the workload's warm-up when the session is made (default). With false, the
   * session starts the trace when it first needs to: warm when a script with probes
   * attaches, a command starts or the world runs; cold (no simulated time at all) when a
   * script with only BEGIN/END attaches first.
   */
  warmUp?: boolean;
  /**
   * Ring buffer fill (0..1) above which a firing drains it. The default, 0, performs every
   * event right after the firing that sent it (exit() takes effect at once); higher values
   * leave events to the end of each slice, where a full buffer loses them.
   */
  drainAt?: number;
}

export interface AttachOptions {
  /** Print `Attached N probes` (default: unless the session is quiet). */
  announce?: boolean;
  /**
   * Use the live maps of these scripts for maps of the same name and layout instead of
   * creating new ones (REPL expressions reading a running program's maps).
   */
  shareMapsWith?: readonly RunningScript[];
}

export type AttachResult = { ok: true; script: RunningScript } | { ok: false; error: string };

function engineWithFacts(base: Engine, facts: readonly (AccessFact | undefined)[]): Engine {
  if (base !== jitEngine) return base;
  return { name: base.name, prepare: (insns, m, spec) => jitEngine.prepare(insns, m, spec, facts), dump: jitEngine.dump.bind(jitEngine) };
}

export class Session {
  readonly system: System;
  readonly machine: Machine;
  readonly probes: ProbeManager;
  readonly out: Output;
  readonly catalogue: Catalogue;
  readonly zone: TimeZone;
  private readonly engine: Engine;
  private readonly scripts: RunningScript[] = [];
  /** Firings of scripts already detached (and dropped from `scripts`). */
  private retiredFirings = 0;
  private nextId = 1;
  /** The -c child's pid (cpid), when a command was started. */
  childPid = 0;
  childExited = false;
  childStatus = 0;
  /** Set when a script called exit() (or a stop was requested) during a run. */
  private stopRequested = false;
  /** Pids of system() commands still running, and the simulated time a stop waits for them until. */
  private readonly systemPending = new Set<number>();
  private systemWaitUntil = Infinity;

  constructor(readonly opts: SessionOptions) {
    this.system = new System({ workload: opts.workload, seed: opts.seed, cpus: opts.cpus });
    const k = this.system.kernel;
    this.machine = new Machine({ mem: k.mem, nrCpus: k.nrCpus });
    // bpf_task_from_pid (comm(pid)): the task with that pid while the kernel knows it.
    this.machine.helpers.taskByPid = (pid) => {
      const t = this.kernel.tasks.get(pid);
      return t ? this.kernel.mem.addr(t.lin) : 0n;
    };
    this.probes = new ProbeManager(k);
    this.catalogue = probeCatalogue();
    this.zone = opts.zone ?? UTC;
    this.engine = opts.jit === false ? interpreterEngine : jitEngine;
    this.out = opts.format === 'json' ? new JsonOutput(opts.sink) : new TextOutput(opts.sink, { zone: this.zone });
    if (opts.warmUp !== false) this.system.warmUp();
  }

  /** Starts the trace on a warmed-up machine (its world will run); nothing once started. */
  prepareWorld(): void {
    this.system.warmUp();
  }

  /** Whether the world runs: false once a trace started cold (only BEGIN/END, no simulated time). */
  get worldRuns(): boolean {
    return this.system.started !== 'cold';
  }

  get kernel(): System['kernel'] {
    return this.system.kernel;
  }

  /** Simulated ns since the session's machine booted. */
  get elapsedNs(): number {
    return this.system.elapsed;
  }

  get attached(): readonly RunningScript[] {
    return this.scripts.filter((s) => !s.detached);
  }

  // -------------------------------------------------------------------------------------
  // Compiling and attaching.

  compile(source: string, opts: Partial<CompileOptions> = {}): CompileResult {
    return compileScript(source, {
      catalogue: this.catalogue,
      helperErrors: this.opts.helperErrors,
      hasChild: this.childPid !== 0,
      kernelSymbol: (name) => this.catalogueKsym(name),
      cgroupId: (path) => this.cgroupIdOf(path),
      ...opts,
    });
  }

  private catalogueKsym(name: string): bigint | undefined {
    return this.kernel.ksymAddr(name) || undefined;
  }

  private cgroupIdOf(path: string): bigint | undefined {
    for (const t of this.kernel.tasks.values()) if (t.proc.container.cgroupPath === path) return t.proc.container.cgroupId;
    return path === '/' ? 1n : undefined;
  }

  /** Starts a command as the traced child (bpftrace -c); its pid is cpid. */
  startChild(cmd: string): { ok: true; pid: number } | { ok: false; error: string } {
    this.prepareWorld();
    const r = this.system.spawnCommand(cmd);
    if (!r.ok) return r;
    this.childPid = r.pid;
    this.system.onProcessExit(r.pid, (status) => {
      this.childExited = true;
      this.childStatus = status;
      this.kernel.stopRequested = true;
    });
    return r;
  }

  /** Loads a compiled script, runs BEGIN and attaches its probes. */
  attach(compiled: CompiledScript, opts: AttachOptions = {}): AttachResult {
    const script = compiled.script;
    const liveMaps = new Map<readonly MapSpec[], BpfMap[]>();
    if (opts.shareMapsWith?.length) {
      const shared = this.sharedMaps(script, opts.shareMapsWith);
      if (typeof shared === 'string') return { ok: false, error: shared };
      liveMaps.set(script.maps, shared);
    }
    // Probes need the running machine; BEGIN and END alone need no simulated time.
    // system() commands run in the world too.
    if (script.programs.some((p) => p.role === 'probe') || script.events.some((e) => e.kind === 'format' && e.fn === 'system')) this.prepareWorld();
    else this.system.startCold();
    const loaded = new Map<LoweredProgram, LoadedProgram>();
    for (let i = 0; i < script.programs.length; i++) {
      const p = script.programs[i];
      const engine = engineWithFacts(this.engine, compiled.verified[i]?.access ?? []);
      const r = loadPrograms(this.machine, [p.spec], { engine, liveMaps });
      if (!r.ok) return { ok: false, error: r.errors.join('\n') };
      loaded.set(p, r.programs[0]);
    }
    const maps = liveMaps.get(script.maps) ?? [];
    const rs = new RunningScript(this.nextId++, compiled, maps, loaded);
    rs.handler = new EventHandler(script, compiled.file, compiled.source, this.eventHost(rs));
    this.writeGlobals(rs);
    for (const p of script.programs) {
      const lp = loaded.get(p)!;
      if (p.role === 'begin') rs.begin.push(lp);
      else if (p.role === 'end') rs.end.push(lp);
    }
    // Attach the probes first (as bpftrace does), then run BEGIN.
    for (const p of script.programs) {
      if (p.role !== 'probe') continue;
      const prog = this.probeProgram(rs, loaded.get(p)!);
      for (const site of p.sites) {
        const ex = expandProbeText(site.name);
        const point = ex.ok ? ex.points.find((x) => x.probe === site.name) ?? ex.points[0] : undefined;
        const link = point ? this.probes.attachPoint(point, prog, { pid: this.opts.pid }) : `cannot attach ${site.name}`;
        if (typeof link === 'string') {
          rs.links.forEach((l) => l.detach());
          return { ok: false, error: link };
        }
        rs.links.push(link);
      }
    }
    this.scripts.push(rs);
    if (opts.announce ?? !this.opts.quiet) this.out.attachedProbes(rs.probeCount);
    for (const b of rs.begin) this.runSpecial(rs, b);
    this.drain(rs);
    return { ok: true, script: rs };
  }

  /** Live maps for a script: those of `others` with the same name and layout, new ones otherwise. */
  private sharedMaps(script: LoweredScript, others: readonly RunningScript[]): BpfMap[] | string {
    const host = { mem: this.machine.mem, nrCpus: this.machine.nrCpus };
    const out: BpfMap[] = [];
    for (const spec of script.maps) {
      const name = spec.name.startsWith('@') ? spec.name.slice(1) : undefined;
      let found: BpfMap | undefined;
      if (name !== undefined) {
        for (const o of [...others].reverse()) {
          const m = o.userMap(name);
          const live = m ? o.maps[m.index] : undefined;
          if (!live) continue;
          if (live.spec.type === spec.type && live.spec.keySize === spec.keySize && live.spec.valueSize === spec.valueSize) {
            found = live;
            break;
          }
          return `map @${name} is already used by program ${o.id} with another type (${mapShape(m!)} there, ${mapShape(script.userMaps.find((u) => u.name === name) ?? m!)} here): use another name or detach program ${o.id}`;
        }
      }
      if (!found) {
        try {
          found = createMap(spec, host);
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
        this.machine.helpers.maps.add(found);
      }
      out.push(found);
    }
    return out;
  }

  private writeGlobals(rs: RunningScript): void {
    const n = rs.script.syscallNames;
    if (n !== undefined) {
      const table = new Uint8Array(L.SYSCALL_NAMES.count * L.SYSCALL_NAMES.size);
      const enc = new TextEncoder();
      for (const [nr, name] of SYSCALL_TABLE) {
        if (nr < L.SYSCALL_NAMES.count) table.set(enc.encode(name).subarray(0, L.SYSCALL_NAMES.size - 1), nr * L.SYSCALL_NAMES.size);
      }
      rs.maps[n].update(new Uint8Array(4), table);
    }
    const i = rs.script.globals;
    if (i === undefined) return;
    const v = new Uint8Array(L.GLOBALS.size);
    const dv = new DataView(v.buffer);
    dv.setBigUint64(L.GLOBALS.startNs, BigInt(Math.floor(this.kernel.now)), true);
    dv.setBigUint64(L.GLOBALS.ncpus, BigInt(this.kernel.nrCpus), true);
    dv.setBigUint64(L.GLOBALS.cpid, BigInt(this.childPid), true);
    rs.maps[i].update(new Uint8Array(4), v);
  }

  private probeProgram(rs: RunningScript, lp: LoadedProgram): { run(ctx: bigint, env: HelperEnv): void } {
    const ring = rs.ring;
    const limit = ring ? ring.spec.maxEntries * (this.opts.drainAt ?? 0) : Infinity;
    return {
      run: (ctx, env) => {
        // After exit() the script's probes no longer run (bpftrace stops at once too).
        if (rs.detached || rs.exitCode !== undefined) return;
        rs.firings++;
        const r = lp.run(ctx, env);
        if (!r.ok) this.fault(rs, lp, r.fault.message, r.fault.pc);
        if (ring && ring.used > limit) this.drain(rs);
      },
    };
  }

  private runSpecial(rs: RunningScript, lp: LoadedProgram): void {
    this.probes.runSpecial({
      run: (ctx: bigint, env: HelperEnv) => {
        const r = lp.run(ctx, env);
        if (!r.ok) this.fault(rs, lp, r.fault.message, r.fault.pc);
      },
    });
  }

  private fault(rs: RunningScript, lp: LoadedProgram, message: string, pc: number): void {
    rs.faults++;
    if (rs.faults > 1) return;
    const sp = lp.spec.spans?.[pc];
    const loc = sp ? ` at ${rs.compiled.file}:${sourceLine(rs.compiled.source, sp.start)}` : '';
    this.opts.sink.err(logText('warning', `${lp.spec.name}: the program stopped${loc}: ${message}`));
  }

  // -------------------------------------------------------------------------------------
  // Events and maps.

  private eventHost(rs: RunningScript): EventHost {
    return {
      out: this.out,
      err: (t) => this.opts.sink.err(t),
      decode: this.decodeContext(rs),
      zone: this.zone,
      nowWall: () => this.kernel.nowWall(),
      printMap: (name, top, div) => this.printMap(rs, name, { top, div }),
      clearMap: (name) => {
        const m = rs.userMap(name);
        if (m) clearMap(rs.maps[m.index]);
      },
      zeroMap: (name) => {
        const m = rs.userMap(name);
        if (m) zeroMap(rs.maps[m.index]);
      },
      exit: (code) => {
        if (rs.exitCode === undefined) rs.exitCode = code;
        this.stopRequested = true;
        this.kernel.stopRequested = true;
      },
      readFile: (path) => this.readFile(path),
      runCommand: (cmd) => this.runCommand(cmd),
    };
  }

  decodeContext(rs: RunningScript): DecodeContext {
    const sys = this.system;
    const cat = this.catalogue;
    return {
      ksym: (addr) => {
        const s = ksymbolize(addr);
        return s ? { name: s.name, offset: BigInt(s.offset) } : undefined;
      },
      usym: (pid, addr) => {
        const s = sys.usymbolize(pid, addr);
        return s ? { name: s.name, offset: BigInt(s.offset), module: s.binary } : undefined;
      },
      userName: (uid) => this.userName(uid),
      cgroupPath: (id) => {
        for (const t of this.kernel.tasks.values()) if (t.proc.container.cgroupId === id) return t.proc.container.cgroupPath;
        return id === 1n ? '/' : undefined;
      },
      wallFromBoot: (ns) => EPOCH_AT_ZERO_NS + ns,
      stackFrames: (kernel, mode, limit, id) => {
        const st = rs.script.stacks.find((s) => s.kernel === kernel && s.mode === mode && s.limit === limit);
        const m = st ? rs.maps[st.index] : undefined;
        return m instanceof StackTraceMap ? m.frames(id) : undefined;
      },
      strftimeFormat: (id) => rs.script.resources.formats[id]?.format ?? '%H:%M:%S',
      // Read when a value needs them: building them costs a run that never does.
      get types() {
        return cat.types;
      },
      get tracepoints() {
        return cat.probes.tracepoints;
      },
    };
  }

  private userName(uid: number): string | undefined {
    const node = this.kernel.s.vfs.lookupAsRoot('/etc/passwd');
    const text = node?.content ?? '';
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
    return uid === 0 ? 'root' : undefined;
  }

  private readFile(path: string): { ok: true; text: string } | { ok: false; error: string } {
    const node = this.kernel.s.vfs.lookupAsRoot(path);
    if (!node) return { ok: false, error: `failed to open file '${path}': No such file or directory` };
    if (node.isDir()) return { ok: false, error: `failed to open file '${path}': Is a directory` };
    const gen = (node as { generate?: (c: { pid: number }) => string }).generate;
    const text = gen ? gen({ pid: this.kernel.s.procs.tracerTask().pid }) : (node.content ?? '');
    return { ok: true, text };
  }

  /**
   * system(): the command runs as a process of the simulated machine, on a terminal of its
   * own; what it writes there is printed when it exits. As bpftrace waits for the command,
   * a run that exit()s goes on until its commands end (SYSTEM_WAIT_NS at most).
   */
  private runCommand(cmd: string): string | undefined {
    const r = this.system.spawnCommand(cmd);
    if (!r.ok) return `sh: ${r.error}`;
    const vfs = this.kernel.s.vfs;
    const t = this.kernel.tasks.get(r.pid);
    if (t) {
      for (let fd = 0; fd < 3; fd++) vfs.close(t, fd);
      vfs.openTty(t.proc, SYSTEM_TTY);
    }
    this.systemPending.add(r.pid);
    this.system.onProcessExit(r.pid, () => {
      this.systemPending.delete(r.pid);
      const tty = vfs.tty(SYSTEM_TTY);
      const text = tty.output;
      tty.output = '';
      if (text) this.out.syscall(text.replace(/\n$/, ''));
    });
    return undefined;
  }

  /** Drains a script's ring buffer, performing each event; reports newly lost events. */
  drain(rs: RunningScript): void {
    const ring = rs.ring;
    if (!ring) return;
    ring.drain((rec) => rs.handler.handle(rec));
    if (ring.lost > rs.lostReported) {
      this.out.lostEvents(ring.lost - rs.lostReported);
      rs.lostReported = ring.lost;
    }
  }

  /** Prints one map of a script now (print(@m), the REPL's .print). */
  printMap(rs: RunningScript, name: string, opts: { top?: number; div?: number } = {}): boolean {
    const m = rs.userMap(name);
    if (!m) return false;
    const snap = snapshotMap(m, rs.maps[m.index], this.decodeContext(rs));
    this.out.map(snap.name, mapToValue(snap, opts));
    return true;
  }

  /** clear() from outside (the REPL's .clear). */
  clearMap(rs: RunningScript, name: string): boolean {
    const m = rs.userMap(name);
    if (!m) return false;
    clearMap(rs.maps[m.index]);
    return true;
  }

  /** Detaches a script: its probes, then END, then the exit dump of its maps. */
  detach(rs: RunningScript, opts: { printMaps?: boolean } = {}): void {
    if (rs.detached) return;
    for (const l of rs.links) l.detach();
    this.drain(rs);
    for (const e of rs.end) this.runSpecial(rs, e);
    this.drain(rs);
    rs.detached = true;
    if (opts.printMaps ?? rs.script.config.printMapsOnExit) {
      const ctx = this.decodeContext(rs);
      printMapsAtExit(
        this.out,
        rs.script.userMaps.map((m) => snapshotMap(m, rs.maps[m.index], ctx)),
      );
    }
    this.freeMaps(rs);
    // The session lets go of the script (its programs and their compiled code) too.
    this.retiredFirings += rs.firings;
    this.scripts.splice(this.scripts.indexOf(rs), 1);
  }

  /** Frees the maps of a detached script that no attached script shares, as the kernel frees a map with its last program. */
  private freeMaps(rs: RunningScript): void {
    const inUse = new Set(this.attached.flatMap((o) => o.maps));
    for (const m of rs.maps) {
      if (inUse.has(m) || m.freed) continue;
      this.machine.helpers.maps.remove(m);
      m.free();
    }
  }

  // -------------------------------------------------------------------------------------
  // Running the world.

  /** Whether a run should stop: exit() called, a stop requested, or the -c child exited. */
  get done(): boolean {
    if (this.stopRequested && this.systemPending.size > 0 && this.worldRuns) {
      // Commands started by system() finish first, as bpftrace waits for them.
      if (this.systemWaitUntil === Infinity) this.systemWaitUntil = this.kernel.now + SYSTEM_WAIT_NS;
      if (this.kernel.now < this.systemWaitUntil) return false;
    }
    return this.stopRequested || (this.childPid !== 0 && this.childExited);
  }

  /** Requests the current run to stop (Ctrl-C, exit()). */
  stop(): void {
    this.stopRequested = true;
    this.kernel.stopRequested = true;
  }

  /** Clears a previous stop request (the REPL continues after Ctrl-C). */
  resume(): void {
    this.stopRequested = false;
    this.systemWaitUntil = Infinity;
  }

  /** Runs the simulation for `ns` (or until done), draining events every slice. */
  runFor(ns: number, slice = 10e6): void {
    const end = this.kernel.now + ns;
    if (!this.worldRuns) {
      // A cold trace (only BEGIN/END): time passes, nothing runs.
      if (!this.done) this.kernel.now = end;
      return;
    }
    while (!this.done && this.kernel.now < end) {
      this.kernel.runUntil(Math.min(end, this.kernel.now + slice));
      for (const rs of this.attached) this.drain(rs);
    }
  }

  /** The maps of the running scripts, as the front end takes them for REPL expressions. */
  knownMaps(scripts: readonly RunningScript[] = this.attached): NonNullable<CompileOptions['knownMaps']> {
    return knownMapsOf(scripts);
  }

  /** Probe firings per attached script and in total. */
  get firings(): number {
    return this.scripts.reduce((n, s) => n + s.firings, this.retiredFirings);
  }

  /**
   * Evaluates a bare expression (the REPL): it runs once in a BEGIN probe that prints it.
   * Returns the rendered errors when it does not compile.
   */
  evaluate(source: string): { ok: true } | { ok: false; rendered: string } {
    const running = this.attached;
    const knownMaps = this.knownMaps(running);
    const chk = checkExpression(source, { catalogue: this.catalogue, knownMaps });
    if (!chk.ok) return { ok: false, rendered: chk.rendered };
    // A one-page ring buffer: an expression sends one event, and maps are not freed.
    const r = this.compile(`BEGIN { print(${source}); }`, { file: 'stdin', knownMaps, ringbufBytes: 4096 });
    if (!r.ok) return { ok: false, rendered: r.rendered };
    const a = this.attach(r.compiled, { announce: false, shareMapsWith: running });
    if (!a.ok) return { ok: false, rendered: logText('error', a.error) };
    this.detach(a.script, { printMaps: false });
    return { ok: true };
  }
}

/** The terminal system() commands write to (fds 0-2), so their output is theirs alone. */
const SYSTEM_TTY = 'bpfsim-system';
/** How long a stopping run waits for system() commands (simulated ns). */
const SYSTEM_WAIT_NS = 5e9;

function sourceLine(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
