// Creating live maps from specs, and the registry that finds a map from the kernel
// address a program holds (what helpers receive in r1).
import { MapType, type MapSpec } from './types';
import { BpfMap, MapError, type MapHost } from './map';
import { HashMap } from './hash';
import { ArrayMap } from './array';
import { RingBuf } from './ringbuf';
import { PerfEventArray } from './perf-event-array';
import { StackTraceMap } from './stack-trace';

export function createMap(spec: MapSpec, host: MapHost): BpfMap {
  switch (spec.type) {
    case MapType.HASH:
    case MapType.PERCPU_HASH:
    case MapType.LRU_HASH:
    case MapType.LRU_PERCPU_HASH:
      return new HashMap(spec, host);
    case MapType.ARRAY:
    case MapType.PERCPU_ARRAY:
      return new ArrayMap(spec, host);
    case MapType.RINGBUF:
      return new RingBuf(spec, host);
    case MapType.PERF_EVENT_ARRAY:
      return new PerfEventArray(spec, host);
    case MapType.STACK_TRACE:
      return new StackTraceMap(spec, host);
    case MapType.PROG_ARRAY:
      throw new MapError(`${spec.name}: map type prog_array is not supported`);
    default: {
      const never: never = spec.type;
      throw new MapError(`unknown map type ${String(never)}`);
    }
  }
}

/** Live maps by the linear offset of their kernel object. */
export class MapRegistry {
  private readonly byLin = new Map<number, BpfMap>();
  private readonly rings: RingBuf[] = [];

  add(map: BpfMap): void {
    this.byLin.set(map.lin, map);
    if (map instanceof RingBuf) this.rings.push(map);
  }

  /** Forgets a map (before it is freed): programs holding its address no longer reach it. */
  remove(map: BpfMap): void {
    this.byLin.delete(map.lin);
    const i = this.rings.indexOf(map as RingBuf);
    if (i >= 0) this.rings.splice(i, 1);
    if (this.lastMap === map) {
      this.lastAddr = -1n;
      this.lastMap = undefined;
    }
  }

  /** The last address looked up and its map: programs call helpers on the same map again and again. */
  private lastAddr = -1n;
  private lastMap: BpfMap | undefined;

  /** The map whose kernel address is `addr` (signed or unsigned 64-bit form), or undefined. */
  at(addr: bigint): BpfMap | undefined {
    if (addr === this.lastAddr) return this.lastMap;
    const m = this.byLin.get(Number(BigInt.asUintN(32, addr)));
    const found = m && m.addr === BigInt.asUintN(64, addr) ? m : undefined;
    if (found) {
      this.lastAddr = addr;
      this.lastMap = found;
    }
    return found;
  }

  /** The ring buffer whose data area holds linear offset `lin`. */
  ringOwning(lin: number): RingBuf | undefined {
    return this.rings.find((r) => r.owns(lin));
  }

  get all(): IterableIterator<BpfMap> {
    return this.byLin.values();
  }
}
