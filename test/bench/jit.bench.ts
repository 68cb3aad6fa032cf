// JIT figures, each ratio measured within one run: speed-up over the interpreter on a
// loop-heavy program; one firing of the bpftrace-shaped `@[comm] = count()` and
// `@ = hist(arg0)` programs against hand-written TypeScript doing the same map work on
// the same memory (the practical limit in this runtime); the median time to compile a
// program of the test corpus (code generation, WebAssembly compilation and
// instantiation); nanoseconds per firing of the count program.
import { readdirSync, readFileSync } from 'node:fs';
import { median, type Benchmark, type Figure } from './harness';
import { repoPath } from './paths';
import { assemble } from '../../vm/asm/assemble';
import { parseDataFile } from '../../vm/asm/data-file';
import { Machine } from '../../vm/machine';
import { Interpreter } from '../../vm/interp/interpreter';
import { FixedEnv } from '../../vm/helpers/fixed-env';
import { Region } from '../../vm/memory/memory';
import { createMap } from '../../vm/maps/create';
import type { BpfMap } from '../../vm/maps/map';
import type { Insn } from '../../vm/isa/insn';
import type { LoadedProgram } from '../../vm/loader';
import { ptRegsOffset, PT_REGS } from '../../vm/ctx/layouts';
import { jitEngine } from '../../vm/jit/engine';
import { COUNT_COMM, COUNT_MAP, HIST_ARG0, HIST_MAP, kprobeSpec, load, loopProgram } from '../vm/jit/programs';

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Median wall time (ms) of `f` over `n` runs after `warm` unmeasured ones. */
function timeMs(f: () => void, n: number, warm: number): number {
  for (let i = 0; i < warm; i++) f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    f();
    xs.push(now() - t0);
  }
  return median(xs);
}

function loopSpeedup(): number {
  const m = new Machine();
  const insns = assemble(loopProgram(1_000_000)).insns;
  const interp = new Interpreter(insns, { mem: m.mem, helpers: m.helpers, stackTop: m.stackTop });
  const jit = jitEngine.prepare(insns, m);
  const check = (r: ReturnType<Interpreter['run']>): void => {
    if (!r.ok) throw new Error(`loop program faulted: ${r.fault.message}`);
  };
  const tInterp = timeMs(() => check(interp.run(0n, 0n, 1e8)), 3, 1);
  const tJit = timeMs(() => check(jit.run(0n, 0n, 1e8)), 7, 5);
  return tInterp / tJit;
}

const COMMS = ['bash', 'sshd', 'nginx', 'postgres', 'systemd-journal', 'kworker/0:1', 'node', 'python3'];

/**
 * ns per call of `a(i)` and of `b(i)` over `n` calls each: rounds alternate between the
 * two so that a noisy machine slows both alike; medians after a warm-up round each.
 */
function nsPerPair(a: (i: number) => void, b: (i: number) => void, n: number): [number, number] {
  const rounds: [number[], number[]] = [[], []];
  for (let k = 0; k < 8; k++) {
    [a, b].forEach((fire, j) => {
      const t0 = now();
      for (let i = 0; i < n; i++) fire(i);
      rounds[j].push(((now() - t0) * 1e6) / n);
    });
  }
  return [median(rounds[0].slice(1)), median(rounds[1].slice(1))];
}

/** Scratch memory and a fresh map of the given spec on the machine, for the hand-written versions. */
function handMap(m: Machine, spec: typeof COUNT_MAP): { map: BpfMap; key: number; value: number } {
  return { map: createMap(spec, { mem: m.mem, nrCpus: m.nrCpus }), key: m.mem.alloc(16, Region.KERNEL), value: m.mem.alloc(8, Region.KERNEL) };
}

/** Adds 1 to the u64 at a kernel address, in two 32-bit halves. */
function increment(m: Machine, addr: bigint): void {
  const dv = m.mem.dv;
  const lin = Number(addr & 0xffffffffn);
  const lo = dv.getUint32(lin, true) + 1;
  dv.setUint32(lin, lo >>> 0, true);
  if (lo > 0xffffffff) dv.setUint32(lin + 4, (dv.getUint32(lin + 4, true) + 1) >>> 0, true);
}

function countFigures(): Record<string, Figure> {
  const m = new Machine();
  const envs = COMMS.map((comm) => new FixedEnv({ comm }));
  const prog = load(m, kprobeSpec('count', COUNT_COMM, [COUNT_MAP]), { engine: { jit: {} }, verified: true });
  const hand = handMap(m, COUNT_MAP);
  const fireHand = (env: FixedEnv): void => {
    const u8 = m.mem.u8;
    const comm = env.comm();
    const nul = comm.indexOf(0);
    const len = Math.min(nul >= 0 ? nul : comm.length, 15);
    u8.set(comm.subarray(0, len), hand.key);
    u8.fill(0, hand.key + len, hand.key + 16);
    const addr = hand.map.lookupElem(hand.key, 0);
    if (addr !== 0n) increment(m, addr);
    else {
      m.mem.writeNum64(hand.value, 1);
      hand.map.updateElem(hand.key, hand.value, 0, 0);
    }
  };
  const [jitNs, handNs] = nsPerPair(
    (i) => prog.run(0n, envs[i & 7]),
    (i) => fireHand(envs[i & 7]),
    100_000,
  );
  sameCounts(prog, hand.map);
  return {
    'jit.vs_handwritten_count': { value: jitNs / handNs, unit: 'ratio' },
    'jit.ns_per_firing_count': { value: jitNs, unit: 'ns' },
  };
}

/** bpftrace's hist bucket of the signed 64-bit value with halves (lo, hi), without BigInts. */
function log2Bucket(lo: number, hi: number): number {
  if (hi < 0) return 0;
  if (hi === 0) return lo === 0 ? 1 : 2 + (31 - Math.clz32(lo));
  return 2 + 32 + (31 - Math.clz32(hi));
}

function histFigures(): Record<string, Figure> {
  const m = new Machine();
  const env = new FixedEnv();
  const prog = load(m, kprobeSpec('hist', HIST_ARG0, [HIST_MAP]), { engine: { jit: {} }, verified: true });
  const hand = handMap(m, HIST_MAP);
  const ctx = m.mem.alloc(PT_REGS.size, Region.CTX);
  const ctxAddr = m.mem.addr(ctx);
  const di = ctx + ptRegsOffset('di');
  const values = Array.from({ length: 1024 }, (_, i) => BigInt.asIntN(64, BigInt(Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** ((i * 7) % 64)))));
  const fireHand = (): void => {
    const key = log2Bucket(m.mem.dv.getUint32(di, true), m.mem.dv.getInt32(di + 4, true));
    m.mem.writeNum64(hand.key, key);
    const addr = hand.map.lookupElem(hand.key, 0);
    if (addr !== 0n) increment(m, addr);
    else {
      m.mem.writeNum64(hand.value, 1);
      hand.map.updateElem(hand.key, hand.value, 0, 0);
    }
  };
  const [jitNs, handNs] = nsPerPair(
    (i) => {
      m.mem.dv.setBigInt64(di, values[i & 1023], true);
      prog.run(ctxAddr, env);
    },
    (i) => {
      m.mem.dv.setBigInt64(di, values[i & 1023], true);
      fireHand();
    },
    100_000,
  );
  sameCounts(prog, hand.map);
  return { 'jit.vs_handwritten_hist': { value: jitNs / handNs, unit: 'ratio' } };
}

/** The compiled program and the hand-written one must have counted the same things (both ran the same firings). */
function sameCounts(prog: LoadedProgram, hand: BpfMap): void {
  const a = [...prog.maps[0].entries()].map(([k, v]) => `${k.join(',')}=${v.join(',')}`).sort();
  const b = [...hand.entries()].map(([k, v]) => `${k.join(',')}=${v.join(',')}`).sort();
  if (a.join(';') !== b.join(';')) throw new Error(`${prog.spec.name}: the JIT and the hand-written version disagree`);
}

/** Every program of the test corpus: the conformance suite and the bpftrace-shaped programs. */
function corpus(): Insn[][] {
  const dir = repoPath('test/vm/conformance/bpf_conformance');
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.data'))
    .map((f) => {
      const d = parseDataFile(readFileSync(`${dir}/${f}`, 'utf8'));
      return d.asm !== undefined ? assemble(d.asm).insns : d.raw!;
    });
  out.push(assemble(loopProgram(100)).insns);
  return out;
}

function compileMsMedian(): number {
  const m = new Machine();
  const programs = corpus();
  // Programs with map references compile against live maps.
  const count = load(m, kprobeSpec('count', COUNT_COMM, [COUNT_MAP]), { engine: 'interpreter' });
  const hist = load(m, kprobeSpec('hist', HIST_ARG0, [HIST_MAP]), { engine: 'interpreter' });
  programs.push([...count.insns], [...hist.insns]);
  for (const p of programs) jitEngine.prepare(p, m); // warm the code generator
  return median(programs.map((p) => timeMs(() => jitEngine.prepare(p, m), 5, 0)));
}

export const jitBenchmarks: Benchmark[] = [
  {
    name: 'jit.speedup_vs_interp_loop',
    unit: 'ratio',
    async run() {
      return loopSpeedup();
    },
  },
  {
    name: 'jit.vs_handwritten_count',
    unit: 'ratio',
    async run() {
      return countFigures();
    },
  },
  {
    name: 'jit.vs_handwritten_hist',
    unit: 'ratio',
    async run() {
      return histFigures();
    },
  },
  {
    name: 'jit.compile_ms_median',
    unit: 'ms',
    async run() {
      return compileMsMedian();
    },
  },
];
