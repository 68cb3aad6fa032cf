// A HelperEnv with fixed, settable values: what `bpfvm run` and tests use when no
// simulated kernel is behind the program. Clocks advance by a fixed step per read and
// the random generator is a seeded xorshift, so runs are deterministic.
import type { UserTranslator } from '../memory/memory';
import type { HelperEnv } from './env';

export interface FixedEnvValues {
  ktimeNs: bigint;
  /** Added to the clocks after each read. */
  clockStep: bigint;
  cpu: number;
  nrCpus: number;
  seed: number;
  pid: number;
  tgid: number;
  uid: number;
  gid: number;
  comm: string;
  task: bigint;
  cgroupId: bigint;
  user: UserTranslator | null;
  kernelStack: bigint[];
  userStack: bigint[];
  funcIp: bigint;
}

export class FixedEnv implements HelperEnv {
  readonly v: FixedEnvValues;
  /** Lines written by bpf_trace_printk, signals sent and override_return values, in order. */
  readonly printk: string[] = [];
  readonly signals: number[] = [];
  readonly overrides: bigint[] = [];
  private clock: bigint;
  private rng: number;
  private readonly commBytes: Uint8Array;

  constructor(values: Partial<FixedEnvValues> = {}) {
    this.v = {
      ktimeNs: 1_000_000_000n,
      clockStep: 1000n,
      cpu: 0,
      nrCpus: 4,
      seed: 1,
      pid: 1234,
      tgid: 1234,
      uid: 1000,
      gid: 1000,
      comm: 'bpfvm',
      task: 0n,
      cgroupId: 1n,
      user: null,
      kernelStack: [],
      userStack: [],
      funcIp: 0n,
      ...values,
    };
    this.clock = this.v.ktimeNs;
    this.commBytes = new Uint8Array(16);
    this.commBytes.set(new TextEncoder().encode(this.v.comm).subarray(0, 15));
    this.rng = this.v.seed >>> 0 || 1;
  }

  ktimeNs(): bigint {
    const t = this.clock;
    this.clock += this.v.clockStep;
    return t;
  }
  bootNs(): bigint {
    return this.ktimeNs();
  }
  jiffies(): bigint {
    return 4294667296n + this.clock / 4_000_000n;
  }
  cpu(): number {
    return this.v.cpu;
  }
  nrCpus(): number {
    return this.v.nrCpus;
  }
  prandomU32(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
  pidTgid(): bigint {
    return (BigInt(this.v.tgid) << 32n) | BigInt(this.v.pid);
  }
  uidGid(): bigint {
    return (BigInt(this.v.gid) << 32n) | BigInt(this.v.uid);
  }
  comm(): Uint8Array {
    return this.commBytes;
  }
  currentTask(): bigint {
    return this.v.task;
  }
  cgroupId(): bigint {
    return this.v.cgroupId;
  }
  userSpace(): UserTranslator | null {
    return this.v.user;
  }
  kernelStack(): readonly bigint[] {
    return this.v.kernelStack;
  }
  userStack(): readonly bigint[] {
    return this.v.userStack;
  }
  funcIp(): bigint {
    return this.v.funcIp;
  }
  sendSignal(sig: number): number {
    this.signals.push(sig);
    return 0;
  }
  overrideReturn(rc: bigint): number {
    this.overrides.push(rc);
    return 0;
  }
  tracePrintk(line: string): void {
    this.printk.push(line);
  }
}
