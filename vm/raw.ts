// Running a 'raw' program, as the conformance suite does: the input bytes are copied
// into a ctx record of the shared memory, r1 points to them and r2 holds their length
// (r1 = 0 when there is no input). The program runs on the interpreter unless another
// engine is given.
import type { Insn } from './isa/insn';
import { Region } from './memory/memory';
import type { Machine } from './machine';
import { interpreterEngine, type Engine } from './loader';
import { DEFAULT_BUDGET, type RunResult } from './engine';

export interface RawRunOptions {
  budget?: number;
  engine?: Engine;
}

export function runRaw(machine: Machine, insns: readonly Insn[], input: Uint8Array, opts: RawRunOptions = {}): RunResult {
  const mem = machine.mem;
  const lin = input.length ? mem.allocBytes(input, Region.CTX) : 0;
  try {
    const engine = opts.engine ?? interpreterEngine;
    const prepared = engine.prepare(insns, machine, { name: 'raw', type: 'raw', insns: [...insns], maps: [], ctx: { name: 'input', size: input.length, fields: [] } });
    return prepared.run(lin ? mem.addr(lin) : 0n, BigInt(input.length), opts.budget ?? DEFAULT_BUDGET);
  } finally {
    if (lin) mem.free(lin);
  }
}
