// Statements and control flow: assignments to scratch variables and maps, aggregations,
// calls as statements, if/else, bounded `while`, `unroll`, range `for` as a native loop,
// `for` over a map as a for_each_map_elem callback (a subprogram working on the probe's
// frame through the pointer it is given), break/continue/return. Temporaries are
// released at the end of every statement.
import type * as A from '../ast';
import { type Ty, isSigned, tySize, tupleLayout } from '../types';
import { R0, R1, R2, R3, R4, R7, R8, R9 } from './builder';
import { aggregate } from './aggregations';
import { callStmt } from './calls';
import { leave } from './events';
import { branch, canonicalize, constValue, isSimple, scalar, stepOf } from './exprs';
import { CTX_SLOT, type Gen, type LoopCtx, LowerError, type Place, at } from './gen';
import { AVG, isScalarTy } from './layout';
import { mapAssign } from './maps';
import { mem, memInto } from './memory';
import { needsCpuSum, perCpuReadAt } from './percpu';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

export function stmts(g: Gen, list: readonly A.Stmt[]): void {
  for (const s of list) stmt(g, s);
}

export function stmt(g: Gen, s: A.Stmt): void {
  g.at(s.span, () => {
    const m = g.mark();
    stmtInner(g, s);
    g.release(m);
    if (g.heldCount) throw new LowerError('internal error: a register stayed held after a statement', s.span);
  });
}

export function blockExprStmts(g: Gen, e: A.BlockExpr): void {
  stmts(g, e.stmts);
}

function stmtInner(g: Gen, s: A.Stmt): void {
  switch (s.kind) {
    case 'exprStmt':
      return exprStmt(g, s.expr);
    case 'assign':
      if (s.target.kind === 'discard') return exprStmt(g, s.value);
      if (s.target.kind === 'map') return mapAssign(g, s, s.target);
      return assignVar(g, s.target, s.op, s.value);
    case 'let':
      if (s.value) assignVar(g, s.var, '=', s.value);
      return;
    case 'aggregate':
      return aggregate(g, s);
    case 'if':
      return ifStmt(g, s);
    case 'while':
      return whileStmt(g, s);
    case 'unroll': {
      const n = Number(constValue(s.count) ?? 0n);
      for (let i = 0; i < n; i++) stmts(g, s.body.stmts);
      return;
    }
    case 'for':
      if (s.iter.kind === 'range') return rangeFor(g, s, s.iter);
      return mapFor(g, s, s.iter.map);
    case 'jump':
      return jump(g, s);
    case 'blockStmt':
      return stmts(g, s.block.stmts);
    default: {
      const never: never = s;
      throw new LowerError(`unknown statement ${JSON.stringify(never)}`);
    }
  }
}

function exprStmt(g: Gen, e: A.Expr): void {
  if (e.kind === 'call') return callStmt(g, e);
  const t = tyOf(e);
  if (isScalarTy(t)) {
    const r = scalar(g, e);
    g.free(r);
    return;
  }
  mem(g, e);
}

/** The place of a variable (allocated for the whole probe by the program prologue). */
export function varOf(g: Gen, v: A.Var): { place: Place; ty: Ty } {
  const b = v.binding;
  if (!b) throw new LowerError(`unbound variable $${v.name}`, v.span);
  const place = g.vars.get(b.id);
  if (!place) throw new LowerError(`variable $${v.name} has no storage`, v.span);
  return { place, ty: b.ty };
}

/** Whether `e` reads variable `id` (an assignment from it must go through a temporary). */
function reads(e: A.Expr, id: string): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return;
    const o = x as { kind?: string; binding?: A.VarBinding };
    if (o.kind === 'var' && o.binding?.id === id) {
      found = true;
      return;
    }
    for (const v of Object.values(x)) if (v && typeof v === 'object' && v !== o.binding) walk(v);
  };
  walk(e);
  return found;
}

const COMPOUND: Readonly<Record<string, import('../../vm/isa/build').AluOp>> = {
  '+=': 'ADD', '-=': 'SUB', '*=': 'MUL', '/=': 'DIV', '%=': 'MOD', '&=': 'AND', '|=': 'OR', '^=': 'XOR', '<<=': 'LSH', '>>=': 'RSH',
};

function assignVar(g: Gen, v: A.Var, op: A.AssignOp, value: A.Expr): void {
  const { place, ty } = varOf(g, v);
  if (isScalarTy(ty)) {
    if (op === '=') {
      const r = scalar(g, value);
      canonicalize(g, r, ty);
      g.storeReg(place, r, 8);
      g.free(r);
      return;
    }
    const alu = COMPOUND[op];
    let cur = g.reg();
    g.loadReg(cur, place, 8);
    let r: number;
    if (isSimple(value)) r = scalar(g, value);
    else {
      const saved = g.spill(cur);
      r = scalar(g, value);
      cur = g.unspill(saved);
    }
    const step = ty.k === 'pointer' && (alu === 'ADD' || alu === 'SUB') ? stepOf(ty) : 1;
    if (step > 1) g.b.alu('MUL', r, step);
    g.b.aluR(alu, cur, r);
    g.free(r);
    canonicalize(g, cur, ty);
    g.storeReg(place, cur, 8);
    g.free(cur);
    return;
  }
  if (op !== '=') throw new LowerError(`${op} needs an integer variable`, v.span);
  if (reads(value, v.binding!.id)) {
    const tmp = g.temp(tySize(ty));
    memInto(g, value, tmp, ty);
    g.copy(place, tmp, tySize(ty));
    return;
  }
  memInto(g, value, place, ty);
}

function ifStmt(g: Gen, s: A.IfStmt): void {
  const els = g.b.label('else');
  branch(g, s.cond, els, false);
  stmts(g, s.then.stmts);
  if (!s.else) {
    g.b.bind(els);
    return;
  }
  const end = g.b.label('endif');
  g.b.goto(end);
  g.b.bind(els);
  if ('kind' in s.else) stmt(g, s.else);
  else stmts(g, s.else.stmts);
  g.b.bind(end);
}

function loop(g: Gen, ctx: LoopCtx, body: () => void): void {
  g.loops.push(ctx);
  try {
    body();
  } finally {
    g.loops.pop();
  }
}

function whileStmt(g: Gen, s: A.WhileStmt): void {
  const top = g.b.label('while');
  const end = g.b.label('wend');
  g.b.bind(top);
  branch(g, s.cond, end, false);
  loop(g, { kind: 'native', breakLabel: end, continueLabel: top }, () => stmts(g, s.body.stmts));
  g.b.goto(top);
  g.b.bind(end);
}

function rangeFor(g: Gen, s: A.ForStmt, iter: { start: A.Expr; end: A.Expr }): void {
  const { place, ty } = varOf(g, s.var);
  const r = scalar(g, iter.start);
  g.storeReg(place, r, 8);
  g.free(r);
  const endSlot = g.slot();
  const e = scalar(g, iter.end);
  g.storeReg(endSlot, e, 8);
  g.free(e);
  const top = g.b.label('for');
  const next = g.b.label('fnext');
  const out = g.b.label('fend');
  g.b.bind(top);
  g.loadReg(R1, place, 8);
  g.loadReg(R2, endSlot, 8);
  g.b.jmpReg(isSigned(ty) ? 'JSGE' : 'JGE', R1, R2, out);
  loop(g, { kind: 'native', breakLabel: out, continueLabel: next }, () => stmts(g, s.body.stmts));
  g.b.bind(next);
  g.loadReg(R1, place, 8);
  g.b.alu('ADD', R1, 1);
  g.storeReg(place, R1, 8);
  g.b.goto(top);
  g.b.bind(out);
}

/** Copies `size` bytes from the pointer in `ptr` to `dest` (uses r4 and r5). */
function copyFromPtr(g: Gen, dest: Place, ptr: number, size: number): void {
  if (size > 64) {
    g.b.mov(R3, ptr);
    g.addr(dest, R1);
    g.b.movImm(R2, size);
    g.b.call(113);
    return;
  }
  const [base, off] = g.base(dest, R4);
  let i = 0;
  while (i < size) {
    const left = size - i;
    const w = left >= 8 && ((off + i) & 7) === 0 ? 8 : left >= 4 && ((off + i) & 3) === 0 ? 4 : left >= 2 && ((off + i) & 1) === 0 ? 2 : 1;
    const sn = w === 8 ? 'DW' : w === 4 ? 'W' : w === 2 ? 'H' : 'B';
    g.b.load(sn, 5, ptr, i);
    g.b.store(sn, base, off + i, 5);
    i += w;
  }
}

/**
 * for ($kv : @m) { body }: for_each_map_elem(@m, callback, frame, 0). The callback
 * (map, key, value, frame) sets r9 to the probe's frame, reloads ctx, copies the key and
 * value into $kv and runs the body; it returns 0 to continue and 1 to break.
 */
function mapFor(g: Gen, s: A.ForStmt, map: A.MapExpr): void {
  const m = g.s.userMap(map.name);
  const { place, ty } = varOf(g, s.var);
  if (ty.k !== 'tuple' || ty.elems.length !== 2) throw new LowerError('for-loop variable is not a (key, value) tuple', s.var.span);
  const sub = g.b.sibling();
  const cb = sub.label('for_cb');
  // The call from the current body.
  g.b.ldMap(R1, m.index);
  g.b.ldFunc(R2, cb);
  g.b.mov(R3, g.fp);
  g.b.movImm(R4, 0);
  g.b.call(164);
  // The callback body.
  const saved = { b: g.b, fp: g.fp, inCallback: g.inCallback };
  g.b = sub;
  g.fp = R9;
  g.inCallback = true;
  try {
    sub.span = s.span;
    sub.bind(cb);
    sub.mov(R9, R4);
    sub.load('DW', 6, R9, CTX_SLOT);
    // Key and value pointers in callee-saved registers: copies may call helpers.
    sub.mov(R7, R2);
    sub.mov(R8, R3);
    const l = tupleLayout(ty.elems);
    const [kt, vt] = ty.elems;
    copyFromPtr(g, at(place, l.offsets[0]), R7, tySize(kt));
    const value = m.layout.value;
    if (value.k === 'agg' && needsCpuSum(m)) {
      // A per-CPU aggregate reads as its value over every CPU, through the key pointer.
      const r = perCpuReadAt(g, m, R7, s.span);
      g.storeReg(at(place, l.offsets[1]), r, 8);
      g.free(r);
    } else if (value.k === 'agg') {
      // Aggregates of a shared (not per-CPU) map read as integers.
      sub.load('DW', R0, R8, 0);
      if (value.fn === 'avg') {
        sub.load('DW', R1, R8, AVG.count);
        const z = sub.label('avg0');
        sub.jmpImm('JEQ', R1, 0, z);
        sub.aluR('DIV', R0, R1);
        sub.bind(z);
      }
      g.storeReg(at(place, l.offsets[1]), R0, 8);
    } else copyFromPtr(g, at(place, l.offsets[1]), R8, tySize(vt));
    loop(g, { kind: 'callback' }, () => stmts(g, s.body.stmts));
    sub.movImm(R0, 0);
    sub.exit();
  } finally {
    g.b = saved.b;
    g.fp = saved.fp;
    g.inCallback = saved.inCallback;
  }
  g.subprogs.push({ b: sub, entry: cb });
}

function jump(g: Gen, s: A.JumpStmt): void {
  if (s.op === 'return') {
    if (s.value) {
      const r = scalar(g, s.value);
      g.free(r);
    }
    leave(g);
    return;
  }
  const l = g.loops[g.loops.length - 1];
  if (!l) throw new LowerError(`${s.op} used outside of a loop`, s.span);
  if (l.kind === 'callback') {
    g.b.movImm(R0, s.op === 'break' ? 1 : 0);
    g.b.exit();
    return;
  }
  g.b.goto(s.op === 'break' ? l.breakLabel! : l.continueLabel!);
}
