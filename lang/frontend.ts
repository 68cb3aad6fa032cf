// The front end's pipeline: the pass list in order, in one place, and the entry points
// that run it. frontEnd() parses and checks a script, stopping after the first pass that
// reports errors, and can dump the AST after any named pass (the CLI's `-d ast` and
// `-d types`). An unexpected exception inside a pass becomes an internal-error
// diagnostic: no input produces a stack trace.
import type { Expr, Program } from './ast';
import { type CheckOptions, type Config, type Pass, Ctx } from './context';
import { type Diagnostic, renderDiagnostics } from './diagnostics';
import { dumpProgram } from './dump';
import { attachPointsPass } from './passes/attach-points';
import { castsPass } from './passes/casts';
import { configPass } from './passes/config';
import { macrosPass } from './passes/macros';
import { mapSugarPass } from './passes/map-sugar';
import { namesPass } from './passes/names';
import { positionalPass } from './passes/positional';
import { preamblePass } from './passes/preamble';
import { resourcesPass } from './passes/resources';
import { typesPass } from './passes/types';
import type { Resources } from './resources';
import { TOO_COMPLEX, parse, parseExpression } from './syntax/parser';

/** The passes after parsing, in the order they run. */
export const PASSES: readonly Pass[] = [
  configPass,
  macrosPass,
  preamblePass,
  positionalPass,
  attachPointsPass,
  namesPass,
  mapSugarPass,
  typesPass,
  castsPass,
  resourcesPass,
];

/** Names accepted by `dumpAfter`: 'parse' and every pass. */
export const PASS_NAMES: readonly string[] = ['parse', ...PASSES.map((p) => p.name)];

export interface FrontEndOptions extends CheckOptions {
  /** File name diagnostics show: 'stdin' for -e (the default), the script path otherwise. */
  file?: string;
  /** Dump the AST after this pass (see PASS_NAMES); the run stops there. */
  dumpAfter?: string;
  /** Include types in the dump. */
  dumpTypes?: boolean;
}

export interface FrontEndResult {
  /** No errors: the program is checked and ready for lowering. */
  ok: boolean;
  /** The checked AST (present when parsing succeeded). */
  program?: Program;
  diagnostics: Diagnostic[];
  /** The diagnostics rendered as bpftrace prints them (errors first). */
  rendered: string;
  resources?: Resources;
  config: Config;
  /** Things the front end ignored on purpose (#include lines, ...). */
  notes: string[];
  /** The AST dump requested with dumpAfter. */
  dump?: string;
  /** The pass that reported the first errors. */
  failedPass?: string;
}

function internalError(ctx: Ctx, pass: string, e: unknown): void {
  if (e instanceof RangeError) ctx.diags.error(TOO_COMPLEX);
  else ctx.diags.error(`internal error in the ${pass} pass: ${e instanceof Error ? e.message : String(e)}`);
}

function finish(ctx: Ctx | undefined, program: Program | undefined, diagnostics: Diagnostic[], src: { file: string; text: string }, extra: Partial<FrontEndResult>): FrontEndResult {
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return {
    ok,
    program,
    diagnostics,
    rendered: renderDiagnostics(diagnostics, src),
    resources: ok ? ctx?.resources : undefined,
    config: ctx?.config ?? ({} as Config),
    notes: ctx?.notes ?? [],
    ...extra,
  };
}

/** Runs the passes over an already parsed program. */
export function check(program: Program, options: FrontEndOptions): FrontEndResult {
  const ctx = new Ctx(program, options);
  const src = { file: program.file, text: program.source };
  for (const pass of PASSES) {
    try {
      pass.run(ctx);
    } catch (e) {
      internalError(ctx, pass.name, e);
    }
    if (ctx.diags.hasErrors()) return finish(ctx, program, ctx.diags.list, src, { failedPass: pass.name });
    if (options.dumpAfter === pass.name) return finish(ctx, program, ctx.diags.list, src, { dump: dumpProgram(program, { types: options.dumpTypes }) });
  }
  return finish(ctx, program, ctx.diags.list, src, {});
}

/** Parses and checks a script. */
export function frontEnd(source: string, options: FrontEndOptions): FrontEndResult {
  const file = options.file ?? 'stdin';
  const src = { file, text: source };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source, file);
  } catch (e) {
    const d: Diagnostic = { severity: 'error', message: `internal error in the parser: ${e instanceof Error ? e.message : String(e)}` };
    return finish(undefined, undefined, [d], src, { failedPass: 'parse' });
  }
  if (!parsed.program) return finish(undefined, undefined, parsed.diagnostics, src, { failedPass: 'parse' });
  if (options.dumpAfter === 'parse') return finish(undefined, parsed.program, parsed.diagnostics, src, { dump: dumpProgram(parsed.program, { types: false }) });
  const r = check(parsed.program, options);
  if (parsed.diagnostics.length) {
    const all = [...parsed.diagnostics, ...r.diagnostics];
    return { ...r, diagnostics: all, rendered: renderDiagnostics(all, src) };
  }
  return r;
}

/**
 * Checks a lone expression as the REPL evaluates it: inside a `begin` probe, whose body
 * prints the value. Returns the result of checking that program and the typed expression.
 */
export function checkExpression(source: string, options: FrontEndOptions): FrontEndResult & { expr?: Expr } {
  const pe = parseExpression(source);
  if (!pe.expr) return finish(undefined, undefined, pe.diagnostics, { file: options.file ?? 'stdin', text: source }, { failedPass: 'parse' });
  const begin = options.catalogue.probes.kinds.find((k) => k.progType === 'special' && (k.name.toLowerCase() === 'begin' || k.aliases.some((a) => a.toLowerCase() === 'begin')));
  const probeName = begin?.name ?? 'begin';
  const wrapped = `${probeName} { print(${source}); }`;
  const offset = probeName.length + 9;
  const r = frontEnd(wrapped, { ...options, file: options.file ?? 'stdin' });
  // Diagnostics point into the wrapper: shift them back onto the expression.
  const diagnostics = r.diagnostics.map((d) => (d.span ? { ...d, span: { start: Math.max(0, d.span.start - offset), end: Math.max(0, d.span.end - offset) } } : d));
  const probe = r.program?.items.find((i) => i.kind === 'probe');
  const stmt = probe?.kind === 'probe' ? probe.body.stmts[0] : undefined;
  const expr = stmt?.kind === 'exprStmt' && stmt.expr.kind === 'call' ? stmt.expr.args[0] : undefined;
  return { ...r, diagnostics, rendered: renderDiagnostics(diagnostics, { file: options.file ?? 'stdin', text: source }), expr };
}
