// Parsers for flag values: pids, seeds, CPU counts, durations, speeds, output formats,
// buffering modes and debug stages. Each returns the value or the message bpftrace (or,
// for the simulator's own options, bpfsim) prints after `ERROR: `. No I/O, no exits.
import { BUFFER_MODES, DEBUG_STAGES, OUTPUT_FORMATS, type BufferMode, type DebugStage, type OutputFormat, type Speed } from './request';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Linux's nominal pid_max on 64-bit systems, which bpftrace checks -p against. */
export const PID_MAX = 0x400000;
export const MAX_CPUS = 64;

/** A decimal, hex (0x) or octal (0) unsigned integer with optional `_` separators, as bpftrace's to_uint reads it. */
function toUint(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
  if (/^0[0-7]+$/.test(t)) return BigInt(`0o${t.slice(1)}`);
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  return undefined;
}

export function parsePid(text: string): Parsed<number> {
  const v = toUint(text);
  if (v === undefined) return fail(`Failed to parse pid: invalid integer: ${text}`);
  if (v > BigInt(PID_MAX) || v === 0n) return fail(`Pid out of range: ${text}`);
  return ok(Number(v));
}

export function parseSeed(text: string): Parsed<number> {
  const v = toUint(text);
  if (v === undefined || v > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`USAGE: --seed must be a non-negative integer (got '${text}').`);
  return ok(Number(v));
}

export function parseCpus(text: string): Parsed<number> {
  const v = toUint(text);
  if (v === undefined || v < 1n || v > BigInt(MAX_CPUS)) return fail(`USAGE: --cpus must be an integer from 1 to ${MAX_CPUS} (got '${text}').`);
  return ok(Number(v));
}

/** Nanoseconds per unit of bpftrace's duration suffixes. */
const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };

/** `5s`, `250ms`, `1.5m`, `2h`; a bare number is seconds. */
export function parseDuration(text: string): Parsed<number> {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h|d)?$/.exec(text.replace(/_/g, ''));
  const bad = fail<number>(`USAGE: --duration must be a time such as 5s, 250ms or 2m (got '${text}').`);
  if (!m) return bad;
  const ns = Math.round(Number(m[1]) * UNIT_NS[m[2] ?? 's']);
  if (!Number.isFinite(ns) || ns <= 0 || ns > Number.MAX_SAFE_INTEGER) return bad;
  return ok(ns);
}

/** `realtime`, `max`, or a factor such as `10x`, `0.5x` (the `x` may be left out). */
export function parseSpeed(text: string): Parsed<Speed> {
  if (text === 'realtime') return ok({ kind: 'realtime' });
  if (text === 'max') return ok({ kind: 'max' });
  const m = /^([0-9]+(?:\.[0-9]+)?)x?$/.exec(text);
  const factor = m ? Number(m[1]) : NaN;
  if (!(factor > 0) || factor > 1e6) return fail(`USAGE: --speed must be 'realtime', 'max' or a factor such as '10x' (got '${text}').`);
  return ok(factor === 1 ? { kind: 'realtime' } : { kind: 'factor', factor });
}

export function speedText(s: Speed): string {
  switch (s.kind) {
    case 'realtime':
      return 'realtime';
    case 'max':
      return 'max';
    case 'factor':
      return `${s.factor}x`;
    default: {
      const never: never = s;
      return never;
    }
  }
}

export function parseFormat(text: string): Parsed<OutputFormat> {
  const f = OUTPUT_FORMATS.find((x) => x === text);
  return f ? ok(f) : fail(`Invalid output format "${text}"\nValid formats: 'text', 'json'`);
}

export function parseBuffering(text: string): Parsed<BufferMode> {
  const b = BUFFER_MODES.find((x) => x === text);
  return b ? ok(b) : fail("USAGE: -B must be either 'line', 'full', or 'none'.");
}

/** A comma-separated list of stages, or `all`; the result keeps DEBUG_STAGES order. */
export function parseDebugStages(text: string): Parsed<DebugStage[]> {
  const chosen = new Set<DebugStage>();
  for (const stage of text.split(',').filter((s) => s !== '')) {
    if (stage === 'all') DEBUG_STAGES.forEach((s) => chosen.add(s));
    else {
      const s = DEBUG_STAGES.find((x) => x === stage);
      if (!s) return fail(`USAGE: invalid option for -d: ${stage}`);
      chosen.add(s);
    }
  }
  return ok(DEBUG_STAGES.filter((s) => chosen.has(s)));
}

/** A workload name checked against the known ones (when the caller knows them). */
export function parseWorkload(text: string, known: readonly string[] | undefined): Parsed<string> {
  if (known && !known.includes(text)) return fail(`USAGE: unknown workload '${text}'. Valid workloads: ${known.map((w) => `'${w}'`).join(', ')}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(text)) return fail(`USAGE: --workload must be a workload name (got '${text}').`);
  return ok(text);
}
