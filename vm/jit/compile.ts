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
import type { BpfMap } from '../maps/map';
import type { AccessFact } from '../verifier/facts';
import { ModuleBuilder, type FuncType } from './wasm/module';
import { CodeWriter } from './wasm/writer';
import { ValType } from './wasm/opcodes';
import { decodeAt, writtenReg, type Op } from './decode';
import { buildCfg, type Cfg } from './cfg';
import { planFunction, type FnPlan } from './plan';
import { emitStructured } from './structure';
import { FnEmitter } from './emit';
import { fastImportOf, type FastImport } from './fast-helpers';
import { Loc, REG_COUNT, RESULT_REGS, type ModCtx, type Site } from './context';

export interface CompileOptions {
  /** The verifier's per-slot access facts: proven accesses skip their run-time check. */
  facts?: readonly (AccessFact | undefined)[];
  /** Use the fast paths of fast-helpers.ts (default true); they assume the machine's standard helpers 1, 2 and 16. */
  fastHelpers?: boolean;
}

/** What an import is bound to, in import order. */
export type ImportSpec =
  | { k: 'fault' }
  | { k: 'budget' }
  | { k: 'miss' }
  | { k: 'callx' }
  | { k: 'helper'; id: number }
  | { k: 'fast'; f: FastImport };

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

const IMPORT_TYPES: Record<Exclude<ImportSpec['k'], 'helper' | 'fast'>, FuncType> = {
  fault: { params: [I32], results: [] },
  budget: { params: [I32, I32], results: [] },
  miss: { params: [I32, I32, I32, I32, I32], results: [I32] },
  callx: { params: [I32, I64, I64, I64, I64, I64], results: [I64] },
};

function fastType(f: FastImport): FuncType {
  switch (f.k) {
    case 'lookup':
      return { params: [I32], results: [I64] };
    case 'update':
      return { params: [I32, I32, I32], results: [I32] };
    case 'comm':
      return { params: [I32, I32], results: [I32] };
    case 'cpu':
      return { params: [], results: [I32] };
    default: {
      const never: never = f;
      throw new Error(`unhandled fast import ${String(never)}`);
    }
  }
}

export function compileProgram(insns: readonly Insn[], machine: Machine, opts: CompileOptions = {}): CompiledProgram {
  const n = insns.length;
  const decoded: (Op | undefined)[] = new Array(n);
  const op = (pc: number): Op => (decoded[pc] ??= decodeAt(insns, pc));
  let staticFp = true;
  const callbacks: number[] = [];
  for (let pc = 0; pc < n; pc++) {
    if (writtenReg(op(pc)) === 10) staticFp = false;
    const i = insns[pc];
    if (isLddw(i) && i.src === PseudoLd.FUNC && pc + 1 < n) {
      const target = pc + 1 + i.imm;
      if (target >= 0 && target < n && !callbacks.includes(target)) callbacks.push(target);
    }
  }
  // Functions: slot 0, local call targets, callback targets.
  const cfgs = new Map<number, Cfg>();
  const work = n ? [0, ...callbacks] : [];
  while (work.length) {
    const entry = work.pop()!;
    if (cfgs.has(entry)) continue;
    const cfg = buildCfg(insns, entry, decoded);
    cfgs.set(entry, cfg);
    for (const b of cfg.blocks) for (const { op: o } of b.ops) if (o.t === 'local_call' && o.target >= 0 && o.target < n && !cfgs.has(o.target)) work.push(o.target);
  }
  const rt = machine.helpers;
  const plans = new Map<number, FnPlan>();
  for (const [entry, cfg] of cfgs) {
    plans.set(
      entry,
      planFunction(cfg, {
        staticFp,
        facts: opts.facts,
        fastHelpers: opts.fastHelpers ?? true,
        hasHelper: (id) => rt.table[id] !== undefined,
        mapAt: (addr) => rt.maps.at(addr),
        mem: machine.mem,
        nrCpus: machine.nrCpus,
      }),
    );
  }
  // Imports, in a fixed order.
  const m = new ModuleBuilder();
  m.importMemory('env', 'memory');
  const imports: CompiledProgram['imports'] = [];
  const add = (spec: ImportSpec, name: string, t: FuncType): number => {
    imports.push({ name, spec });
    return m.importFunc('env', name, t);
  };
  let anyChecked = false;
  let anyCallx = false;
  const helperIds = new Set<number>();
  const fastImports = new Map<string, FastImport>();
  for (const [entry, plan] of plans) {
    for (const a of plan.access.values()) if (a.k === 'checked') anyChecked = true;
    for (const c of plan.calls.values()) {
      if (c.k === 'generic') helperIds.add(c.id);
      if (c.k === 'fast') {
        const f = fastImportOf(c.path);
        if (f) fastImports.set(fastKey(f), f);
      }
    }
    for (const b of cfgs.get(entry)!.blocks) for (const { op: o } of b.ops) if (o.t === 'callx') anyCallx = true;
  }
  const mapImports = { lookup: new Map<BpfMap, number>(), update: new Map<BpfMap, number>() };
  const imp: ModCtx['imp'] = {
    fault: add({ k: 'fault' }, 'fault', IMPORT_TYPES.fault),
    budget: add({ k: 'budget' }, 'budget', IMPORT_TYPES.budget),
    miss: anyChecked ? add({ k: 'miss' }, 'miss', IMPORT_TYPES.miss) : -1,
    callx: anyCallx ? add({ k: 'callx' }, 'callx', IMPORT_TYPES.callx) : -1,
    cpu: -1,
    comm: -1,
    helper: new Map(),
    ...mapImports,
  };
  for (const id of [...helperIds].sort((a, b) => a - b)) {
    const arity = rt.arity[id] ?? 5;
    imp.helper.set(id, add({ k: 'helper', id }, `helper_${id}`, { params: new Array(arity).fill(I64), results: [I64] }));
  }
  for (const f of fastImports.values()) {
    const idx = add({ k: 'fast', f }, fastKey(f), fastType(f));
    if (f.k === 'lookup') imp.lookup.set(f.map, idx);
    else if (f.k === 'update') imp.update.set(f.map, idx);
    else if (f.k === 'cpu') imp.cpu = idx;
    else imp.comm = idx;
  }
  // Globals, functions.
  const g = { left: m.addGlobal(I32, 0, 'left'), depth: m.addGlobal(I32, 0, 'depth'), pc: m.addGlobal(I32, 0, 'pc'), r10: m.addGlobal(I32, 0, 'r10') };
  const fn = new Map<number, number>();
  for (const entry of [...cfgs.keys()].sort((a, b) => a - b)) {
    const idx = m.declareFunc(REGS_T, `f${entry}`, REG_NAMES);
    for (const [, t, name] of LOCAL_NAMES) m.addLocal(idx, t, name);
    fn.set(entry, idx);
  }
  const tlbReset = anyChecked ? m.declareFunc({ params: [], results: [] }, 'tlb_reset') : -1;
  const run = m.declareFunc({ params: [I64, I64, I32], results: [I64] }, 'run', ['r1', 'r2', 'budget']);
  const cbs = callbacks.map((slot) => m.declareFunc({ params: [I64, I64, I64, I64, I64, I64], results: [I64] }, `cb_${slot}`, ['r1', 'r2', 'r3', 'r4', 'r5', 'r10']));
  const faults: FaultSite[] = [];
  const faultKeys = new Map<string, number>();
  const sites: Site[] = [];
  const mod: ModCtx = {
    staticFp,
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
  for (const [entry, cfg] of cfgs) {
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
  // run(r1, r2, budget): the main frame's r10 is the top of the machine's stack.
  const stackTop = machine.stackTop;
  const r10 = (BigInt(machine.mem.prefixAt(stackTop - 1)) << 32n) | BigInt(stackTop >>> 0);
  {
    const w = new CodeWriter();
    w.get(2).gset(g.left).i32(1).gset(g.depth);
    if (tlbReset >= 0) w.call(tlbReset);
    if (n === 0) {
      // Slot 0 is already outside: one instruction of budget, then the fault.
      w.get(2).i32(1).op('i32.lt_s').if_().i32(0).i32(0).call(imp.budget).op('unreachable').end();
      w.get(2).i32(1).op('i32.sub').gset(g.left);
      w.i32(mod.faultIndex('bad_jump', 'control left the program at slot 0', 0)).call(imp.fault).op('unreachable');
    } else {
      w.i64(0).get(0).get(1);
      for (let r = 3; r < REG_COUNT - 1; r++) w.i64(0);
      w.i64(r10).call(fn.get(0)!);
      for (let r = 1; r < RESULT_REGS; r++) w.op('drop');
    }
    m.setBody(run, w);
    m.exportFunc('run', run);
  }
  callbacks.forEach((slot, k) => {
    const w = new CodeWriter();
    w.i64(0);
    for (let r = 0; r < 5; r++) w.get(r);
    for (let r = 6; r < REG_COUNT - 1; r++) w.i64(0);
    w.get(5).call(fn.get(slot)!);
    for (let r = 1; r < RESULT_REGS; r++) w.op('drop');
    m.setBody(cbs[k], w);
    m.exportFunc(`cb_${slot}`, cbs[k]);
  });
  for (const [name, idx] of Object.entries(g)) m.exportGlobal(name, idx);
  return { bytes: m.encode(), imports, faults, callbacks, sites: sites.length, insns };
}

function fastKey(f: FastImport): string {
  switch (f.k) {
    case 'lookup':
    case 'update':
      return `${f.k}_${f.map.spec.name.replace(/[^\w@]/g, '_')}_${f.map.lin.toString(16)}`;
    case 'comm':
    case 'cpu':
      return f.k;
    default: {
      const never: never = f;
      throw new Error(`unhandled fast import ${String(never)}`);
    }
  }
}
