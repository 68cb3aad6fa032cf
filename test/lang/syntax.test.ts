// Parser round trips: every program of data/syntax.bt, of the corpus and of scripts/ is
// parsed, printed back, reparsed to the same tree (spans aside), and printing is stable.
import { describe, expect, test } from 'vitest';
import { parse, printProgram } from '../../lang';
import { corpusPrograms, syntaxCases } from './helpers';

/** The tree without source positions (what a round trip must preserve). */
function shape(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(shape);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'span' || k === 'nameSpan' || k === 'opSpan' || k === 'source' || k === 'file' || v === undefined) continue;
      out[k] = shape(v);
    }
    return out;
  }
  return typeof x === 'bigint' ? `${x}n` : x;
}

function roundTrip(source: string): void {
  const first = parse(source);
  expect(first.diagnostics.map((d) => d.message)).toEqual([]);
  expect(first.program).toBeDefined();
  const printed = printProgram(first.program!);
  const second = parse(printed);
  expect(second.diagnostics.map((d) => d.message), printed).toEqual([]);
  expect(shape(second.program!.items), printed).toEqual(shape(first.program!.items));
  expect(printProgram(second.program!)).toBe(printed);
}

describe('round trip of data/syntax.bt', () => {
  const cases = syntaxCases();
  test('has cases', () => expect(cases.length).toBeGreaterThan(40));
  test.each(cases.map((c, i) => [i + 1, c.split('\n')[0], c]))('case %i: %s', (_i, _first, source) => roundTrip(source as string));
});

describe('round trip of the corpus and scripts/', () => {
  test.each(corpusPrograms().map((p) => [p.name, p.source]))('%s', (_name, source) => roundTrip(source));
});

describe('parse results', () => {
  test('spans cover the source they came from', () => {
    const src = 'kprobe:vfs_read /pid == 1/ { @x[comm] = count(); $y = (uint32)arg0 + 1; }';
    const p = parse(src).program!;
    const probe = p.items[0];
    if (probe.kind !== 'probe') throw new Error('expected a probe');
    expect(src.slice(probe.attachPoints[0].span.start, probe.attachPoints[0].span.end)).toBe('kprobe:vfs_read');
    expect(src.slice(probe.predicate!.span.start, probe.predicate!.span.end)).toBe('pid == 1');
    const assign = probe.body.stmts[1];
    if (assign.kind !== 'assign') throw new Error('expected an assignment');
    expect(src.slice(assign.span.start, assign.span.end)).toBe('$y = (uint32)arg0 + 1');
    expect(src.slice(assign.value.span.start, assign.value.span.end)).toBe('(uint32)arg0 + 1');
  });

  test('binary operators follow C precedence and associativity', () => {
    const p = parse('BEGIN { $x = 1 - 2 - 3 * 4 << 1 == 5 && 6 | 7; }').program!;
    const probe = p.items[0];
    if (probe.kind !== 'probe' || probe.body.stmts[0].kind !== 'assign') throw new Error('shape');
    const v = probe.body.stmts[0].value;
    // ((((1 - 2) - (3 * 4)) << 1) == 5) && (6 | 7)
    expect(v.kind === 'binop' && v.op).toBe('&&');
    if (v.kind !== 'binop' || v.left.kind !== 'binop' || v.right.kind !== 'binop') throw new Error('shape');
    expect(v.left.op).toBe('==');
    expect(v.right.op).toBe('|');
    const shl = v.left.left;
    if (shl.kind !== 'binop' || shl.left.kind !== 'binop') throw new Error('shape');
    expect(shl.op).toBe('<<');
    expect(shl.left.op).toBe('-');
    expect(shl.left.left.kind === 'binop' && shl.left.left.op).toBe('-');
  });

  test('literals decode', () => {
    const p = parse('BEGIN { $a = 0x1f + 010 + 1_000 + 2e3 + 5ms + 1m; $s = "a\\tb\\x41\\101\\n"; }').program!;
    const probe = p.items[0];
    if (probe.kind !== 'probe') throw new Error('shape');
    const ints: bigint[] = [];
    const strs: string[] = [];
    const walk = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (o.kind === 'int') ints.push(o.value as bigint);
      if (o.kind === 'str') strs.push(o.value as string);
      Object.values(o).forEach(walk);
    };
    walk(probe.body);
    expect(ints).toEqual([31n, 8n, 1000n, 2000n, 5_000_000n, 60_000_000_000n]);
    expect(strs).toEqual(['a\tbAA\n']);
  });

  test('a block ending in an expression is a block expression', () => {
    const p = parse('BEGIN { $v = { let $t = 2; $t * 2 }; }').program!;
    const probe = p.items[0];
    if (probe.kind !== 'probe' || probe.body.stmts[0].kind !== 'assign') throw new Error('shape');
    const v = probe.body.stmts[0].value;
    expect(v.kind).toBe('blockExpr');
    if (v.kind === 'blockExpr') {
      expect(v.stmts.map((s) => s.kind)).toEqual(['let']);
      expect(v.result?.kind).toBe('binop');
    }
  });
});
