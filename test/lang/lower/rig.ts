// A test rig for lowered programs without the simulated kernel: compiles a script, checks
// every program with the verifier, loads it on a bare machine with the chosen engine, and
// runs BEGIN, the probe programs (with pt_regs arguments and a FixedEnv per firing) and
// END, performing ring-buffer events and printing the maps at the end through the
// runtime's decoders and text output. What comes out is the text bpftrace would print.
import { frontEnd } from '../../../lang';
import { lower, type LoweredScript } from '../../../lang/lower';
import { catalogue } from '../../../probes/catalogue';
import { EventHandler } from '../../../runtime/events';
import { clearMap, snapshotMap, zeroMap } from '../../../runtime/maps';
import { printMapsAtExit } from '../../../runtime/output/exit-dump';
import { mapToValue } from '../../../runtime/output/map-snapshot';
import { StringSink } from '../../../runtime/output/output';
import { TextOutput } from '../../../runtime/output/text-output';
import type { DecodeContext } from '../../../runtime/values';
import { ARG_REGS, PT_REGS, RET_REG, ptRegsOffset } from '../../../vm/ctx/layouts';
import { FixedEnv, type FixedEnvValues } from '../../../vm/helpers/fixed-env';
import type { Engine, LoadedProgram } from '../../../vm/loader';
import { loadPrograms } from '../../../vm/loader';
import { Machine } from '../../../vm/machine';
import type { BpfMap } from '../../../vm/maps/map';
import { RingBuf } from '../../../vm/maps/ringbuf';
import { StackTraceMap } from '../../../vm/maps/stack-trace';
import { Memory, Region } from '../../../vm/memory/memory';
import { verify } from '../../../vm/verifier';

export interface Firing {
  /** arg0..arg5. */
  args?: (number | bigint)[];
  ret?: number | bigint;
  env?: Partial<FixedEnvValues>;
}

export type BuildResult = { ok: true; script: LoweredScript } | { ok: false; error: string };

const built = new Map<string, BuildResult>();

/** Compiles and lowers; every program must verify. Results are cached by source and parameters. */
export function build(source: string, params: string[] = []): BuildResult {
  const key = JSON.stringify([source, params]);
  let r = built.get(key);
  if (!r) built.set(key, (r = buildUncached(source, params)));
  return r;
}

function buildUncached(source: string, params: string[]): BuildResult {
  const cat = catalogue();
  const fe = frontEnd(source, { catalogue: cat, params, unsafe: true });
  if (!fe.ok) return { ok: false, error: fe.rendered };
  const r = lower(fe, { catalogue: cat, kernelSymbol: (n) => (n === 'vfs_read' ? 0xffffffff81234560n : undefined) });
  if (!r.ok) return { ok: false, error: r.diagnostics.map((d) => d.message).join('\n') };
  for (const p of r.script.programs) {
    const v = verify(p.spec);
    if (!v.ok) return { ok: false, error: `verifier: ${p.spec.name}: ${v.error?.message}` };
  }
  return { ok: true, script: r.script };
}

/** Runs a script: BEGIN, the probe programs once per firing, END, then the map dump. Returns stdout. */
export interface RigResult {
  /** stdout before the end-of-run map dump (printf, print, ...). */
  out: string;
  /** The map dump (after its two leading newlines). */
  maps: string;
  err: string;
  exit?: number;
}

export function runScript(script: LoweredScript, source: string, engine: Engine, firings: readonly Firing[] = [], baseEnv: Partial<FixedEnvValues> = {}): RigResult {
  const machine = new Machine({ nrCpus: 2, mem: new Memory({ initialBytes: 4 << 20 }) });
  const live = new Map();
  const progs: { role: string; lp: LoadedProgram }[] = [];
  for (const p of script.programs) {
    const r = loadPrograms(machine, [p.spec], { engine, liveMaps: live });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    progs.push({ role: p.role, lp: r.programs[0] });
  }
  const maps: BpfMap[] = live.get(script.maps) ?? [];
  if (script.globals !== undefined) {
    const v = new Uint8Array(24);
    new DataView(v.buffer).setBigUint64(0, 1_000_000_000n, true);
    new DataView(v.buffer).setBigUint64(8, 2n, true);
    maps[script.globals].update(new Uint8Array(4), v);
  }
  const sink = new StringSink();
  const out = new TextOutput(sink);
  let exit: number | undefined;
  const decode: DecodeContext = {
    ksym: (a) => (a === 0xffffffff81234560n ? { name: 'vfs_read', offset: 0n } : undefined),
    usym: () => undefined,
    userName: (uid) => (uid === 0 ? 'root' : undefined),
    cgroupPath: () => '/',
    wallFromBoot: (ns) => ns,
    stackFrames: (kernel, mode, limit, id) => {
      const st = script.stacks.find((s) => s.kernel === kernel && s.mode === mode && s.limit === limit);
      const m = st ? maps[st.index] : undefined;
      return m instanceof StackTraceMap ? m.frames(id) : undefined;
    },
    strftimeFormat: (id) => script.resources.formats[id]?.format ?? '',
  };
  const userMap = (name: string) => script.userMaps.find((m) => m.name === name);
  const handler = new EventHandler(script, 'stdin', source, {
    out,
    err: (t) => sink.err(t),
    decode,
    zone: { utcOffsetMinutes: 0, name: 'UTC' },
    nowWall: () => 0n,
    printMap: (name, top, div) => {
      const m = userMap(name)!;
      const snap = snapshotMap(m, maps[m.index], decode);
      out.map(snap.name, mapToValue(snap, { top, div }));
    },
    clearMap: (name) => clearMap(maps[userMap(name)!.index]),
    zeroMap: (name) => zeroMap(maps[userMap(name)!.index]),
    exit: (code) => {
      if (exit === undefined) exit = code;
    },
    readFile: () => ({ ok: false, error: 'no files' }),
    runCommand: (c) => c,
  });
  const ring = script.ringbuf !== undefined ? (maps[script.ringbuf] as RingBuf) : undefined;
  const drain = (): void => {
    ring?.drain((rec) => handler.handle(rec));
  };
  const ctxLin = machine.mem.alloc(PT_REGS.size, Region.CTX);
  const ctx = machine.mem.addr(ctxLin);
  const run = (lp: LoadedProgram, f: Firing): void => {
    machine.mem.u8.fill(0, ctxLin, ctxLin + PT_REGS.size);
    (f.args ?? []).forEach((a, i) => machine.mem.writeU64(ctxLin + ptRegsOffset(ARG_REGS[i]), BigInt.asUintN(64, BigInt(a))));
    if (f.ret !== undefined) machine.mem.writeU64(ctxLin + ptRegsOffset(RET_REG), BigInt.asUintN(64, BigInt(f.ret)));
    const r = lp.run(ctx, new FixedEnv({ nrCpus: 2, ...baseEnv, ...f.env }));
    if (!r.ok) throw new Error(`${lp.spec.name}: ${r.fault.kind} fault at ${r.fault.pc}: ${r.fault.message}`);
    drain();
  };
  for (const p of progs) if (p.role === 'begin' && exit === undefined) run(p.lp, {});
  for (const f of firings) {
    if (exit !== undefined) break;
    for (const p of progs) if (p.role === 'probe') run(p.lp, f);
  }
  for (const p of progs) if (p.role === 'end') run(p.lp, {});
  const before = sink.stdout.length;
  printMapsAtExit(out, script.userMaps.map((m) => snapshotMap(m, maps[m.index], decode)));
  return { out: sink.stdout.slice(0, before), maps: sink.stdout.slice(before).replace(/^\n\n/, ''), err: sink.stderr, exit };
}
