// Compiling a script for the session: the front end, the lowering and the verifier on
// every program, each failure rendered as bpftrace prints it (a verifier rejection
// points at the script span that produced the failing instruction, with the verifier's
// message). Nothing here needs the simulated machine; loading is the session's job.
import { type CheckOptions, type Diagnostic, type FrontEndResult, frontEnd, renderDiagnostics } from '../lang';
import type { Catalogue } from '../lang/catalogue';
import { type LoweredScript, lower } from '../lang/lower';
import { type VerifyResult, verify } from '../vm/verifier';

export interface CompileOptions {
  catalogue: Catalogue;
  /** File name diagnostics show ('stdin' for -e). */
  file?: string;
  /** Positional parameters $1, $2, ... */
  params?: readonly string[];
  /** Named parameters for getopt(). */
  namedParams?: Readonly<Record<string, string>>;
  unsafe?: boolean;
  /** A -c command is run (cpid is available). */
  hasChild?: boolean;
  /** Report failing helpers at run time (bpftrace -k). */
  helperErrors?: boolean;
  /** Verifier log level (1 with -v or -d verifier: every instruction). */
  verifierLogLevel?: 0 | 1 | 2;
  kernelSymbol?(name: string): bigint | undefined;
  cgroupId?(path: string): bigint | undefined;
  /** Maps that already exist in the session (the REPL's expressions read them). */
  knownMaps?: CheckOptions['knownMaps'];
  /** Ring buffer size in bytes (default from the config's perf_rb_pages). */
  ringbufBytes?: number;
}

export interface CompiledScript {
  file: string;
  source: string;
  fe: FrontEndResult;
  script: LoweredScript;
  /** The verifier's result per program, in script.programs order. */
  verified: VerifyResult[];
  /** Warnings, rendered. */
  warnings: string;
}

export type CompileResult =
  | { ok: true; compiled: CompiledScript }
  | {
      ok: false;
      /** The stage that failed. */
      stage: 'frontend' | 'lower' | 'verifier';
      diagnostics: Diagnostic[];
      /** The diagnostics rendered as bpftrace prints them. */
      rendered: string;
      /** What the front end produced, when it got that far (for -d stages). */
      fe?: FrontEndResult;
      script?: LoweredScript;
      verified?: VerifyResult[];
    };

export function compileScript(source: string, opts: CompileOptions): CompileResult {
  const file = opts.file ?? 'stdin';
  const src = { file, text: source };
  const fe = frontEnd(source, { catalogue: opts.catalogue, file, params: opts.params, namedParams: opts.namedParams, unsafe: opts.unsafe, hasChild: opts.hasChild, knownMaps: opts.knownMaps });
  if (!fe.ok) return { ok: false, stage: 'frontend', diagnostics: fe.diagnostics, rendered: fe.rendered, fe };
  const warnings = fe.diagnostics.filter((d) => d.severity === 'warning');
  const lr = lower(fe, {
    catalogue: opts.catalogue,
    namedParams: opts.namedParams,
    helperErrors: opts.helperErrors,
    kernelSymbol: opts.kernelSymbol,
    cgroupId: opts.cgroupId,
    ringbufBytes: opts.ringbufBytes,
  });
  if (!lr.ok) {
    const all = [...lr.diagnostics, ...warnings];
    return { ok: false, stage: 'lower', diagnostics: all, rendered: renderDiagnostics(all, src), fe };
  }
  const verified: VerifyResult[] = [];
  const errors: Diagnostic[] = [];
  for (const p of lr.script.programs) {
    const v = verify(p.spec, { logLevel: opts.verifierLogLevel ?? 0 });
    verified.push(v);
    if (v.ok || !v.error) continue;
    const sp = p.spec.spans?.[v.error.insn];
    errors.push({
      severity: 'error',
      message: `the verifier rejected the program for ${p.spec.name}: ${v.error.message}`,
      span: sp ? { start: sp.start, end: sp.end } : undefined,
      hints: [`instruction ${v.error.insn}; the full log: -d verifier`],
    });
  }
  if (errors.length) {
    const all = [...errors, ...warnings];
    return { ok: false, stage: 'verifier', diagnostics: all, rendered: renderDiagnostics(all, src), fe, script: lr.script, verified };
  }
  return { ok: true, compiled: { file, source, fe, script: lr.script, verified, warnings: renderDiagnostics(warnings, src) } };
}
