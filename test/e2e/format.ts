// The end-to-end test format, after bpftrace's runtime tests: files under test/e2e/cases,
// one test per block of lines (blocks separated by blank lines, `#` lines are comments):
//
//   NAME         the test's name (required)
//   PROG         the program; continues on lines indented past the field name
//   EXPECT       a line (or several: continuation lines) that must appear in the output
//   EXPECT_NONE  text that must not appear anywhere in the output
//   EXPECT_REGEX / EXPECT_REGEX_NONE   a regular expression (per line, `m` flag) that must (not) match
//   RETURN_CODE  the expected exit code (default 0)
//   WORKLOAD     the simulated workload (default `default`)
//   SEED         the world's seed (default 1)
//   DURATION     simulated time to run for when the program does not exit (default 100ms)
//   CPUS         number of CPUs (default 4)
//   PARAMS       positional parameters, space separated
//   FORMAT       text (default) or json
//   CMD          a command to start as the traced child (-c)
//   PID          only trace this process (-p)
//   FLAGS        any of: unsafe, quiet, no-jit, no-warnings, helper-errors
//   TIMEOUT      accepted for compatibility; simulated runs are bounded by DURATION
//
// The output searched is stdout followed by stderr.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type ExpectMode = 'text' | 'none' | 'regex' | 'regex_none';

export interface E2eCase {
  suite: string;
  name: string;
  line: number;
  prog: string;
  expects: { mode: ExpectMode; text: string }[];
  returnCode: number;
  workload?: string;
  seed?: number;
  durationNs?: number;
  cpus?: number;
  params: string[];
  format: 'text' | 'json';
  cmd?: string;
  pid?: number;
  flags: Set<string>;
}

const FIELDS = new Set(['NAME', 'PROG', 'EXPECT', 'EXPECT_NONE', 'EXPECT_REGEX', 'EXPECT_REGEX_NONE', 'RETURN_CODE', 'WORKLOAD', 'SEED', 'DURATION', 'CPUS', 'PARAMS', 'FORMAT', 'CMD', 'PID', 'FLAGS', 'TIMEOUT']);
const FLAGS = new Set(['unsafe', 'quiet', 'no-jit', 'no-warnings', 'helper-errors']);

export class FormatError extends Error {}

/** `100ms`, `2s`, `500us`, `1000` (ns). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s)?$/.exec(text.trim());
  if (!m) throw new FormatError(`bad duration '${text}'`);
  const mul: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
  return Number(m[1]) * mul[m[2] ?? 'ns'];
}

function parseBlock(suite: string, lines: { text: string; n: number }[]): E2eCase {
  const c: E2eCase = { suite, name: '', line: lines[0].n, prog: '', expects: [], returnCode: 0, params: [], format: 'text', flags: new Set() };
  let prev = '';
  for (const { text, n } of lines) {
    if (prev && text.length > prev.length && text.slice(0, prev.length + 1).trim() === '') {
      const cont = text.slice(prev.length + 1);
      if (prev === 'PROG') {
        c.prog += '\n' + cont;
        continue;
      }
      if (prev.startsWith('EXPECT')) {
        c.expects[c.expects.length - 1].text += '\n' + cont;
        continue;
      }
    }
    const m = /^(\S+)\s?(.*)$/.exec(text);
    if (!m || !FIELDS.has(m[1])) throw new FormatError(`${suite}:${n}: unknown field '${m?.[1] ?? text}'`);
    const [, field, value] = m;
    prev = field;
    switch (field) {
      case 'NAME':
        c.name = value.trim();
        break;
      case 'PROG':
        c.prog = value;
        break;
      case 'EXPECT':
        c.expects.push({ mode: 'text', text: value });
        break;
      case 'EXPECT_NONE':
        c.expects.push({ mode: 'none', text: value });
        break;
      case 'EXPECT_REGEX':
        c.expects.push({ mode: 'regex', text: value });
        break;
      case 'EXPECT_REGEX_NONE':
        c.expects.push({ mode: 'regex_none', text: value });
        break;
      case 'RETURN_CODE':
        c.returnCode = Number(value);
        break;
      case 'WORKLOAD':
        c.workload = value.trim();
        break;
      case 'SEED':
        c.seed = Number(value);
        break;
      case 'DURATION':
        c.durationNs = parseDuration(value);
        break;
      case 'CPUS':
        c.cpus = Number(value);
        break;
      case 'PARAMS':
        c.params = value.split(/\s+/).filter(Boolean);
        break;
      case 'FORMAT':
        if (value !== 'text' && value !== 'json') throw new FormatError(`${suite}:${n}: FORMAT is text or json`);
        c.format = value;
        break;
      case 'CMD':
        c.cmd = value;
        break;
      case 'PID':
        c.pid = Number(value);
        break;
      case 'FLAGS':
        for (const f of value.split(/\s+/).filter(Boolean)) {
          if (!FLAGS.has(f)) throw new FormatError(`${suite}:${n}: unknown flag '${f}'`);
          c.flags.add(f);
        }
        break;
      case 'TIMEOUT':
        break;
    }
  }
  if (!c.name) throw new FormatError(`${suite}:${c.line}: NAME is required`);
  if (!c.prog) throw new FormatError(`${suite}:${c.line}: PROG is required`);
  if (!c.expects.length && !lines.some((l) => l.text.startsWith('RETURN_CODE'))) throw new FormatError(`${suite}:${c.line}: at least one EXPECT (or RETURN_CODE) is required`);
  return c;
}

export function parseCases(suite: string, text: string): E2eCase[] {
  const out: E2eCase[] = [];
  let block: { text: string; n: number }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('#')) return;
    if (line.trim() === '') {
      if (block.length) out.push(parseBlock(suite, block));
      block = [];
      return;
    }
    block.push({ text: line, n: i + 1 });
  });
  if (block.length) out.push(parseBlock(suite, block));
  return out;
}

export function readSuite(dir: string, suite: string): E2eCase[] {
  return parseCases(suite, readFileSync(join(dir, suite), 'utf8'));
}

export function listSuites(dir: string): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
}

/** Whether `expected` (one or more lines) appears as whole consecutive lines of `output`. */
export function hasLines(output: string, expected: string): boolean {
  const out = output.split('\n');
  const want = expected.split('\n');
  for (let i = 0; i + want.length <= out.length; i++) {
    if (want.every((w, k) => out[i + k] === w)) return true;
  }
  return false;
}

/** Checks one expectation; returns a failure message or undefined. */
export function checkExpect(output: string, e: { mode: ExpectMode; text: string }): string | undefined {
  switch (e.mode) {
    case 'text':
      return hasLines(output, e.text) ? undefined : `expected line(s) not found:\n${e.text}`;
    case 'none':
      return output.includes(e.text) ? `unexpected text found: ${e.text}` : undefined;
    case 'regex':
      return new RegExp(e.text, 'm').test(output) ? undefined : `no line matches /${e.text}/`;
    case 'regex_none':
      return new RegExp(e.text, 'm').test(output) ? `a line matches /${e.text}/` : undefined;
  }
}
