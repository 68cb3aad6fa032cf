// bpftrace's text output: map dumps (`@name[key]: value`, tuple keys without their
// parentheses, multi-line values on their own lines), histogram rows (label in 16
// columns, count in 8, an `@` bar scaled to the largest bucket in 52), stats records,
// print() of values, printf/time/cat/join/system text, and the stderr messages.
// Primitive texts come from text-primitive.ts; ordering from map-snapshot.ts.
import { attachedProbesText, helperErrorMessage, logText, lostEventsText } from './messages';
import type { Output, OutputSink, RuntimeError, SourceLocation } from './output';
import { DEFAULT_CONTEXT, primitiveText, type FormatContext } from './text-primitive';
import type { Histogram, MapValue, OrderedMap, Primitive } from './value';

export const HIST_BAR_WIDTH = 52;

/** Two labels are one value apart: the bucket holds a single value, printed `[v]`. */
function singleValue(a: Primitive, b: Primitive): boolean {
  return a.kind === 'int' && b.kind === 'int' && a.signed === b.signed && a.value + 1n === b.value;
}

/** The label column of histogram row i, e.g. `(..., 0)`, `[1]`, `[2, 4)`, `[10, ...)`. */
export function histRowLabel(hist: Histogram, i: number, ctx: FormatContext = DEFAULT_CONTEXT): string {
  const t = (p: Primitive): string => primitiveText(p, ctx);
  const { labels, lowerBound } = hist;
  if (i === 0) {
    if (!lowerBound) return `(..., ${t(labels[0])})`;
    if (labels.length === 0) return `[${t(lowerBound)}, ...)`;
    if (singleValue(lowerBound, labels[0])) return `[${t(lowerBound)}]`;
    return `[${t(lowerBound)}, ${t(labels[0])})`;
  }
  if (i >= labels.length) return `[${t(labels[i - 1])}, ...)`;
  if (singleValue(labels[i - 1], labels[i])) return `[${t(labels[i - 1])}]`;
  return `[${t(labels[i - 1])}, ${t(labels[i])})`;
}

/** Bar length: count / max computed in single precision and truncated, as bpftrace does. */
export function histBarWidth(count: bigint, max: bigint): number {
  const ratio = Math.fround(Math.fround(Number(count)) / Math.fround(Number(max)));
  const w = Math.trunc(Math.fround(ratio * HIST_BAR_WIDTH));
  return Number.isFinite(w) ? Math.max(0, Math.min(HIST_BAR_WIDTH, w)) : 0;
}

/** The rows of a histogram, each ending in a newline. */
export function histText(hist: Histogram, ctx: FormatContext = DEFAULT_CONTEXT): string {
  const max = hist.counts.reduce((a, b) => (b > a ? b : a), 0n);
  let out = '';
  const rows = Math.max(hist.counts.length, hist.labels.length);
  for (let i = 0; i < rows; i++) {
    const count = hist.counts[i] ?? 0n;
    const bar = '@'.repeat(histBarWidth(count, max));
    out += histRowLabel(hist, i, ctx).padEnd(16) + count.toString().padStart(8) + ' |' + bar.padEnd(HIST_BAR_WIDTH) + '|\n';
  }
  return out;
}

/** Text of a value as print() shows it (bpftrace's TextEmitter<Value>). */
export function valueText(value: MapValue, ctx: FormatContext = DEFAULT_CONTEXT): string {
  switch (value.kind) {
    case 'primitive':
      return primitiveText(value.value, ctx);
    case 'hist':
      return histText(value.hist, ctx);
    case 'map':
      return orderedMapText(value.map, ctx);
    case 'stats':
      return valueText(value.value, ctx);
    default: {
      const never: never = value;
      throw new Error(`unknown value ${JSON.stringify(never)}`);
    }
  }
}

/** An ordered map printed as a value: `[key]: value` lines. */
function orderedMapText(map: OrderedMap, ctx: FormatContext): string {
  let out = '';
  for (const { key, value } of map.entries) out += `[${primitiveText(key, ctx)}]: ${valueText(value, ctx)}\n`;
  return out;
}

/** A key as printed inside `@name[...]`: a tuple loses its outer parentheses. */
export function mapKeyText(key: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): string {
  const s = primitiveText(key, ctx);
  return s.length >= 2 && s.startsWith('(') && s.endsWith(')') ? s.slice(1, -1) : s;
}

function entriesText(name: string, map: OrderedMap, ctx: FormatContext): string {
  let out = '';
  for (const { key, value } of map.entries) {
    out += `${name}[${mapKeyText(key, ctx)}]` + (value.kind === 'primitive' ? ': ' : ':\n');
    out += valueText(value, ctx) + '\n';
  }
  return out;
}

/** The text of `print(@name)` / the exit dump for one map (bpftrace's TextOutput::map). */
export function mapText(name: string, value: MapValue, ctx: FormatContext = DEFAULT_CONTEXT): string {
  switch (value.kind) {
    case 'hist':
      return `${name}:\n${histText(value.hist, ctx)}\n`;
    case 'stats':
      return value.value.kind === 'map'
        ? entriesText(name, value.value.map, ctx)
        : `${name}: ${primitiveText(value.value.value, ctx)}\n`;
    case 'map':
      return entriesText(name, value.map, ctx);
    case 'primitive':
      return `${name}: ${primitiveText(value.value, ctx)}\n`;
    default: {
      const never: never = value;
      throw new Error(`unknown value ${JSON.stringify(never)}`);
    }
  }
}

/** Text output: data on stdout, session messages on stderr. */
export class TextOutput implements Output {
  constructor(
    private readonly sink: OutputSink,
    private readonly ctx: FormatContext = DEFAULT_CONTEXT,
  ) {}

  map(name: string, value: MapValue): void {
    this.sink.out(mapText(name, value, this.ctx));
  }

  value(value: MapValue): void {
    this.sink.out(valueText(value, this.ctx) + '\n');
  }

  printf(text: string): void {
    this.sink.out(text);
  }

  printfDiagnostic(severity: 'error' | 'warning', text: string, locations: readonly SourceLocation[]): void {
    locations.forEach((loc, i) => {
      // The first location is the errorf()/warnf() call itself: no source context.
      this.sink.err(i === 0 ? logText(severity, text, loc, false) : logText(severity, 'expanded from', loc));
    });
  }

  time(text: string): void {
    this.sink.out(text);
  }

  cat(text: string): void {
    this.sink.out(text);
  }

  join(text: string): void {
    this.sink.out(text + '\n');
  }

  syscall(text: string): void {
    this.sink.out(text + '\n');
  }

  lostEvents(count: bigint | number): void {
    this.sink.err(lostEventsText(count));
  }

  attachedProbes(count: number): void {
    this.sink.err(attachedProbesText(count));
  }

  runtimeError(error: RuntimeError): void {
    const [first, ...rest] = error.locations;
    const message =
      error.kind === 'helper'
        ? `${helperErrorMessage(error.helper, error.retcode)}\nAdditional Info - helper: ${error.helper}, retcode: ${error.retcode}`
        : error.message;
    this.sink.err(logText('warning', message, first));
    for (const loc of rest) this.sink.err(logText('warning', 'expanded from', loc));
  }

  end(): void {
    this.sink.out('\n\n');
  }
}
