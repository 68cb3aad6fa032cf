// Concrete probes (what one attach point expands to, ready for the lowering and the
// attacher), the provider classification of probe kinds, and the matching helpers the
// attach-point pass uses: glob wildcards and nearest-name suggestions.
import type { KernelFunc, ProbeKind, Tracepoint, UserSymbol } from './catalogue';

/** bpftrace's probe providers this front end understands. */
export type Provider =
  | 'begin'
  | 'end'
  | 'kprobe'
  | 'kretprobe'
  | 'uprobe'
  | 'uretprobe'
  | 'tracepoint'
  | 'rawtracepoint'
  | 'fentry'
  | 'fexit'
  | 'profile'
  | 'interval'
  | 'software'
  | 'hardware'
  | 'other';

export const PROVIDERS: readonly Provider[] = [
  'begin', 'end', 'kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'tracepoint', 'rawtracepoint', 'fentry', 'fexit', 'profile', 'interval', 'software', 'hardware',
];

/** The provider of a catalogue kind (by its name or aliases, case-insensitively for BEGIN/END). */
export function providerOf(kind: ProbeKind): Provider {
  for (const n of [kind.name, ...kind.aliases]) {
    const l = n.toLowerCase();
    if ((PROVIDERS as readonly string[]).includes(l)) return l as Provider;
    if (l === 'kfunc') return 'fentry';
    if (l === 'kretfunc') return 'fexit';
  }
  return 'other';
}

export interface ConcreteProbe {
  /** Full canonical name, as the `probe` builtin prints it (`kprobe:vfs_read`). */
  name: string;
  /** Canonical kind name from the catalogue. */
  kind: string;
  provider: Provider;
  progType: ProbeKind['progType'];
  isReturn: boolean;
  /** Kernel function (kprobe, kretprobe, fentry, fexit). */
  func?: string;
  kernelFunc?: KernelFunc;
  module?: string;
  /** Byte offset into the function (`kprobe:f+0x10`, `uprobe:bin:f+4`). */
  offset?: number;
  /** User binary path and symbol (uprobe, uretprobe); or an absolute address. */
  binary?: string;
  symbol?: UserSymbol;
  address?: number;
  /** Tracepoint category, event and format. */
  category?: string;
  event?: string;
  tracepoint?: Tracepoint;
  /** profile / interval: the unit as written (s, ms, us, hz) and the value. */
  unit?: string;
  rate?: number;
  /** profile / interval: the period in nanoseconds. */
  periodNs?: number;
  /** software / hardware: event name and sample period (undefined: the default). */
  eventName?: string;
  count?: number;
}

// ---------------------------------------------------------------------------------------
// Wildcards.

export function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

const globCache = new Map<string, RegExp>();

/** A regular expression for a shell-style pattern (`*`, `?`, `[a-z]`, `[!x]`). */
export function globRegExp(pattern: string): RegExp {
  const hit = globCache.get(pattern);
  if (hit) return hit;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  const r = new RegExp(re + '$');
  if (globCache.size > 4096) globCache.clear();
  globCache.set(pattern, r);
  return r;
}

export function globMatch(pattern: string, s: string): boolean {
  return hasWildcard(pattern) ? globRegExp(pattern).test(s) : pattern === s;
}

// ---------------------------------------------------------------------------------------
// Suggestions.

/** Two rows of the edit-distance table, reused between calls (candidate lists run to thousands). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** The edit distance of `a` and `b` when at most `max`, else some number above `max`. */
function levenshtein(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (rowA.length <= lb) {
    rowA = new Int32Array(lb + 1);
    rowB = new Int32Array(lb + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= lb; j++) {
      const sub = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

/** Up to `n` candidates closest to `name` (edit distance, then shared prefix), best first. */
export function nearestNames(name: string, candidates: Iterable<string>, n = 3): string[] {
  const max = Math.max(2, Math.floor(name.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = levenshtein(name, c, max);
    if (d <= max) scored.push({ c, d });
    else if (name.length >= 4 && (c.startsWith(name) || c.includes(name))) scored.push({ c, d: max + 1 });
  }
  scored.sort((x, y) => x.d - y.d || x.c.length - y.c.length || (x.c < y.c ? -1 : 1));
  return [...new Set(scored.map((s) => s.c))].slice(0, n);
}

/** Parses an unsigned integer or duration (`1000`, `0x10`, `5s`, `100ms`), as nanoseconds for durations. */
export function parseUint(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  const dur = /^(\d+)(ns|us|ms|s|m|h|d)$/.exec(t);
  if (dur) {
    const mul: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };
    return Number(dur[1]) * mul[dur[2]];
  }
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  if (/^\d+e\d+$/.test(t)) {
    const [m, e] = t.split('e');
    return Number(m) * 10 ** Number(e);
  }
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}
