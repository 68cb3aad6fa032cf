// The record a hook fills when it fires and its handlers read: the hook, the current task
// and CPU, arguments and return value as 64-bit halves (kernel pointers already turned
// into kernel-visible addresses), tracepoint field values, the stacks and instruction
// pointer at the site, and the outcomes handlers may request (override_return, signals).
// One Firing per kernel is reused for every event.
import type { UStack } from '../user/ustack';
import type { Hook } from './hooks';
import type { KStack } from './stacks';
import type { Task } from './task';

/** A tracepoint field value: integers (pointer fields take a kernel linear offset), strings, bytes, u64 arrays. */
export type TpValue = number | bigint | string | Uint8Array | readonly number[];

export const RET_SLOT = 6;

export class Firing {
  hook!: Hook;
  task!: Task;
  cpu = 0;
  /** Argument slots 0..5 and the return value (slot 6), as low/high 32-bit halves. */
  readonly lo = new Uint32Array(7);
  readonly hi = new Uint32Array(7);
  /** Tracepoint field values in format order (after the common header). */
  tp: TpValue[] = [];
  /** Kernel chain at the site (null: no kernel frames, e.g. a sample in user mode). */
  kstack: KStack | null = null;
  /** User frames of the current task (null for kernel threads and idle). */
  ustack: UStack | null = null;
  /** The probed function's address (kprobes, uprobes). */
  funcIp = 0n;
  /** The instruction pointer of the context (pt_regs->ip). */
  ip = 0n;
  /** The stack pointer of the context. */
  sp = 0n;
  /** True when the context is user mode (uprobes, samples of user code). */
  userMode = false;
  /** perf samples: the sample period. */
  period = 0;
  /** Set by a handler through bpf_override_return (kprobes on injectable functions). */
  override: number | null = null;
  /** Set by a handler through bpf_send_signal. */
  signal = 0;

  /** Stores a signed or unsigned integer below 2^53 (or a user address). */
  setNum(slot: number, v: number): void {
    this.lo[slot] = v >>> 0;
    this.hi[slot] = Math.floor(v / 4294967296) >>> 0;
  }

  /** Stores a kernel pointer given as a linear offset with its address prefix (0 stays NULL). */
  setPtr(slot: number, lin: number, prefix: number): void {
    this.lo[slot] = lin >>> 0;
    this.hi[slot] = lin === 0 ? 0 : prefix;
  }

  /** The slot as an unsigned 64-bit bigint. */
  get(slot: number): bigint {
    return (BigInt(this.hi[slot]) << 32n) | BigInt(this.lo[slot]);
  }
}
