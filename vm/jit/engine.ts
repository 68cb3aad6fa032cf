// The JIT as an execution engine behind the loader's interface: `jitEngine` compiles
// each loaded program to WebAssembly (compile.ts) and runs it (runtime.ts); `runRawJit`
// is the JIT's counterpart of raw.ts for 'raw' programs (the conformance suite and
// `bpfvm run --mem`); `dumpJit` prints the module a program compiles to as wasm text.
import type { Insn } from '../isa/insn';
import type { Engine } from '../loader';
import type { Machine } from '../machine';
import type { ProgramSpec } from '../program';
import type { AccessFact } from '../verifier/facts';
import { Region } from '../memory/memory';
import { DEFAULT_BUDGET, type RunResult } from '../engine';
import type { RawRunOptions } from '../raw';
import { compileProgram, type CompileOptions } from './compile';
import { JitProgram } from './runtime';
import { printModule } from './wasm/printer';

export type JitOptions = CompileOptions;

/** A JIT engine; the options apply to every program it prepares. */
export function makeJitEngine(opts: JitOptions = {}): JitEngine {
  return {
    name: 'jit',
    prepare: (insns: readonly Insn[], machine: Machine, _spec?: ProgramSpec, facts?: readonly (AccessFact | undefined)[]) =>
      new JitProgram(compileProgram(insns, machine, { ...opts, facts: facts ?? opts.facts }), machine),
  };
}

/** An Engine whose prepare also takes the verifier's access facts for the program. */
export interface JitEngine extends Engine {
  prepare(insns: readonly Insn[], machine: Machine, spec?: ProgramSpec, facts?: readonly (AccessFact | undefined)[]): JitProgram;
}

/** The default JIT engine (fast helper paths on, no verifier facts unless the loader passes them). */
export const jitEngine = makeJitEngine();

/** Runs a 'raw' program on the JIT: the input is copied into a ctx record, r1 points to it and r2 holds its length. */
export function runRawJit(machine: Machine, insns: readonly Insn[], input: Uint8Array, opts: RawRunOptions & JitOptions = {}): RunResult {
  const mem = machine.mem;
  const lin = input.length ? mem.allocBytes(input, Region.CTX) : 0;
  try {
    const prog = new JitProgram(compileProgram(insns, machine, opts), machine);
    return prog.run(lin ? mem.addr(lin) : 0n, BigInt(input.length), opts.budget ?? DEFAULT_BUDGET);
  } finally {
    if (lin) mem.free(lin);
  }
}

/** The WebAssembly module a program compiles to on this machine, as text. */
export function dumpJit(insns: readonly Insn[], machine: Machine, opts: JitOptions = {}): string {
  return printModule(compileProgram(insns, machine, opts).bytes);
}
