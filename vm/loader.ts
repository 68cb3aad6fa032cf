// Loading: turns ProgramSpecs into runnable programs on a Machine. Specs that share one
// `maps` array share live maps (created once, registered with the machine's helper
// runtime). Each `lddw` map reference is resolved the way the kernel rewrites it: MAP_FD
// and MAP_IDX load the map's kernel address, MAP_VALUE and MAP_IDX_VALUE the address of
// an array map's first value plus the offset. An optional check (the verifier) runs on
// the spec first, and the engine (the interpreter unless another is given) prepares the
// resolved instructions. Problems come back as a result with messages, never thrown.
import type { Insn } from './isa/insn';
import { isLddw } from './isa/insn';
import { PseudoLd } from './isa/opcodes';
import type { ProgramSpec } from './program';
import type { MapSpec } from './maps/types';
import { BpfMap, MapError } from './maps/map';
import { ArrayMap } from './maps/array';
import { createMap } from './maps/create';
import type { Machine } from './machine';
import type { HelperEnv } from './helpers/env';
import { Interpreter } from './interp/interpreter';
import { DEFAULT_BUDGET, type RunResult } from './engine';

/** A program prepared by an engine: runs from slot 0 with r1 (and r2) set. */
export interface PreparedProgram {
  run(r1: bigint, r2: bigint, budget: number): RunResult;
}

/** An execution engine: the interpreter here; the JIT provides another. */
export interface Engine {
  readonly name: string;
  prepare(insns: readonly Insn[], machine: Machine, spec: ProgramSpec): PreparedProgram;
  /** What the engine made of a program, for `bpfvm run --dump-jit` (engines that compile provide it). */
  dump?(prepared: PreparedProgram): string;
}

export const interpreterEngine: Engine = {
  name: 'interpreter',
  prepare: (insns, machine) => new Interpreter(insns, { mem: machine.mem, helpers: machine.helpers, stackTop: machine.stackTop }),
};

/** A check run before loading (the verifier): null to accept, or the reason to reject (a log). */
export type LoadCheck = (spec: ProgramSpec, maps: readonly BpfMap[]) => string | null;

export interface LoadOptions {
  engine?: Engine;
  check?: LoadCheck;
  /** Live maps from an earlier load, by spec array: programs loaded later with the same array share them. */
  liveMaps?: Map<readonly MapSpec[], BpfMap[]>;
}

export interface RunOptions {
  /** r2 at entry (the input length of 'raw' programs). */
  r2?: bigint;
  budget?: number;
}

export class LoadedProgram {
  constructor(
    readonly spec: ProgramSpec,
    /** The instructions with map references resolved to addresses. */
    readonly insns: readonly Insn[],
    readonly maps: readonly BpfMap[],
    readonly engine: string,
    private readonly prepared: PreparedProgram,
    private readonly machine: Machine,
    private readonly engineDump?: (p: PreparedProgram) => string,
  ) {}

  /** The engine's own rendering of the prepared program, when the engine provides one. */
  dump(): string | undefined {
    return this.engineDump?.(this.prepared);
  }

  /** Runs the program once with r1 (usually the ctx address) and the host environment of this firing. */
  run(r1: bigint, env: HelperEnv | null, opts: RunOptions = {}): RunResult {
    const helpers = this.machine.helpers;
    const saved = helpers.env;
    helpers.env = env;
    try {
      return this.prepared.run(r1, opts.r2 ?? 0n, opts.budget ?? DEFAULT_BUDGET);
    } finally {
      helpers.env = saved;
    }
  }
}

export type LoadResult = { ok: true; programs: LoadedProgram[]; maps: Map<readonly MapSpec[], BpfMap[]> } | { ok: false; errors: string[] };

/** Resolves map references of `spec.insns` against live maps; returns the new slots or an error. */
export function resolveMapRefs(spec: ProgramSpec, maps: readonly BpfMap[]): Insn[] | string {
  const out = spec.insns.map((i) => ({ ...i }));
  for (let n = 0; n < out.length; n++) {
    const i = out[n];
    if (!isLddw(i)) continue;
    if (n + 1 >= out.length) return `${spec.name}: slot ${n}: lddw without its second slot`;
    const next = out[n + 1];
    let addr: bigint | null = null;
    switch (i.src) {
      case PseudoLd.IMM64:
      case PseudoLd.FUNC:
      case PseudoLd.BTF_ID:
        break;
      case PseudoLd.MAP_FD:
      case PseudoLd.MAP_IDX: {
        const m = maps[i.imm];
        if (!m) return `${spec.name}: slot ${n}: map index ${i.imm} out of range (${maps.length} maps)`;
        addr = m.addr;
        break;
      }
      case PseudoLd.MAP_VALUE:
      case PseudoLd.MAP_IDX_VALUE: {
        const m = maps[i.imm];
        if (!m) return `${spec.name}: slot ${n}: map index ${i.imm} out of range (${maps.length} maps)`;
        if (!(m instanceof ArrayMap) || m.perCpu) return `${spec.name}: slot ${n}: direct value access needs an array map, ${m.spec.name} is not one`;
        if (next.imm < 0 || next.imm >= m.spec.valueSize) return `${spec.name}: slot ${n}: value offset ${next.imm} outside ${m.spec.name}'s ${m.spec.valueSize}-byte value`;
        addr = m.mem.addr(m.valuesLin) + BigInt(next.imm);
        break;
      }
      default:
        return `${spec.name}: slot ${n}: unknown lddw source ${i.src}`;
    }
    if (addr !== null) {
      i.src = PseudoLd.IMM64;
      i.imm = Number(BigInt.asIntN(32, addr));
      next.imm = Number(BigInt.asIntN(32, addr >> 32n));
    }
    n++;
  }
  return out;
}

/** Loads programs on a machine, creating the live maps of each distinct `maps` array once. */
export function loadPrograms(machine: Machine, specs: readonly ProgramSpec[], opts: LoadOptions = {}): LoadResult {
  const engine = opts.engine ?? interpreterEngine;
  const live = opts.liveMaps ?? new Map<readonly MapSpec[], BpfMap[]>();
  const errors: string[] = [];
  for (const spec of specs) {
    if (live.has(spec.maps)) continue;
    try {
      const maps = spec.maps.map((m) => createMap(m, { mem: machine.mem, nrCpus: machine.nrCpus }));
      maps.forEach((m) => machine.helpers.maps.add(m));
      live.set(spec.maps, maps);
    } catch (e) {
      if (e instanceof MapError) errors.push(e.message);
      else throw e;
    }
  }
  if (errors.length) return { ok: false, errors };
  const programs: LoadedProgram[] = [];
  for (const spec of specs) {
    const maps = live.get(spec.maps)!;
    const rejected = opts.check?.(spec, maps);
    if (rejected) {
      errors.push(rejected);
      continue;
    }
    const insns = resolveMapRefs(spec, maps);
    if (typeof insns === 'string') {
      errors.push(insns);
      continue;
    }
    programs.push(new LoadedProgram(spec, insns, maps, engine.name, engine.prepare(insns, machine, spec), machine, engine.dump?.bind(engine)));
  }
  return errors.length ? { ok: false, errors } : { ok: true, programs, maps: live };
}
