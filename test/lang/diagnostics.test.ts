// Error and warning messages, compared as rendered text (data/errors.txt): each case's
// program is checked against the fixture catalogue and everything printed must match.
// Also the renderer's own rules (columns, tabs, multi-line spans, end of file).
import { describe, expect, test } from 'vitest';
import { frontEnd, renderDiagnostic } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { tableCases } from './helpers';

function options(opts: Record<string, string>) {
  const config: Record<string, string> = {};
  for (const kv of (opts.config ?? '').split(',').filter((x) => x)) {
    const [k, v] = kv.split(':');
    config[k] = v;
  }
  return {
    catalogue: CATALOGUE,
    unsafe: 'unsafe' in opts,
    hasChild: 'child' in opts,
    params: opts.params ? opts.params.split(',') : [],
    file: opts.file ?? 'stdin',
    config,
  };
}

/** What the front end prints for a case (used by the table and to write new cases). */
export function runCase(header: string, program: string): string {
  const [, opts = ''] = header.split(' | ');
  const o: Record<string, string> = {};
  for (const x of opts.trim().split(/\s+/).filter((y) => y)) {
    const eq = x.indexOf('=');
    if (eq < 0) o[x] = '';
    else o[x.slice(0, eq)] = x.slice(eq + 1);
  }
  return frontEnd(program, options(o)).rendered;
}

describe('diagnostics of data/errors.txt', () => {
  const cases = tableCases('errors.txt');
  test('has cases', () => expect(cases.length).toBeGreaterThan(100));
  test.each(cases.map((c) => [c.name, c]))('%s', (_name, c) => {
    const r = frontEnd(c.program, options(c.options));
    expect(r.rendered).toBe(c.expected);
  });
});

describe('the renderer', () => {
  const src = (text: string) => ({ file: 'stdin', text });

  test('columns are 1-based with an exclusive end', () => {
    const text = 'BEGIN { @x = fake; }';
    expect(renderDiagnostic({ severity: 'error', message: "Unknown identifier: 'fake'", span: { start: 13, end: 17 } }, src(text))).toBe(
      "stdin:1:14-18: ERROR: Unknown identifier: 'fake'\nBEGIN { @x = fake; }\n             ~~~~",
    );
  });

  test('tabs print as four spaces and the underline follows', () => {
    const text = 'BEGIN {\n\t@x = y;\n}';
    const r = renderDiagnostic({ severity: 'warning', message: 'w', span: { start: 14, end: 15 } }, src(text));
    expect(r).toBe('stdin:2:7-8: WARNING: w\n    @x = y;\n         ~');
  });

  test('a span over several lines prints the line range and every line', () => {
    const text = 'a\nbb\nccc\n';
    const r = renderDiagnostic({ severity: 'error', message: 'm', span: { start: 2, end: 8 } }, { file: 'f.bt', text });
    expect(r).toBe('f.bt:2-3: ERROR: m\nbb\nccc');
  });

  test('an empty span at the end of the input', () => {
    const text = 'BEGIN { 1 ';
    const r = renderDiagnostic({ severity: 'error', message: 'e', span: { start: 10, end: 10 } }, src(text));
    expect(r).toBe('stdin:1:11-11: ERROR: e\nBEGIN { 1 \n          ');
  });

  test('no span: only the message; hints follow', () => {
    expect(renderDiagnostic({ severity: 'error', message: 'm', hints: ['h1', 'h2'] }, src(''))).toBe('ERROR: m\nHINT: h1\nHINT: h2');
  });

  test('errors come before warnings', () => {
    const r = frontEnd('BEGIN { let $x; } BEGIN { @y = nope; }', { catalogue: CATALOGUE });
    expect(r.rendered.indexOf('ERROR')).toBeLessThan(r.rendered.indexOf('WARNING') === -1 ? Infinity : r.rendered.indexOf('WARNING'));
    expect(r.ok).toBe(false);
  });
});

describe('limits', () => {
  test('bracket nesting past the limit is refused with a position', () => {
    const src = `BEGIN { $x = ${'('.repeat(60)}1${')'.repeat(60)}; }`;
    const r = frontEnd(src, { catalogue: CATALOGUE });
    expect(r.diagnostics).toEqual([
      { severity: 'error', message: 'Program too deeply nested: more than 50 levels of parentheses, brackets and braces', span: { start: 62, end: 63 } },
    ]);
  });

  test('nesting within the limit works, and brackets in strings and comments do not count', () => {
    const src = `BEGIN { $x = ${'('.repeat(45)}1${')'.repeat(45)}; printf("${'('.repeat(80)}\\n"); /* ${'{'.repeat(80)} */ }`;
    expect(frontEnd(src, { catalogue: CATALOGUE }).rendered).toBe('');
  });

  test('an expression too long to type is an error, not an exception', () => {
    const src = `BEGIN { $x = ${Array.from({ length: 20000 }, () => '1').join(' + ')}; }`;
    const r = frontEnd(src, { catalogue: CATALOGUE });
    if (!r.ok) expect(r.diagnostics.map((d) => d.message)).toEqual(['Program too complex: its expressions nest too deeply to compile']);
  });
});
