// The JIT as an execution engine behind the loader's interface (registered first in
// vm/engines.ts, so it is the default): `jitEngine` compiles each loaded program to
// WebAssembly (compile.ts) and runs it (runtime.ts); its `dump` prints the module as
// wasm text for `bpfvm run --dump-jit`. A program WebAssembly cannot hold (a function
// body past V8's size limit) runs on the interpreter instead, and its dump says why.
// `makeJitEngine` gives an engine with options (verifier facts, fast helper paths off
// for harnesses that replace standard helpers). Helpers are bound when a program is
// prepared: redefining one afterwards does not reach programs already prepared.
import type { Insn } from '../isa/insn';
import { interpreterEngine, type Engine, type PreparedProgram } from '../loader';
import type { Machine } from '../machine';
import type { ProgramSpec } from '../program';
import type { AccessFact } from '../verifier/facts';
import type { RunResult } from '../engine';
import { compileProgram, type CompileOptions } from './compile';
import { JitProgram } from './runtime';
import { printModule } from './wasm/printer';
import { formatInsn } from '../asm/disassemble';

export type JitOptions = CompileOptions;

/** An Engine whose prepare also takes the verifier's access facts for the program. */
export interface JitEngine extends Engine {
  prepare(insns: readonly Insn[], machine: Machine, spec?: ProgramSpec, facts?: readonly (AccessFact | undefined)[]): PreparedProgram;
  dump(prepared: PreparedProgram): string;
}

/** A program left to the interpreter because it could not be compiled. */
export class InterpretedProgram implements PreparedProgram {
  constructor(
    private readonly inner: PreparedProgram,
    readonly reason: string,
  ) {}

  run(r1: bigint, r2: bigint, budget: number): RunResult {
    return this.inner.run(r1, r2, budget);
  }
}

const RAW: ProgramSpec = { name: 'program', type: 'raw', insns: [], maps: [], ctx: { name: 'input', size: 0, fields: [] } };

/** A JIT engine; the options apply to every program it prepares (facts given to prepare win). */
export function makeJitEngine(opts: JitOptions = {}): JitEngine {
  return {
    name: 'jit',
    prepare: (insns, machine, spec, facts) => {
      try {
        return new JitProgram(compileProgram(insns, machine, { ...opts, facts: facts ?? opts.facts, mapSpecs: opts.mapSpecs ?? spec?.maps }), machine);
      } catch (e) {
        if (!(e instanceof WebAssembly.CompileError || e instanceof RangeError)) throw e;
        return new InterpretedProgram(interpreterEngine.prepare(insns, machine, spec ?? RAW), e.message);
      }
    },
    dump: (prepared) => {
      if (prepared instanceof JitProgram) return printCompiled(prepared.compiled.bytes, prepared.compiled.insns);
      if (prepared instanceof InterpretedProgram) return `;; not compiled (${prepared.reason}): the interpreter runs this program\n`;
      return '';
    },
  };
}

/** The default JIT engine: fast helper paths on, no verifier facts unless prepare is given them. */
export const jitEngine = makeJitEngine();

/** The WebAssembly module a program compiles to on this machine, as text. */
export function dumpJit(insns: readonly Insn[], machine: Machine, opts: JitOptions = {}): string {
  return printCompiled(compileProgram(insns, machine, opts).bytes, insns);
}

/** The module as text, each stretch of code preceded by the eBPF instruction it implements. */
function printCompiled(bytes: Uint8Array, insns: readonly Insn[]): string {
  return printModule(bytes, (slot) => formatInsn(insns, slot, { layout: 'plain' }).text);
}
