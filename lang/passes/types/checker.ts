// The type checker's state and statement walk. Like bpftrace's semantic analyser it walks
// the whole program several times: maps may be assigned in a later probe than they are
// read, and variables and maps widen as more assignments are seen, so types are joined
// until nothing changes; a final walk then reports diagnostics and leaves every
// expression, variable binding and map with its settled type.
import type * as A from '../../ast';
import type { Tracepoint } from '../../catalogue';
import { constInt, intLiteral, literalText } from '../../consteval';
import type { Ctx } from '../../context';
import type { ConcreteProbe, Provider } from '../../probes';
import { type AddrSpace, type Ty, I64, NONE, VOID, equalTy, intFits, isCastableAgg, isInt, isIntLike, joinTy, kindName, tyToString } from '../../types';
import { concreteProbes } from '../attach-points';
import { builtinType } from './builtin-vars';
import { binopTypes, resolveType, typeExpr } from './exprs';
import { MapChecker } from './maps';

const MAX_ITERATIONS = 12;

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
  /** Number of the current walk (0 for the first). */
  iteration = 0;
  readonly maps = new MapChecker(this);
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
  callbackDepth = 0;
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
    this.maps.seedKnown();
    const probes = this.ctx.program.items.filter((i): i is A.Probe => i.kind === 'probe');
    for (this.iteration = 0; this.iteration < MAX_ITERATIONS; this.iteration++) {
      this.changed = false;
      for (const p of probes) this.checkProbe(p);
      if (!this.changed && this.iteration > 0) break;
    }
    this.final = true;
    for (const p of probes) this.checkProbe(p);
    this.maps.checkDecls();
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
        this.maps.aggregate(s);
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
        const lit = literalText(value);
        if (lit && isInt(b.ty)) this.error(`Type mismatch for $${b.name}: trying to assign value '${lit}' which does not fit into the variable of type '${tyToString(b.ty)}'`, span);
        else this.error(`Type mismatch for $${b.name}: trying to assign value of type '${tyToString(t)}' when variable already has a type '${tyToString(b.ty)}'`, span);
      }
      b.assigned = true;
      return;
    }
    const j = b.ty.k === 'none' ? t : this.joinStored(b.ty, t, value);
    if (!j) {
      const lit = literalText(value);
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

  /** find()'s result variable receives the map's value (it must be declared before). */
  storeFound(v: A.Var, t: Ty, span: A.Span): void {
    const b = this.findVar(v.name);
    if (!b) {
      this.error(`Undefined or undeclared variable: $${v.name}`, v.span);
      return;
    }
    v.binding = b;
    this.storeVar(b, t, v, span);
    v.ty = b.ty;
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
    const st = this.maps.state(t.name);
    st.probes.add(this.probeCtx.index);
    this.maps.keyUse(t, t.key);
    let valueTy = typeExpr(this, s.value);
    if (s.op !== '=') {
      // `@x += n` on a map with no value yet counts from zero in n's type.
      const cur = st.value ?? valueTy;
      valueTy = this.compound(s, isCastableAgg(cur) ? I64 : cur, valueTy);
    }
    this.maps.store(st, valueTy, s.value, s.span);
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
      const st = this.maps.states.get(m.name);
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
  // Probe context.

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

  tracepointRecordName(tp: Tracepoint): string {
    return `struct _tracepoint_${tp.category}_${tp.name}`;
  }

  tracepointOf(recordName: string): Tracepoint | undefined {
    return this.tpRecords.get(recordName);
  }

  registerTracepoint(tp: Tracepoint): void {
    this.tpRecords.set(this.tracepointRecordName(tp), tp);
  }

  builtin(b: A.Builtin): Ty {
    return builtinType(this, b);
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
