// Lowering: the checked AST and its resources to eBPF programs, one per probe (or per
// concrete attach point when the code depends on it), sharing one map table, plus the
// event table the session decodes ring-buffer records with. Problems come back as
// bpftrace-style diagnostics at the span that caused them, never as exceptions.
import type { Catalogue } from '../catalogue';
import type { Diagnostic } from '../diagnostics';
import type { FrontEndResult } from '../frontend';
import { probesOf } from '../ast';
import { AssemblyError } from './builder';
import { LowerError } from './gen';
import { lowerProbe, needsPerSite } from './program';
import { type LowerOptions, type LowerResult, type LoweredProgram, ScriptState } from './script';

export type * from './script';
export { ctxLayout, progType } from './program';
export * as layout from './layout';

/** Lowers a front-end result that is ok (its program checked, its resources computed). */
export function lower(fe: FrontEndResult, options: LowerOptions & { catalogue?: Catalogue } = {}): LowerResult {
  const program = fe.program;
  const resources = fe.resources;
  if (!fe.ok || !program || !resources) return { ok: false, diagnostics: fe.diagnostics.filter((d) => d.severity === 'error') };
  const bins = options.catalogue?.probes.binaries;
  const userSymbol = (binary: string, name: string): bigint | undefined => {
    const sym = bins?.find((b) => b.path === binary)?.symbols.find((x) => x.name === name);
    return sym ? BigInt(sym.addr) : undefined;
  };
  const opts: LowerOptions = { ...options, types: options.types ?? options.catalogue?.types, userSymbol: options.userSymbol ?? userSymbol };
  const s = new ScriptState(resources, fe.config, opts, program.file, program.source);
  const programs: LoweredProgram[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const probe of probesOf(program)) {
    const res = resources.probes.find((p) => p.index === (probe.index ?? 0));
    const sites = res?.concrete ?? [];
    if (!sites.length) continue;
    const special = sites[0].provider === 'begin' ? 'begin' : sites[0].provider === 'end' ? 'end' : 'probe';
    try {
      if (special === 'probe' && sites.length > 1 && needsPerSite(probe)) {
        for (const site of sites) programs.push(lowerProbe(s, probe, [site], 'probe'));
      } else programs.push(lowerProbe(s, probe, sites, special));
    } catch (e) {
      if (e instanceof LowerError) diagnostics.push({ severity: 'error', message: e.message, span: e.span ?? probe.span });
      else if (e instanceof AssemblyError) diagnostics.push({ severity: 'error', message: `cannot assemble the program: ${e.message}`, span: probe.span });
      else diagnostics.push({ severity: 'error', message: `internal error in lowering: ${e instanceof Error ? e.message : String(e)}`, span: probe.span });
    }
  }
  if (diagnostics.length) return { ok: false, diagnostics };
  return {
    ok: true,
    diagnostics: [],
    script: {
      programs,
      maps: s.maps,
      userMaps: [...s.userMaps.values()],
      stacks: s.stacks,
      ringbuf: s.ringbuf,
      globals: s.globals,
      scratch: s.scratch,
      syscallNames: s.syscallNames,
      events: s.events,
      resources,
      config: fe.config,
    },
  };
}
