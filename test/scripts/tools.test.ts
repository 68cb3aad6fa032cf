// End-to-end tests of the tools of scripts/: each tool runs once on the workload, seed and
// duration its EXAMPLE header names; the run must attach cleanly, reproduce the example
// shown in the header, and meet the expectations of tools.cases (column header, row
// shapes, deterministic key values). Every tool needs a header and a case, and runs as
// an executable (`#!/usr/bin/env bpfsim`).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkCase, readCases } from './cases';
import { exampleMismatch, parseHeader } from './header';
import { SCRIPTS_DIR, runTool, toolSource } from './run';

const here = dirname(fileURLToPath(import.meta.url));
const CASES = readCases(join(here, 'tools.cases'));
const TOOLS = readdirSync(SCRIPTS_DIR)
  .filter((f) => f.endsWith('.bt'))
  .map((f) => f.slice(0, -3))
  .sort();

describe('the tool library', () => {
  test('has at least 30 tools', () => expect(TOOLS.length).toBeGreaterThanOrEqual(30));
  test('every tool has a case and every case a tool', () => {
    expect(CASES.map((c) => c.tool).sort()).toEqual(TOOLS);
  });
  test('the README lists every tool, once, in its Tools section', () => {
    const readme = readFileSync(join(SCRIPTS_DIR, '..', 'README.md'), 'utf8');
    const section = /^## Tools\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
    const listed = [...section.matchAll(/^- `([\w-]+)\.bt`: \S/gm)].map((m) => m[1]);
    expect(listed).toEqual(TOOLS);
  });
  test.each(TOOLS)('%s is an executable bpfsim script', (tool) => {
    expect(toolSource(tool).split('\n', 1)[0]).toBe('#!/usr/bin/env bpfsim');
    expect(statSync(join(SCRIPTS_DIR, `${tool}.bt`)).mode & 0o111).toBe(0o111);
  });
  test('a tool runs as an executable through its #! line, options after the script', () => {
    const env = { ...process.env, PATH: `${join(SCRIPTS_DIR, '..', 'bin')}:${process.env.PATH ?? ''}` };
    const out = execFileSync(join(SCRIPTS_DIR, 'loads.bt'), ['--duration', '2s', '--speed', 'max'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/^\d\d:\d\d:\d\d load averages: \d+\.\d+ \d+\.\d+ \d+\.\d+$/m);
  });
  test.each(TOOLS)('%s has a header with its purpose, USAGE and an EXAMPLE', (tool) => {
    const h = parseHeader(tool, toolSource(tool));
    expect(h.purpose.length).toBeGreaterThan(20);
    expect(h.usage).toMatch(new RegExp(`^bpfsim .*scripts/${tool}\\.bt`));
  });
});

describe.each(CASES.map((c) => [c.tool, c] as const))('%s', (tool, c) => {
  test('runs its example and meets its case', async () => {
    const header = parseHeader(tool, toolSource(tool));
    const r = await runTool(tool, header.run);
    const failures: string[] = [];
    if (r.code !== 0) failures.push(`exit code ${r.code}`);
    if (!/^Attached \d+ probes?$/m.test(r.stderr)) failures.push('no "Attached N probes" on stderr');
    if (/ERROR|WARNING/.test(r.stderr)) failures.push('errors or warnings on stderr');
    const mismatch = exampleMismatch(header.example, r.stdout);
    if (mismatch) failures.push(`EXAMPLE: ${mismatch}`);
    failures.push(...checkCase(c, r.stdout));
    expect(failures, `${failures.join('\n')}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`).toEqual([]);
  });
});
