// Reads the verifier's accept/reject case files (test/vm/verifier/cases/*.txt) into
// ProgramSpecs with their expected verdicts. The format, one case after another:
//
//   === name of the case
//   @type kprobe | kretprobe | uprobe | tracepoint:CAT:NAME | perf_event | raw SIZE
//   @map NAME TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES      (TYPE: hash, array, ringbuf, ...)
//   @limit N                                            (processed-instruction budget)
//   @kernel accept|reject|skip REASON                   (a known disagreement with Linux)
//   @log TEXT                                           (a line the log must contain)
//   @processed N                                        (at most N processed instructions)
//   r0 = 0                                              (assembler text, either syntax)
//   exit
//   --> accept
//   --> reject MESSAGE                                  (the exact last line; @N pins the insn)
//
// Directives may stand anywhere in a case; `#` starts a comment line.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../../vm/asm/assemble';
import type { ProgramSpec, CtxLayout } from '../../../vm/program';
import type { MapSpec, MapTypeId } from '../../../vm/maps/types';
import { MapType } from '../../../vm/maps/types';
import { PERF_EVENT_DATA, PT_REGS } from '../../../vm/ctx/layouts';
import { TEST_TRACEPOINTS } from '../../../vm/verifier/tracepoints';

export interface VerifierCase {
  file: string;
  line: number;
  name: string;
  spec: ProgramSpec;
  expect: { ok: boolean; message?: string; insn?: number };
  /** Linux's verdict where it differs from ours, with the reason. */
  kernel?: { verdict: 'accept' | 'reject' | 'skip'; reason: string };
  limit?: number;
  /** Lines the log must contain. */
  logHas: string[];
  /** At most this many processed instructions (pruning at work). */
  maxProcessed?: number;
  /** Linux program type number for the oracle (undefined: no Linux equivalent). */
  linuxType?: number;
  /** The ProgramSpec type label as written (kprobe, tracepoint:..., raw 64). */
  typeLabel: string;
}

export const CASE_DIR = join(import.meta.dirname, 'cases');

const MAP_TYPES: Record<string, MapTypeId> = {
  hash: MapType.HASH, array: MapType.ARRAY, percpu_hash: MapType.PERCPU_HASH, percpu_array: MapType.PERCPU_ARRAY,
  lru_hash: MapType.LRU_HASH, lru_percpu_hash: MapType.LRU_PERCPU_HASH, stack_trace: MapType.STACK_TRACE,
  ringbuf: MapType.RINGBUF, perf_event_array: MapType.PERF_EVENT_ARRAY, prog_array: MapType.PROG_ARRAY,
};

/** The ctx layout and Linux program type number for a `@type` value. */
export function programType(label: string): { type: ProgramSpec['type']; ctx: CtxLayout; linux?: number } {
  const [kind, ...rest] = label.split(/\s+/);
  if (kind === 'kprobe' || kind === 'kretprobe' || kind === 'uprobe') return { type: 'kprobe', ctx: PT_REGS, linux: 2 };
  if (kind === 'perf_event') return { type: 'perf_event', ctx: PERF_EVENT_DATA, linux: 7 };
  if (kind === 'raw') {
    const size = Number(rest[0] ?? 64);
    return { type: 'raw', ctx: { name: 'raw', size, fields: [{ name: 'data', offset: 0, size }] } };
  }
  if (kind.startsWith('tracepoint:')) {
    const name = kind.slice('tracepoint:'.length);
    const ctx = TEST_TRACEPOINTS[name];
    if (!ctx) throw new Error(`unknown tracepoint ${name}`);
    return { type: 'tracepoint', ctx, linux: 5 };
  }
  throw new Error(`unknown program type ${label}`);
}

export function parseCases(text: string, file: string): VerifierCase[] {
  const out: VerifierCase[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const l = lines[i].trim();
    if (!l.startsWith('===')) {
      if (l && !l.startsWith('#')) throw new Error(`${file}:${i + 1}: expected '=== name', got '${l}'`);
      i++;
      continue;
    }
    const start = i + 1;
    const name = l.slice(3).trim();
    i++;
    let typeLabel = 'kprobe';
    const maps: MapSpec[] = [];
    let limit: number | undefined;
    let kernel: VerifierCase['kernel'];
    const logHas: string[] = [];
    let maxProcessed: number | undefined;
    const body: string[] = [];
    let expect: VerifierCase['expect'] | undefined;
    for (; i < lines.length && !lines[i].trim().startsWith('==='); i++) {
      const t = lines[i].trim();
      if (t.startsWith('@')) {
        const [d, ...args] = t.slice(1).split(/\s+/);
        if (d === 'type') typeLabel = args.join(' ');
        else if (d === 'map') {
          const [mname, mtype, k, v, max] = args;
          const type = MAP_TYPES[mtype];
          if (type === undefined) throw new Error(`${file}:${i + 1}: unknown map type ${mtype}`);
          maps.push({ name: mname, type, keySize: Number(k), valueSize: Number(v), maxEntries: Number(max) });
        } else if (d === 'limit') limit = Number(args[0]);
        else if (d === 'log') logHas.push(args.join(' '));
        else if (d === 'processed') maxProcessed = Number(args[0]);
        else if (d === 'kernel') kernel = { verdict: args[0] as 'accept' | 'reject' | 'skip', reason: args.slice(1).join(' ') };
        else throw new Error(`${file}:${i + 1}: unknown directive @${d}`);
        continue;
      }
      if (t.startsWith('-->')) {
        const m = /^-->\s*(accept|reject)(?:@(\d+))?\s*(.*)$/.exec(t);
        if (!m) throw new Error(`${file}:${i + 1}: bad expectation '${t}'`);
        expect = { ok: m[1] === 'accept', insn: m[2] !== undefined ? Number(m[2]) : undefined, message: m[3] || undefined };
        continue;
      }
      if (!expect) body.push(lines[i]);
      else if (t && !t.startsWith('#')) throw new Error(`${file}:${i + 1}: text after the expectation: '${t}'`);
    }
    if (!expect) throw new Error(`${file}:${start}: case '${name}' has no '-->' line`);
    const asm = assemble(body.join('\n'));
    const ordered: MapSpec[] = asm.maps.map((n) => {
      const m = maps.find((x) => x.name === n);
      if (!m) throw new Error(`${file}:${start}: map ${n} is not declared`);
      return m;
    });
    for (const m of maps) if (!ordered.includes(m)) ordered.push(m);
    const pt = programType(typeLabel);
    out.push({
      file,
      line: start,
      name,
      spec: { name, type: pt.type, insns: asm.insns, maps: ordered, ctx: pt.ctx },
      expect,
      kernel,
      limit,
      logHas,
      maxProcessed,
      linuxType: pt.linux,
      typeLabel,
    });
  }
  return out;
}

/** Every case of every file in dir (the case folder beside this file by default). */
export function loadAllCases(dir = CASE_DIR): VerifierCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => parseCases(readFileSync(join(dir, f), 'utf8'), f));
}
