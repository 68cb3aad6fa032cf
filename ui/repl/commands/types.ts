// The shape of a dot-command (`.help`, `.print @m`, ...): a data object with its name,
// argument form, help line, what its argument completes to, and the function that runs
// it against the REPL's context. One command per file; index.ts lists them in order.
import type { ReplBackend } from '../backend';

export type ArgumentCompletion = 'none' | 'maps' | 'probes' | 'files' | 'workloads' | 'programs' | 'speeds';

export type DotOutcome =
  | { kind: 'text'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'quit' }
  | { kind: 'none' };

export interface DotContext {
  backend: ReplBackend;
  /** Submits a program as if typed (used by `.attach`); the outcome is what the REPL shows. */
  submit(source: string, file: string): Promise<DotOutcome>;
  /** The programs attached during this session, in order (for `.save`). */
  sessionPrograms(): readonly { source: string; file: string }[];
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  /** Every command, for `.help`. */
  commands(): readonly DotCommand[];
}

export interface DotCommand {
  /** Without the dot. */
  name: string;
  /** The argument as `.help` shows it (`@map`, `FILE.bt`, `[PATTERN]`), '' for none. */
  args: string;
  /** Whether the argument must be given. */
  argRequired: boolean;
  help: string;
  complete: ArgumentCompletion;
  run(arg: string, ctx: DotContext): Promise<DotOutcome>;
}

export const text = (t: string): DotOutcome => ({ kind: 'text', text: t });
export const error = (t: string): DotOutcome => ({ kind: 'error', text: t });
