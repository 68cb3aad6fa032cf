// How the fake backend understands a program: its attach points (checked against a small
// probe list), the maps it updates and with which aggregation, the printf formats it
// runs, and whether it calls exit(). A pattern reading, not a compiler: enough to drive
// the REPL's flows deterministically in tests.
import { fakeDiagnostic } from './diagnostic';

export const FAKE_PROBES: readonly string[] = [
  'BEGIN',
  'END',
  'interval:s:1',
  'interval:ms:100',
  'kprobe:do_nanosleep',
  'kprobe:vfs_open',
  'kprobe:vfs_read',
  'kprobe:vfs_write',
  'kretprobe:vfs_read',
  'profile:hz:99',
  'tracepoint:raw_syscalls:sys_enter',
  'tracepoint:raw_syscalls:sys_exit',
  'tracepoint:syscalls:sys_enter_openat',
];

const ALIASES: Readonly<Record<string, string>> = { k: 'kprobe', kr: 'kretprobe', t: 'tracepoint', i: 'interval', p: 'profile' };

export type FakeAgg = 'count' | 'hist' | 'sum';

export interface FakeMapDecl {
  name: string;
  agg: FakeAgg;
  keyed: boolean;
}

export interface FakeProgram {
  probes: string[];
  maps: FakeMapDecl[];
  /** printf formats of BEGIN blocks (run once) and of the other blocks (run on every tick). */
  beginPrintfs: string[];
  tickPrintfs: string[];
  /** exit() in a BEGIN block: the program ends right after BEGIN. */
  exitsAtBegin: boolean;
  /** exit() elsewhere: the program ends on the first tick. */
  exitsOnTick: boolean;
}

export type ParseOutcome = { ok: true; program: FakeProgram } | { ok: false; error: string };

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

function unescape(s: string): string {
  return s.replace(/\\(n|t|"|\\)/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

/** Splits `probes { body } probes { body }` into blocks (braces counted, strings skipped). */
function blocks(src: string): { header: string; headerAt: number; body: string }[] | { at: number; message: string } {
  const out: { header: string; headerAt: number; body: string }[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{', i);
    if (open < 0) {
      if (src.slice(i).trim() !== '') return { at: i + src.slice(i).search(/\S/), message: 'syntax error, unexpected end of file, expecting {' };
      break;
    }
    let depth = 0;
    let j = open;
    let inStr = false;
    for (; j < src.length; j++) {
      const c = src[j];
      if (inStr) {
        if (c === '\\') j++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (j >= src.length) return { at: src.length, message: 'syntax error, unexpected end of file, expecting }' };
    const rawHeader = src.slice(i, open);
    out.push({ header: rawHeader.replace(/\/[^/]*\/\s*$/, '').trim(), headerAt: i + rawHeader.search(/\S|$/), body: src.slice(open + 1, j) });
    i = j + 1;
  }
  return out;
}

export function parseFakeProgram(src: string, file: string): ParseOutcome {
  const bs = blocks(src);
  if (!Array.isArray(bs)) return { ok: false, error: fakeDiagnostic(file, src, bs.at, bs.at + 1, bs.message) };
  const program: FakeProgram = { probes: [], maps: [], beginPrintfs: [], tickPrintfs: [], exitsAtBegin: false, exitsOnTick: false };
  for (const b of bs) {
    let at = b.headerAt;
    const points = b.header.split(',');
    for (const raw of points) {
      const point = raw.trim();
      const start = at + raw.indexOf(point);
      at += raw.length + 1;
      const parts = point.split(':');
      const provider = ALIASES[parts[0]] ?? parts[0];
      const canonical = [provider, ...parts.slice(1)].join(':');
      const matches = FAKE_PROBES.filter((p) => glob(canonical).test(p));
      if (matches.length === 0) {
        const known = FAKE_PROBES.some((p) => p.split(':')[0] === provider);
        return { ok: false, error: fakeDiagnostic(file, src, start, start + point.length, known ? `No probes matched: ${point}` : `Invalid probe type: ${parts[0]}`) };
      }
      program.probes.push(...matches);
    }
    const isBegin = points.every((p) => p.trim() === 'BEGIN');
    for (const m of b.body.matchAll(/(@[A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*=\s*(count|hist|sum)\(/g)) {
      if (!program.maps.some((d) => d.name === m[1])) program.maps.push({ name: m[1], agg: m[3] as FakeAgg, keyed: m[2] !== undefined });
    }
    for (const m of b.body.matchAll(/printf\(\s*"((?:[^"\\]|\\.)*)"/g)) (isBegin ? program.beginPrintfs : program.tickPrintfs).push(unescape(m[1]));
    if (/\bexit\(\s*\)/.test(b.body)) {
      if (isBegin) program.exitsAtBegin = true;
      else program.exitsOnTick = true;
    }
  }
  if (program.probes.length === 0) return { ok: false, error: fakeDiagnostic(file, src, 0, Math.max(1, src.length), 'syntax error, unexpected end of file') };
  return { ok: true, program };
}
