// Diagnostics (errors and warnings with a source span and optional hints) and their one
// canonical renderer, in bpftrace's form:
//
//   stdin:1:14-18: ERROR: Unknown identifier: 'fake'
//   BEGIN { @x = fake; }
//                ~~~~
//   HINT: ...
//
// Columns are 1-based and the end column is exclusive; tabs print as four spaces; a span
// over several lines prints `file:L1-L2:` and every line of it. Errors print before
// warnings. The runtime and the verifier integration render their span errors through
// here too. Collecting never throws.
import type { Span } from './ast';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Where in the source; absent for whole-program messages. */
  span?: Span;
  /** Extra lines printed as `HINT: ...` after the excerpt. */
  hints?: string[];
}

/** A source the renderer can point into. */
export interface SourceText {
  /** As printed before the line number: 'stdin' for -e, the script path otherwise. */
  file: string;
  text: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];

  error(message: string, span?: Span, ...hints: string[]): Diagnostic {
    return this.add({ severity: 'error', message, span, hints: hints.length ? hints : undefined });
  }

  warning(message: string, span?: Span, ...hints: string[]): Diagnostic {
    return this.add({ severity: 'warning', message, span, hints: hints.length ? hints : undefined });
  }

  add(d: Diagnostic): Diagnostic {
    // The same message at the same place once (passes may revisit nodes).
    const dup = this.list.find((x) => x.severity === d.severity && x.message === d.message && x.span?.start === d.span?.start && x.span?.end === d.span?.end);
    if (dup) return dup;
    this.list.push(d);
    return d;
  }

  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'warning');
  }

  hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(0, offset), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

function lineText(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  const l = lines[line - 1];
  return l === undefined ? undefined : l.replace(/\r$/, '');
}

/** Renders one diagnostic (no trailing newline). */
export function renderDiagnostic(d: Diagnostic, src: SourceText): string {
  const label = d.severity === 'error' ? 'ERROR' : 'WARNING';
  const out: string[] = [];
  if (!d.span) {
    out.push(`${label}: ${d.message}`);
  } else {
    const a = lineCol(src.text, d.span.start);
    // The end offset is exclusive: the last character sits at end-1.
    const lastChar = Math.max(d.span.start, d.span.end - 1);
    const b = lineCol(src.text, lastChar);
    const prefix = src.file ? `${src.file}:` : '';
    if (a.line !== b.line) {
      out.push(`${prefix}${a.line}-${b.line}: ${label}: ${d.message}`);
      for (let l = a.line; l <= b.line; l++) {
        const t = lineText(src.text, l);
        if (t !== undefined) out.push(t);
      }
    } else {
      const endCol = d.span.end > d.span.start ? b.col + 1 : a.col;
      out.push(`${prefix}${a.line}:${a.col}-${endCol}: ${label}: ${d.message}`);
      const t = lineText(src.text, a.line);
      if (t !== undefined) {
        out.push(t.replace(/\t/g, '    '));
        let marker = '';
        for (let x = 0; x < t.length && x < endCol - 1; x++) {
          const m = x < a.col - 1 ? ' ' : '~';
          marker += t[x] === '\t' ? m.repeat(4) : m;
        }
        out.push(marker);
      }
    }
  }
  for (const h of d.hints ?? []) out.push(`HINT: ${h}`);
  return out.join('\n');
}

/** Renders all diagnostics, errors first then warnings, each followed by a newline. */
export function renderDiagnostics(list: readonly Diagnostic[], src: SourceText): string {
  const ordered = [...list.filter((d) => d.severity === 'error'), ...list.filter((d) => d.severity === 'warning')];
  return ordered.map((d) => renderDiagnostic(d, src) + '\n').join('');
}
