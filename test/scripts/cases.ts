// The expectations file of the tool tests (tools.cases): one block per tool of scripts/,
// blocks separated by blank lines, `#` lines are comments. Each line is a field name, one
// space, and its value (kept as written, leading spaces included):
//
//   TOOL          the tool's name (scripts/NAME.bt)
//   HEADER        the column header line; the rows are the lines after it, up to the
//                 first empty line
//   ROW           a regular expression every row must match (several ROW lines: each row
//                 must match one of them)
//   ROWS          the least number of rows
//   EXPECT        a line that must appear in the output (trailing spaces ignored)
//   EXPECT_REGEX  a regular expression (m flag) that must match the output (trailing
//                 spaces of each line removed)
//   EXPECT_NONE   text that must not appear in the output
//
// The run itself (workload, seed, duration) is the one named in the tool's EXAMPLE
// header, so the example shown to readers is checked by the same run.
import { readFileSync } from 'node:fs';

export interface ToolCase {
  tool: string;
  line: number;
  header?: string;
  rows: RegExp[];
  minRows: number;
  expects: string[];
  regexes: RegExp[];
  nones: string[];
}

const FIELDS = new Set(['TOOL', 'HEADER', 'ROW', 'ROWS', 'EXPECT', 'EXPECT_REGEX', 'EXPECT_NONE']);

export function readCases(file: string): ToolCase[] {
  const out: ToolCase[] = [];
  let cur: ToolCase | undefined;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trimEnd();
      if (line.startsWith('#')) return;
      if (line === '') {
        cur = undefined;
        return;
      }
      const sp = line.indexOf(' ');
      const field = sp < 0 ? line : line.slice(0, sp);
      const value = sp < 0 ? '' : line.slice(sp + 1);
      if (!FIELDS.has(field)) throw new Error(`${file}:${i + 1}: unknown field '${field}'`);
      if (field === 'TOOL') {
        cur = { tool: value, line: i + 1, rows: [], minRows: 0, expects: [], regexes: [], nones: [] };
        out.push(cur);
        return;
      }
      if (!cur) throw new Error(`${file}:${i + 1}: '${field}' before TOOL`);
      switch (field) {
        case 'HEADER':
          cur.header = value;
          break;
        case 'ROW':
          cur.rows.push(new RegExp(value));
          break;
        case 'ROWS':
          cur.minRows = Number(value);
          break;
        case 'EXPECT':
          cur.expects.push(value);
          break;
        case 'EXPECT_REGEX':
          cur.regexes.push(new RegExp(value, 'm'));
          break;
        case 'EXPECT_NONE':
          cur.nones.push(value);
          break;
      }
    });
  return out;
}

/** Problems with a run's output against a case (empty when it passes). */
export function checkCase(c: ToolCase, stdout: string): string[] {
  const failures: string[] = [];
  const lines = stdout.split('\n').map((l) => l.trimEnd());
  if (c.header !== undefined) {
    const at = lines.indexOf(c.header);
    if (at < 0) failures.push(`header line not found: '${c.header}'`);
    else {
      const end = lines.indexOf('', at + 1);
      const rows = lines.slice(at + 1, end < 0 ? lines.length : end);
      if (rows.length < c.minRows) failures.push(`${rows.length} rows, expected at least ${c.minRows}`);
      if (c.rows.length) {
        for (const r of rows) if (!c.rows.some((re) => re.test(r))) failures.push(`row does not match the ROW patterns: '${r}'`);
      }
    }
  }
  for (const e of c.expects) if (!lines.includes(e)) failures.push(`expected line not found: '${e}'`);
  const trimmed = lines.join('\n');
  for (const re of c.regexes) if (!re.test(trimmed)) failures.push(`no match for ${re}`);
  for (const n of c.nones) if (stdout.includes(n)) failures.push(`unexpected text found: '${n}'`);
  return failures;
}
