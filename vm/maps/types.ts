// Map types by their Linux numbers (`enum bpf_map_type`) and the serialisable map spec a
// compiler emits. Live maps (maps.ts and friends) are created from specs at load time.

export const MapType = {
  HASH: 1,
  ARRAY: 2,
  PROG_ARRAY: 3,
  PERF_EVENT_ARRAY: 4,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  LRU_HASH: 9,
  LRU_PERCPU_HASH: 10,
  RINGBUF: 27,
} as const;
export type MapTypeId = (typeof MapType)[keyof typeof MapType];

export const MAP_TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(MapType).map(([k, v]) => [v, k.toLowerCase()]));

/** Update flags of map_update_elem. */
export const UpdateFlag = { ANY: 0, NOEXIST: 1, EXIST: 2 } as const;

/** Flags of get_stackid / get_stack. */
export const StackFlag = {
  SKIP_MASK: 0xff,
  USER_STACK: 1 << 8,
  FAST_STACK_CMP: 1 << 9,
  REUSE_STACKID: 1 << 10,
  USER_BUILD_ID: 1 << 11,
} as const;

export interface MapSpec {
  /** The name a script gives it (`@counts`) or the section symbol; informational. */
  name: string;
  type: MapTypeId;
  keySize: number;
  valueSize: number;
  /** Elements (hash, array), or bytes for RINGBUF (a power of two, at least a page). */
  maxEntries: number;
  flags?: number;
}
