// What the verifier proves about each instruction, for the JIT and the interpreter: for a
// memory access, the kind of region its address register points into on every path and
// the byte range relative to the region's base, so an engine may skip bounds checks
// where the proof covers them. Absent facts mean "not proven": keep the checks.

/** The region a pointer was proven to point into. */
export type Region =
  | 'stack'
  | 'ctx'
  | 'map_value'
  | 'map_key'
  | 'ringbuf_mem'
  /** The input buffer of a 'raw' program. */
  | 'mem'
  /** A kernel object reached through a trusted BTF pointer: the load may fault and must read 0 (PROBE_MEM). */
  | 'btf_id'
  /** Different kinds on different paths. */
  | 'mixed';

export interface AccessFact {
  region: Region;
  /** Lowest byte offset from the region's base the access may touch. */
  minOff: number;
  /** One past the highest byte offset. */
  maxEnd: number;
  /** Map index for map_value / map_key. */
  map?: number;
}
