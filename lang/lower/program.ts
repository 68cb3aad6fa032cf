// One probe lowered to one program: the prologue (ctx kept in r6 and in the frame, this
// CPU's scratch buffer looked up when used, variables zeroed), the predicate, the body,
// the common exit (r0 = 0), and the callback subprograms after it; then assembly into a
// ProgramSpec with the ctx layout the verifier checks accesses against and a source span
// on every instruction. A probe whose body depends on the concrete attach point (the
// `probe` builtin, tracepoint fields at different offsets) gets one program per site.
import type * as A from '../ast';
import { visitProbe, visitStmts } from '../ast-walk';
import type { ConcreteProbe } from '../probes';
import { tySize } from '../types';
import { PERF_EVENT_DATA, PT_REGS } from '../../vm/ctx/layouts';
import type { CtxLayout, ProgType, ProgramSpec, SourceSpan } from '../../vm/program';
import { R1, R10, R2, R6 } from './builder';
import { branch } from './exprs';
import { CTX_SLOT, Gen, type Place, SCRATCH_SLOT } from './gen';
import { isScalarTy } from './layout';
import type { LoweredProgram, ScriptState } from './script';
import { stmts } from './stmts';

/** The ctx record a program of this site receives. */
export function ctxLayout(site: ConcreteProbe): CtxLayout {
  if (site.progType === 'tracepoint' && site.tracepoint) {
    const tp = site.tracepoint;
    return {
      name: `struct trace_event_raw_${tp.name}`,
      size: tp.size,
      fields: tp.fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size })),
    };
  }
  if (site.progType === 'perf_event') return PERF_EVENT_DATA;
  return PT_REGS;
}

export function progType(site: ConcreteProbe): ProgType {
  if (site.progType === 'tracepoint') return 'tracepoint';
  if (site.progType === 'perf_event') return 'perf_event';
  return 'kprobe';
}

/** Whether the probe's code differs between its concrete attach points. */
export function needsPerSite(p: A.Probe): boolean {
  let per = false;
  const expr = (e: A.Expr): void => {
    if ((e.kind === 'builtin' && (e.name === 'probe' || e.name === 'probetype')) || (e.kind === 'field' && e.layoutByProbe)) per = true;
  };
  visitProbe(p, { expr });
  return per;
}

/** Ids of the variables used inside `for (... : @map)` bodies (and the loop variables). */
function callbackVars(p: A.Probe): Set<string> {
  const ids = new Set<string>();
  const inBody = (stmts: readonly A.Stmt[]): void =>
    visitStmts(stmts, {
      expr: (e) => {
        if (e.kind === 'var' && e.binding) ids.add(e.binding.id);
      },
      stmt: (s) => {
        if (s.kind === 'let' && s.var.binding) ids.add(s.var.binding.id);
        if (s.kind === 'assign' && s.target.kind === 'var' && s.target.binding) ids.add(s.target.binding.id);
      },
    });
  visitProbe(p, {
    stmt: (s) => {
      if (s.kind === 'for' && s.iter.kind === 'mapIter') {
        if (s.var.binding) ids.add(s.var.binding.id);
        inBody(s.body.stmts);
      }
    },
  });
  return ids;
}

/** Lowers a probe for `sites` (all sharing the code generated for the first). */
export function lowerProbe(s: ScriptState, probe: A.Probe, sites: ConcreteProbe[], role: LoweredProgram['role']): LoweredProgram {
  const site = sites[0];
  const g = new Gen(s, probe, site, sites);
  // Variables live for the whole probe: allocate them before any temporary. Those a
  // for-loop callback touches live in scratch memory (see Gen.temp).
  const inLoops = callbackVars(probe);
  const vars: { place: Place; size: number }[] = [];
  for (const v of probe.vars ?? []) {
    if (v.ty.k === 'none' || v.ty.k === 'void' || g.vars.has(v.id)) continue;
    const size = isScalarTy(v.ty) ? 8 : tySize(v.ty);
    const place = g.varPlace(v, size, inLoops.has(v.id));
    vars.push({ place, size });
  }
  const body = g.b;
  body.at(probe.span, () => {
    if (probe.predicate) branch(g, probe.predicate, g.exitLabel, false);
    stmts(g, probe.body.stmts);
  });
  if (g.usesScratch) body.reference(g.exitLabel);
  body.at(probe.span, () => {
    body.bind(g.exitLabel);
    body.movImm(0, 0);
    body.exit();
  });

  // The prologue, now that scratch use is known.
  const pro = body.sibling();
  pro.span = probe.span;
  pro.mov(R6, R1);
  pro.store('DW', R10, CTX_SLOT, R6);
  if (g.usesScratch) {
    const idx = s.scratchIndex();
    s.growScratch(g.scratchMax);
    pro.storeImm('DW', R10, SCRATCH_SLOT, 0);
    pro.ldMap(R1, idx);
    pro.mov(R2, R10);
    pro.alu('ADD', R2, SCRATCH_SLOT);
    pro.call(1);
    pro.jmpImm('JEQ', 0, 0, g.exitLabel);
    pro.store('DW', R10, SCRATCH_SLOT, 0);
  }
  const saved = g.b;
  g.b = pro;
  for (const v of vars) g.zero(v.place, Math.ceil(v.size / 8) * 8 > v.size && v.place.base === 'fp' ? Math.ceil(v.size / 8) * 8 : v.size);
  g.b = saved;
  pro.append(body);
  for (const sub of g.subprogs) if (pro.isReferenced(sub.entry)) pro.append(sub.b);
  const asm = pro.assemble();
  const file = s.file;
  const spans: (SourceSpan | undefined)[] = asm.spans.map((sp) => (sp ? { file, start: sp.start, end: sp.end } : undefined));
  const spec: ProgramSpec = {
    name: sites.length === 1 ? site.name : `${site.name} (+${sites.length - 1})`,
    type: progType(site),
    insns: asm.insns,
    maps: s.maps,
    ctx: ctxLayout(site),
    license: 'GPL',
    spans,
    sources: { [file]: s.source },
  };
  return { probe: probe.index ?? 0, role, sites, spec };
}
