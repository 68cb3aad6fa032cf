// A tiny reference driver for the output tests: it runs `BEGIN { ... }` programs whose
// statements only use literals (map assignments of literals and aggregations, print,
// printf, zero, clear, delete, exit) and produces what bpftrace prints, through the
// value model and formatters under test. It stands in for the session so test data can
// be real bpftrace programs with the output a real bpftrace printed for them. It is not
// the compiler: anything outside this small subset is rejected with an error.
import { unescapeString } from '../../../../runtime/output/escapes';
import { histBucketCount, histBucketIndex, lhistBucketCount, lhistBucketIndex } from '../../../../runtime/output/hist';
import { JsonOutput } from '../../../../runtime/output/json-output';
import { printMapsAtExit } from '../../../../runtime/output/exit-dump';
import { mapToValue, type MapSnapshot, type StatsValue } from '../../../../runtime/output/map-snapshot';
import { StringSink, type Output } from '../../../../runtime/output/output';
import { formatPrintf } from '../../../../runtime/output/printf/apply';
import { TextOutput } from '../../../../runtime/output/text-output';
import { bool, int, primitiveValue, str, tuple, type Primitive } from '../../../../runtime/output/value';

type Token = { t: 'str'; v: string } | { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'map'; v: string } | { t: 'p'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      const r = unescapeString(src.slice(i + 1, j));
      if (!r.ok) throw new Error(r.error);
      out.push({ t: 'str', v: r.value });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(src.slice(i));
      if (!m) throw new Error(`bad number at ${i}`);
      out.push({ t: 'num', v: BigInt(m[0]) });
      i += m[0].length;
    } else if (c === '@') {
      const m = /^@[A-Za-z0-9_]*/.exec(src.slice(i));
      out.push({ t: 'map', v: m ? m[0] : '@' });
      i += m ? m[0].length : 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      out.push({ t: 'id', v: m ? m[0] : c });
      i += m ? m[0].length : 1;
    } else if (src.startsWith('++', i)) {
      out.push({ t: 'p', v: '++' });
      i += 2;
    } else if ('(){}[],;=-'.includes(c)) {
      out.push({ t: 'p', v: c });
      i++;
    } else throw new Error(`unexpected character '${c}'`);
  }
  return out;
}

type Expr = { kind: 'lit'; value: Primitive } | { kind: 'call'; name: string; args: Expr[] } | { kind: 'map'; name: string; keys: Expr[] };

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}
  peek(): Token | undefined {
    return this.toks[this.i];
  }
  next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end of program');
    return t;
  }
  expect(v: string): void {
    const t = this.next();
    if (t.t !== 'p' || t.v !== v) throw new Error(`expected '${v}'`);
  }
  isP(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'p' && t.v === v;
  }
  list(close: string): Expr[] {
    const out: Expr[] = [];
    if (this.isP(close)) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.expr());
      if (this.isP(',')) this.next();
      else break;
    }
    this.expect(close);
    return out;
  }
  expr(): Expr {
    const t = this.next();
    if (t.t === 'num') return { kind: 'lit', value: int(t.v) };
    if (t.t === 'str') return { kind: 'lit', value: str(t.v) };
    if (t.t === 'p' && t.v === '-') {
      const n = this.next();
      if (n.t !== 'num') throw new Error('only numbers can be negated');
      return { kind: 'lit', value: int(-n.v) };
    }
    if (t.t === 'p' && t.v === '(') {
      const elems = this.list(')');
      if (elems.length === 1) return elems[0];
      return { kind: 'call', name: '__tuple', args: elems };
    }
    if (t.t === 'map') return { kind: 'map', name: t.v, keys: this.isP('[') ? (this.next(), this.list(']')) : [] };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { kind: 'lit', value: bool(t.v === 'true') };
      this.expect('(');
      return { kind: 'call', name: t.v, args: this.list(')') };
    }
    throw new Error(`unexpected token ${JSON.stringify(t)}`);
  }
}

interface MapState {
  agg: MapSnapshot['agg'];
  scalar: boolean;
  k: number;
  lin?: { min: bigint; max: bigint; step: bigint };
  entries: Map<string, { key: Primitive; value: unknown }>;
}

function keyOf(keys: Primitive[]): Primitive {
  return keys.length === 1 ? keys[0] : tuple(...keys);
}

function literal(e: Expr): Primitive {
  if (e.kind === 'lit') return e.value;
  if (e.kind === 'call' && e.name === '__tuple') return tuple(...e.args.map(literal));
  throw new Error('expected a literal');
}

function num(e: Expr): bigint {
  const p = literal(e);
  if (p.kind !== 'int') throw new Error('expected an integer');
  return p.value;
}

/** What a run printed, per stream. */
export interface RunResult {
  stdout: string;
  stderr: string;
  /** Aggregation kind of each map, for tests that need to know (e.g. avg vs int). */
  mapKinds: Map<string, MapSnapshot['agg']>;
}

/** Runs a literal-only BEGIN program and returns what bpftrace 0.26 would print. */
export function runProgram(src: string, mode: 'text' | 'json' = 'text'): RunResult {
  const body = /^\s*BEGIN\s*\{([\s\S]*)\}\s*$/.exec(src);
  if (!body) throw new Error('only `BEGIN { ... }` programs are supported');
  const p = new Parser(tokenize(body[1]));
  const sink = new StringSink();
  const out: Output = mode === 'json' ? new JsonOutput(sink) : new TextOutput(sink);
  const maps = new Map<string, MapState>();
  out.attachedProbes(1);

  const snapshot = (name: string): MapSnapshot => {
    const m = maps.get(name);
    if (!m) throw new Error(`unknown map ${name}`);
    const base = { name, scalar: m.scalar };
    const entries = [...m.entries.values()];
    switch (m.agg) {
      case 'count':
        return { ...base, agg: 'count', entries: entries as { key: Primitive; value: bigint }[] };
      case 'sum':
      case 'min':
      case 'max':
        return { ...base, agg: m.agg, signed: true, entries: entries as { key: Primitive; value: bigint }[] };
      case 'avg':
      case 'stats':
        return { ...base, agg: m.agg, signed: true, entries: entries as { key: Primitive; value: StatsValue }[] };
      case 'hist':
        return { ...base, agg: 'hist', k: m.k, entries: entries as { key: Primitive; value: bigint[] }[] };
      case 'lhist': {
        const lin = m.lin ?? { min: 0n, max: 0n, step: 1n };
        return { ...base, agg: 'lhist', ...lin, entries: entries as { key: Primitive; value: bigint[] }[] };
      }
      case 'int':
        return { ...base, agg: 'int', signed: true, size: 8, entries: entries as { key: Primitive; value: bigint }[] };
      case 'value':
        return { ...base, agg: 'value', entries: entries as { key: Primitive; value: Primitive }[] };
      default: {
        const never: never = m.agg;
        throw new Error(`unknown aggregation ${String(never)}`);
      }
    }
  };

  const state = (name: string, keys: Expr[], agg: MapState['agg']): MapState => {
    let m = maps.get(name);
    if (!m) {
      m = { agg, scalar: keys.length === 0, k: 0, entries: new Map() };
      maps.set(name, m);
    }
    if (m.agg !== agg) throw new Error(`map ${name} used with ${m.agg} and ${agg}`);
    return m;
  };

  const assign = (target: Expr & { kind: 'map' }, value: Expr): void => {
    const key = keyOf(target.keys.map(literal));
    const id = JSON.stringify(key, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    const update = <V>(m: MapState, init: V, f: (old: V) => V): void => {
      const prev = m.entries.get(id);
      m.entries.set(id, { key, value: f(prev ? (prev.value as V) : init) });
    };
    if (value.kind === 'call' && value.name !== '__tuple') {
      const a = value.args;
      switch (value.name) {
        case 'count':
          return update(state(target.name, target.keys, 'count'), 0n, (o) => o + 1n);
        case 'sum':
          return update(state(target.name, target.keys, 'sum'), 0n, (o) => o + num(a[0]));
        case 'min':
        case 'max': {
          const v = num(a[0]);
          const isMax = value.name === 'max';
          return update(state(target.name, target.keys, value.name), null as bigint | null, (o) =>
            o === null ? v : isMax ? (v > o ? v : o) : v < o ? v : o,
          );
        }
        case 'avg':
        case 'stats':
          return update(state(target.name, target.keys, value.name), { total: 0n, count: 0n } as StatsValue, (o) => ({
            total: o.total + num(a[0]),
            count: o.count + 1n,
          }));
        case 'hist': {
          const m = state(target.name, target.keys, 'hist');
          m.k = a[1] ? Number(num(a[1])) : 0;
          const buckets = new Array<bigint>(histBucketCount(m.k)).fill(0n);
          return update(m, buckets, (o) => {
            const c = [...o];
            c[histBucketIndex(num(a[0]), m.k)] += 1n;
            return c;
          });
        }
        case 'lhist': {
          const m = state(target.name, target.keys, 'lhist');
          const [min, max, step] = [num(a[1]), num(a[2]), num(a[3])];
          m.lin = { min, max, step };
          return update(m, new Array<bigint>(lhistBucketCount(min, max, step)).fill(0n), (o) => {
            const c = [...o];
            c[lhistBucketIndex(num(a[0]), min, max, step)] += 1n;
            return c;
          });
        }
        default:
          throw new Error(`unsupported function ${value.name}`);
      }
    }
    const v = literal(value);
    if (v.kind === 'int') return update(state(target.name, target.keys, 'int'), 0n, () => v.value);
    return update(state(target.name, target.keys, 'value'), v, () => v);
  };

  let exited = false;
  while (p.peek() && !exited) {
    const e = p.expr();
    if (e.kind === 'map') {
      if (p.isP('++')) {
        p.next();
        const m = state(e.name, e.keys, 'int');
        const key = keyOf(e.keys.map(literal));
        const id = JSON.stringify(key, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
        const prev = m.entries.get(id);
        m.entries.set(id, { key, value: ((prev?.value as bigint | undefined) ?? 0n) + 1n });
      } else {
        p.expect('=');
        assign(e, p.expr());
      }
    } else if (e.kind === 'call') {
      const a = e.args;
      const mapArg = (i: number): Expr & { kind: 'map' } => {
        const x = a[i];
        if (!x || x.kind !== 'map') throw new Error(`${e.name} needs a map`);
        return x;
      };
      switch (e.name) {
        case 'exit':
          exited = true;
          break;
        case 'printf':
          out.printf(formatPrintf(literal(a[0]).kind === 'string' ? (literal(a[0]) as { value: string }).value : '', a.slice(1).map(literal)));
          break;
        case 'print':
          if (a[0]?.kind === 'map' && a[0].keys.length === 0) {
            const name = mapArg(0).name;
            out.map(name, mapToValue(snapshot(name), { top: a[1] ? Number(num(a[1])) : 0, div: a[2] ? num(a[2]) : 1n }));
          } else out.value(primitiveValue(literal(a[0])));
          break;
        case 'clear':
          maps.get(mapArg(0).name)?.entries.clear();
          break;
        case 'zero': {
          const m = maps.get(mapArg(0).name);
          if (m) {
            for (const [id, ent] of m.entries) {
              const v = ent.value;
              const zeroed = Array.isArray(v) ? v.map(() => 0n) : typeof v === 'bigint' ? 0n : m.agg === 'avg' || m.agg === 'stats' ? { total: 0n, count: 0n } : v;
              m.entries.set(id, { key: ent.key, value: zeroed });
            }
          }
          break;
        }
        case 'delete': {
          const target = mapArg(0);
          const key = keyOf((target.keys.length ? target.keys : a.slice(1)).map(literal));
          const id = JSON.stringify(key, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
          maps.get(target.name)?.entries.delete(id);
          break;
        }
        default:
          throw new Error(`unsupported statement ${e.name}`);
      }
    } else throw new Error('unsupported statement');
    if (p.isP(';')) p.next();
  }

  printMapsAtExit(out, [...maps.keys()].map(snapshot));
  return { stdout: sink.stdout, stderr: sink.stderr, mapKinds: new Map([...maps].map(([n, m]) => [n, m.agg])) };
}
