// The REPL's behaviour without its looks: it takes entries (programs, expressions,
// dot-commands), Ctrl-C and Ctrl-D, talks to the backend, and keeps the transcript (what
// scrolls above the prompt) and the latest live statistics. The Ink components render its
// state and forward keys to it. Nothing the user types can make it throw: every failure
// becomes a transcript entry.
import type { BackendEvent, LiveStats, ReplBackend, SubmitResult } from './backend';
import { DOT_COMMANDS, findCommand } from './commands/index';
import type { DotContext, DotOutcome } from './commands/types';
import { complete, type CompletionResult, type CompletionSources } from './completion';
import type { History } from './history';

export type EntryKind = 'input' | 'stdout' | 'stderr' | 'value' | 'info' | 'error';

export interface TranscriptEntry {
  id: number;
  kind: EntryKind;
  text: string;
}

export interface ReplIo {
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  /** Paths starting with a prefix, for completing `.attach` and `.save` arguments. */
  listFiles(prefix: string): string[];
}

export interface LanguageNames {
  builtins: readonly string[];
  functions: readonly string[];
}

/** How long output is collected before it becomes one transcript entry (ms). */
const OUTPUT_COALESCE_MS = 30;
/**
 * Lines of output one entry shows at most: a program printing faster than a terminal can
 * scroll keeps its newest lines and says how many it skipped (`-o FILE` on the command
 * line keeps everything).
 */
export const MAX_ENTRY_LINES = 500;

function capLines(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= MAX_ENTRY_LINES) return text;
  const skipped = lines.length - MAX_ENTRY_LINES;
  return [`... (${skipped} lines of output skipped)`, ...lines.slice(skipped)].join('\n');
}

export class ReplController {
  /** Replaced (never mutated) on every change, so React sees a new list. */
  transcript: TranscriptEntry[] = [];
  stats: LiveStats | undefined;
  busy = false;
  quitting = false;
  private nextId = 1;
  private listeners = new Set<() => void>();
  private pending: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly sessionSources: { source: string; file: string }[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    readonly backend: ReplBackend,
    readonly history: History,
    private readonly io: ReplIo,
    private readonly names: LanguageNames,
  ) {
    this.unsubscribe = backend.subscribe((e) => this.onEvent(e));
  }

  /** Called whenever the transcript, the stats or the busy flag change. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private push(kind: EntryKind, text: string): void {
    this.transcript = [...this.transcript, { id: this.nextId++, kind, text }];
    this.changed();
  }

  /** Adds a message to the transcript (the banner, notices from the host). */
  note(text: string): void {
    this.push('info', text);
  }

  private onEvent(e: BackendEvent): void {
    switch (e.kind) {
      case 'output':
        this.pending.push({ stream: e.stream, text: e.text });
        this.flushTimer ??= setTimeout(() => this.flushOutput(false), OUTPUT_COALESCE_MS);
        return;
      case 'stats':
        this.stats = e.stats;
        this.changed();
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  /**
   * Moves collected output into the transcript: runs of the same stream become one entry.
   * Only complete lines move unless `all` (a partial line waits for its end).
   */
  flushOutput(all = true): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const merged: { stream: 'stdout' | 'stderr'; text: string }[] = [];
    for (const p of this.pending) {
      const last = merged[merged.length - 1];
      if (last && last.stream === p.stream) last.text += p.text;
      else merged.push({ ...p });
    }
    this.pending = [];
    let changed = false;
    for (let i = 0; i < merged.length; i++) {
      const m = merged[i];
      const isLast = i === merged.length - 1;
      let text = m.text;
      if (isLast && !all) {
        const cut = text.lastIndexOf('\n') + 1;
        if (cut < text.length) this.pending.push({ stream: m.stream, text: text.slice(cut) });
        text = text.slice(0, cut);
      }
      if (text === '') continue;
      this.transcript = [...this.transcript, { id: this.nextId++, kind: m.stream, text: capLines(text.replace(/\n$/, '')) }];
      changed = true;
    }
    if (changed) this.changed();
  }

  private show(outcome: DotOutcome): void {
    switch (outcome.kind) {
      case 'text':
        if (outcome.text !== '') this.push('value', outcome.text);
        return;
      case 'error':
        this.push('error', outcome.text.replace(/\n+$/, ''));
        return;
      case 'quit':
      case 'none':
        return;
      default: {
        const never: never = outcome;
        return never;
      }
    }
  }

  private async submitProgram(source: string, file: string): Promise<DotOutcome> {
    const r: SubmitResult = await this.backend.submit(source, file);
    switch (r.kind) {
      case 'attached':
        this.sessionSources.push({ source, file });
        return { kind: 'text', text: '' };
      case 'value':
        this.push('value', r.text.replace(/\n+$/, ''));
        return { kind: 'none' };
      case 'error':
        return { kind: 'error', text: r.text };
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  private dotContext(): DotContext {
    return {
      backend: this.backend,
      submit: (source, file) => this.submitProgram(source, file),
      sessionPrograms: () => this.sessionSources,
      readFile: (p) => this.io.readFile(p),
      writeFile: (p, t) => this.io.writeFile(p, t),
      commands: () => DOT_COMMANDS,
    };
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Handles one complete entry; resolves to 'quit' when the REPL should end. Entries
   * submitted while another runs (a paste of several lines) wait their turn.
   */
  submit(entry: string): Promise<'quit' | undefined> {
    const next = this.queue.then(() => (this.quitting ? undefined : this.handle(entry)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async handle(entry: string): Promise<'quit' | undefined> {
    const trimmed = entry.trim();
    this.push('input', entry);
    if (trimmed === '') return undefined;
    this.history.add(entry);
    this.busy = true;
    this.changed();
    let outcome: DotOutcome;
    try {
      outcome = trimmed.startsWith('.') ? await this.runDot(trimmed) : await this.submitProgram(entry, 'stdin');
    } catch (e) {
      outcome = { kind: 'error', text: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
    this.flushOutput(false);
    this.show(outcome);
    this.busy = false;
    this.changed();
    if (outcome.kind === 'quit') {
      await this.quit();
      return 'quit';
    }
    return undefined;
  }

  private async runDot(line: string): Promise<DotOutcome> {
    const m = /^\.(\S*)\s*(.*)$/s.exec(line)!;
    const found = findCommand(m[1]);
    if (!found.ok) return { kind: 'error', text: found.error };
    const arg = m[2].trim();
    if (found.command.argRequired && arg === '') return { kind: 'error', text: `usage: .${found.command.name} ${found.command.args}` };
    return found.command.run(arg, this.dotContext());
  }

  /** Ctrl-C: detaches the running programs and prints their maps; otherwise says how to leave. */
  async interrupt(): Promise<void> {
    try {
      const n = this.backend.programs().length;
      if (n === 0) {
        this.push('info', '(To leave, press Ctrl-D or type .quit)');
        return;
      }
      this.showDump(await this.backend.detachAll(), `detached ${n} program${n === 1 ? '' : 's'}`);
    } catch (e) {
      this.push('error', `internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Shows an exit-time map dump (without bpftrace's leading blank lines), or a note when there are no maps. */
  private showDump(text: string, otherwise: string): void {
    this.flushOutput(true);
    const body = text.replace(/^\n+/, '').replace(/\n+$/, '');
    if (body !== '') this.push('stdout', body);
    else this.push('info', otherwise);
  }

  /** Ctrl-D or .quit: detaches everything and closes the backend. */
  async quit(): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.changed();
    try {
      const n = this.backend.programs().length;
      if (n > 0) this.showDump(await this.backend.detachAll(), `detached ${n} program${n === 1 ? '' : 's'}`);
      await this.backend.close();
    } catch (e) {
      this.push('error', `internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.flushOutput(true);
    this.unsubscribe();
    this.changed();
  }

  completionSources(): CompletionSources {
    return {
      commands: DOT_COMMANDS,
      mapNames: () => this.backend.mapNames(),
      probes: (prefix) => this.backend.completeProbe(prefix),
      builtins: this.names.builtins,
      functions: this.names.functions,
      workloads: () => this.backend.workloads(),
      programIds: () => this.backend.programs().map((p) => p.id),
      files: (prefix) => this.io.listFiles(prefix),
    };
  }

  complete(text: string, cursor: number): CompletionResult {
    try {
      return complete(text, cursor, this.completionSources());
    } catch {
      return { text, cursor, candidates: [] };
    }
  }
}
