// Performing the asynchronous actions programs send through the ring buffer: each record
// starts with the id of an entry of the script's event table (lang/lower/script.ts),
// whose layout says how to decode the rest. printf and friends are formatted here,
// print()ed values and maps, clear/zero, time, join, exit, failed helpers and asserts
// reach the Output; exit requests are handed back to the session.
import { lineCol } from '../lang';
import type { EventSpec, LoweredScript } from '../lang/lower';
import { decodeString } from './output/decode';
import type { Output, SourceLocation } from './output/output';
import { formatPrintf } from './output/printf/apply';
import { type ParsedFormat, parseFormat } from './output/printf/format-string';
import { formatTimeBuiltin, type TimeZone } from './output/strftime';
import { logText, strftimeFailedText } from './output/messages';
import * as V from './output/value';
import { type DecodeContext, decodeValue } from './values';

/** What performing events needs from the session. */
export interface EventHost {
  out: Output;
  /** Where stderr text goes (warnings that are not part of the Output interface). */
  err(text: string): void;
  decode: DecodeContext;
  zone: TimeZone;
  /** Wall-clock ns now (time()). */
  nowWall(): bigint;
  /** Prints a map now (print(@m, top, div)). */
  printMap(name: string, top: number, div: number): void;
  clearMap(name: string): void;
  zeroMap(name: string): void;
  /** exit(code) was called. */
  exit(code: number): void;
  /** The contents of a file in the simulated machine, or an error text (cat()). */
  readFile(path: string): { ok: true; text: string } | { ok: false; error: string };
  /** Runs a command (system()): its output now, or undefined when the command prints it itself later. */
  runCommand(cmd: string): string | undefined;
}

const i64 = (b: Uint8Array, off: number): bigint => {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return BigInt.asIntN(64, v);
};

/** A source location for messages (`stdin:1:5-12` and the underlined line). */
export function sourceLocation(file: string, source: string, span: { start: number; end: number }): SourceLocation {
  const a = lineCol(source, span.start);
  const b = lineCol(source, Math.max(span.start, span.end - 1));
  const line = source.split('\n')[a.line - 1] ?? '';
  const endCol = a.line === b.line ? b.col + 1 : line.length + 1;
  const marker = ' '.repeat(a.col - 1) + '~'.repeat(Math.max(1, endCol - a.col));
  return { filename: file, line: a.line, column: a.col, text: `${file}:${a.line}:${a.col}-${endCol}`, context: [line, marker] };
}

export class EventHandler {
  private readonly parsed = new Map<number, ParsedFormat>();

  constructor(
    private readonly script: LoweredScript,
    private readonly file: string,
    private readonly source: string,
    private readonly host: EventHost,
  ) {}

  /** Performs one ring-buffer record. */
  handle(rec: Uint8Array): void {
    const id = Number(i64(rec, 0));
    const e = this.script.events[id];
    if (!e) {
      this.host.err(logText('warning', `unknown event id ${id} from a program`));
      return;
    }
    try {
      this.perform(e, rec);
    } catch (err) {
      // A record that does not decode is reported, not thrown through the kernel's loop.
      this.host.err(logText('warning', `cannot perform a ${e.kind} event: ${err instanceof Error ? err.message : String(err)}`, this.location(e)));
    }
  }

  private location(e: EventSpec): SourceLocation {
    return sourceLocation(this.file, this.source, e.span);
  }

  private perform(e: EventSpec, rec: Uint8Array): void {
    const h = this.host;
    switch (e.kind) {
      case 'format': {
        const args = e.args.map((t, i) => decodeValue(rec, e.offsets[i], t, h.decode));
        let parsed = this.parsed.get(e.id);
        if (!parsed) this.parsed.set(e.id, (parsed = parseFormat(e.format)));
        const text = formatPrintf(parsed, args, { zone: h.zone });
        switch (e.fn) {
          case 'printf':
            h.out.printf(text);
            return;
          case 'errorf':
          case 'warnf':
            h.out.printfDiagnostic(e.fn === 'errorf' ? 'error' : 'warning', text, [this.location(e)]);
            return;
          case 'cat': {
            const r = h.readFile(text);
            if (r.ok) h.out.cat(r.text);
            else h.err(logText('error', r.error));
            return;
          }
          case 'system': {
            const now = h.runCommand(text);
            if (now !== undefined) h.out.syscall(now);
            return;
          }
        }
        return;
      }
      case 'printValue':
        h.out.value(V.primitiveValue(decodeValue(rec, 8, e.ty, h.decode)));
        return;
      case 'printMap':
        h.printMap(e.map, e.top, e.div);
        return;
      case 'clear':
        h.clearMap(e.map);
        return;
      case 'zero':
        h.zeroMap(e.map);
        return;
      case 'exit':
        h.exit(Number(i64(rec, 8)));
        return;
      case 'time': {
        const text = formatTimeBuiltin(e.format, h.nowWall(), h.zone);
        if (text === null) h.err(strftimeFailedText());
        else h.out.time(text);
        return;
      }
      case 'join': {
        const n = Number(i64(rec, 8));
        const parts: string[] = [];
        for (let i = 0; i < Math.min(n, e.count); i++) {
          const p = decodeString(rec.subarray(16 + i * e.argSize, 16 + (i + 1) * e.argSize));
          parts.push(p.kind === 'string' ? p.value : '');
        }
        h.out.join(parts.join(e.sep));
        return;
      }
      case 'helperError':
        h.out.runtimeError({ kind: 'helper', helper: e.helper, retcode: Number(i64(rec, 8)), locations: [this.location(e)] });
        return;
      case 'assert':
        h.err(logText('error', `assert() failed: ${e.message}`, this.location(e)));
        h.exit(1);
        return;
      default: {
        const never: never = e;
        h.err(logText('warning', `unknown event ${JSON.stringify(never)}`));
      }
    }
  }
}
