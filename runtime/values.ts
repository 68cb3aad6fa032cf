// Decoding values the programs wrote (map keys and values, ring-buffer event arguments)
// into printable primitives, by their bpftrace type and the layout module the lowering
// used (lang/lower/layout.ts): integers, strings, buffers, tuples and records, arrays,
// structs (fields from the kernel type table), stacks (frames from the stack map,
// symbolised), symbols, addresses, timestamps, user names, cgroup paths and errno texts.
import type { CType, Tracepoint, TypeTable } from '../lang/catalogue';
import { layout as L } from '../lang/lower';
import { type Ty, tySize, tupleLayout } from '../lang/types';
import { decodeInt, decodeString } from './output/decode';
import { strerror } from './output/errno';
import * as V from './output/value';
import type { Primitive, StackFrame } from './output/value';

/** What decoding needs from the world: symbols, names, clocks and the stack maps. */
export interface DecodeContext {
  /** Kernel symbol of an address (function name and offset). */
  ksym(addr: bigint): { name: string; offset: bigint } | undefined;
  /** User symbol of an address in process `pid`. */
  usym(pid: number, addr: bigint): { name: string; offset: bigint; module?: string } | undefined;
  userName(uid: number): string | undefined;
  cgroupPath(id: bigint): string | undefined;
  /** Wall-clock ns since the epoch for a boot-clock timestamp. */
  wallFromBoot(ns: bigint): bigint;
  /** The frames stored under a stack id (undefined when absent). */
  stackFrames(kernel: boolean, mode: string, limit: number, id: number): readonly bigint[] | undefined;
  /** The strftime format of a format id (strftime()'s timestamp values carry it). */
  strftimeFormat(id: number): string;
  /** The kernel type table, for struct values and enum names. */
  types?: TypeTable;
  /** Tracepoint formats, for whole `args` records (`struct _tracepoint_CAT_NAME`). */
  tracepoints?: readonly Tracepoint[];
}

const u64 = (b: Uint8Array, off: number): bigint => {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
};

/** Decodes a value of type `t` at `off` in `bytes`. */
export function decodeValue(bytes: Uint8Array, off: number, t: Ty, ctx: DecodeContext): Primitive {
  switch (t.k) {
    case 'none':
    case 'void':
    case 'stackMode':
    case 'tsMode':
      return V.none;
    case 'int': {
      const p = decodeInt(bytes, (t.bits / 8) as V.IntSize, t.signed, off);
      if (t.enumName && p.kind === 'int') {
        const name = enumName(ctx, t.enumName, p.value);
        if (name) return V.symbolic(name, p.value);
      }
      return p;
    }
    case 'bool':
      return V.bool(bytes[off] !== 0);
    case 'string':
      return decodeString(bytes.subarray(off, off + t.size));
    case 'buffer': {
      const len = Number(decodeIntRaw(bytes, off, 4));
      return V.buffer(bytes.slice(off + L.BUFFER.data, off + L.BUFFER.data + Math.min(len, t.size)));
    }
    case 'pointer':
      return V.pointer(u64(bytes, off));
    case 'struct':
      return decodeStruct(bytes, off, t.name, t.size, ctx);
    case 'array': {
      const n = tySize(t.of);
      const elems: Primitive[] = [];
      for (let i = 0; i < t.len; i++) elems.push(decodeValue(bytes, off + i * n, t.of, ctx));
      return V.array(elems);
    }
    case 'tuple': {
      const l = tupleLayout(t.elems);
      return V.tuple(...t.elems.map((e, i) => decodeValue(bytes, off + l.offsets[i], e, ctx)));
    }
    case 'record': {
      const l = tupleLayout(t.fields.map((f) => f.ty));
      return V.namedTuple(t.fields.map((f, i) => [f.name, decodeValue(bytes, off + l.offsets[i], f.ty, ctx)] as const));
    }
    case 'stack': {
      const id = Number(BigInt.asIntN(64, u64(bytes, off + L.KSTACK.id)));
      const frames = id >= 0 ? (ctx.stackFrames(t.kernel, t.mode, t.limit, id) ?? []) : [];
      const pid = t.kernel ? 0 : Number(u64(bytes, off + L.USTACK.pid));
      return V.stack(t.kernel ? 'kstack' : 'ustack', frames.map((a) => frame(ctx, t.kernel, pid, a)), t.mode);
    }
    case 'ksym': {
      const addr = u64(bytes, off);
      const s = ctx.ksym(addr);
      return V.ksym(addr, s?.name);
    }
    case 'usym': {
      const addr = u64(bytes, off + L.USYM.addr);
      const pid = Number(u64(bytes, off + L.USYM.pid));
      const s = ctx.usym(pid, addr);
      return V.usym(addr, s?.name);
    }
    case 'inet': {
      const af = Number(u64(bytes, off + L.INET.af));
      const n = af === L.AF_INET6 ? 16 : 4;
      return V.inet(bytes.slice(off + L.INET.addr, off + L.INET.addr + n));
    }
    case 'timestamp': {
      const ns = u64(bytes, off + L.TIMESTAMP.ns);
      const fmt = ctx.strftimeFormat(Number(u64(bytes, off + 8)));
      return V.timestamp(fmt, ctx.wallFromBoot(ns));
    }
    case 'macaddr':
      return V.mac(bytes.slice(off, off + 6));
    case 'username': {
      const uid = Number(u64(bytes, off) & 0xffffffffn);
      return V.str(ctx.userName(uid) ?? String(uid));
    }
    case 'cgroupPath': {
      const id = u64(bytes, off + L.CGROUP_PATH.id);
      return V.str(ctx.cgroupPath(id) ?? '');
    }
    case 'strerror':
      return V.str(strerror(Number(BigInt.asIntN(32, u64(bytes, off)))));
    case 'agg':
      return decodeAggScalar(bytes, off, t);
    default: {
      const never: never = t;
      throw new Error(`cannot decode ${JSON.stringify(never)}`);
    }
  }
}

/** A castable aggregate read as an integer: count/sum, min/max's value, avg's total / count. */
function decodeAggScalar(bytes: Uint8Array, off: number, t: Extract<Ty, { k: 'agg' }>): Primitive {
  const mk = (v: bigint): Primitive => (t.signed ? V.int(v) : V.uint(v));
  if (t.fn === 'avg' || t.fn === 'stats') {
    const total = u64(bytes, off + L.AVG.total);
    const count = u64(bytes, off + L.AVG.count);
    return mk(count === 0n ? 0n : BigInt.asIntN(64, total) / BigInt.asIntN(64, count));
  }
  return mk(u64(bytes, off));
}

function decodeIntRaw(bytes: Uint8Array, off: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  return v;
}

function frame(ctx: DecodeContext, kernel: boolean, pid: number, addr: bigint): StackFrame {
  if (kernel) {
    const s = ctx.ksym(addr);
    return s ? { addr, symbol: s.name, offset: s.offset } : { addr };
  }
  const s = ctx.usym(pid, addr);
  return s ? { addr, symbol: s.name, offset: s.offset, module: s.module } : { addr };
}

function enumName(ctx: DecodeContext, name: string, value: bigint): string | undefined {
  const def = ctx.types?.enums.get(name);
  if (!def) return undefined;
  for (const [k, v] of Object.entries(def.values)) if (BigInt(v) === value) return k;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Structs: fields from the type table, as bpftrace prints them ({ .a = 1, .b = ... }).

function resolveC(types: TypeTable, t: CType, depth = 0): CType {
  if (t.kind === 'typedef' && depth < 16) {
    const d = types.typedefs.get(t.name);
    return d ? resolveC(types, d, depth + 1) : t;
  }
  return t;
}

function decodeStruct(bytes: Uint8Array, off: number, name: string, size: number, ctx: DecodeContext, depth = 0): Primitive {
  const types = ctx.types;
  const tp = name.startsWith('struct _tracepoint_') ? ctx.tracepoints?.find((t) => name === `struct _tracepoint_${t.category}_${t.name}`) : undefined;
  if (tp && types) {
    // A tracepoint record: its fields after the common header, as the format gives them.
    const fields: [string, Primitive][] = [];
    for (const f of tp.fields) {
      if (f.name.startsWith('common_')) continue;
      if (f.dataLoc) {
        const loc = Number(decodeIntRaw(bytes, off + f.offset, 4));
        // The string follows the fixed record; a copy with less room keeps what fits.
        const at = off + (loc & 0xffff);
        const end = Math.min(at + (loc >>> 16), off + size, bytes.length);
        fields.push([f.name, at < end ? decodeString(bytes.subarray(at, end)) : V.str('')]);
      } else fields.push([f.name, decodeC(bytes, off + f.offset, f.type, ctx, depth + 1)]);
    }
    return V.record(fields);
  }
  const bare = name.replace(/^(struct|union)\s+/, '');
  const def = types?.records.get(bare) ?? types?.records.get(name);
  if (!types || !def || depth > 4) return V.buffer(bytes.slice(off, off + size));
  const fields: [string, Primitive][] = [];
  for (const f of def.fields) {
    if (!f.name) continue;
    fields.push([f.name, decodeC(bytes, off + f.offset, f.type, ctx, depth + 1)]);
  }
  return V.record(fields);
}

function cSize(types: TypeTable, t: CType): number {
  const r = resolveC(types, t);
  switch (r.kind) {
    case 'int':
      return r.size;
    case 'bool':
      return 1;
    case 'ptr':
      return 8;
    case 'enum':
      return r.size;
    case 'array':
      return r.len * cSize(types, r.of);
    case 'struct':
    case 'union':
      return types.records.get(r.name)?.size ?? 0;
    default:
      return 0;
  }
}

function decodeC(bytes: Uint8Array, off: number, t: CType, ctx: DecodeContext, depth: number): Primitive {
  const types = ctx.types!;
  const r = resolveC(types, t);
  switch (r.kind) {
    case 'int':
      return decodeInt(bytes, r.size, r.signed, off);
    case 'bool':
      return V.bool(bytes[off] !== 0);
    case 'enum':
      return decodeInt(bytes, r.size, false, off);
    case 'ptr':
      return V.pointer(u64(bytes, off));
    case 'array': {
      const el = resolveC(types, r.of);
      if (el.kind === 'int' && el.size === 1) return decodeString(bytes.subarray(off, off + r.len));
      const n = cSize(types, el);
      return V.array(Array.from({ length: r.len }, (_, i) => decodeC(bytes, off + i * n, el, ctx, depth)));
    }
    case 'struct':
    case 'union':
      return decodeStruct(bytes, off, r.name, cSize(types, r), ctx, depth);
    default:
      return V.none;
  }
}
