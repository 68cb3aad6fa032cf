// Fast paths for the hottest helpers, chosen per call site when everything the helper
// would check is known at compile time: the map (r1 loaded with lddw), and key, value or
// buffer pointers into the current stack frame (r10 + K, in bounds). The generic path
// hands a JS helper five BigInts and gets a BigInt back; these pass linear offsets as
// i32 to imports bound to one map, or (array lookups) run entirely in WebAssembly.
// Each fast path does exactly what the standard helper of implementations.ts does for
// such arguments, so they are only valid while the machine's helpers 1, 2 and 16 are the
// standard ones (JitOptions.fastHelpers says so). The emitted code is in emit-call.ts.
import { BpfMap, round8 } from '../maps/map';
import { ArrayMap } from '../maps/array';
import type { HelperRuntime } from '../helpers/runtime';
import type { Memory } from '../memory/memory';
import { inFrame, type Known } from './known';

export type FastPath =
  /** map_lookup_elem on an array map, computed in WebAssembly. `keyOff` is r10-relative. */
  | { k: 'lookup_array'; map: ArrayMap; keyOff: number; base: bigint; stride: number; valueRound: number; perCpu: boolean }
  /** map_lookup_elem on any other map, through an import taking the key's linear offset. */
  | { k: 'lookup'; map: BpfMap; keyOff: number }
  | { k: 'update'; map: BpfMap; keyOff: number; valueOff: number }
  | { k: 'comm'; bufOff: number; size: number };

export interface FastEnv {
  /** The live map whose kernel address is `addr`, if any. */
  mapAt(addr: bigint): BpfMap | undefined;
  mem: Memory;
  /** CPUs of the machine (the per-CPU copies of each array element). */
  nrCpus: number;
}

const frameOff = (r: Known, bytes: number): number | null => (r && r.k === 'fp' && inFrame(r.off, bytes) ? r.off : null);
const mapOf = (r: Known, env: FastEnv): BpfMap | undefined => (r && r.k === 'const' ? env.mapAt(r.v) : undefined);

/** Recognisers by helper number: the fast path for a call with these known registers, or null. */
const FAST: Record<number, (regs: readonly Known[], env: FastEnv) => FastPath | null> = {
  1: (regs, env) => {
    const map = mapOf(regs[1], env);
    const keyOff = map ? frameOff(regs[2], map.spec.keySize) : null;
    if (!map || keyOff === null) return null;
    if (map instanceof ArrayMap) {
      const valueRound = round8(map.spec.valueSize);
      const stride = valueRound * (map.perCpu ? env.nrCpus : 1);
      return { k: 'lookup_array', map, keyOff, base: env.mem.addr(map.valuesLin), stride, valueRound, perCpu: map.perCpu };
    }
    return { k: 'lookup', map, keyOff };
  },
  2: (regs, env) => {
    const map = mapOf(regs[1], env);
    const keyOff = map ? frameOff(regs[2], map.spec.keySize) : null;
    const valueOff = map ? frameOff(regs[3], map.spec.valueSize) : null;
    return map && keyOff !== null && valueOff !== null ? { k: 'update', map, keyOff, valueOff } : null;
  },
  16: (regs) => {
    const size = regs[2];
    if (!size || size.k !== 'const' || size.v < 1n || size.v > 512n) return null;
    const bufOff = frameOff(regs[1], Number(size.v));
    return bufOff === null ? null : { k: 'comm', bufOff, size: Number(size.v) };
  },
};

export function fastPathFor(id: number, regs: readonly Known[], env: FastEnv): FastPath | null {
  return FAST[id]?.(regs, env) ?? null;
}

/** The import a fast path calls (none for array lookups on a map that is not per-CPU). */
export type FastImport = { k: 'lookup'; map: BpfMap } | { k: 'update'; map: BpfMap } | { k: 'comm' } | { k: 'cpu' };

export function fastImportOf(p: FastPath): FastImport | null {
  switch (p.k) {
    case 'lookup_array':
      return p.perCpu ? { k: 'cpu' } : null;
    case 'lookup':
      return { k: 'lookup', map: p.map };
    case 'update':
      return { k: 'update', map: p.map };
    case 'comm':
      return { k: 'comm' };
    default: {
      const never: never = p;
      throw new Error(`unhandled fast path ${String(never)}`);
    }
  }
}

/** The JavaScript side of a fast import, bound to a machine's helper runtime. */
export function bindFastImport(f: FastImport, rt: HelperRuntime): (...args: number[]) => number | bigint {
  const mem = rt.mem;
  switch (f.k) {
    case 'lookup': {
      const map = f.map;
      return (keyLin: number) => map.lookupElem(keyLin, rt.cpu());
    }
    case 'update': {
      const map = f.map;
      return (keyLin: number, valueLin: number, flags: number) => map.updateElem(keyLin, valueLin, flags >>> 0, rt.cpu());
    }
    case 'comm':
      // bpf_get_current_comm: the comm without its NUL, cut to size - 1 bytes, then zeros.
      return (buf: number, size: number) => {
        const comm = rt.currentEnv().comm();
        const nul = comm.indexOf(0);
        const len = Math.min(nul >= 0 ? nul : comm.length, size - 1);
        mem.u8.set(comm.subarray(0, len), buf);
        mem.u8.fill(0, buf + len, buf + size);
        return 0;
      };
    case 'cpu':
      return () => rt.cpu();
    default: {
      const never: never = f;
      throw new Error(`unhandled fast import ${String(never)}`);
    }
  }
}
