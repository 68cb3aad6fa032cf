// The calling convention shared by every engine: a helper is a function of r1..r5 as
// BigInts returning r0 as a BigInt (so a WebAssembly JIT can import it directly, i64
// parameters arriving as BigInt). A HelperRuntime holds the helper table by Linux number
// together with what the implementations reach: the shared memory, the live maps, the
// host's HelperEnv for the current firing, and the engine's callback invoker for
// for_each_map_elem. Implementations live in implementations.ts and friends.
import type { Memory } from '../memory/memory';
import { MapRegistry } from '../maps/create';
import type { HelperEnv } from './env';
import { VmFault } from '../engine';

export type HelperFn = (r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint) => bigint;

/** Runs the program's callback at a `func(...)` address with r1..r5 and returns its r0 (supplied by the engine). */
export type CallbackInvoker = (fnAddr: bigint, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint) => bigint;

export interface HelperDef {
  id: number;
  /** Arguments the helper reads (engines may pass 0n for the rest). */
  arity: number;
  fn: HelperFn;
}

const noCallbacks: CallbackInvoker = () => {
  throw new VmFault('helper', 'callbacks are not available outside a program run');
};

export class HelperRuntime {
  /** Helpers by Linux number; undefined for numbers this machine does not provide. */
  readonly table: (HelperFn | undefined)[] = [];
  /** Arguments each helper reads, by number. */
  readonly arity: number[] = [];
  /** The host environment of the current firing. */
  env: HelperEnv | null = null;
  /** Set by the engine for the duration of a run. */
  invoke: CallbackInvoker = noCallbacks;
  /** The host's task lookup for bpf_task_from_pid: the task_struct address of a pid, 0n when none. */
  taskByPid: ((pid: number) => bigint) | null = null;

  /** The live maps helpers can reach, by kernel address. */
  readonly maps = new MapRegistry();

  constructor(
    readonly mem: Memory,
    /** Possible CPUs (per-CPU map slots). */
    readonly nrCpus = 1,
  ) {}

  /** The current CPU (0 when the run has no environment). */
  cpu(): number {
    return this.env ? this.env.cpu() : 0;
  }

  define(defs: readonly HelperDef[]): this {
    for (const d of defs) {
      this.table[d.id] = d.fn;
      this.arity[d.id] = d.arity;
    }
    return this;
  }

  /** The current environment; a helper that needs one faults when the host gave none. */
  currentEnv(): HelperEnv {
    if (!this.env) throw new VmFault('helper', 'no helper environment for this run');
    return this.env;
  }
}
