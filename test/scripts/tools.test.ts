// End-to-end tests of the tools of scripts/: each tool runs once on the workload, seed and
// duration its EXAMPLE header names; the run must attach cleanly, reproduce the example
// shown in the header, and meet the expectations of tools.cases (column header, row
// shapes, deterministic key values). Every tool needs a header and a case.
import { readdirSync } from 'node:fs';
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
