// PERF_EVENT_ARRAY: one perf buffer per slot (a CPU, as bpftrace opens them), written by
// bpf_perf_event_output. Records are copied out of the shared memory into a bounded
// per-slot queue (bufferBytes each, every record costing its size plus an 8-byte
// header); a record that does not fit is dropped and counted as lost for that slot, as a
// full perf ring does. The host drains each slot in order.
import type { MapSpec } from './types';
import { BpfMap, E2BIG, ENOSPC, MapError, round8, type MapHost } from './map';

/** flags value selecting the current CPU's slot (BPF_F_CURRENT_CPU). */
export const BPF_F_CURRENT_CPU = 0xffffffff;
export const BPF_F_INDEX_MASK = 0xffffffff;

export class PerfEventArray extends BpfMap {
  private readonly queues: Uint8Array[][];
  private readonly used: number[];
  /** Records dropped per slot. */
  readonly lost: number[];

  constructor(
    spec: MapSpec,
    host: MapHost,
    /** Capacity of each slot's buffer in bytes (default 64 pages, bpftrace's default). */
    readonly bufferBytes = 64 * 4096,
  ) {
    super(spec, host);
    if (spec.maxEntries <= 0) throw new MapError(`${spec.name}: perf event arrays need max_entries > 0`);
    this.queues = Array.from({ length: spec.maxEntries }, () => []);
    this.used = new Array(spec.maxEntries).fill(0);
    this.lost = new Array(spec.maxEntries).fill(0);
  }

  /** bpf_perf_event_output's write: 0, -E2BIG for a bad slot, or -ENOSPC when the buffer is full. */
  output(flags: bigint, cpu: number, srcLin: number, size: number): number {
    const index = Number(BigInt.asUintN(64, flags) & BigInt(BPF_F_INDEX_MASK));
    const slot = index === BPF_F_CURRENT_CPU ? cpu : index;
    if (slot >= this.spec.maxEntries) return -E2BIG;
    const cost = round8(size + 8);
    if (this.used[slot] + cost > this.bufferBytes) {
      this.lost[slot]++;
      return -ENOSPC;
    }
    this.used[slot] += cost;
    this.queues[slot].push(this.mem.readBytes(srcLin, size));
    return 0;
  }

  /** Hands every queued record of `slot` (or of all slots, in slot order) to `consume`; returns the count. */
  drain(consume: (data: Uint8Array, slot: number) => void, slot?: number): number {
    let n = 0;
    for (let s = slot ?? 0; s < (slot === undefined ? this.spec.maxEntries : slot + 1); s++) {
      const q = this.queues[s];
      this.queues[s] = [];
      this.used[s] = 0;
      for (const rec of q) {
        consume(rec, s);
        n++;
      }
    }
    return n;
  }

  get totalLost(): number {
    return this.lost.reduce((a, b) => a + b, 0);
  }
}
