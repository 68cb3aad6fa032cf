// The checks the tool tests rely on can fail: the header parser refuses incomplete
// headers, and the example matcher finds lines out of place, missing or changed.
import { describe, expect, test } from 'vitest';
import { exampleMismatch, parseDuration, parseHeader } from './header';

const HEADER = `/*
 * demo - a demonstration tool that prints things.
 *
 * USAGE: bpfsim scripts/demo.bt
 *
 * EXAMPLE (bpfsim --workload io --seed 3 --duration 250ms --cpus 2 scripts/demo.bt):
 *     a
 *     b
 *     [...]
 *     d
 */
BEGIN { }`;

describe('header', () => {
  test('parses the example command and lines', () => {
    const h = parseHeader('demo', HEADER);
    expect(h.run).toEqual({ workload: 'io', seed: 3, durationNs: 250e6, cpus: 2 });
    expect(h.example).toEqual(['a', 'b', null, 'd']);
    expect(h.purpose).toBe('a demonstration tool that prints things.');
  });
  test.each([
    ['no purpose line', HEADER.replace('demo - ', 'demo: ')],
    ['no USAGE', HEADER.replace('USAGE: ', 'Usage: ')],
    ['no EXAMPLE', HEADER.replace('EXAMPLE (', 'Example (')],
    ['no seed', HEADER.replace('--seed 3 ', '')],
    ['another tool', HEADER.replace('--cpus 2 scripts/demo.bt', 'scripts/other.bt')],
  ])('refuses a header with %s', (_n, text) => {
    expect(() => parseHeader('demo', text)).toThrow();
  });
  test('durations', () => {
    expect(parseDuration('2s')).toBe(2e9);
    expect(parseDuration('15')).toBe(15e9);
    expect(() => parseDuration('soon')).toThrow();
  });
});

describe('example matching', () => {
  const out = 'a\nb\nc\nd  \ne\n';
  test.each([
    [['a', 'b', null, 'd'], undefined],
    [['b', 'c', 'd', 'e'], undefined],
    [[null, 'd', 'e'], undefined],
  ])('%j matches', (ex, want) => expect(exampleMismatch(ex, out)).toBe(want));
  test.each([
    [['a', 'c']],
    [['a', 'b', null, 'x']],
    [['d', null, 'a']],
    [['b', 'c', 'D']],
  ])('%j does not', (ex) => expect(exampleMismatch(ex, out)).toBeDefined());
});
