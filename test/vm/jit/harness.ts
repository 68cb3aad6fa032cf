// Differential runs: one program on a fresh machine per engine, everything observable
// captured. Both machines are built the same way, so addresses agree and the whole
// linear memory can be compared byte for byte, together with the run's result (r0, or
// the fault's kind, slot and message, and the instruction count), the maps' host-side
// contents, the sequence of helper calls with their arguments and results, and what the
// environment saw (trace_printk lines, signals, overridden return values).
import { expect } from 'vitest';
import { Machine } from '../../../vm/machine';
import { Memory, Region } from '../../../vm/memory/memory';
import { FixedEnv, type FixedEnvValues } from '../../../vm/helpers/fixed-env';
import type { RunResult } from '../../../vm/engine';
import type { ProgramSpec } from '../../../vm/program';
import { interpreterEngine } from '../../../vm/loader';
import { Limits } from '../../../vm/isa/opcodes';
import type { Insn } from '../../../vm/isa/insn';
import { LoadError, load, verifiedFacts } from './programs';
import { makeJitEngine, type JitOptions } from '../../../vm/jit/engine';

export interface Outcome {
  /** The last firing's result. */
  result: RunResult;
  /** Every firing's result, in order. */
  results: RunResult[];
  memory: Uint8Array;
  maps: string[];
  calls: string[];
  printk: string[];
  /** Signals sent and return values overridden, in order. */
  effects: string[];
  /** Why the loader refused the program (then nothing ran). */
  loadError?: string;
}

/** One run of the program: its ctx record and environment. */
export interface Firing {
  /** Bytes of the ctx record r1 points to (for 'raw' programs also r2 = their length). */
  ctx?: Uint8Array;
  env?: Partial<FixedEnvValues>;
}

export interface DiffOptions extends Firing {
  /** Several runs on the same machine, state carrying over (default: one run with `ctx` and `env`). */
  firings?: Firing[];
  budget?: number;
  /** Record helper calls (the JIT then runs without its fast helper paths, which bypass the helper table). */
  record?: boolean;
  /** Hand the verifier's facts to the JIT (the program must verify). */
  verified?: boolean;
  /** Extra helpers to install on both machines (before recording wraps them). */
  helpers?: (m: Machine) => void;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A small machine; with `record`, every helper of its table is wrapped to log its calls into the returned array. */
export function testMachine(record: boolean, helpers?: (m: Machine) => void): { machine: Machine; calls: string[] } {
  const machine = new Machine({ mem: new Memory({ initialBytes: 1 << 20, maxBytes: 64 << 20 }) });
  helpers?.(machine);
  const calls: string[] = [];
  if (record) {
    const rt = machine.helpers;
    rt.table.forEach((fn, id) => {
      if (!fn) return;
      const arity = rt.arity[id];
      rt.define([
        {
          id,
          arity,
          fn: (a, b, c, d, e) => {
            const args = [a, b, c, d, e].slice(0, arity).map((x) => BigInt.asUintN(64, x).toString(16));
            try {
              const r = fn(a, b, c, d, e);
              calls.push(`${id}(${args.join(',')}) = ${BigInt.asUintN(64, r).toString(16)}`);
              return r;
            } catch (err) {
              calls.push(`${id}(${args.join(',')}) threw ${(err as Error).message}`);
              throw err;
            }
          },
        },
      ]);
    });
  }
  return { machine, calls };
}

export function runOn(engine: 'interpreter' | JitOptions, spec: ProgramSpec, o: DiffOptions = {}): Outcome {
  const { machine, calls } = testMachine(o.record ?? false, o.helpers);
  let prog;
  try {
    prog = load(machine, spec, { engine: engine === 'interpreter' ? 'interpreter' : { jit: { ...engine, fastHelpers: o.record ? false : engine.fastHelpers } }, verified: o.verified });
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    return { result: { ok: false, fault: { kind: 'bad_insn', pc: -1, message: e.message }, insns: 0 }, results: [], memory: new Uint8Array(0), maps: [], calls, printk: [], effects: [], loadError: e.message };
  }
  const results: RunResult[] = [];
  const printk: string[] = [];
  const effects: string[] = [];
  for (const f of o.firings ?? [{ ctx: o.ctx, env: o.env }]) {
    const ctx = f.ctx ?? new Uint8Array(0);
    const lin = ctx.length ? machine.mem.allocBytes(ctx, Region.CTX) : 0;
    const env = new FixedEnv({ nrCpus: machine.nrCpus, ...f.env });
    results.push(prog.run(lin ? machine.mem.addr(lin) : 0n, env, { r2: spec.type === 'raw' ? BigInt(ctx.length) : 0n, budget: o.budget }));
    printk.push(...env.printk);
    effects.push(...env.signals.map((n) => `signal ${n}`), ...env.overrides.map((v) => `override ${v}`));
  }
  const maps = prog.maps.map((m) => [...m.entries()].map(([k, v]) => `${hex(k)}=${hex(v)}`).join(' '));
  return { result: results[results.length - 1], results, memory: machine.mem.u8, maps, calls, printk, effects };
}

/**
 * One machine per engine, reused for many 'raw' programs (no maps): each run starts
 * from a zeroed stack and the same fresh input record; the outcome's memory is the
 * stack followed by the input record, which is all such a program can write.
 */
export class RawPair {
  private readonly sides: { machine: Machine; calls: string[] }[];

  /** `helpers` installs extra helpers on both machines. */
  constructor(helpers?: (m: Machine) => void) {
    this.sides = [testMachine(true, helpers), testMachine(true, helpers)];
  }

  run(insns: readonly Insn[], input: Uint8Array, budget?: number, jit: JitOptions = {}): [Outcome, Outcome] {
    const out = this.sides.map(({ machine, calls }, k) => {
      calls.length = 0;
      const mem = machine.mem;
      const stackLow = machine.stackTop - Limits.STACK_SIZE * Limits.MAX_CALL_FRAMES;
      mem.u8.fill(0, stackLow, machine.stackTop);
      const engine = k === 0 ? interpreterEngine : makeJitEngine({ ...jit, fastHelpers: false });
      const env = new FixedEnv({ nrCpus: machine.nrCpus });
      const lin = input.length ? mem.allocBytes(input, Region.CTX) : 0;
      const saved = machine.helpers.env;
      machine.helpers.env = env;
      try {
        const result = engine.prepare(insns, machine, RAW_SPEC).run(lin ? mem.addr(lin) : 0n, BigInt(input.length), budget ?? 1_000_000);
        const memory = new Uint8Array(stackLow === machine.stackTop ? 0 : machine.stackTop - stackLow + input.length);
        memory.set(mem.u8.subarray(stackLow, machine.stackTop));
        if (lin) memory.set(mem.u8.subarray(lin, lin + input.length), machine.stackTop - stackLow);
        return { result, results: [result], memory, maps: [], calls: [...calls], printk: env.printk, effects: env.signals.map((n) => `signal ${n}`) };
      } finally {
        machine.helpers.env = saved;
        if (lin) mem.free(lin);
      }
    });
    return [out[0], out[1]];
  }
}

const RAW_SPEC: ProgramSpec = { name: 'raw', type: 'raw', insns: [], maps: [], ctx: { name: 'input', size: 0, fields: [] } };

/** Runs on the interpreter and on the JIT (with the given options) and expects identical outcomes; returns the interpreter's. */
export function expectSame(spec: ProgramSpec, o: DiffOptions = {}, jit: JitOptions = {}): Outcome {
  const a = runOn('interpreter', spec, o);
  const b = runOn(jit, spec, o);
  expectSameOutcome(a, b);
  return a;
}

export function expectSameOutcome(a: Outcome, b: Outcome): void {
  expect(b.loadError).toEqual(a.loadError);
  expect(b.results).toEqual(a.results);
  expect(b.maps).toEqual(a.maps);
  expect(b.calls).toEqual(a.calls);
  expect(b.printk).toEqual(a.printk);
  expect(b.effects).toEqual(a.effects);
  if (!sameBytes(a.memory, b.memory)) expect(firstDifference(a.memory, b.memory)).toBe('none');
}

/** Whether two runs agree on everything observable (for property tests, which report the program on failure). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return (
    a.loadError === b.loadError &&
    JSON.stringify(a.results, big) === JSON.stringify(b.results, big) &&
    a.maps.join('\n') === b.maps.join('\n') &&
    a.calls.join('\n') === b.calls.join('\n') &&
    a.printk.join('\n') === b.printk.join('\n') &&
    a.effects.join('\n') === b.effects.join('\n') &&
    sameBytes(a.memory, b.memory)
  );
}

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

function firstDifference(a: Uint8Array, b: Uint8Array): string {
  if (a.length !== b.length) return `memory sizes ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte 0x${i.toString(16)}: ${a[i]} vs ${b[i]}`;
  return 'none';
}

export { verifiedFacts };
