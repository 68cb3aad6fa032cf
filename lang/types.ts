// The bpftrace type model every checked expression carries: integers with width and
// signedness, strings and buffers with sizes, pointers with address space, C structs by
// name, arrays, tuples, records, stacks, symbol and time types, and the aggregate map
// value types. Also their printing (as bpftrace's error messages spell them), sizes and C
// layout, and the compatibility rules (same type, fits into, join). Struct layouts come
// from the type environment (typeenv.ts), not from here.
import type { AggFn } from './ast';

export type AddrSpace = 'kernel' | 'user' | 'none';
export type StackMode = 'bpftrace' | 'perf' | 'raw';
export type TsMode = 'boot' | 'monotonic' | 'tai' | 'sw_tai';
export type IntBits = 8 | 16 | 32 | 64;

export type Ty =
  /** Not (yet) known, or the value of a statement-like call (print, exit, ...). */
  | { k: 'none' }
  | { k: 'void' }
  | { k: 'int'; bits: IntBits; signed: boolean; enumName?: string }
  | { k: 'bool' }
  /** A NUL-terminated string in a fixed buffer of `size` bytes (terminator included). */
  | { k: 'string'; size: number }
  /** buf(): `size` data bytes (stored behind a 4-byte length). */
  | { k: 'buffer'; size: number }
  /**
   * A pointer. `as` says which probe_read helper reads through it. `ctx` marks the probe's
   * context record; `dataLoc` a tracepoint `__data_loc` field (a u32 locating a string in
   * the record, which str() decodes).
   */
  | { k: 'pointer'; to: Ty; as: AddrSpace; ctx?: boolean; dataLoc?: boolean }
  /** A C struct or union from the type table; `name` includes the keyword ('struct sock'). */
  | { k: 'struct'; name: string; size: number; as?: AddrSpace; ctx?: boolean }
  | { k: 'array'; of: Ty; len: number; as?: AddrSpace }
  | { k: 'tuple'; elems: Ty[] }
  /** A bpftrace record (named tuple): `(a=1, b="x")`. */
  | { k: 'record'; fields: { name: string; ty: Ty }[] }
  | { k: 'stack'; kernel: boolean; mode: StackMode; limit: number }
  | { k: 'ksym' }
  | { k: 'usym' }
  | { k: 'inet'; size: number }
  /** strftime()'s value: a timestamp formatted in user space. */
  | { k: 'timestamp'; mode: TsMode }
  | { k: 'macaddr' }
  | { k: 'username' }
  | { k: 'cgroupPath' }
  | { k: 'strerror' }
  /** Identifier arguments of kstack/ustack (`perf`) and nsecs (`monotonic`). */
  | { k: 'stackMode'; mode: StackMode }
  | { k: 'tsMode'; mode: TsMode }
  /** Map values of the aggregation functions (count_t, sum_t, hist_t, ...). */
  | { k: 'agg'; fn: AggFn; signed: boolean };

export type TyKind = Ty['k'];
export type IntTy = Extract<Ty, { k: 'int' }>;
export type PtrTy = Extract<Ty, { k: 'pointer' }>;
export type StructTy = Extract<Ty, { k: 'struct' }>;

// ---------------------------------------------------------------------------------------
// Constructors.

export const NONE: Ty = { k: 'none' };
export const VOID: Ty = { k: 'void' };
export const BOOL: Ty = { k: 'bool' };
export const int = (bits: IntBits, signed: boolean): IntTy => ({ k: 'int', bits, signed });
export const U8 = int(8, false);
export const U16 = int(16, false);
export const U32 = int(32, false);
export const U64 = int(64, false);
export const I8 = int(8, true);
export const I16 = int(16, true);
export const I32 = int(32, true);
export const I64 = int(64, true);
export const str = (size: number): Ty => ({ k: 'string', size });
export const ptr = (to: Ty, as: AddrSpace = 'none'): PtrTy => ({ k: 'pointer', to, as });
export const tuple = (elems: Ty[]): Ty => ({ k: 'tuple', elems });
export const agg = (fn: AggFn, signed = true): Ty => ({ k: 'agg', fn, signed });

/** The smallest integer type holding a literal (bpftrace: `1` is uint8, `-1000` int16). */
export function literalIntTy(value: bigint, negative: boolean): IntTy {
  if (negative) {
    const v = -value;
    if (v >= -(1n << 7n)) return I8;
    if (v >= -(1n << 15n)) return I16;
    if (v >= -(1n << 31n)) return I32;
    return I64;
  }
  if (value < 1n << 8n) return U8;
  if (value < 1n << 16n) return U16;
  if (value < 1n << 32n) return U32;
  return U64;
}

/** Whether `value` (negative when `negative`) fits an integer type. */
export function intFits(value: bigint, negative: boolean, t: IntTy): boolean {
  const bits = BigInt(t.bits);
  if (negative) return t.signed && -value >= -(1n << (bits - 1n));
  return value <= (t.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n);
}

// ---------------------------------------------------------------------------------------
// Printing (bpftrace's typestr).

export function tyToString(t: Ty): string {
  switch (t.k) {
    case 'none':
      return 'none';
    case 'void':
      return 'void';
    case 'int':
      if (t.enumName) return `enum ${t.enumName}`;
      return `${t.signed ? 'int' : 'uint'}${t.bits}`;
    case 'bool':
      return 'bool';
    case 'string':
      return `string[${t.size}]`;
    case 'buffer':
      return `buffer[${t.size}]`;
    case 'inet':
      return `inet[${t.size}]`;
    case 'pointer':
      return `${t.ctx ? '(ctx) ' : ''}${tyToString(t.to)} *`;
    case 'struct':
      return t.name;
    case 'array':
      return `${tyToString(t.of)}[${t.len}]`;
    case 'tuple':
      return `(${t.elems.map(tyToString).join(',')})`;
    case 'record':
      return `(${t.fields.map((f) => `${f.name}=${tyToString(f.ty)}`).join(',')})`;
    case 'stack':
      return t.kernel ? 'kstack' : 'ustack';
    case 'ksym':
      return 'ksym_t';
    case 'usym':
      return 'usym_t';
    case 'timestamp':
      return 'timestamp';
    case 'macaddr':
      return 'mac_address';
    case 'username':
      return 'username';
    case 'cgroupPath':
      return 'cgroup_path_t';
    case 'strerror':
      return 'strerror_t';
    case 'stackMode':
      return 'stack_mode';
    case 'tsMode':
      return 'timestamp_mode';
    case 'agg':
      return t.fn === 'hist' || t.fn === 'lhist' || t.fn === 'tseries' ? `${t.fn}_t` : `${t.signed ? '' : 'u'}${t.fn}_t`;
    default:
      return unreachable(t);
  }
}

/** bpftrace's short kind names used in some messages ("only supports int arguments (string provided)"). */
export function kindName(t: Ty): string {
  switch (t.k) {
    case 'int':
      return 'int';
    case 'pointer':
      return 'pointer';
    case 'struct':
      return 'record';
    case 'agg':
      return tyToString({ ...t, signed: true });
    case 'stack':
      return t.kernel ? 'kstack' : 'ustack';
    case 'string':
    case 'buffer':
    case 'inet':
      return t.k;
    default:
      return tyToString(t);
  }
}

// ---------------------------------------------------------------------------------------
// Predicates.

export const isInt = (t: Ty): t is IntTy => t.k === 'int';
/** Integers and booleans: operands of arithmetic, conditions. */
export const isIntLike = (t: Ty): boolean => t.k === 'int' || t.k === 'bool';
export const isPtr = (t: Ty): t is PtrTy => t.k === 'pointer';
export const isSigned = (t: Ty): boolean => (t.k === 'int' || t.k === 'agg' ? t.signed : false);
/** count/sum/min/max/avg/stats maps read as an integer (bpftrace's castable map types). */
export const isCastableAgg = (t: Ty): boolean => t.k === 'agg' && t.fn !== 'hist' && t.fn !== 'lhist' && t.fn !== 'tseries' && t.fn !== 'stats';
/** Aggregates that can only live in a map (never read as values). */
export const isMapOnly = (t: Ty): boolean => t.k === 'agg';
export const isStack = (t: Ty): boolean => t.k === 'stack';
/** Types printf's %s accepts. */
export const isStringLike = (t: Ty): boolean =>
  ['string', 'ksym', 'usym', 'inet', 'timestamp', 'macaddr', 'username', 'cgroupPath', 'strerror', 'buffer'].includes(t.k) ||
  (t.k === 'int' && !!t.enumName);

// ---------------------------------------------------------------------------------------
// Sizes and layout (what the value occupies on the BPF stack, in a map or an event).

export function tySize(t: Ty): number {
  switch (t.k) {
    case 'none':
    case 'void':
    case 'stackMode':
    case 'tsMode':
      return 0;
    case 'int':
      return t.bits / 8;
    case 'bool':
      return 1;
    case 'string':
      return t.size;
    case 'buffer':
      return t.size + 4;
    case 'inet':
      return t.size;
    case 'pointer':
      return 8;
    case 'struct':
      return t.size;
    case 'array':
      return t.len * tySize(t.of);
    case 'tuple':
      return tupleLayout(t.elems).size;
    case 'record':
      return tupleLayout(t.fields.map((f) => f.ty)).size;
    case 'stack':
      return t.kernel ? 16 : 24;
    case 'ksym':
      return 8;
    case 'usym':
      return 16;
    case 'timestamp':
      return 16;
    case 'macaddr':
      return 6;
    case 'username':
      return 8;
    case 'cgroupPath':
      return 16;
    case 'strerror':
      return 8;
    case 'agg':
      return t.fn === 'avg' || t.fn === 'stats' || t.fn === 'min' || t.fn === 'max' ? 16 : 8;
    default:
      return unreachable(t);
  }
}

/** Alignment inside tuples and records (byte arrays align to 1, as in bpftrace). */
export function tyAlign(t: Ty): number {
  switch (t.k) {
    case 'string':
    case 'buffer':
    case 'inet':
    case 'macaddr':
    case 'usym':
    case 'timestamp':
    case 'cgroupPath':
      return 1;
    case 'tuple':
      return Math.max(1, ...t.elems.map(tyAlign));
    case 'record':
      return Math.max(1, ...t.fields.map((f) => tyAlign(f.ty)));
    case 'array':
      return tyAlign(t.of);
    case 'struct':
      return Math.min(8, Math.max(1, largestPow2Dividing(t.size)));
    default: {
      const s = tySize(t);
      return s <= 1 ? 1 : s <= 2 ? 2 : s <= 4 ? 4 : 8;
    }
  }
}

function largestPow2Dividing(n: number): number {
  if (n === 0) return 1;
  return n & -n;
}

/** C layout of a tuple: element offsets and the padded size. */
export function tupleLayout(elems: readonly Ty[]): { offsets: number[]; size: number; align: number } {
  let off = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const e of elems) {
    const a = tyAlign(e);
    align = Math.max(align, a);
    off = Math.ceil(off / a) * a;
    offsets.push(off);
    off += tySize(e);
  }
  return { offsets, size: Math.ceil(off / align) * align, align };
}

// ---------------------------------------------------------------------------------------
// Compatibility.

/** Same kind of type (bpftrace's IsSameType): sizes may differ, structure must match. */
export function sameType(a: Ty, b: Ty): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'struct':
      return a.name === (b as StructTy).name;
    case 'pointer':
      return sameType(a.to, (b as PtrTy).to);
    case 'tuple': {
      const bt = b as Extract<Ty, { k: 'tuple' }>;
      return a.elems.length === bt.elems.length && a.elems.every((e, i) => sameType(e, bt.elems[i]));
    }
    case 'record': {
      const br = b as Extract<Ty, { k: 'record' }>;
      return a.fields.length === br.fields.length && a.fields.every((f) => br.fields.some((g) => g.name === f.name && sameType(f.ty, g.ty)));
    }
    case 'array': {
      const ba = b as Extract<Ty, { k: 'array' }>;
      return sameType(a.of, ba.of);
    }
    default:
      return true;
  }
}

/** Exact equality of types (address spaces and ctx flags ignored). */
export function equalTy(a: Ty, b: Ty): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'int': {
      const bi = b as IntTy;
      return a.bits === bi.bits && a.signed === bi.signed;
    }
    case 'string':
    case 'buffer':
    case 'inet':
      return a.size === (b as { size: number }).size;
    case 'struct':
      return a.name === (b as StructTy).name;
    case 'pointer':
      return equalTy(a.to, (b as PtrTy).to);
    case 'array': {
      const ba = b as Extract<Ty, { k: 'array' }>;
      return a.len === ba.len && equalTy(a.of, ba.of);
    }
    case 'tuple': {
      const bt = b as Extract<Ty, { k: 'tuple' }>;
      return a.elems.length === bt.elems.length && a.elems.every((e, i) => equalTy(e, bt.elems[i]));
    }
    case 'record': {
      const br = b as Extract<Ty, { k: 'record' }>;
      return a.fields.length === br.fields.length && a.fields.every((f, i) => f.name === br.fields[i].name && equalTy(f.ty, br.fields[i].ty));
    }
    case 'stack': {
      const bs = b as Extract<Ty, { k: 'stack' }>;
      return a.kernel === bs.kernel && a.mode === bs.mode && a.limit === bs.limit;
    }
    case 'agg': {
      const bg = b as Extract<Ty, { k: 'agg' }>;
      return a.fn === bg.fn && a.signed === bg.signed;
    }
    case 'timestamp':
      return a.mode === (b as Extract<Ty, { k: 'timestamp' }>).mode;
    default:
      return true;
  }
}

/**
 * The integer type holding both `a` and `b` (bpftrace's promotion when a variable or map
 * receives integers of different types), or undefined when none exists (uint64 with a
 * signed type).
 */
export function joinInts(a: IntTy, b: IntTy): IntTy | undefined {
  if (a.signed === b.signed) return int(Math.max(a.bits, b.bits) as IntBits, a.signed);
  const [s, u] = a.signed ? [a, b] : [b, a];
  // A signed type holds the unsigned one only if strictly wider.
  const need = Math.max(s.bits, u.bits * 2);
  if (need > 64) return undefined;
  return int(need as IntBits, true);
}

/**
 * The type a variable or map takes when it holds values of both `a` and `b`, or undefined
 * when they are incompatible. Strings grow to the larger size; tuples and records join
 * element-wise.
 */
export function joinTy(a: Ty, b: Ty): Ty | undefined {
  if (a.k === 'none') return b;
  if (b.k === 'none') return a;
  if (a.k === 'int' && b.k === 'int') {
    const j = joinInts(a, b);
    return j && a.enumName && a.enumName === b.enumName ? { ...j, enumName: a.enumName } : j;
  }
  if (a.k === 'bool' && b.k === 'int') return b;
  if (a.k === 'int' && b.k === 'bool') return a;
  if (a.k !== b.k) return undefined;
  switch (a.k) {
    case 'string':
    case 'inet':
      return { ...a, size: Math.max(a.size, (b as { size: number }).size) };
    case 'buffer':
      return { ...a, size: Math.max(a.size, (b as { size: number }).size) };
    case 'tuple': {
      const bt = b as Extract<Ty, { k: 'tuple' }>;
      if (a.elems.length !== bt.elems.length) return undefined;
      const elems: Ty[] = [];
      for (let i = 0; i < a.elems.length; i++) {
        const j = joinTy(a.elems[i], bt.elems[i]);
        if (!j) return undefined;
        elems.push(j);
      }
      return { k: 'tuple', elems };
    }
    case 'record': {
      const br = b as Extract<Ty, { k: 'record' }>;
      if (a.fields.length !== br.fields.length) return undefined;
      const fields: { name: string; ty: Ty }[] = [];
      for (const f of a.fields) {
        const g = br.fields.find((x) => x.name === f.name);
        if (!g) return undefined;
        const j = joinTy(f.ty, g.ty);
        if (!j) return undefined;
        fields.push({ name: f.name, ty: j });
      }
      return { k: 'record', fields };
    }
    case 'pointer': {
      const bp = b as PtrTy;
      if (!sameType(a.to, bp.to) && a.to.k !== 'void' && bp.to.k !== 'void') return undefined;
      return a.as === bp.as ? a : { ...a, as: a.as === 'none' ? bp.as : a.as };
    }
    case 'agg': {
      const bg = b as Extract<Ty, { k: 'agg' }>;
      return a.fn === bg.fn && a.signed === bg.signed ? a : undefined;
    }
    case 'stack': {
      const bs = b as Extract<Ty, { k: 'stack' }>;
      return a.kernel === bs.kernel && a.mode === bs.mode ? { ...a, limit: Math.max(a.limit, bs.limit) } : undefined;
    }
    default:
      return equalTy(a, b) ? a : undefined;
  }
}

/**
 * How map keys store a type: integers widened to 64 bits, recursively in tuples. An enum
 * keeps its name, so its keys print symbolically (bpftrace 0.22 and later).
 */
export function mapKeyTy(t: Ty): Ty {
  if (t.k === 'int') return t.enumName ? { ...int(64, t.signed), enumName: t.enumName } : int(64, t.signed);
  if (t.k === 'bool') return U64;
  if (t.k === 'tuple') return { k: 'tuple', elems: t.elems.map(mapKeyTy) };
  if (t.k === 'record') return { k: 'record', fields: t.fields.map((f) => ({ name: f.name, ty: mapKeyTy(f.ty) })) };
  return t;
}

/** How map values store a plain type: integers widened to 64 bits, recursively in tuples. */
export function mapValueTy(t: Ty): Ty {
  if (t.k === 'int') return t.enumName ? { ...int(64, t.signed), enumName: t.enumName } : int(64, t.signed);
  if (t.k === 'tuple') return { k: 'tuple', elems: t.elems.map(mapValueTy) };
  if (t.k === 'record') return { k: 'record', fields: t.fields.map((f) => ({ name: f.name, ty: mapValueTy(f.ty) })) };
  return t;
}

export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
