// bpftrace's `-f json` output: NDJSON, one `{"type": ..., "data": ...}` object per line
// for maps (`map`, `hist`, `stats`), print() values (`value`), printf, time, cat, join,
// system output (`syscall`), attached probes, lost events and runtime errors, with
// bpftrace's exact spacing (objects spaced, arrays not) and its number rules (an integer
// a double cannot hold exactly is written as a string).
import { strerror } from './errno';
import type { Output, OutputSink, RuntimeError, SourceLocation } from './output';
import { DEFAULT_CONTEXT, primitiveText, type FormatContext } from './text-primitive';
import type { Histogram, MapValue, OrderedMap, Primitive } from './value';

const utf8 = new TextEncoder();

/**
 * A JSON string literal with bpftrace's escapes (\" \\ \n \r \t, other controls
 * \u00XX). bpftrace escapes byte by byte with a signed char, so every byte of a
 * multi-byte UTF-8 character comes out as `\uffffffXX`; that is reproduced.
 */
export function jsonString(s: string): string {
  let out = '"';
  for (const b of utf8.encode(s)) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b <= 0x1f) out += '\\u' + b.toString(16).padStart(4, '0');
    else if (b >= 0x80) out += '\\u' + ((0xffffff00 | b) >>> 0).toString(16);
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

/** An integer as a JSON number, or as a string when a double cannot hold it exactly. */
export function jsonInteger(v: bigint): string {
  const s = v.toString();
  return BigInt(Number(v)) === v ? s : jsonString(s);
}

/** A map key in JSON: the key's text, tuple parentheses and every space removed. */
export function jsonKey(key: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): string {
  let s = primitiveText(key, ctx);
  if (s.length >= 2 && s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1);
  return s.split(' ').join('');
}

function fields(entries: readonly (readonly [string, string])[]): string {
  return '{' + entries.map(([k, v]) => `${jsonString(k)}: ${v}`).join(', ') + '}';
}

/** The JSON of one primitive (bpftrace's JsonEmitter<Primitive>). */
export function primitiveJson(p: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): string {
  switch (p.kind) {
    case 'none':
      return 'null';
    case 'bool':
      return p.value ? 'true' : 'false';
    case 'int':
      return jsonInteger(p.value);
    case 'string':
      return jsonString(p.value);
    case 'buffer':
      // Emitted as an array of (signed) chars.
      return '[' + Array.from(p.bytes, (b) => String(b >= 128 ? b - 256 : b)).join(',') + ']';
    case 'tuple':
      if (p.names) return fields(p.elems.map((e, i) => [p.names?.[i] ?? '', primitiveJson(e, ctx)] as const));
      return '[' + p.elems.map((e) => primitiveJson(e, ctx)).join(',') + ']';
    case 'record':
      return fields(p.fields.map(([k, v]) => [k, primitiveJson(v, ctx)] as const));
    case 'array':
      return '[' + p.elems.map((e) => primitiveJson(e, ctx)).join(',') + ']';
    case 'symbolic':
      return jsonInteger(BigInt.asUintN(64, p.value));
    case 'pointer':
      return jsonInteger(p.addr);
    case 'ksym':
    case 'usym':
    case 'inet':
    case 'mac':
    case 'timestamp':
    case 'stack':
      return jsonString(primitiveText(p, ctx));
    default: {
      const never: never = p;
      throw new Error(`unknown primitive ${JSON.stringify(never)}`);
    }
  }
}

/** One less than a bucket label: JSON buckets are closed intervals [min, max]. */
function oneLess(p: Primitive): bigint | undefined {
  if (p.kind === 'int') return p.signed ? p.value - 1n : p.value === 0n ? -1n : BigInt.asIntN(64, p.value - 1n);
  if (p.kind === 'symbolic') return p.value === 0n ? -1n : BigInt.asIntN(64, p.value - 1n);
  return undefined;
}

export function histJson(hist: Histogram, ctx: FormatContext = DEFAULT_CONTEXT): string {
  const rows = hist.counts.map((count, i) => {
    let row = '{';
    if (i === 0 && hist.lowerBound) row += `"min": ${primitiveJson(hist.lowerBound, ctx)}, `;
    else if (i > 0) row += `"min": ${primitiveJson(hist.labels[i - 1], ctx)}, `;
    if (i < hist.labels.length) {
      const max = oneLess(hist.labels[i]);
      row += `"max": ${max === undefined ? primitiveJson(hist.labels[i], ctx) : jsonInteger(max)}, `;
    }
    return row + `"count": ${count}}`;
  });
  return '[' + rows.join(',') + ']';
}

function orderedMapJson(map: OrderedMap, ctx: FormatContext): string {
  return fields(map.entries.map((e) => [jsonKey(e.key, ctx), valueJson(e.value, ctx)] as const));
}

/** The JSON of a printable value (bpftrace's JsonEmitter<Value>). */
export function valueJson(value: MapValue, ctx: FormatContext = DEFAULT_CONTEXT): string {
  switch (value.kind) {
    case 'primitive':
      return primitiveJson(value.value, ctx);
    case 'hist':
      return histJson(value.hist, ctx);
    case 'map':
      return orderedMapJson(value.map, ctx);
    case 'stats':
      return valueJson(value.value, ctx);
    default: {
      const never: never = value;
      throw new Error(`unknown value ${JSON.stringify(never)}`);
    }
  }
}

/** Whether a value is (or is a map of) the given kind, looking at the first entry. */
function hasKind(value: MapValue, kind: 'stats' | 'hist'): boolean {
  if (value.kind === kind) return true;
  if (value.kind === 'map') {
    const first = value.map.entries[0];
    return first !== undefined && hasKind(first.value, kind);
  }
  return false;
}

/** The message type of a map: `stats` for avg/stats maps, `hist` for histograms, else `map`. */
export function mapMessageType(value: MapValue): 'stats' | 'hist' | 'map' {
  if (hasKind(value, 'stats')) return 'stats';
  if (hasKind(value, 'hist')) return 'hist';
  return 'map';
}

/** One NDJSON line `{"type": "...", "data": ...}`. */
export function jsonLine(type: string, data: string): string {
  return `{"type": "${type}", "data": ${data}}\n`;
}

/** The `-f json` output: everything on stdout, one object per line. */
export class JsonOutput implements Output {
  constructor(
    private readonly sink: OutputSink,
    private readonly ctx: FormatContext = DEFAULT_CONTEXT,
  ) {}

  map(name: string, value: MapValue): void {
    // An empty keyed map prints nothing at all in JSON.
    if (value.kind === 'map' && value.map.entries.length === 0) return;
    this.sink.out(jsonLine(mapMessageType(value), `{${jsonString(name)}: ${valueJson(value, this.ctx)}}`));
  }

  value(value: MapValue): void {
    this.sink.out(jsonLine('value', valueJson(value, this.ctx)));
  }

  printf(text: string): void {
    this.sink.out(jsonLine('printf', jsonString(text)));
  }

  printfDiagnostic(severity: 'error' | 'warning', text: string, locations: readonly SourceLocation[]): void {
    this.sink.out(this.located(severity === 'error' ? 'errorf' : 'warnf', text, locations[0]));
  }

  time(text: string): void {
    this.sink.out(jsonLine('time', jsonString(text)));
  }

  cat(text: string): void {
    this.sink.out(jsonLine('cat', jsonString(text)));
  }

  join(text: string): void {
    this.sink.out(jsonLine('join', jsonString(text)));
  }

  syscall(text: string): void {
    this.sink.out(jsonLine('syscall', jsonString(text)));
  }

  lostEvents(count: bigint | number): void {
    this.sink.out(`{"type": "lost_events", "count": ${count}, "data": {"events": ${count}}}\n`);
  }

  attachedProbes(count: number): void {
    this.sink.out(`{"type": "attached_probes", "count": ${count}, "data": {"probes": ${count}}}\n`);
  }

  runtimeError(error: RuntimeError): void {
    const loc = error.locations[0];
    if (error.kind === 'helper') {
      const head =
        `{"type": "helper_error", "msg": ${jsonString(strerror(-error.retcode))}, ` +
        `"helper": ${jsonString(error.helper)}, "retcode": ${error.retcode}`;
      this.sink.out(head + this.locationFields(loc) + '}\n');
    } else {
      this.sink.out(`{"type": "runtime_error", "msg": ${jsonString(error.message)}` + this.locationFields(loc) + '}\n');
    }
  }

  end(): void {
    // JSON prints nothing between the main loop and the map dump.
  }

  private locationFields(loc: SourceLocation | undefined): string {
    return `, "filename": ${jsonString(loc?.filename ?? '')}, "line": ${loc?.line ?? 0}, "col": ${loc?.column ?? 0}`;
  }

  private located(type: string, msg: string, loc: SourceLocation | undefined): string {
    return `{"type": "${type}", "msg": ${jsonString(msg)}` + this.locationFields(loc) + '}\n';
  }
}
