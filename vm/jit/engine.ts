// The JIT as an execution engine behind the loader's interface (registered first in
// vm/engines.ts, so it is the default): `jitEngine` compiles each loaded program to
// WebAssembly (compile.ts) and runs it (runtime.ts); its `dump` prints the module as
// wasm text for `bpfvm run --dump-jit`. `makeJitEngine` gives an engine with options
// (verifier facts, fast helper paths off for harnesses that replace standard helpers).
import type { Insn } from '../isa/insn';
import type { Engine, PreparedProgram } from '../loader';
import type { Machine } from '../machine';
import type { ProgramSpec } from '../program';
import type { AccessFact } from '../verifier/facts';
import { compileProgram, type CompileOptions } from './compile';
import { JitProgram } from './runtime';
import { printModule } from './wasm/printer';

export type JitOptions = CompileOptions;

/** An Engine whose prepare also takes the verifier's access facts for the program. */
export interface JitEngine extends Engine {
  prepare(insns: readonly Insn[], machine: Machine, spec?: ProgramSpec, facts?: readonly (AccessFact | undefined)[]): JitProgram;
  dump(prepared: PreparedProgram): string;
}

/** A JIT engine; the options apply to every program it prepares (facts given to prepare win). */
export function makeJitEngine(opts: JitOptions = {}): JitEngine {
  return {
    name: 'jit',
    prepare: (insns, machine, _spec, facts) => new JitProgram(compileProgram(insns, machine, { ...opts, facts: facts ?? opts.facts }), machine),
    dump: (prepared) => (prepared instanceof JitProgram ? printModule(prepared.compiled.bytes) : ''),
  };
}

/** The default JIT engine: fast helper paths on, no verifier facts unless prepare is given them. */
export const jitEngine = makeJitEngine();

/** The WebAssembly module a program compiles to on this machine, as text. */
export function dumpJit(insns: readonly Insn[], machine: Machine, opts: JitOptions = {}): string {
  return printModule(compileProgram(insns, machine, opts).bytes);
}
