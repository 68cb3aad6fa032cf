// Reading through structs and pointers: `args.field` straight from the tracepoint record
// (or the argument registers for uprobe args), `ptr->field` and `s.field` through
// probe_read_kernel/probe_read_user of the field's size at its offset, pointer chains
// without reading the structs between, bitfields, array and pointer indexing, `*ptr`,
// `&expr->field`, and named-tuple (record) fields of values in BPF memory.
import type * as A from '../ast';
import type { AddrSpace, Ty } from '../types';
import { I8, tySize, tupleLayout } from '../types';
import { ARG_REGS, ptRegsOffset } from '../../vm/ctx/layouts';
import { R0, R1, R2, R3, R6 } from './builder';
import { canonicalize, scalar, isSimple } from './exprs';
import { type Gen, LowerError, type Place, at } from './gen';
import { scalarSize } from './layout';
import { mem } from './memory';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

/** Where a struct or array value is: in the ctx record, at an address in kernel/user memory, or in BPF memory. */
export type Loc =
  | { k: 'ctx'; off: number; uprobeArgs?: boolean }
  | { k: 'addr'; reg: number; off: number; as: AddrSpace }
  | { k: 'place'; place: Place };

/** The probe_read helper for an address space (kernel, user, or either by address). */
export function probeReadHelper(as: AddrSpace, str: boolean): number {
  if (as === 'user') return str ? 114 : 112;
  if (as === 'kernel') return str ? 115 : 113;
  return str ? 45 : 4;
}

function spaceOf(t: Ty, fallback: AddrSpace = 'kernel'): AddrSpace {
  if ((t.k === 'pointer' || t.k === 'struct' || t.k === 'array') && t.as && t.as !== 'none') return t.as;
  return fallback;
}

/** The location of a struct-, array- or record-typed expression (no bytes read for kernel memory). */
export function locOf(g: Gen, e: A.Expr): Loc {
  const t = tyOf(e);
  if (e.kind === 'builtin' && e.name === 'args') {
    return { k: 'ctx', off: 0, uprobeArgs: t.k === 'struct' && t.name.startsWith('struct _uprobe_args_') };
  }
  if (e.kind === 'unop' && e.op === '*') {
    const pt = tyOf(e.expr);
    if (pt.k === 'pointer' && pt.ctx) return { k: 'ctx', off: 0 };
    if (t.k === 'struct' && t.ctx) return locOf(g, e.expr);
    const r = scalar(g, e.expr);
    return { k: 'addr', reg: r, off: 0, as: spaceOf(pt) };
  }
  if (e.kind === 'field' && !isRecordBase(e)) {
    const lay = fieldLayout(g, e);
    if (lay.deref) {
      const bt = tyOf(e.expr);
      if (bt.k === 'pointer' && bt.ctx) return { k: 'ctx', off: lay.offset };
      const r = scalar(g, e.expr);
      return { k: 'addr', reg: r, off: lay.offset, as: spaceOf(bt) };
    }
    const base = locOf(g, e.expr);
    return shift(base, lay.offset);
  }
  if (e.kind === 'index' && (t.k === 'struct' || t.k === 'array')) {
    return indexLoc(g, e);
  }
  if (e.kind === 'cast' && (t.k === 'struct' || t.k === 'array')) return locOf(g, e.expr);
  // Anything else is a value in BPF memory.
  return { k: 'place', place: mem(g, e) };
}

function shift(l: Loc, delta: number): Loc {
  switch (l.k) {
    case 'ctx':
      return { ...l, off: l.off + delta };
    case 'addr':
      return { ...l, off: l.off + delta };
    case 'place':
      return { k: 'place', place: at(l.place, delta) };
  }
}

function isRecordBase(e: A.FieldAccess): boolean {
  return tyOf(e.expr).k === 'record';
}

function fieldLayout(g: Gen, e: A.FieldAccess): A.FieldLayout {
  const lay = e.layoutByProbe?.[g.site.name] ?? e.layout;
  if (!lay) throw new LowerError(`field ${e.field} has no layout`, e.span);
  return lay;
}

/** Offset of a record (named tuple) field. */
function recordFieldOffset(t: Ty, name: string): number {
  if (t.k !== 'record') throw new LowerError('not a record');
  const i = t.fields.findIndex((f) => f.name === name);
  return tupleLayout(t.fields.map((f) => f.ty)).offsets[i];
}

/** The location of the field `e` itself. */
function fieldLoc(g: Gen, e: A.FieldAccess): { loc: Loc; lay?: A.FieldLayout } {
  if (isRecordBase(e)) {
    const base = mem(g, e.expr);
    return { loc: { k: 'place', place: at(base, recordFieldOffset(tyOf(e.expr), e.field)) } };
  }
  const lay = fieldLayout(g, e);
  const bt = tyOf(e.expr);
  if (lay.deref && !(bt.k === 'pointer' && bt.ctx)) {
    const r = scalar(g, e.expr);
    return { loc: { k: 'addr', reg: r, off: lay.offset, as: spaceOf(bt) }, lay };
  }
  const base = lay.deref ? ({ k: 'ctx', off: 0 } as Loc) : locOf(g, e.expr);
  return { loc: shift(base, lay.offset), lay };
}

// ---------------------------------------------------------------------------------------
// Reading values at a location.

/** Reads a scalar of type `t` (`size` bytes, or a bitfield) at `loc` into a fresh register. */
function readScalar(g: Gen, loc: Loc, t: Ty, size: number, lay?: A.FieldLayout): number {
  const bits = lay?.bitSize;
  const n = (bits !== undefined ? Math.min(8, Math.ceil(((lay?.bitOffset ?? 0) + bits) / 8)) : size) as number;
  const width = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 4 ? 4 : 8) as 1 | 2 | 4 | 8;
  const signed = t.k === 'int' && t.signed && bits === undefined;
  let r: number;
  switch (loc.k) {
    case 'ctx': {
      r = g.reg();
      if (loc.uprobeArgs) {
        // uprobe args.N: the N-th argument register.
        const reg = ARG_REGS[Math.floor(loc.off / 8)];
        if (!reg) throw new LowerError('uprobe argument out of range');
        g.b.load('DW', r, R6, ptRegsOffset(reg));
        canonicalize(g, r, t);
        return r;
      }
      g.b.load(width === 8 ? 'DW' : width === 4 ? 'W' : width === 2 ? 'H' : 'B', r, R6, loc.off);
      if (signed) g.signExtend(r, width);
      break;
    }
    case 'addr': {
      const slot = g.slot();
      g.addr(slot, R1);
      g.b.movImm(R2, width);
      g.b.mov(R3, loc.reg);
      if (loc.off) g.b.alu('ADD', R3, loc.off);
      g.b.call(probeReadHelper(loc.as, false));
      g.free(loc.reg);
      r = g.reg();
      g.loadReg(r, slot, width, signed);
      break;
    }
    case 'place':
      r = g.reg();
      g.loadReg(r, loc.place, width, signed);
      break;
  }
  if (bits !== undefined) {
    if (lay?.bitOffset) g.b.alu('RSH', r, lay.bitOffset);
    if (bits < 32) g.b.alu('AND', r, (1 << bits) - 1);
    else if (bits < 64) {
      g.b.alu('LSH', r, 64 - bits);
      g.b.alu('RSH', r, 64 - bits);
    }
    if (t.k === 'int' && t.signed && bits < 64) {
      g.b.alu('LSH', r, 64 - bits);
      g.b.alu('ARSH', r, 64 - bits);
    }
  }
  return r;
}

/** Copies `size` bytes at `loc` into `dest` (probe_read for kernel/user memory). */
function readInto(g: Gen, loc: Loc, dest: Place, size: number): void {
  switch (loc.k) {
    case 'ctx':
      if (loc.uprobeArgs) throw new LowerError('uprobe arguments are registers, not memory');
      g.addr(dest, R1);
      g.b.movImm(R2, size);
      g.b.mov(R3, R6);
      if (loc.off) g.b.alu('ADD', R3, loc.off);
      g.b.call(113);
      return;
    case 'addr':
      g.addr(dest, R1);
      g.b.movImm(R2, size);
      g.b.mov(R3, loc.reg);
      if (loc.off) g.b.alu('ADD', R3, loc.off);
      g.b.call(probeReadHelper(loc.as, false));
      g.free(loc.reg);
      return;
    case 'place':
      g.copy(dest, loc.place, size);
      return;
  }
}

/** `reg = address of loc` (kernel memory and ctx only). */
function addressIn(g: Gen, loc: Loc): number {
  switch (loc.k) {
    case 'ctx': {
      const r = g.reg();
      g.b.mov(r, R6);
      if (loc.off) g.b.alu('ADD', r, loc.off);
      return r;
    }
    case 'addr':
      if (loc.off) g.b.alu('ADD', loc.reg, loc.off);
      return loc.reg;
    case 'place': {
      const r = g.reg();
      g.addr(loc.place, r);
      return r;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Field access.

export function fieldScalar(g: Gen, e: A.FieldAccess): number {
  const t = tyOf(e);
  if (t.k === 'pointer' && t.dataLoc) {
    // A __data_loc field: the u32 holds (length << 16 | offset) of the data in the record.
    const lay = fieldLayout(g, e);
    const r = g.reg();
    g.b.load('W', r, R6, lay.offset);
    g.b.alu('AND', r, 0xffff);
    g.b.mov(R0, R6);
    g.b.aluR('ADD', R0, r);
    g.b.mov(r, R0);
    return r;
  }
  const { loc, lay } = fieldLoc(g, e);
  return readScalar(g, loc, t, lay?.size ?? scalarSize(t), lay);
}

export function fieldMem(g: Gen, e: A.FieldAccess, out: () => Place): Place {
  const t = tyOf(e);
  const { loc, lay } = fieldLoc(g, e);
  if (loc.k === 'place') {
    const p = out();
    g.copy(p, loc.place, tySize(t));
    return p;
  }
  const p = out();
  const size = Math.min(lay?.size ?? tySize(t), tySize(t));
  if (size < tySize(t)) g.zero(p, tySize(t));
  readInto(g, loc, p, size);
  return p;
}

// ---------------------------------------------------------------------------------------
// Indexing, dereference, address-of.

function indexLoc(g: Gen, e: A.IndexExpr): Loc {
  const bt = tyOf(e.expr);
  const elemTy: Ty = bt.k === 'array' ? bt.of : bt.k === 'pointer' ? bt.to : bt.k === 'string' ? I8 : { k: 'none' };
  const elem = Math.max(1, tySize(elemTy));
  const constIdx = e.index.kind === 'int' ? Number(e.index.value) : undefined;
  if (bt.k === 'pointer') {
    // ptr[i]: the address ptr + i * size.
    const r = indexedAddress(g, e, elem);
    return { k: 'addr', reg: r, off: 0, as: spaceOf(bt) };
  }
  const base = locOf(g, e.expr);
  if (constIdx !== undefined) return shift(base, constIdx * elem);
  if (base.k === 'place') {
    // A variable index into an array in BPF memory: read through its address, bounded.
    const r = addressIn(g, base);
    const saved = g.spill(r);
    const i = scalar(g, e.index);
    const len = bt.k === 'array' ? bt.len : bt.k === 'string' ? bt.size : 1;
    const ok = g.b.label('inb');
    g.b.jmpImm('JLT', i, len, ok);
    g.b.movImm(i, 0);
    g.b.bind(ok);
    if (elem > 1) g.b.alu('MUL', i, elem);
    const a = g.unspill(saved);
    g.b.aluR('ADD', a, i);
    g.free(i);
    return { k: 'addr', reg: a, off: 0, as: 'kernel' };
  }
  const a = addressIn(g, base);
  const saved = g.spill(a);
  const i = scalar(g, e.index);
  if (elem > 1) g.b.alu('MUL', i, elem);
  const r = g.unspill(saved);
  g.b.aluR('ADD', r, i);
  g.free(i);
  return { k: 'addr', reg: r, off: 0, as: base.k === 'addr' ? base.as : 'kernel' };
}

function indexedAddress(g: Gen, e: A.IndexExpr, elem: number): number {
  const p = scalar(g, e.expr);
  if (e.index.kind === 'int') {
    const off = Number(e.index.value) * elem;
    if (off) g.b.alu('ADD', p, off);
    return p;
  }
  const saved = isSimple(e.index) ? undefined : g.spill(p);
  const i = scalar(g, e.index);
  const base = saved ? g.unspill(saved) : p;
  if (elem > 1) g.b.alu('MUL', i, elem);
  g.b.aluR('ADD', base, i);
  g.free(i);
  return base;
}

export function indexScalar(g: Gen, e: A.IndexExpr): number {
  const t = tyOf(e);
  const loc = indexLoc(g, e);
  return readScalar(g, loc, t, scalarSize(t));
}

export function indexMem(g: Gen, e: A.IndexExpr, out: () => Place): Place {
  const t = tyOf(e);
  const loc = indexLoc(g, e);
  const p = out();
  readInto(g, loc, p, tySize(t));
  return p;
}

export function derefScalar(g: Gen, e: A.Unop): number {
  const pt = tyOf(e.expr);
  const t = tyOf(e);
  if (pt.k === 'int') {
    // *integer: read a u64 at that kernel address.
    const r = scalar(g, e.expr);
    return readScalar(g, { k: 'addr', reg: r, off: 0, as: 'kernel' }, t, 8);
  }
  const r = scalar(g, e.expr);
  return readScalar(g, { k: 'addr', reg: r, off: 0, as: spaceOf(pt) }, t, scalarSize(t));
}

export function derefMem(g: Gen, e: A.Unop, out: () => Place): Place {
  const t = tyOf(e);
  const loc = locOf(g, e);
  const p = out();
  readInto(g, loc, p, tySize(t));
  return p;
}

/** `&expr->field` and `&*ptr`: the address, without reading. */
export function addressOf(g: Gen, e: A.Unop): number {
  const target = e.expr;
  if (target.kind === 'unop' && target.op === '*') return scalar(g, target.expr);
  if (target.kind === 'field') {
    const { loc } = fieldLoc(g, target);
    return addressIn(g, loc);
  }
  const loc = locOf(g, target);
  return addressIn(g, loc);
}

/** Reads a scalar field of a struct value at `loc` (used by pcomm/ppid-style helpers). */
export function readAt(g: Gen, reg: number, off: number, size: 1 | 2 | 4 | 8, as: AddrSpace, signed = false): number {
  return readScalar(g, { k: 'addr', reg, off, as }, signed ? { k: 'int', bits: (size * 8) as 8 | 16 | 32 | 64, signed } : { k: 'int', bits: (size * 8) as 8 | 16 | 32 | 64, signed: false }, size);
}
