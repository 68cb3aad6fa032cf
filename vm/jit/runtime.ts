// The JavaScript side of a compiled program: instantiating its module against a
// machine (the shared memory, the helper table, the fast-path imports) and running it
// with the PreparedProgram interface the loader expects. Faults raised by the module's
// imports are VmFaults with the interpreter's kinds, slots and messages; they come back
// as results, and so does a helper that throws anything else (a 'helper' fault at its
// call, as the interpreter reports it). Callbacks (for_each_map_elem) re-enter the module through its `cb_<slot>`
// exports on a frame 512 bytes below the frame that called the helper, where the
// interpreter puts them.
import { VmFault, faultResult, type RunResult } from '../engine';
import type { PreparedProgram } from '../loader';
import type { Machine } from '../machine';
import type { HelperFn } from '../helpers/runtime';
import { isLddw } from '../isa/insn';
import { Limits } from '../isa/opcodes';
import { funcSlot } from '../isa/pseudo';
import { REGION_PREFIX } from '../memory/memory';
import type { CompiledProgram, ImportSpec } from './compile';
import { bindFastImport } from './fast-helpers';
import { MEM_WHAT } from './emit-mem';

interface Exports {
  run(r1: bigint, r2: bigint, budget: number): bigint;
  left: WebAssembly.Global;
  depth: WebAssembly.Global;
  pc: WebAssembly.Global;
  r10: WebAssembly.Global;
  [cb: `cb_${number}`]: (r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, r10: bigint) => bigint;
}

const STACK = Limits.STACK_SIZE;

export class JitProgram implements PreparedProgram {
  private readonly x: Exports;
  private readonly invoker = (fn: bigint, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint): bigint => this.callback(fn, a1, a2, a3, a4, a5);

  constructor(
    readonly compiled: CompiledProgram,
    private readonly machine: Machine,
    module: WebAssembly.Module = new WebAssembly.Module(compiled.bytes),
  ) {
    const env: Record<string, WebAssembly.ImportValue> = { memory: machine.mem.wasm };
    for (const { name, spec } of compiled.imports) env[name] = this.bind(spec);
    this.x = new WebAssembly.Instance(module, { env }).exports as unknown as Exports;
  }

  private bind(spec: ImportSpec): WebAssembly.ImportValue {
    const { compiled, machine } = this;
    const rt = machine.helpers;
    switch (spec.k) {
      case 'fault':
        return (i: number) => {
          const f = compiled.faults[i];
          throw new VmFault(f.kind, f.message, f.pc);
        };
      case 'budget':
        return (start: number, done: number) => {
          let pc = start;
          for (let k = 0; k < done; k++) pc += isLddw(compiled.insns[pc]) ? 2 : 1;
          this.x.left.value = 0;
          throw new VmFault('budget', 'instruction budget exhausted', pc);
        };
      case 'miss': {
        const tags = machine.mem.tags;
        // The interpreter's check, verbatim: both ends of the access in pages whose prefix is the address's upper half.
        return (lin: number, hi: number, size: number, what: number, pc: number): number => {
          lin >>>= 0;
          hi >>>= 0;
          const last = lin + size - 1;
          const samePage = last >>> 12 === lin >>> 12;
          if (hi !== 0 && REGION_PREFIX[tags[lin >>> 12]] === hi && (samePage || REGION_PREFIX[tags[last >>> 12]] === hi)) return samePage ? lin - (lin & 4095) : -1;
          const addr = ((BigInt(hi) << 32n) | BigInt(lin)).toString(16);
          throw new VmFault('memory', `invalid ${MEM_WHAT[what]} of ${size} bytes at 0x${addr}`, pc);
        };
      }
      case 'callx':
        return (id: number, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint): bigint => {
          const pc = this.x.pc.value as number;
          const fn = rt.table[id];
          if (!fn) throw new VmFault('helper', `unknown helper ${id}`, pc);
          const n = rt.arity[id];
          try {
            return fn(n > 0 ? a1 : 0n, n > 1 ? a2 : 0n, n > 2 ? a3 : 0n, n > 3 ? a4 : 0n, n > 4 ? a5 : 0n);
          } catch (e) {
            throw isHostError(e) ? helperFailure(id, e, pc) : e;
          }
        };
      case 'helper': {
        const fn: HelperFn | undefined = rt.table[spec.id];
        if (!fn) throw new Error(`helper ${spec.id} disappeared from the machine between planning and binding`);
        return fn;
      }
      case 'fast':
        return bindFastImport(spec.f, rt);
      default: {
        const never: never = spec;
        throw new Error(`unhandled import ${String(never)}`);
      }
    }
  }

  run(r1: bigint, r2: bigint, budget: number): RunResult {
    const rt = this.machine.helpers;
    const saved = rt.invoke;
    rt.invoke = this.invoker;
    try {
      const r0 = this.x.run(r1, r2, budget);
      return { ok: true, r0: r0 < 0n ? BigInt.asUintN(64, r0) : r0, insns: budget - (this.x.left.value as number) };
    } catch (e) {
      const insns = budget - (this.x.left.value as number);
      const pc = this.x.pc.value as number;
      if (e instanceof WebAssembly.RuntimeError) return { ok: false, fault: { kind: 'memory', pc, message: `WebAssembly trap: ${e.message}` }, insns };
      return faultResult(isHostError(e) ? this.failedAt(pc, e) : e, pc, insns);
    } finally {
      rt.invoke = saved;
    }
  }

  /** The fault for a helper that threw something other than a VmFault at the call in slot `pc`. */
  private failedAt(pc: number, e: unknown): VmFault {
    return helperFailure(this.compiled.insns[pc]?.imm ?? -1, e, pc);
  }

  /** Runs the callback at `fn` on the frame 512 bytes below the frame whose helper call invoked it. */
  private callback(fn: bigint, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint): bigint {
    const x = this.x;
    const callerPc = x.pc.value as number;
    const callerR10 = x.r10.value as number;
    const slot = funcSlot(fn);
    const cb = slot >= 0 ? x[`cb_${slot}`] : undefined;
    if (slot < 0 || slot >= this.compiled.insns.length || !cb) throw new VmFault('bad_jump', `callback address 0x${BigInt.asUintN(64, fn).toString(16)} is not a function of this program`, callerPc);
    if ((x.depth.value as number) >= Limits.MAX_CALL_FRAMES) throw new VmFault('call_depth', `more than ${Limits.MAX_CALL_FRAMES} nested frames`, callerPc);
    const frameTop = (callerR10 >>> 0) - STACK;
    const r10 = (BigInt(this.machine.mem.prefixAt(frameTop - 1)) << 32n) | BigInt(frameTop >>> 0);
    x.depth.value = (x.depth.value as number) + 1;
    try {
      return cb(a1, a2, a3, a4, a5, r10);
    } catch (e) {
      // A helper inside the callback failed: it becomes a fault at its own call, before the frames unwind.
      const fault = isHostError(e) ? this.failedAt(x.pc.value as number, e) : e;
      throw fault;
    } finally {
      x.depth.value = (x.depth.value as number) - 1;
      x.pc.value = callerPc;
      x.r10.value = callerR10;
    }
  }
}

/** An exception that is neither a fault nor a WebAssembly trap: a helper failed in an unforeseen way. */
const isHostError = (e: unknown): boolean => !(e instanceof VmFault) && !(e instanceof WebAssembly.RuntimeError);

/** The interpreter's fault for such a helper. */
function helperFailure(id: number, e: unknown, pc: number): VmFault {
  return new VmFault('helper', `helper ${id} failed: ${e instanceof Error ? e.message : String(e)}`, pc);
}
