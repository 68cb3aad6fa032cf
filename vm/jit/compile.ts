// Compiling a loaded program (map references already resolved) into one WebAssembly
// module for a machine. The functions are found first: slot 0, every bpf-to-bpf call
// target and every `func(...)` callback target, each compiled from its own control-flow
// graph. Then planning (plan.ts) decides every memory access and helper call, which
// fixes the imports; then each function is emitted (structure.ts, emit*.ts). Exports:
// `run(r1, r2, budget) -> r0`, one `cb_<slot>(r1..r5, r10) -> r0` per callback target,
// and the globals the runtime reads (budget left, call depth, slot of the last helper
// call, r10 at that call). Instantiation and the JavaScript side are in runtime.ts.
import type { Insn } from '../isa/insn';
import { isLddw } from '../isa/insn';
import { PseudoLd } from '../isa/opcodes';
import type { FaultKind } from '../engine';
import type { Machine } from '../machine';
import type { AccessFact } from '../verifier/facts';
import type { MapSpec } from '../maps/types';
import { ModuleBuilder, type FuncType } from './wasm/module';
import { CodeWriter } from './wasm/writer';
import { ValType } from './wasm/opcodes';
import { decodeAt, writtenReg, type Op } from './decode';
import { buildCfg, type Cfg } from './cfg';
import { planFunction, type PlanEnv } from './plan';
import { emitStructured } from './structure';
import { FnEmitter } from './emit';
import { declareImports, type ImportSpec } from './imports';
import { Loc, REG_COUNT, RESULT_REGS, type ModCtx, type Site } from './context';

export type { ImportSpec };

export interface CompileOptions {
  /** The verifier's per-slot access facts: proven accesses skip their run-time check. */
  facts?: readonly (AccessFact | undefined)[];
  /** The program's map specs (ProgramSpec.maps), which map_value facts refer to by index. */
  mapSpecs?: readonly MapSpec[];
  /** Use the fast paths of fast-helpers.ts (default true); they assume the machine's standard helpers 1, 2 and 16. */
  fastHelpers?: boolean;
}

export interface FaultSite {
  kind: FaultKind;
  message: string;
  pc: number;
}

export interface CompiledProgram {
  bytes: Uint8Array<ArrayBuffer>;
  /** Function imports (module `env`) by name, in order. */
  imports: { name: string; spec: ImportSpec }[];
  faults: FaultSite[];
  /** Callback entry slots, each exported as `cb_<slot>`. */
  callbacks: number[];
  /** Page-cache sites (checked accesses). */
  sites: number;
  insns: readonly Insn[];
}

const I64 = ValType.i64;
const I32 = ValType.i32;
const REGS_T: FuncType = { params: new Array(REG_COUNT).fill(I64), results: new Array(RESULT_REGS).fill(I64) };
const REG_NAMES = Array.from({ length: REG_COUNT }, (_, r) => `r${r}`);
const LOCAL_NAMES: [number, typeof I32 | typeof I64, string][] = [
  [Loc.LEFT, I32, 'left'],
  [Loc.FPB, I32, 'fpb'],
  [Loc.ADDR, I64, 'addr'],
  [Loc.LIN, I32, 'lin'],
  [Loc.HI, I32, 'hi'],
  [Loc.T32, I32, 't32'],
  [Loc.A32, I32, 'a32'],
  [Loc.OLD, I64, 'old'],
  [Loc.LABEL, I32, 'label'],
];

/** The program's shape: decoded slots, its functions' graphs, callback targets, whether r10 is ever written. */
interface Shape {
  insns: readonly Insn[];
  decoded: (Op | undefined)[];
  staticFp: boolean;
  callbacks: number[];
  /** Control-flow graphs by entry slot: slot 0, local call targets, callback targets. */
  cfgs: Map<number, Cfg>;
  usesCallx: boolean;
}

function shapeOf(insns: readonly Insn[]): Shape {
  const n = insns.length;
  const decoded: (Op | undefined)[] = new Array(n);
  let staticFp = true;
  const callbacks: number[] = [];
  for (let pc = 0; pc < n; pc++) {
    if (writtenReg((decoded[pc] = decodeAt(insns, pc))) === 10) staticFp = false;
    const i = insns[pc];
    if (isLddw(i) && i.src === PseudoLd.FUNC && pc + 1 < n) {
      const target = pc + 1 + i.imm;
      if (target >= 0 && target < n && !callbacks.includes(target)) callbacks.push(target);
    }
  }
  const cfgs = new Map<number, Cfg>();
  let usesCallx = false;
  const work = n ? [0, ...callbacks] : [];
  while (work.length) {
    const entry = work.pop()!;
    if (cfgs.has(entry)) continue;
    const cfg = buildCfg(insns, entry, decoded);
    cfgs.set(entry, cfg);
    for (const b of cfg.blocks) {
      for (const { op } of b.ops) {
        if (op.t === 'callx') usesCallx = true;
        if (op.t === 'local_call' && op.target >= 0 && op.target < n && !cfgs.has(op.target)) work.push(op.target);
      }
    }
  }
  return { insns, decoded, staticFp, callbacks, cfgs, usesCallx };
}

export function compileProgram(insns: readonly Insn[], machine: Machine, opts: CompileOptions = {}): CompiledProgram {
  const shape = shapeOf(insns);
  const rt = machine.helpers;
  const env: PlanEnv = {
    staticFp: shape.staticFp,
    facts: opts.facts,
    mapSpecs: opts.mapSpecs,
    fastHelpers: opts.fastHelpers ?? true,
    hasHelper: (id) => rt.table[id] !== undefined,
    mapAt: (addr) => rt.maps.at(addr),
    mem: machine.mem,
    nrCpus: machine.nrCpus,
  };
  const plans = new Map([...shape.cfgs].map(([entry, cfg]) => [entry, planFunction(cfg, env)] as const));
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory');
  const { list: imports, imp } = declareImports(m, plans.values(), shape.usesCallx, rt);
  const g = { left: m.addGlobal(I32, 0, 'left'), depth: m.addGlobal(I32, 0, 'depth'), pc: m.addGlobal(I32, 0, 'pc'), r10: m.addGlobal(I32, 0, 'r10') };
  const fn = new Map<number, number>();
  for (const entry of [...shape.cfgs.keys()].sort((a, b) => a - b)) {
    const idx = m.declareFunc(REGS_T, `f${entry}`, REG_NAMES);
    for (const [, t, name] of LOCAL_NAMES) m.addLocal(idx, t, name);
    fn.set(entry, idx);
  }
  const anyChecked = imp.miss >= 0;
  const tlbReset = anyChecked ? m.declareFunc({ params: [], results: [] }, 'tlb_reset') : -1;
  const faults: FaultSite[] = [];
  const faultKeys = new Map<string, number>();
  const sites: Site[] = [];
  const mod: ModCtx = {
    staticFp: shape.staticFp,
    g,
    imp,
    fn,
    tlbReset,
    newSite: () => {
      const k = sites.length;
      const site = { base: m.addGlobal(I32, 0, `page${k}`), lim: m.addGlobal(I32, 0, `window${k}`), hi: m.addGlobal(I32, 0, `hi${k}`) };
      sites.push(site);
      return site;
    },
    faultIndex: (kind, message, pc) => {
      const key = `${kind}\u0000${pc}\u0000${message}`;
      let i = faultKeys.get(key);
      if (i === undefined) {
        i = faults.length;
        faults.push({ kind, message, pc });
        faultKeys.set(key, i);
      }
      return i;
    },
    arity: (id) => rt.arity[id] ?? 5,
  };
  for (const [entry, cfg] of shape.cfgs) {
    const w = new CodeWriter();
    const em = new FnEmitter({ w, mod, plan: plans.get(entry)! });
    em.prologue();
    emitStructured(cfg, w, em, () => Loc.LABEL);
    m.setBody(fn.get(entry)!, w);
  }
  if (tlbReset >= 0) {
    const w = new CodeWriter();
    for (const s of sites) w.i32(0).gset(s.lim);
    m.setBody(tlbReset, w);
  }
  emitRun(m, mod, machine, insns.length);
  shape.callbacks.forEach((slot) => emitCallbackEntry(m, slot, fn.get(slot)!));
  for (const [name, idx] of Object.entries(g)) m.exportGlobal(name, idx);
  return { bytes: m.encode(), imports, faults, callbacks: shape.callbacks, sites: sites.length, insns };
}

/** `run(r1, r2, budget) -> r0`: resets the run's globals and calls slot 0's function with the main frame's r10, the top of the machine's stack. */
function emitRun(m: ModuleBuilder, mod: ModCtx, machine: Machine, n: number): void {
  const { g, imp } = mod;
  const run = m.declareFunc({ params: [I64, I64, I32], results: [I64] }, 'run', ['r1', 'r2', 'budget']);
  const stackTop = machine.stackTop;
  const r10 = (BigInt(machine.mem.prefixAt(stackTop - 1)) << 32n) | BigInt(stackTop >>> 0);
  const w = new CodeWriter();
  w.get(2).gset(g.left).i32(1).gset(g.depth).i32(0).gset(g.pc);
  if (mod.tlbReset >= 0) w.call(mod.tlbReset);
  if (n === 0) {
    // Slot 0 is already outside: one instruction of budget, then the fault.
    w.get(2).i32(1).op('i32.lt_s').if_().i32(0).i32(0).call(imp.budget).op('unreachable').end();
    w.get(2).i32(1).op('i32.sub').gset(g.left);
    w.i32(mod.faultIndex('bad_jump', 'control left the program at slot 0', 0)).call(imp.fault).op('unreachable');
  } else {
    w.i64(0).get(0).get(1);
    for (let r = 3; r < REG_COUNT - 1; r++) w.i64(0);
    w.i64(r10).call(mod.fn.get(0)!);
    for (let r = 1; r < RESULT_REGS; r++) w.op('drop');
  }
  m.setBody(run, w);
  m.exportFunc('run', run);
}

/** `cb_<slot>(r1..r5, r10) -> r0`: a callback starts with only r1-r5 and its frame pointer set. */
function emitCallbackEntry(m: ModuleBuilder, slot: number, target: number): void {
  const cb = m.declareFunc({ params: [I64, I64, I64, I64, I64, I64], results: [I64] }, `cb_${slot}`, ['r1', 'r2', 'r3', 'r4', 'r5', 'r10']);
  const w = new CodeWriter();
  w.i64(0);
  for (let r = 0; r < 5; r++) w.get(r);
  for (let r = 6; r < REG_COUNT - 1; r++) w.i64(0);
  w.get(5).call(target);
  for (let r = 1; r < RESULT_REGS; r++) w.op('drop');
  m.setBody(cb, w);
  m.exportFunc(`cb_${slot}`, cb);
}
