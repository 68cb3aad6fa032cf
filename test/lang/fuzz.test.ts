// Robustness: mutations and truncations of the corpus, and random token soups, go through
// the whole front end. Nothing may throw, every diagnostic must render, no pass may hit
// an internal error, and whatever still parses must survive the printer round trip.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { frontEnd, parse, printProgram } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { corpusPrograms } from './helpers';

const SEEDS = corpusPrograms()
  .filter((p) => p.name.startsWith('corpus/') || p.name.startsWith('one-liner'))
  .map((p) => p.source);

const TOKENS = [
  '{', '}', '(', ')', '[', ']', ';', ',', ':', '?', '/', '*', '+', '-', '=', '==', '!', '&', '&&', '|', '<<', '>>', '->', '.', '..', '++', '"', '$', '@', '#',
  'if', 'else', 'while', 'for', 'unroll', 'return', 'break', 'let', 'macro', 'config', 'struct', 'sizeof', 'offsetof',
  'BEGIN', 'kprobe:vfs_read', 'tracepoint:syscalls:sys_enter_openat', 'interval:s:1', 'uprobe:/bin/bash:readline',
  '$x', '@m', '@m[1]', 'pid', 'comm', 'args.filename', 'arg0', 'retval', 'count()', 'hist(1)', 'printf("%d\\n", 1)', '"str"', '0x10', '1e3', '5s', '-1',
  '(uint8)', '(struct task_struct *)', 'curtask->comm', '$1', '$#', '/* c */', '// c\n', '\n', ' ', '\t',
];

type Mutation = { kind: 'truncate'; at: number } | { kind: 'delete'; at: number; len: number } | { kind: 'insert'; at: number; token: string } | { kind: 'replace'; at: number; token: string } | { kind: 'dup'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
);

function mutate(src: string, muts: Mutation[]): string {
  let s = src;
  for (const m of muts) {
    const at = s.length ? m.at % (s.length + 1) : 0;
    switch (m.kind) {
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + m.len);
        break;
      case 'insert':
        s = s.slice(0, at) + m.token + s.slice(at);
        break;
      case 'replace':
        s = s.slice(0, at) + m.token + s.slice(at + 1);
        break;
      case 'dup':
        s = s.slice(0, at + m.len) + s.slice(at, at + m.len) + s.slice(at + m.len);
        break;
    }
  }
  return s;
}

/** Runs the front end and checks the properties every input must satisfy. */
function survives(source: string): void {
  let r: ReturnType<typeof frontEnd>;
  try {
    r = frontEnd(source, { catalogue: CATALOGUE, params: ['1', 'x'] });
  } catch (e) {
    throw new Error(`front end threw on ${JSON.stringify(source)}: ${String(e)}`);
  }
  for (const d of r.diagnostics) {
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/internal error/);
    if (d.span) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(source.length);
      expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    }
  }
  expect(typeof r.rendered).toBe('string');
  expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
  const p = parse(source);
  if (p.program) {
    const printed = printProgram(p.program);
    expect(parse(printed).program, printed).toBeDefined();
  }
}

describe('fuzzing the front end', () => {
  test('mutated corpus programs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, muts) => survives(mutate(seed, muts))),
      { numRuns: 250, seed: 7 },
    );
  });

  test('every truncation of a tool', () => {
    const src = SEEDS.find((s) => s.includes('tcplife')) ?? SEEDS[0];
    for (let i = 0; i <= src.length; i += 7) survives(src.slice(0, i));
  });

  test('token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 30 }), (toks) => survives(toks.join(' '))),
      { numRuns: 200, seed: 11 },
    );
  });

  test('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => survives(s)),
      { numRuns: 150, seed: 3 },
    );
  });
});
