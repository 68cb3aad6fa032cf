// Every helper of the prototype table (protos.ts), implemented against the HelperRuntime:
// shared memory, live maps, the host's HelperEnv, and the engine's callback invoker.
// Each takes r1..r5 as BigInts and returns r0 (a negative errno on failure, as the
// kernel's helpers do). Pointer arguments are kernel addresses; one that does not point
// at mapped memory of the needed size ends the program with a 'memory' fault (the
// verifier rules that out for loaded programs; the check keeps unverified runs safe).
import { VmFault } from '../engine';
import { StackFlag } from '../maps/types';
import { BpfMap, EINVAL, EOPNOTSUPP } from '../maps/map';
import { RingBuf } from '../maps/ringbuf';
import { PerfEventArray } from '../maps/perf-event-array';
import { StackTraceMap } from '../maps/stack-trace';
import { HELPERS } from './protos';
import { formatPrintk } from './format';
import type { HelperDef, HelperFn, HelperRuntime } from './runtime';

/** Builds the implementations for one runtime; install them with `rt.define(standardHelpers(rt))`. */
export function standardHelpers(rt: HelperRuntime): HelperDef[] {
  const mem = rt.mem;

  /** Linear offset of `len` bytes at a kernel address, or a fault naming the argument. */
  const ptr = (addr: bigint, len: number, what: string): number => {
    const lin = mem.kernelLin(addr, len);
    if (lin < 0) throw new VmFault('memory', `${what}: invalid pointer 0x${BigInt.asUintN(64, addr).toString(16)} for ${len} bytes`);
    return lin;
  };
  const mapArg = (addr: bigint): BpfMap => {
    const m = rt.maps.at(addr);
    if (!m) throw new VmFault('helper', `0x${BigInt.asUintN(64, addr).toString(16)} is not a map`);
    return m;
  };
  const size = (v: bigint): number => Number(BigInt.asUintN(32, v));

  const probeRead =
    (space: 'kernel' | 'user' | 'any', str: boolean): HelperFn =>
    (dst, sz, src) => {
      const n = size(sz);
      const d = ptr(dst, n, 'probe_read destination');
      const user = space === 'kernel' ? null : (rt.env?.userSpace() ?? null);
      return BigInt(str ? mem.probeReadStr(d, n, src, space, user) : mem.probeRead(d, n, src, space, user));
    };

  const impl: Record<number, HelperFn> = {
    1: (m, key) => {
      const map = mapArg(m);
      return map.lookupElem(ptr(key, map.spec.keySize, 'map key'), rt.cpu());
    },
    2: (m, key, value, flags) => {
      const map = mapArg(m);
      return BigInt(map.updateElem(ptr(key, map.spec.keySize, 'map key'), ptr(value, map.spec.valueSize, 'map value'), Number(BigInt.asUintN(32, flags)), rt.cpu()));
    },
    3: (m, key) => {
      const map = mapArg(m);
      return BigInt(map.deleteElem(ptr(key, map.spec.keySize, 'map key')));
    },
    4: probeRead('any', false),
    5: () => rt.currentEnv().ktimeNs(),
    6: (fmt, fmtSize, a1, a2, a3) => {
      const n = size(fmtSize);
      const text = mem.readCString(ptr(fmt, n, 'trace_printk format'), n);
      const line = formatPrintk(text, [a1, a2, a3], (addr) => {
        const lin = mem.kernelLin(addr, 1);
        return lin < 0 ? '(efault)' : mem.readCString(lin, 256);
      });
      rt.currentEnv().tracePrintk(line);
      return BigInt(line.length);
    },
    7: () => BigInt(rt.currentEnv().prandomU32() >>> 0),
    8: () => BigInt(rt.currentEnv().cpu()),
    14: () => rt.currentEnv().pidTgid(),
    15: () => rt.currentEnv().uidGid(),
    16: (buf, sz) => {
      const n = size(sz);
      const d = ptr(buf, n, 'get_current_comm buffer');
      const comm = rt.currentEnv().comm();
      const u8 = mem.u8;
      let len = 0;
      while (len < comm.length && len < n - 1 && comm[len] !== 0) u8[d + len] = comm[len++];
      u8.fill(0, d + len, d + n);
      return 0n;
    },
    25: (_ctx, m, flags, data, sz) => {
      const map = mapArg(m);
      if (!(map instanceof PerfEventArray)) return -BigInt(EINVAL);
      const n = size(sz);
      return BigInt(map.output(flags, rt.cpu(), ptr(data, n, 'perf_event_output data'), n));
    },
    27: (_ctx, m, flags) => {
      const map = mapArg(m);
      if (!(map instanceof StackTraceMap)) return -BigInt(EINVAL);
      const f = Number(BigInt.asUintN(32, flags));
      const env = rt.currentEnv();
      return BigInt(map.getStackId(f & StackFlag.USER_STACK ? env.userStack() : env.kernelStack(), f));
    },
    35: () => rt.currentEnv().currentTask(),
    45: probeRead('any', true),
    58: (_ctx, rc) => BigInt(rt.currentEnv().overrideReturn(rc)),
    67: (_ctx, buf, sz, flags) => {
      const n = size(sz);
      const f = Number(BigInt.asUintN(32, flags));
      if (n % 8 !== 0 || f & ~(StackFlag.SKIP_MASK | StackFlag.USER_STACK | StackFlag.USER_BUILD_ID)) return -BigInt(EINVAL);
      const d = ptr(buf, n, 'get_stack buffer');
      const env = rt.currentEnv();
      const frames = (f & StackFlag.USER_STACK ? env.userStack() : env.kernelStack()).slice(f & StackFlag.SKIP_MASK, (f & StackFlag.SKIP_MASK) + n / 8);
      frames.forEach((ip, i) => mem.writeU64(d + i * 8, ip));
      mem.u8.fill(0, d + frames.length * 8, d + n);
      return BigInt(frames.length * 8);
    },
    80: () => rt.currentEnv().cgroupId(),
    109: (sig) => BigInt(rt.currentEnv().sendSignal(Number(BigInt.asUintN(32, sig)))),
    112: probeRead('user', false),
    113: probeRead('kernel', false),
    114: probeRead('user', true),
    115: probeRead('kernel', true),
    118: () => rt.currentEnv().jiffies(),
    125: () => rt.currentEnv().bootNs(),
    130: (m, data, sz) => {
      const map = mapArg(m);
      if (!(map instanceof RingBuf)) return -BigInt(EINVAL);
      const n = size(sz);
      return BigInt(map.output(ptr(data, n, 'ringbuf_output data'), n));
    },
    131: (m, sz, flags) => {
      const map = mapArg(m);
      if (!(map instanceof RingBuf) || flags !== 0n) return 0n;
      const at = map.reserve(size(sz));
      return at < 0 ? 0n : mem.addr(at);
    },
    132: (data) => commit(data, false),
    133: (data) => commit(data, true),
    158: () => rt.currentEnv().currentTask(),
    164: (m, fn, cbCtx, flags) => {
      const map = mapArg(m);
      if (flags !== 0n) return -BigInt(EINVAL);
      const n = map.forEachElem(rt.cpu(), (keyLin, valueLin) => rt.invoke(fn, map.addr, mem.addr(keyLin), mem.addr(valueLin), cbCtx, 0n) !== 0n);
      return n < 0 ? -BigInt(EOPNOTSUPP) : BigInt(n);
    },
    173: () => rt.currentEnv().funcIp(),
    195: (m, key, cpu) => {
      const map = mapArg(m);
      // Only per-CPU maps have per-CPU slots (the verifier refuses the others); a CPU
      // number past the last possible CPU finds nothing, as in the kernel.
      const c = BigInt.asUintN(32, cpu);
      if (!map.perCpu || c >= BigInt(rt.nrCpus)) return 0n;
      return map.lookupElem(ptr(key, map.spec.keySize, 'map key'), Number(c));
    },
  };

  function commit(data: bigint, discard: boolean): bigint {
    const lin = ptr(data, 1, discard ? 'ringbuf_discard record' : 'ringbuf_submit record');
    const ring = rt.maps.ringOwning(lin);
    if (!ring || ring.commit(lin, discard) < 0) throw new VmFault('helper', `0x${BigInt.asUintN(64, data).toString(16)} is not a reserved ring buffer record`);
    return 0n;
  }

  return HELPERS.map((proto) => {
    const fn = impl[proto.id];
    if (!fn) throw new Error(`helper ${proto.name} (#${proto.id}) has a prototype but no implementation`);
    return { id: proto.id, arity: proto.maxArgs ?? proto.args.length, fn };
  });
}

