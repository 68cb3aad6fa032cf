// Map typing for the checker: how each map is keyed (scalar or with keys of one joined
// type), the joined type of its values, its aggregation and parameters, and the checks
// of map declarations (`let @m = lruhash(N)`). Reads, stores, ++, aggregations and the
// map functions (print, clear, delete, has_key, len) all go through here.
import type * as A from '../../ast';
import { constInt, intLiteral } from '../../consteval';
import type { AggParams } from '../../resources';
import { type Ty, I64, NONE, agg, equalTy, intFits, isCastableAgg, isInt, isIntLike, isSigned, joinTy, kindName, mapKeyTy, mapValueTy, tyToString } from '../../types';
import type { Checker } from './checker';
import { typeExpr } from './exprs';

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
  /** Seeded from options.knownMaps (a map of a running script): a resource only when this script uses it. */
  known?: boolean;
  /** The joins of the key and value types before integers are widened for storage. */
  rawKey?: Ty;
  rawValue?: Ty;
}

export class MapChecker {
  /** Persists across the checker's walks. */
  readonly states = new Map<string, MapState>();

  constructor(private readonly c: Checker) {}

  /** Starts from the maps that already exist (options.knownMaps). */
  seedKnown(): void {
    for (const m of this.c.ctx.options.knownMaps ?? []) {
      this.states.set(m.name, { name: m.name, key: m.key, value: m.value, scalar: !m.key, agg: m.agg, defined: true, probes: new Set(), known: true });
    }
  }

  state(name: string): MapState {
    let st = this.states.get(name);
    if (!st) {
      st = { name, defined: false, probes: new Set() };
      this.states.set(name, st);
    }
    return st;
  }

  exists(name: string): boolean {
    return !!this.states.get(name)?.defined;
  }

  isScalar(name: string): boolean {
    return this.states.get(name)?.scalar === true;
  }

  isKeyed(name: string): boolean {
    return this.states.get(name)?.scalar === false;
  }

  value(name: string): Ty | undefined {
    return this.states.get(name)?.value;
  }

  /** A map used as an object (print, clear, zero, len, delete, has_key). */
  object(m: A.MapExpr): void {
    const st = this.state(m.name);
    st.probes.add(this.c.probeCtx.index);
    m.ty = st.value ?? NONE;
    if (this.c.iteration > 0 && !st.defined) this.c.error(`Undefined map: @${m.name}`, m.span);
  }

  /** Checks (and records) how a map is keyed: `key` undefined means a scalar use. */
  keyUse(m: A.MapExpr, key: A.Expr | undefined): void {
    const st = this.state(m.name);
    if (!key) {
      if (st.scalar === false) {
        this.c.error(`@${m.name} used as a map without an explicit key (scalar map), previously used with an explicit key (non-scalar map)`, m.span);
        return;
      }
      if (st.scalar === undefined) {
        st.scalar = true;
        this.c.changed = true;
      }
      return;
    }
    const kt = typeExpr(this.c, key);
    if (st.scalar === true) {
      this.c.error(`@${m.name} used as a map with an explicit key (non-scalar map), previously used without an explicit key (scalar map)`, m.span);
      return;
    }
    if (st.scalar === undefined) {
      st.scalar = false;
      this.c.changed = true;
    }
    if (kt.k === 'none') return;
    if (kt.k === 'agg' || kt.k === 'void') {
      this.c.error(`${tyToString(kt)} cannot be used as a map key`, key.span);
      return;
    }
    if (kt.k === 'pointer' && kt.ctx) {
      this.c.error('context cannot be used as a map key', key.span);
      return;
    }
    // Keys join like variables (1 and -1 make an int16), then are stored 64 bits wide.
    const raw = st.rawKey ?? st.key;
    const j = raw ? joinTy(raw, kt) : kt;
    if (!j) {
      this.c.error(`Argument mismatch for @${m.name}: trying to access with arguments: '${tyToString(kt)}' when map expects arguments: '${tyToString(st.key ?? raw ?? kt)}'`, key.span);
      return;
    }
    st.rawKey = j;
    const stored = mapKeyTy(j);
    if (!st.key || !equalTy(stored, st.key)) {
      st.key = stored;
      this.c.changed = true;
    }
    m.keyTy = st.key;
  }

  /** Records that a value of type `t` is stored in a map; widens or reports a mismatch. */
  store(st: MapState, t: Ty, value: A.Expr, span: A.Span): void {
    if (t.k === 'none') return;
    if (t.k === 'void' || t.k === 'stackMode' || t.k === 'tsMode') {
      this.c.error(`Not a valid assignment: ${tyToString(t)}`, span);
      return;
    }
    if (t.k === 'pointer' && t.ctx) {
      this.c.error('context cannot be assigned to a map', span);
      return;
    }
    if (t.k === 'struct' && t.ctx) {
      this.c.error('Storing tracepoint args in maps is not supported', span);
      return;
    }
    if (t.k === 'agg') {
      // Copying an aggregate out of another map: only into an integer map, as its value.
      if (st.value && isInt(st.value) && isCastableAgg(t)) t = st.value;
      else {
        const hint = AGG_HINTS[t.fn];
        const src = value.kind === 'map' ? value.name : undefined;
        this.c.error(
          `Map value '${tyToString(t)}' cannot be assigned from one map to another. The function that returns this type must be called directly e.g. \`@${st.name} = ${hint};\`.`,
          span,
          ...(src !== undefined && isCastableAgg(t) ? [`Add a cast to integer if you want the value of the aggregate, e.g. \`@${st.name} = (int64)@${src};\`.`] : []),
        );
        return;
      }
    }
    st.defined = true;
    // Values join like variables (1 and -1 make an int16), then are stored 64 bits wide.
    const raw = st.rawValue ?? st.value;
    const j = raw ? this.valueJoin(raw, t, value) : t;
    if (!j) {
      this.c.error(`Type mismatch for @${st.name}: trying to assign value of type '${tyToString(t)}' when map already contains a value of type '${tyToString(st.value ?? raw ?? t)}'`, span);
      return;
    }
    st.rawValue = j;
    const stored = mapValueTy(j);
    if (!st.value || !equalTy(stored, st.value)) {
      st.value = stored;
      this.c.changed = true;
    }
  }

  private valueJoin(stored: Ty, t: Ty, e: A.Expr): Ty | undefined {
    if (isInt(stored) && isInt(t)) {
      // A literal that fits the stored width leaves it alone.
      const lit = intLiteral(e);
      if (lit && intFits(lit.value, lit.negative, stored)) return stored;
    }
    return joinTy(stored, t);
  }

  read(m: A.MapExpr): Ty {
    const st = this.state(m.name);
    st.probes.add(this.c.probeCtx.index);
    this.keyUse(m, m.key);
    if (!st.defined) {
      if (this.c.iteration > 0) this.c.error(`Undefined map: @${m.name}`, m.span);
      return NONE;
    }
    return st.value ?? NONE;
  }

  /** `@x++` / `--@x`: defines the map as an integer if it is new. */
  inc(m: A.MapExpr): Ty {
    const st = this.state(m.name);
    st.probes.add(this.c.probeCtx.index);
    this.keyUse(m, m.key);
    if (!st.value) {
      st.value = I64;
      st.rawValue = I64;
      st.defined = true;
      this.c.changed = true;
    }
    st.defined = true;
    if (!isInt(st.value) && st.value.k !== 'pointer') {
      this.c.error(`The ++ operator can not be used on expressions of type '${tyToString(st.value)}'`, m.span);
      return NONE;
    }
    return st.value;
  }

  aggregate(s: A.AggregateStmt): void {
    const st = this.state(s.map.name);
    st.probes.add(this.c.probeCtx.index);
    this.keyUse(s.map, s.map.key);
    const call = s.call;
    const args = call.args.map((a) => typeExpr(this.c, a));
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
      this.c.error(msg, call.span);
      return;
    }
    if (args.length && args[0].k !== 'none' && !isIntLike(args[0]) && !isCastableAgg(args[0])) {
      this.c.error(`${s.fn}() only supports int arguments (${kindName(args[0])} provided)`, call.span);
      return;
    }
    const params: AggParams = { fn: s.fn };
    const lit = (i: number, what: string): number | undefined => {
      const v = constInt(call.args[i]);
      if (v === undefined) {
        this.c.error(`${s.fn}() expects a int literal (${kindName(args[i])} provided)`, call.span);
        return undefined;
      }
      void what;
      return Number(v);
    };
    switch (s.fn) {
      case 'hist': {
        const bits = args.length > 1 ? lit(1, 'bits') : 0;
        if (bits === undefined) return;
        if (bits < 0 || bits > 5) this.c.error(`hist: bits ${bits} must be 0..5`, call.span);
        params.bits = bits;
        break;
      }
      case 'lhist': {
        const lo = lit(1, 'min');
        const hi = lit(2, 'max');
        const step = lit(3, 'step');
        if (lo === undefined || hi === undefined || step === undefined) return;
        if (step <= 0) this.c.error(`lhist() step must be >= 1 (${step} provided)`, call.span);
        else {
          const buckets = Math.floor((hi - lo) / step);
          if (buckets > 1000) this.c.error(`lhist() too many buckets, must be <= 1000 (would need ${buckets})`, call.span);
        }
        if (lo > hi) this.c.error(`lhist() min must be less than max (provided min ${lo} and max ${hi})`, call.span);
        if (hi - lo < step) this.c.error(`lhist() step is too large for the given range (provided step ${step} for range ${hi - lo})`, call.span);
        Object.assign(params, { min: lo, max: hi, step });
        break;
      }
      case 'tseries': {
        const interval = lit(1, 'interval_ns');
        const n = lit(2, 'num_intervals');
        if (interval === undefined || n === undefined) return;
        if (interval <= 0) this.c.error(`tseries() interval_ns must be >= 1 (${interval} provided)`, call.span);
        if (n <= 0) this.c.error(`tseries() num_intervals must be >= 1 (${n} provided)`, call.span);
        else if (n > 1000000) this.c.error(`tseries() num_intervals must be < 1000000 (${n} provided)`, call.span);
        params.intervalNs = interval;
        params.numIntervals = n;
        if (args.length === 4) {
          const a = call.args[3];
          if (a.kind !== 'str') this.c.error(`tseries() expects a string literal (${kindName(args[3])} provided)`, call.span);
          else if (!['avg', 'max', 'min', 'sum'].includes(a.value)) {
            this.c.error(`tseries() expects one of the following aggregation functions: avg, max, min, sum ("${a.value}" provided)`, call.span);
          } else params.tseriesAgg = a.value;
        }
        if (this.c.ctx.config.unstableTseries === 'error') this.c.error("tseries() is an unstable feature and 'unstable_tseries' is set to 'error'", call.span);
        else if (!this.c.ctx.configSet.has('unstableTseries')) this.c.warn("tseries() is an unstable feature. Set the 'unstable_tseries' config variable to 'enable' to silence this warning.", call.span);
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
        this.c.error(`@${st.name} is updated with different ${s.fn}() parameters in different places`, call.span);
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
      this.c.changed = true;
      return;
    }
    const a = t as Extract<Ty, { k: 'agg' }>;
    if (st.value.k !== 'agg' || st.value.fn !== a.fn) {
      this.c.error(`Type mismatch for @${st.name}: trying to assign value of type '${tyToString(t)}' when map already contains a value of type '${tyToString(st.value)}'`, span);
      return;
    }
    // Updates of different signedness make the aggregation signed (bpftrace 0.26: `@ =
    // sum(5); @ = sum(-12)` is a sum_t); hist and lhist buckets do not depend on it.
    if (st.value.signed !== a.signed && !st.value.signed) {
      st.value = { ...st.value, signed: true };
      this.c.changed = true;
    }
  }

  checkDecls(): void {
    for (const item of this.c.ctx.program.items) {
      if (item.kind !== 'mapDecl') continue;
      const kinds = ['hash', 'lruhash', 'percpuhash', 'percpulruhash', 'array', 'percpuarray'];
      const mode = this.c.ctx.config.unstableMapDecl;
      if (mode === 'error') this.c.error("Map declarations are an unstable feature and 'unstable_map_decl' is set to 'error'", item.span);
      else if (!this.c.ctx.configSet.has('unstableMapDecl')) this.c.warn("Map declarations are an unstable feature. Set the 'unstable_map_decl' config variable to 'enable' to silence this warning.", item.span);
      if (!kinds.includes(item.mapKind)) {
        this.c.error(`Invalid bpf map type: ${item.mapKind}`, item.span, `Valid map types: ${kinds.join(', ')}`);
        continue;
      }
      const n = item.args.length === 1 ? constInt(item.args[0]) : undefined;
      if (n === undefined || n < 1n) {
        this.c.error(`Map declaration for @${item.name} needs one argument: the maximum number of entries`, item.span);
        continue;
      }
      if (n !== 1n && (item.mapKind === 'percpuarray' || item.mapKind === 'array')) this.c.error(`Max entries can only be 1 for map type ${item.mapKind}`, item.span);
      const st = this.states.get(item.name);
      if (!st?.defined) {
        this.c.warn(`Unused map: @${item.name}`, item.span);
        continue;
      }
      const needsPercpu = st.value?.k === 'agg';
      const isPercpu = item.mapKind.startsWith('percpu');
      if (needsPercpu !== isPercpu) {
        const actual = needsPercpu ? 'percpuhash' : 'hash';
        this.c.error(`Incompatible map types. Type from declaration: ${item.mapKind}. Type from value/key type: ${actual}`, item.span);
      }
    }
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
