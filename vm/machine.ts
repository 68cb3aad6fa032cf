// A machine: the shared memory, the helper runtime (every standard helper installed) and the BPF stack that every program
// loaded on it uses (programs do not nest, so one 8-frame stack serves them all).
import { Memory, Region } from './memory/memory';
import { HelperRuntime } from './helpers/runtime';
import { standardHelpers } from './helpers/implementations';
import { kfuncHelpers } from './helpers/kfuncs';
import { Limits } from './isa/opcodes';

export interface MachineOptions {
  /** The address space to use (a fresh 32 MiB one by default). */
  mem?: Memory;
  /** Possible CPUs: the number of slots in per-CPU maps and perf buffers (default 4). */
  nrCpus?: number;
}

export class Machine {
  readonly mem: Memory;
  readonly helpers: HelperRuntime;
  readonly nrCpus: number;
  /** Linear offset just above the first frame's stack (its r10). */
  readonly stackTop: number;

  constructor(opts: MachineOptions = {}) {
    this.mem = opts.mem ?? new Memory();
    this.nrCpus = opts.nrCpus ?? 4;
    this.helpers = new HelperRuntime(this.mem, this.nrCpus);
    this.helpers.define(standardHelpers(this.helpers));
    this.helpers.define(kfuncHelpers(this.helpers));
    const bytes = Limits.STACK_SIZE * Limits.MAX_CALL_FRAMES;
    this.stackTop = this.mem.allocGuarded(Math.ceil(bytes / 4096), Region.STACK) + bytes;
  }
}
