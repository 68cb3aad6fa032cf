// The type checker's state and statement walk. Like bpftrace's semantic analyser it walks
// the whole program several times: maps may be assigned in a later probe than they are
// read, and variables and maps widen as more assignments are seen, so types are joined
// until nothing changes; a final walk then reports diagnostics and leaves every
// expression, variable binding and map with its settled type.
import type * as A from '../../ast';
import type { Tracepoint } from '../../catalogue';
import { constInt } from '../../consteval';
import type { Ctx } from '../../context';
import type { ConcreteProbe, Provider } from '../../probes';
import type { AggParams } from '../../resources';
import {
  type AddrSpace,
  type Ty,
  BOOL,
  I64,
  NONE,
  U32,
  U64,
  U8,
  VOID,
  agg,
  equalTy,
  intFits,
  isCastableAgg,
  isInt,
  isIntLike,
  isSigned,
  joinTy,
  kindName,
  mapKeyTy,
  mapValueTy,
  ptr,
  str,
  tyToString,
} from '../../types';
import { binopTypes, resolveType, typeExpr } from './exprs';
import { concreteProbes } from '../attach-points';

const MAX_ITERATIONS = 12;

export interface MapState {
  name: string;
  value?: Ty;
  key?: Ty;
  /** true: used without key; false: used with keys; undefined: not yet known. */
  scalar?: boolean;
  agg?: AggParams;
  /** Assigned somewhere (a value, an aggregation, ++). */
  defined: boolean;
  probes: Set<number>;
}

interface BindingInfo extends A.VarBinding {
  /** Declared with a type (`let $x: T`): assignments must fit, it never widens. */
  fixed: boolean;
  /** Assigned so far in the current walk. */
  assigned: boolean;
  decl: 'let' | 'assign' | 'for';
}

export interface ProbeCtx {
  probe: A.Probe;
  index: number;
  concretes: ConcreteProbe[];
  providers: Set<Provider>;
}

export class Checker {
  /** The diagnostics walk. */
  final = false;
  /** Some persistent state grew during the current walk. */
  changed = false;
  private iteration = 0;
  readonly maps = new Map<string, MapState>();
  private readonly bindings = new WeakMap<object, BindingInfo>();
  private readonly tpRecords = new Map<string, Tracepoint>();
  readonly namedParams = new Map<string, { ty: Ty; default?: string | bigint | boolean; description?: string }>();

  // State of the current walk.
  probeCtx!: ProbeCtx;
  private scopes: Map<string, BindingInfo>[] = [];
  private probeVars: BindingInfo[] = [];
  private idCounts = new Map<string, number>();
  loopDepth = 0;
  /** Inside a loop whose body runs as a callback without the probe context. */
  private callbackDepth = 0;
  /** Inside a branch a constant condition rules out. */
  deadCode = false;
  /** Typing a format string argument (length limits do not apply). */
  inFormat = false;

  constructor(readonly ctx: Ctx) {}

  error(message: string, span?: A.Span, ...hints: string[]): void {
    if (this.final) this.ctx.diags.error(message, span, ...hints);
  }

  warn(message: string, span?: A.Span, ...hints: string[]): void {
    if (this.final) this.ctx.diags.warning(message, span, ...hints);
  }

  probeIsFirstIteration(): boolean {
    return this.iteration === 0;
  }

  // -------------------------------------------------------------------------------------
  // Driver.

  run(): void {
    const probes = this.ctx.program.items.filter((i): i is A.Probe => i.kind === 'probe');
    for (this.iteration = 0; this.iteration < MAX_ITERATIONS; this.iteration++) {
      this.changed = false;
      for (const p of probes) this.checkProbe(p);
      if (!this.changed && this.iteration > 0) break;
    }
    this.final = true;
    for (const p of probes) this.checkProbe(p);
    this.checkMapDecls();
  }

  private checkProbe(p: A.Probe): void {
    const concretes = concreteProbes(p);
    if (concretes.length === 0) return;
    this.probeCtx = { probe: p, index: p.index ?? 0, concretes, providers: new Set(concretes.map((c) => c.provider)) };
    this.scopes = [new Map()];
    this.probeVars = [];
    this.idCounts = new Map();
    this.loopDepth = 0;
    this.callbackDepth = 0;
    this.deadCode = false;
    if (p.predicate) {
      const t = typeExpr(this, p.predicate);
      if (t.k !== 'none' && !isIntLike(t) && t.k !== 'pointer' && !isCastableAgg(t)) this.error(`Invalid type for predicate: ${kindName(t)}`, p.predicate.span);
    }
    this.stmts(p.body.stmts);
    p.vars = this.probeVars.map(({ name, id, ty, declSpan }) => ({ name, id, ty, declSpan }));
    // Every var node of the probe points at its binding's final type.
    if (this.final) for (const b of this.probeVars) if (!b.assigned && b.decl === 'let') this.warn(`Variable $${b.name} never assigned to.`, b.declSpan);
  }

  // -------------------------------------------------------------------------------------
  // Statements.

  stmts(list: A.Stmt[]): void {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      this.stmt(s);
      if (s.kind === 'jump' && i < list.length - 1) this.warn(`All code after a '${s.op}' is unreachable.`, s.span);
    }
  }

  private scoped(fn: () => void): void {
    this.scopes.push(new Map());
    try {
      fn();
    } finally {
      this.scopes.pop();
    }
  }

  private block(b: A.Block): void {
    this.scoped(() => this.stmts(b.stmts));
  }

  blockExpr(e: A.BlockExpr): Ty {
    let t: Ty = VOID;
    this.scoped(() => {
      this.stmts(e.stmts);
      if (e.result) t = typeExpr(this, e.result);
    });
    return t;
  }

  private condition(e: A.Expr, what: string): bigint | undefined {
    const t = typeExpr(this, e);
    if (t.k !== 'none' && !isIntLike(t) && t.k !== 'pointer' && !isCastableAgg(t)) this.error(`Invalid condition in ${what}: ${kindName(t)}`, e.span);
    return constInt(e);
  }

  private stmt(s: A.Stmt): void {
    switch (s.kind) {
      case 'exprStmt':
        if (s.expr.kind === 'call') s.expr.discarded = true;
        typeExpr(this, s.expr);
        break;
      case 'assign':
        this.assign(s);
        break;
      case 'let':
        this.letStmt(s);
        break;
      case 'aggregate':
        this.aggregate(s);
        break;
      case 'if': {
        const v = this.condition(s.cond, 'if()');
        const dead = this.deadCode;
        this.deadCode = dead || v === 0n;
        this.block(s.then);
        this.deadCode = dead || (v !== undefined && v !== 0n);
        if (s.else) {
          if ('kind' in s.else) this.scoped(() => this.stmt(s.else as A.IfStmt));
          else this.block(s.else);
        }
        this.deadCode = dead;
        break;
      }
      case 'while':
        this.condition(s.cond, 'while()');
        this.loopDepth++;
        this.block(s.body);
        this.loopDepth--;
        break;
      case 'unroll': {
        typeExpr(this, s.count);
        const v = constInt(s.count);
        if (v === undefined) this.error('invalid unroll value', s.span);
        else if (v > 100n) this.error('unroll maximum value is 100', s.span);
        else if (v < 1n) this.error('unroll minimum value is 1', s.span);
        this.block(s.body);
        break;
      }
      case 'for':
        this.forStmt(s);
        break;
      case 'jump':
        if (s.op !== 'return') {
          if (this.loopDepth === 0) this.error(`${s.op} used outside of a loop`, s.span);
        } else {
          if (this.callbackDepth > 0) this.error("'return' statement is not allowed in a for-loop", s.span);
          if (s.value) {
            const t = typeExpr(this, s.value);
            if (t.k !== 'none' && !isIntLike(t)) this.error(`A probe can only return an integer, not ${tyToString(t)}`, s.value.span);
          }
        }
        break;
      case 'blockStmt':
        this.block(s.block);
        break;
      default:
        break;
    }
  }

  // -------------------------------------------------------------------------------------
  // Scratch variables.

  private findVar(name: string): BindingInfo | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** The binding introduced by `node` (the same object on every walk). */
  private newBinding(node: object, name: string, span: A.Span, ty: Ty, decl: BindingInfo['decl'], fixed: boolean): BindingInfo {
    let b = this.bindings.get(node);
    if (!b) {
      b = { name, id: name, ty, declSpan: span, fixed, assigned: false, decl };
      this.bindings.set(node, b);
      this.changed = true;
    }
    const n = (this.idCounts.get(name) ?? 0) + 1;
    this.idCounts.set(name, n);
    b.id = n === 1 ? name : `${name}_${n}`;
    b.assigned = false;
    this.scopes[this.scopes.length - 1].set(name, b);
    this.probeVars.push(b);
    return b;
  }

  readVar(v: A.Var): Ty {
    const b = this.findVar(v.name);
    if (!b) {
      this.error(`Undefined or undeclared variable: $${v.name}`, v.span);
      return NONE;
    }
    v.binding = b;
    if (!b.assigned && b.decl === 'let' && !b.fixed) this.warn(`Variable used before it was assigned: $${v.name}`, v.span);
    return b.ty;
  }

  /** Records that a value of type `t` is stored in a variable; widens or reports a mismatch. */
  private storeVar(b: BindingInfo, t: Ty, value: A.Expr, span: A.Span): void {
    if (t.k === 'none') return;
    if (t.k === 'void' || t.k === 'agg' || t.k === 'stackMode' || t.k === 'tsMode') {
      this.error(`Value '${tyToString(t)}' cannot be assigned to a scratch variable.`, span);
      return;
    }
    if (t.k === 'pointer' && t.ctx && !isInt(b.ty)) {
      // Keeping a ctx pointer in a variable is fine; storing it in a map is not.
    }
    if (b.fixed) {
      if (!this.fits(t, b.ty, value)) {
        const lit = literalValue(value);
        if (lit && isInt(b.ty)) this.error(`Type mismatch for $${b.name}: trying to assign value '${lit}' which does not fit into the variable of type '${tyToString(b.ty)}'`, span);
        else this.error(`Type mismatch for $${b.name}: trying to assign value of type '${tyToString(t)}' when variable already has a type '${tyToString(b.ty)}'`, span);
      }
      b.assigned = true;
      return;
    }
    const j = b.ty.k === 'none' ? t : this.joinStored(b.ty, t, value);
    if (!j) {
      const lit = literalValue(value);
      if (lit && isInt(b.ty)) this.error(`Type mismatch for $${b.name}: trying to assign value '${lit}' which does not fit into the variable of type '${tyToString(b.ty)}'`, span);
      else this.error(`Type mismatch for $${b.name}: trying to assign value of type '${tyToString(t)}' when variable already contains a value of type '${tyToString(b.ty)}'`, span);
      b.assigned = true;
      return;
    }
    if (!equalTy(j, b.ty) || (j.k === 'pointer' && b.ty.k === 'pointer' && j.as !== b.ty.as)) {
      b.ty = j;
      this.changed = true;
    }
    b.assigned = true;
  }

  /** A literal integer that fits keeps the stored type; otherwise types join. */
  private joinStored(stored: Ty, t: Ty, value: A.Expr): Ty | undefined {
    if (isInt(stored) && isInt(t)) {
      const lit = intLiteral(value);
      if (lit && intFits(lit.value, lit.negative, stored)) return stored;
    }
    return joinTy(stored, t);
  }

  private fits(t: Ty, target: Ty, value: A.Expr): boolean {
    if (target.k === 'none') return true;
    if (isInt(target) && isInt(t)) {
      const lit = intLiteral(value);
      if (lit) return intFits(lit.value, lit.negative, target);
      const j = joinTy(target, t);
      return !!j && equalTy(j, target);
    }
    if (isInt(target) && t.k === 'bool') return true;
    if (target.k === 'string' && t.k === 'string') return target.size === 0 || t.size <= target.size;
    const j = joinTy(target, t);
    return !!j && equalTy(j, target);
  }

  join(a: Ty, b: Ty): Ty | undefined {
    return joinTy(a, b);
  }

  private letStmt(s: A.LetStmt): void {
    for (const scope of this.scopes) {
      if (scope.has(s.var.name)) {
        this.error(`Variable $${s.var.name} was already declared. Variable shadowing is not allowed.`, s.span);
        if (s.value) typeExpr(this, s.value);
        return;
      }
    }
    let declared: Ty | undefined;
    if (s.type) {
      declared = resolveType(this, s.type, this.defaultAs());
      if (declared && (declared.k === 'agg' || declared.k === 'void')) {
        this.error(`Invalid variable declaration type: ${tyToString(declared)}`, s.type.span);
        declared = undefined;
      }
    }
    // `let $s: string` has no size yet: the first assignment gives it.
    const fixed = !!declared && !(declared.k === 'string' && declared.size === 0);
    const valueTy = s.value ? typeExpr(this, s.value) : undefined;
    const b = this.newBinding(s, s.var.name, s.var.span, declared && fixed ? declared : NONE, 'let', fixed);
    s.var.binding = b;
    s.var.ty = b.ty;
    if (s.value && valueTy) this.storeVar(b, valueTy, s.value, s.span);
    else if (declared && fixed) b.assigned = true;
    s.var.ty = b.ty;
  }

  private assign(s: A.AssignStmt): void {
    const t = s.target;
    if (t.kind === 'discard') {
      typeExpr(this, s.value);
      return;
    }
    if (t.kind === 'var') {
      let valueTy = typeExpr(this, s.value);
      const existing = this.findVar(t.name);
      if (s.op !== '=') {
        if (!existing) {
          this.error(`Undefined or undeclared variable: $${t.name}`, t.span);
          return;
        }
        valueTy = this.compound(s, existing.ty, valueTy);
      } else if (isCastableAgg(valueTy)) valueTy = I64;
      const b = existing ?? this.newBinding(s, t.name, t.span, NONE, 'assign', false);
      t.binding = b;
      this.storeVar(b, valueTy, s.value, s.span);
      t.ty = b.ty;
      return;
    }
    // A map.
    const st = this.mapState(t.name);
    st.probes.add(this.probeCtx.index);
    this.mapKeyUse(t, t.key);
    let valueTy = typeExpr(this, s.value);
    if (s.op !== '=') {
      // `@x += n` on a map with no value yet counts from an integer zero.
      const cur = st.value && st.value.k !== 'agg' ? st.value : st.value ? st.value : I64;
      valueTy = this.compound(s, isCastableAgg(cur) ? I64 : cur, valueTy);
    }
    this.storeMap(st, valueTy, s.value, s.span);
    t.ty = st.value ?? NONE;
  }

  /** The type of `x op= v`. */
  private compound(s: A.AssignStmt, cur: Ty, v: Ty): Ty {
    const op = s.op.slice(0, -1) as A.BinaryOp;
    const fake: A.Binop = { kind: 'binop', span: s.span, op, left: s.value, right: s.value, opSpan: s.span };
    const r = binopTypes(this, fake, cur, v);
    return r.k === 'none' ? r : isInt(cur) && isInt(r) ? cur : r;
  }

  private forStmt(s: A.ForStmt): void {
    if (this.findVar(s.var.name)) this.error(`Loop declaration shadows existing variable: $${s.var.name}`, s.var.span);
    let ty: Ty = NONE;
    if (s.iter.kind === 'mapIter') {
      const m = s.iter.map;
      const st = this.maps.get(m.name);
      m.ty = st?.value ?? NONE;
      if (!st?.defined) {
        if (this.iteration > 0) this.error(`Undefined map: @${m.name}`, m.span);
      } else if (st.scalar === true || st.value?.k === 'agg' && (st.value.fn === 'hist' || st.value.fn === 'lhist' || st.value.fn === 'tseries')) {
        this.error(`Loop expression does not support type: ${tyToString(st.value ?? NONE)}`, m.span);
      } else if (st.key && st.value) {
        ty = { k: 'tuple', elems: [st.key, isCastableAgg(st.value) ? I64 : st.value] };
      }
      if (st) st.probes.add(this.probeCtx.index);
    } else {
      const a = typeExpr(this, s.iter.start);
      const b = typeExpr(this, s.iter.end);
      if (a.k !== 'none' && !isInt(a)) this.error('Loop range requires an integer for the start value', s.iter.span);
      if (b.k !== 'none' && !isInt(b)) this.error('Loop range requires an integer for the end value', s.iter.span);
      ty = isInt(a) && isInt(b) ? (joinTy(a, b) ?? a) : a;
    }
    this.loopDepth++;
    this.callbackDepth++;
    this.scoped(() => {
      const b = this.newBinding(s, s.var.name, s.var.span, ty, 'for', false);
      if (ty.k !== 'none' && !equalTy(b.ty, ty)) {
        b.ty = ty;
        this.changed = true;
      }
      b.assigned = true;
      s.var.binding = b;
      s.var.ty = b.ty;
      this.stmts(s.body.stmts);
    });
    this.callbackDepth--;
    this.loopDepth--;
  }

  // -------------------------------------------------------------------------------------
  // Maps.

  mapState(name: string): MapState {
    let st = this.maps.get(name);
    if (!st) {
      st = { name, defined: false, probes: new Set() };
      this.maps.set(name, st);
    }
    return st;
  }

  mapExists(name: string): boolean {
    return !!this.maps.get(name)?.defined;
  }

  mapIsScalar(name: string): boolean {
    return this.maps.get(name)?.scalar === true;
  }

  mapIsKeyed(name: string): boolean {
    return this.maps.get(name)?.scalar === false;
  }

  mapValue(name: string): Ty | undefined {
    return this.maps.get(name)?.value;
  }

  /** A map used as an object (print, clear, zero, len, delete, has_key). */
  mapObject(m: A.MapExpr): void {
    const st = this.mapState(m.name);
    st.probes.add(this.probeCtx.index);
    m.ty = st.value ?? NONE;
    if (this.iteration > 0 && !st.defined) this.error(`Undefined map: @${m.name}`, m.span);
  }

  /** Checks (and records) how a map is keyed: `key` undefined means a scalar use. */
  mapKeyUse(m: A.MapExpr, key: A.Expr | undefined): void {
    const st = this.mapState(m.name);
    if (!key) {
      if (st.scalar === false) {
        this.error(`@${m.name} used as a map without an explicit key (scalar map), previously used with an explicit key (non-scalar map)`, m.span);
        return;
      }
      if (st.scalar === undefined) {
        st.scalar = true;
        this.changed = true;
      }
      return;
    }
    const kt = typeExpr(this, key);
    if (st.scalar === true) {
      this.error(`@${m.name} used as a map with an explicit key (non-scalar map), previously used without an explicit key (scalar map)`, m.span);
      return;
    }
    if (st.scalar === undefined) {
      st.scalar = false;
      this.changed = true;
    }
    if (kt.k === 'none') return;
    if (kt.k === 'agg' || kt.k === 'void') {
      this.error(`${tyToString(kt)} cannot be used as a map key`, key.span);
      return;
    }
    if (kt.k === 'pointer' && kt.ctx) {
      this.error('context cannot be used as a map key', key.span);
      return;
    }
    const stored = mapKeyTy(kt);
    m.keyTy = stored;
    if (!st.key) {
      st.key = stored;
      this.changed = true;
      m.keyTy = stored;
      return;
    }
    const j = this.keyJoin(st.key, stored, key);
    if (!j) {
      this.error(`Argument mismatch for @${m.name}: trying to access with arguments: '${tyToString(kt)}' when map expects arguments: '${tyToString(st.key)}'`, key.span);
      return;
    }
    if (!equalTy(j, st.key)) {
      st.key = j;
      this.changed = true;
    }
    m.keyTy = st.key;
  }

  private keyJoin(stored: Ty, t: Ty, e: A.Expr): Ty | undefined {
    if (isInt(stored) && isInt(t) && stored.signed !== t.signed) {
      const lit = intLiteral(e);
      if (lit && intFits(lit.value, lit.negative, stored)) return stored;
      return undefined;
    }
    return joinTy(stored, t);
  }

  /** Records that a value of type `t` is stored in a map; widens or reports a mismatch. */
  private storeMap(st: MapState, t: Ty, value: A.Expr, span: A.Span): void {
    if (t.k === 'none') return;
    if (t.k === 'void' || t.k === 'stackMode' || t.k === 'tsMode') {
      this.error(`Not a valid assignment: ${tyToString(t)}`, span);
      return;
    }
    if (t.k === 'pointer' && t.ctx) {
      this.error('context cannot be assigned to a map', span);
      return;
    }
    if (t.k === 'struct' && t.ctx) {
      this.error('Storing tracepoint args in maps is not supported', span);
      return;
    }
    if (t.k === 'agg') {
      // Copying an aggregate out of another map: only into an integer map, as its value.
      if (st.value && isInt(st.value) && isCastableAgg(t)) t = st.value;
      else {
        const hint = AGG_HINTS[t.fn];
        const src = value.kind === 'map' ? value.name : undefined;
        this.error(
          `Map value '${tyToString(t)}' cannot be assigned from one map to another. The function that returns this type must be called directly e.g. \`@${st.name} = ${hint};\`.`,
          span,
          ...(src !== undefined && isCastableAgg(t) ? [`Add a cast to integer if you want the value of the aggregate, e.g. \`@${st.name} = (int64)@${src};\`.`] : []),
        );
        return;
      }
    }
    st.defined = true;
    const stored = mapValueTy(t);
    if (!st.value) {
      st.value = stored;
      this.changed = true;
      return;
    }
    const j = this.valueJoin(st.value, stored, value);
    if (!j) {
      this.error(`Type mismatch for @${st.name}: trying to assign value of type '${tyToString(t)}' when map already contains a value of type '${tyToString(st.value)}'`, span);
      return;
    }
    if (!equalTy(j, st.value)) {
      st.value = j;
      this.changed = true;
    }
  }

  private valueJoin(stored: Ty, t: Ty, e: A.Expr): Ty | undefined {
    if (isInt(stored) && isInt(t)) {
      const lit = intLiteral(e);
      if (lit) return intFits(lit.value, lit.negative, stored) ? stored : undefined;
      if (stored.signed !== t.signed) return undefined;
    }
    return joinTy(stored, t);
  }

  readMap(m: A.MapExpr): Ty {
    const st = this.mapState(m.name);
    st.probes.add(this.probeCtx.index);
    this.mapKeyUse(m, m.key);
    if (!st.defined) {
      if (this.iteration > 0) this.error(`Undefined map: @${m.name}`, m.span);
      return NONE;
    }
    return st.value ?? NONE;
  }

  /** `@x++` / `--@x`: defines the map as an integer if it is new. */
  incMap(m: A.MapExpr): Ty {
    const st = this.mapState(m.name);
    st.probes.add(this.probeCtx.index);
    this.mapKeyUse(m, m.key);
    if (!st.value) {
      st.value = I64;
      st.defined = true;
      this.changed = true;
    }
    st.defined = true;
    if (!isInt(st.value) && st.value.k !== 'pointer') {
      this.error(`The ++ operator can not be used on expressions of type '${tyToString(st.value)}'`, m.span);
      return NONE;
    }
    return st.value;
  }

  private aggregate(s: A.AggregateStmt): void {
    const st = this.mapState(s.map.name);
    st.probes.add(this.probeCtx.index);
    this.mapKeyUse(s.map, s.map.key);
    const call = s.call;
    const args = call.args.map((a) => typeExpr(this, a));
    const arity: Readonly<Record<A.AggFn, [number, number]>> = {
      count: [0, 0], sum: [1, 1], min: [1, 1], max: [1, 1], avg: [1, 1], stats: [1, 1], hist: [1, 2], lhist: [4, 4], tseries: [3, 4],
    };
    const [min, max] = arity[s.fn];
    if (args.length < min || args.length > max) {
      const n = args.length;
      const msg =
        min === max
          ? min === 0
            ? `${s.fn}() requires no arguments (${n} provided)`
            : min === 1
              ? `${s.fn}() requires one argument (${n} provided)`
              : `${s.fn}() requires ${min} arguments (${n} provided)`
          : n < min
            ? min === 1
              ? `${s.fn}() requires at least one argument (${n} provided)`
              : `${s.fn}() requires at least ${min} arguments (${n} provided)`
            : `${s.fn}() takes up to ${max} arguments (${n} provided)`;
      this.error(msg, call.span);
      return;
    }
    if (args.length && args[0].k !== 'none' && !isIntLike(args[0]) && !isCastableAgg(args[0])) {
      this.error(`${s.fn}() only supports int arguments (${kindName(args[0])} provided)`, call.span);
      return;
    }
    const params: AggParams = { fn: s.fn };
    const lit = (i: number, what: string): number | undefined => {
      const v = constInt(call.args[i]);
      if (v === undefined) {
        this.error(`${s.fn}() expects a int literal (${kindName(args[i])} provided)`, call.span);
        return undefined;
      }
      void what;
      return Number(v);
    };
    switch (s.fn) {
      case 'hist': {
        const bits = args.length > 1 ? lit(1, 'bits') : 0;
        if (bits === undefined) return;
        if (bits < 0 || bits > 5) this.error(`hist: bits ${bits} must be 0..5`, call.span);
        params.bits = bits;
        break;
      }
      case 'lhist': {
        const lo = lit(1, 'min');
        const hi = lit(2, 'max');
        const step = lit(3, 'step');
        if (lo === undefined || hi === undefined || step === undefined) return;
        if (step <= 0) this.error(`lhist() step must be >= 1 (${step} provided)`, call.span);
        else {
          const buckets = Math.floor((hi - lo) / step);
          if (buckets > 1000) this.error(`lhist() too many buckets, must be <= 1000 (would need ${buckets})`, call.span);
        }
        if (lo > hi) this.error(`lhist() min must be less than max (provided min ${lo} and max ${hi})`, call.span);
        if (hi - lo < step) this.error(`lhist() step is too large for the given range (provided step ${step} for range ${hi - lo})`, call.span);
        Object.assign(params, { min: lo, max: hi, step });
        break;
      }
      case 'tseries': {
        const interval = lit(1, 'interval_ns');
        const n = lit(2, 'num_intervals');
        if (interval === undefined || n === undefined) return;
        if (interval <= 0) this.error(`tseries() interval_ns must be >= 1 (${interval} provided)`, call.span);
        if (n <= 0) this.error(`tseries() num_intervals must be >= 1 (${n} provided)`, call.span);
        else if (n > 1000000) this.error(`tseries() num_intervals must be < 1000000 (${n} provided)`, call.span);
        params.intervalNs = interval;
        params.numIntervals = n;
        if (args.length === 4) {
          const a = call.args[3];
          if (a.kind !== 'str') this.error(`tseries() expects a string literal (${kindName(args[3])} provided)`, call.span);
          else if (!['avg', 'max', 'min', 'sum'].includes(a.value)) {
            this.error(`tseries() expects one of the following aggregation functions: avg, max, min, sum ("${a.value}" provided)`, call.span);
          } else params.tseriesAgg = a.value;
        }
        if (this.ctx.config.unstableTseries === 'error') this.error("tseries() is an unstable feature and 'unstable_tseries' is set to 'error'", call.span);
        else if (!this.ctx.configSet.has('unstableTseries')) this.warn("tseries() is an unstable feature. Set the 'unstable_tseries' config variable to 'enable' to silence this warning.", call.span);
        break;
      }
      default:
        break;
    }
    const signed = s.fn === 'count' ? true : s.fn === 'avg' || s.fn === 'stats' ? true : isSigned(args[0] ?? I64);
    const t = agg(s.fn, signed);
    call.ty = t;
    if (st.agg && (st.agg.bits !== params.bits || st.agg.min !== params.min || st.agg.max !== params.max || st.agg.step !== params.step)) {
      if (st.value?.k === 'agg' && st.value.fn === s.fn) {
        this.error(`@${st.name} is updated with different ${s.fn}() parameters in different places`, call.span);
      }
    }
    this.storeAgg(st, t, s.span);
    if (!st.agg || st.value?.k === 'agg') st.agg = st.agg ?? params;
    s.map.ty = st.value ?? NONE;
  }

  private storeAgg(st: MapState, t: Ty, span: A.Span): void {
    st.defined = true;
    if (!st.value) {
      st.value = t;
      this.changed = true;
      return;
    }
    if (st.value.k !== 'agg' || st.value.fn !== (t as Extract<Ty, { k: 'agg' }>).fn || st.value.signed !== (t as Extract<Ty, { k: 'agg' }>).signed) {
      this.error(`Type mismatch for @${st.name}: trying to assign value of type '${tyToString(t)}' when map already contains a value of type '${tyToString(st.value)}'`, span);
    }
  }

  private checkMapDecls(): void {
    for (const item of this.ctx.program.items) {
      if (item.kind !== 'mapDecl') continue;
      const kinds = ['hash', 'lruhash', 'percpuhash', 'percpulruhash', 'array', 'percpuarray'];
      const mode = this.ctx.config.unstableMapDecl;
      if (mode === 'error') this.error("Map declarations are an unstable feature and 'unstable_map_decl' is set to 'error'", item.span);
      else if (!this.ctx.configSet.has('unstableMapDecl')) this.warn("Map declarations are an unstable feature. Set the 'unstable_map_decl' config variable to 'enable' to silence this warning.", item.span);
      if (!kinds.includes(item.mapKind)) {
        this.error(`Invalid bpf map type: ${item.mapKind}`, item.span, `Valid map types: ${kinds.join(', ')}`);
        continue;
      }
      const n = item.args.length === 1 ? constInt(item.args[0]) : undefined;
      if (n === undefined || n < 1n) {
        this.error(`Map declaration for @${item.name} needs one argument: the maximum number of entries`, item.span);
        continue;
      }
      if (n !== 1n && (item.mapKind === 'percpuarray' || item.mapKind === 'array')) this.error(`Max entries can only be 1 for map type ${item.mapKind}`, item.span);
      const st = this.maps.get(item.name);
      if (!st?.defined) {
        this.warn(`Unused map: @${item.name}`, item.span);
        continue;
      }
      const needsPercpu = st.value?.k === 'agg';
      const isPercpu = item.mapKind.startsWith('percpu');
      if (needsPercpu !== isPercpu) {
        const actual = needsPercpu ? 'percpuhash' : 'hash';
        this.error(`Incompatible map types. Type from declaration: ${item.mapKind}. Type from value/key type: ${actual}`, item.span);
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Builtins.

  /** The address space pointers default to in the current probe (bpftrace's find_addrspace). */
  defaultAs(): AddrSpace {
    const ps = this.probeCtx?.providers;
    if (!ps || ps.size !== 1) return 'none';
    const [p] = ps;
    switch (p) {
      case 'kprobe':
      case 'kretprobe':
      case 'fentry':
      case 'fexit':
      case 'tracepoint':
      case 'rawtracepoint':
        return 'kernel';
      case 'uprobe':
      case 'uretprobe':
        return 'user';
      default:
        return 'none';
    }
  }

  private single(): Provider | undefined {
    const ps = this.probeCtx.providers;
    return ps.size === 1 ? [...ps][0] : undefined;
  }

  tracepointRecordName(tp: Tracepoint): string {
    return `struct _tracepoint_${tp.category}_${tp.name}`;
  }

  tracepointOf(recordName: string): Tracepoint | undefined {
    return this.tpRecords.get(recordName);
  }

  private notInLoopCallback(b: A.Builtin): void {
    if (this.callbackDepth > 0) this.error(`'${b.name}' builtin is not allowed in a for-loop`, b.span);
  }

  builtin(b: A.Builtin): Ty {
    const name = b.name;
    const providers = [...this.probeCtx.providers];
    const kindNames = this.probeCtx.concretes.map((c) => c.kind);
    switch (name) {
      case 'pid':
      case 'tid':
      case 'cpu':
      case 'numaid':
      case 'rand':
        return U32;
      case 'uid':
      case 'gid':
      case 'nsecs':
      case 'elapsed':
      case 'ncpus':
      case 'cgroup':
      case 'jiffies':
        return U64;
      case 'usermode':
        return U8;
      case 'has_cpid':
        return BOOL;
      case 'cpid':
        if (!this.ctx.options.hasChild) this.error('cpid cannot be used without child command', b.span);
        return U32;
      case 'comm':
        return str(16);
      case 'username':
        return { k: 'username' };
      case 'curtask': {
        const def = this.ctx.env.findRecord('struct task_struct');
        return ptr(def ? this.ctx.env.recordTy(def, 'kernel') : { k: 'struct', name: 'struct task_struct', size: 0 }, 'kernel');
      }
      case 'probe':
        return str(Math.max(...this.probeCtx.concretes.map((c) => c.name.length)) + 1);
      case 'probetype':
        return str(Math.max(...this.probeCtx.concretes.map((c) => (c.progType === 'special' ? 'special' : c.provider).length)) + 1);
      case 'kstack':
      case 'ustack':
        return { k: 'stack', kernel: name === 'kstack', mode: this.ctx.config.stackMode, limit: 127 };
      case 'func': {
        this.notInLoopCallback(b);
        const bad = providers.filter((p) => !['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'fentry', 'fexit'].includes(p));
        if (bad.length) {
          this.error(`The func builtin can not be used with '${kindNames[providers.indexOf(bad[0])] ?? bad[0]}' probes`, b.span);
          return NONE;
        }
        return providers.every((p) => p === 'uprobe' || p === 'uretprobe') ? { k: 'usym' } : { k: 'ksym' };
      }
      case 'retval': {
        this.notInLoopCallback(b);
        const p = this.single();
        if (p === 'kretprobe' || p === 'uretprobe') return U64;
        if (p === 'fexit') {
          const f = this.probeCtx.concretes[0].kernelFunc;
          return f ? this.ctx.env.fromC(f.ret, 'kernel') : U64;
        }
        this.error(
          `The retval builtin can only be used with 'kretprobe' and 'uretprobe' and 'fentry' probes${p === 'tracepoint' ? ' (try to use args.ret instead)' : ''}`,
          b.span,
        );
        return NONE;
      }
      case 'ctx': {
        this.notInLoopCallback(b);
        const progTypes = new Set(this.probeCtx.concretes.map((c) => c.progType));
        if (progTypes.size > 1) {
          const [a, c] = [...progTypes];
          this.error(`ctx cannot be used in different BPF program types: ${a} and ${c}`, b.span);
          return NONE;
        }
        const pt = [...progTypes][0];
        if (pt === 'tracepoint') {
          this.error('Use args instead of ctx in tracepoint', b.span);
          return NONE;
        }
        const recName = pt === 'perf_event' ? 'struct bpf_perf_event_data' : 'struct pt_regs';
        if (pt === 'special') {
          this.error('invalid program type', b.span);
          return NONE;
        }
        const def = this.ctx.env.findRecord(recName);
        const t: Ty = def ? this.ctx.env.recordTy(def, 'kernel') : { k: 'struct', name: recName, size: 0, as: 'kernel' };
        return { k: 'pointer', to: t, as: 'kernel', ctx: true };
      }
      case 'args':
        this.notInLoopCallback(b);
        return this.argsType(b);
      default:
        break;
    }
    const m = /^arg(\d+)$/.exec(name);
    if (m) {
      this.notInLoopCallback(b);
      for (const c of this.probeCtx.concretes) {
        if (c.provider !== 'kprobe' && c.provider !== 'uprobe' && c.provider !== 'rawtracepoint') {
          this.error(`The ${name} builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes`, b.span);
          return NONE;
        }
      }
      if (Number(m[1]) >= 6) {
        this.error(`x86_64 doesn't support ${name}`, b.span);
        return NONE;
      }
      return U64;
    }
    this.error(`Unknown builtin variable: '${name}'`, b.span);
    return NONE;
  }

  private argsType(b: A.Builtin): Ty {
    const p = this.single();
    if (!p) {
      this.error('The args builtin can only be used within the context of a single probe type, e.g. "probe1 {args}" is valid while "probe1,probe2 {args}" is not.', b.span);
      return NONE;
    }
    const first = this.probeCtx.concretes[0];
    if (p === 'tracepoint' && first.tracepoint) {
      const name = this.tracepointRecordName(first.tracepoint);
      for (const c of this.probeCtx.concretes) if (c.tracepoint) this.tpRecords.set(this.tracepointRecordName(c.tracepoint), c.tracepoint);
      return { k: 'struct', name, size: first.tracepoint.size, as: first.tracepoint.category === 'syscalls' ? 'user' : 'kernel', ctx: true };
    }
    if (p === 'fentry' || p === 'fexit' || p === 'uprobe') {
      const fields = p === 'uprobe' ? first.symbol?.args : first.kernelFunc?.args;
      if (!fields || fields.length === 0) {
        this.error('Cannot read function parameters', b.span);
        return NONE;
      }
      const tag = p === 'uprobe' ? `_uprobe_args_${first.func}` : `_fentry_args_${first.func}`;
      if (!this.ctx.env.findRecord(`struct ${tag}`)) {
        this.ctx.env.addRecord({ kind: 'struct', name: tag, size: fields.length * 8, fields: fields.map((f, i) => ({ name: f.name, type: f.type, offset: i * 8 })) });
      }
      return { k: 'struct', name: `struct ${tag}`, size: fields.length * 8, as: p === 'uprobe' ? 'user' : 'kernel', ctx: true };
    }
    this.error(`The args builtin can only be used with tracepoint/fentry/uprobe probes (${first.kind} used here)`, b.span);
    return NONE;
  }

  namedParam(name: string, ty: Ty, def: string | bigint | boolean | undefined, description: string | undefined, span: A.Span): void {
    const prev = this.namedParams.get(name);
    if (prev && !equalTy(prev.ty, ty) && !(prev.ty.k === 'string' && ty.k === 'string')) {
      this.error(`getopt() parameter '${name}' is used with different types: ${tyToString(prev.ty)} and ${tyToString(ty)}`, span);
      return;
    }
    this.namedParams.set(name, { ty, default: def, description });
  }
}

const AGG_HINTS: Readonly<Record<A.AggFn, string>> = {
  count: 'count()',
  sum: 'sum(retval)',
  min: 'min(retval)',
  max: 'max(retval)',
  avg: 'avg(retval)',
  stats: 'stats(arg2)',
  hist: 'hist(retval)',
  lhist: 'lhist(rand %10, 0, 10, 1)',
  tseries: 'tseries(rand %10, 10s, 1)',
};

/** An integer literal (possibly negated): magnitude and sign. */
function intLiteral(e: A.Expr): { value: bigint; negative: boolean } | undefined {
  if (e.kind === 'int' && !e.enumName) return { value: e.value, negative: !!e.negative && e.value !== 0n };
  if (e.kind === 'unop' && e.op === '-' && e.expr.kind === 'int') return { value: e.expr.value, negative: e.expr.value !== 0n };
  return undefined;
}

function literalValue(e: A.Expr): string | undefined {
  const l = intLiteral(e);
  return l ? (l.negative ? '-' : '') + l.value.toString() : undefined;
}

