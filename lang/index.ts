// The front end's public surface: parsing (whole scripts, lone expressions and
// statements for the REPL), checking, the pipeline, printing and dumping, diagnostics
// rendering, and the types the lowering consumes. Everything else in lang/ is internal.
export type * from './ast';
export type { Catalogue } from './catalogue';
export { type CheckOptions, type Config, DEFAULT_CONFIG } from './context';
export { type Diagnostic, type Severity, type SourceText, Diagnostics, lineCol, renderDiagnostic, renderDiagnostics } from './diagnostics';
export { dumpExpression, dumpProgram } from './dump';
export { type FormatPart, type FormatSpec, parseFormat } from './format';
export { type FrontEndOptions, type FrontEndResult, PASSES, PASS_NAMES, check, checkExpression, frontEnd } from './frontend';
export { printExpr, printProgram, printStmt, printType } from './printer';
export type { ConcreteProbe, Provider } from './probes';
export type * from './resources';
export { parse, parseExpression, parseStatements } from './syntax/parser';
export { parseFragment } from './syntax/fragment';
export { type AddrSpace, type StackMode, type Ty, tySize, tyToString, tupleLayout } from './types';
export { BUILTINS, builtinVar } from './builtins';
export { FUNCTIONS, functionSig } from './functions';
