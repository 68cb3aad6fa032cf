// Pass `resources`: the summary the lowering and the runtime build on (resources.ts):
// maps with their Linux types and layouts, format ids for every printf-like call, the
// builtins and functions that need user space at run time, stack traces to collect,
// and per probe its variables and the BPF stack bytes it needs, checked against the
// 512-byte limit (objects larger than on_stack_limit go to per-CPU scratch memory).
import type * as A from '../ast';
import { visitExpr, visitStmts } from '../ast-walk';
import { builtinVar } from '../builtins';
import type { Ctx, Pass, TypedMap } from '../context';
import { functionSig } from '../functions';
import type { FormatFn, FormatResource, MapDeclKind, MapResource, ProbeResource, Resources, RuntimeUse, StackResource } from '../resources';
import { type Ty, NONE, U64, isCastableAgg, tupleLayout, tySize } from '../types';
import { concreteProbes } from './attach-points';

/** Linux map type numbers (vm/maps/types.ts MapType). */
const MAP_TYPES: Readonly<Record<MapDeclKind, number>> = {
  hash: 1,
  array: 2,
  percpuhash: 5,
  percpuarray: 6,
  lruhash: 9,
  percpulruhash: 10,
};

const BPF_STACK = 512;
const FORMAT_FNS = new Set<string>(['printf', 'system', 'cat', 'errorf', 'warnf', 'debugf']);

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function mapResource(ctx: Ctx, m: TypedMap): MapResource {
  const decl = ctx.program.items.find((i): i is A.MapDeclItem => i.kind === 'mapDecl' && i.name === m.name);
  const declKind = decl && decl.mapKind in MAP_TYPES ? (decl.mapKind as MapDeclKind) : undefined;
  const declEntries = decl && decl.args[0]?.kind === 'int' ? Number(decl.args[0].value) : undefined;
  const value = m.value ?? NONE;
  const isAgg = value.k === 'agg';
  const bucketed = isAgg && (value.fn === 'hist' || value.fn === 'lhist' || value.fn === 'tseries');
  const kind: MapDeclKind = declKind ?? (isAgg ? 'percpuhash' : 'hash');
  const keySize = (m.key ? tySize(m.key) : 8) + (bucketed ? 8 : 0);
  return {
    name: m.name,
    key: m.scalar ? undefined : m.key,
    value,
    agg: m.agg,
    decl: declKind && declEntries !== undefined ? { kind: declKind, maxEntries: declEntries } : undefined,
    mapType: MAP_TYPES[kind],
    maxEntries: declEntries ?? (m.scalar && !bucketed ? 1 : ctx.config.maxMapKeys),
    keySize,
    valueSize: tySize(value),
    probes: [...m.probes].sort((a, b) => a - b),
  };
}

class Collector {
  readonly formats: FormatResource[] = [];
  readonly runtime: RuntimeUse[] = [];
  readonly stacks: StackResource[] = [];
  async = false;

  constructor(private readonly ctx: Ctx) {}

  private stack(t: Ty | undefined): void {
    if (t?.k !== 'stack') return;
    if (!this.stacks.some((s) => s.kernel === t.kernel && s.mode === t.mode && s.limit === t.limit)) this.stacks.push({ kernel: t.kernel, mode: t.mode, limit: t.limit });
  }

  private format(call: A.Call, fn: FormatFn, format: string, args: Ty[], probe: number): void {
    call.formatId = this.formats.length;
    const widened = args.map((t): Ty => (t.k === 'int' || t.k === 'bool' || t.k === 'pointer' || (t.k === 'agg' && isCastableAgg(t)) ? U64 : t));
    const layout = tupleLayout([U64, ...widened]);
    this.formats.push({ id: this.formats.length, fn, format, args, argOffsets: layout.offsets.slice(1), recordSize: layout.size, span: call.span, probe });
  }

  expr(e: A.Expr, probe: number): void {
    this.stack(e.ty);
    if (e.kind === 'builtin') {
      if (builtinVar(e.name)?.runtime) this.runtime.push({ name: e.name, span: e.span, probe });
      return;
    }
    if (e.kind !== 'call') return;
    const sig = functionSig(e.name);
    if (!sig) return;
    if (sig.mode === 'async' || e.name === 'print') this.async = true;
    if (sig.runtime) this.runtime.push({ name: e.name, span: e.span, probe });
    const argTys = (from: number): Ty[] => e.args.slice(from).map((a) => a.ty ?? NONE);
    if (FORMAT_FNS.has(e.name) && e.args[0]?.kind === 'str') this.format(e, e.name as FormatFn, e.args[0].value, argTys(1), probe);
    else if (e.name === 'time') this.format(e, 'time', e.args[0]?.kind === 'str' ? e.args[0].value : '%H:%M:%S\n', [], probe);
    else if (e.name === 'strftime' && e.args[0]?.kind === 'str') this.format(e, 'strftime', e.args[0].value, argTys(1), probe);
    else if (e.name === 'join') this.format(e, 'join', e.args[1]?.kind === 'str' ? e.args[1].value : ' ', argTys(0).slice(0, 1), probe);
    else if (e.name === 'print' && !(e.args[0]?.kind === 'map' && !e.args[0].key && isMapObject(this.ctx, e.args[0]))) {
      this.format(e, 'print', '', argTys(0).slice(0, 1), probe);
    }
  }
}

function isMapObject(ctx: Ctx, m: A.MapExpr): boolean {
  return !!ctx.typed?.maps.get(m.name)?.defined;
}

/** Bytes a value takes on the stack, or in scratch memory when over the on-stack limit. */
function placement(ctx: Ctx, size: number): { stack: number; scratch: number } {
  return size > ctx.config.onStackLimit ? { stack: 0, scratch: align8(size) } : { stack: align8(size), scratch: 0 };
}

/** The largest temporary a statement needs: map keys and values, event records. */
function statementTemp(ctx: Ctx, s: A.Stmt): { stack: number; scratch: number } {
  let stack = 0;
  let scratch = 0;
  const add = (size: number): void => {
    const p = placement(ctx, size);
    stack += p.stack;
    scratch += p.scratch;
  };
  const maps = ctx.typed?.maps;
  const mapOp = (m: A.MapExpr): void => {
    const st = maps?.get(m.name);
    add(st?.key ? tySize(st.key) : 8);
    add(st?.value ? tySize(st.value) : 8);
  };
  const exprs: A.Expr[] = [];
  if (s.kind === 'aggregate') {
    mapOp(s.map);
    exprs.push(...s.call.args);
  } else if (s.kind === 'assign' && s.target.kind === 'map') {
    mapOp(s.target);
    exprs.push(s.value);
  } else if (s.kind === 'exprStmt' || s.kind === 'assign' || s.kind === 'let' || s.kind === 'jump') {
    const e = s.kind === 'exprStmt' ? s.expr : s.kind === 'jump' ? s.value : s.value;
    if (e) exprs.push(e);
  } else if (s.kind === 'if' || s.kind === 'while') exprs.push(s.cond);
  for (const e of exprs) {
    visitExpr(e, {
      expr: (x) => {
        if (x.kind === 'map' && x.key) mapOp(x);
        if (x.kind === 'call' && (FORMAT_FNS.has(x.name) || x.name === 'print')) {
          add(8 + x.args.slice(x.name === 'print' ? 0 : 1).reduce((n, a) => n + align8(tySize(a.ty ?? NONE)), 0));
        } else if (x.kind === 'call' && (x.name === 'str' || x.name === 'buf' || x.name === 'path')) add(tySize(x.ty ?? NONE));
      },
    });
  }
  return { stack, scratch };
}

function probeResource(ctx: Ctx, p: A.Probe): ProbeResource {
  const vars = p.vars ?? [];
  let stack = 0;
  let scratch = 0;
  for (const v of vars) {
    const pl = placement(ctx, tySize(v.ty));
    stack += pl.stack;
    scratch += pl.scratch;
  }
  let temp = { stack: 0, scratch: 0 };
  visitStmts(p.body.stmts, {
    stmt: (s) => {
      const t = statementTemp(ctx, s);
      if (t.stack > temp.stack) temp = t;
    },
  });
  return { index: p.index ?? 0, concrete: concreteProbes(p), vars, stackBytes: stack + temp.stack, scratchBytes: scratch + temp.scratch };
}

export const resourcesPass: Pass = {
  name: 'resources',
  run(ctx) {
    const col = new Collector(ctx);
    const probes: ProbeResource[] = [];
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe' || concreteProbes(item).length === 0) continue;
      const idx = item.index ?? 0;
      if (item.predicate) visitExpr(item.predicate, { expr: (e) => col.expr(e, idx) });
      visitStmts(item.body.stmts, {
        expr: (e) => col.expr(e, idx),
        stmt: (s) => {
          if (s.kind === 'aggregate') col.expr(s.call, idx);
        },
      });
      const pr = probeResource(ctx, item);
      if (pr.stackBytes > BPF_STACK) {
        ctx.diags.error(`Looks like the BPF stack limit of ${BPF_STACK} bytes is exceeded (this probe needs about ${pr.stackBytes}). Please move large on stack variables into BPF per-cpu array map.`, item.span);
      }
      probes.push(pr);
    }
    // Maps of running scripts (knownMaps) are this script's only when it uses them.
    const maps = [...(ctx.typed?.maps.values() ?? [])].filter((m) => m.defined && !(m.known && m.probes.size === 0)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const res: Resources = {
      maps: maps.map((m) => mapResource(ctx, m)),
      formats: col.formats,
      runtime: col.runtime,
      stacks: col.stacks,
      probes,
      needsRingbuf: col.async,
      namedParams: [...(ctx.typed?.namedParams.entries() ?? [])].map(([name, p]) => ({ name, ty: p.ty, default: p.default, description: p.description })),
    };
    ctx.resources = res;
  },
};
