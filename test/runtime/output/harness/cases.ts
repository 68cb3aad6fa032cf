// Reads and writes the output test data files: bpftrace-style cases with a NAME, a PROG,
// an optional MODE (text or json), optional FLAGS and NOTE lines, an optional EXPECT block (the
// bpftrace 0.26 stdout, when it cannot be derived from 0.17's) and the V017 / V017_ERR
// blocks (stdout / stderr a real bpftrace 0.17 printed, written by capture-017.ts).
// Blocks run to a line `END`; their text is the lines joined with newlines plus one.
import { readFileSync } from 'node:fs';

export interface Case {
  name: string;
  prog: string;
  mode: 'text' | 'json';
  notes: string[];
  /** `unordered-0.17`: 0.17 printed equal values in kernel hash order, which varies per run. */
  flags: string[];
  expect?: string;
  v017?: string;
  v017err?: string;
  /** 1-based line of NAME, for messages. */
  line: number;
}

const BLOCKS = ['EXPECT', 'V017', 'V017_ERR'] as const;
type BlockName = (typeof BLOCKS)[number];

export function parseCases(text: string, file = '<cases>'): Case[] {
  const lines = text.split('\n');
  const cases: Case[] = [];
  let cur: Case | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('NAME ')) {
      cur = { name: line.slice(5).trim(), prog: '', mode: 'text', notes: [], flags: [], line: i + 1 };
      cases.push(cur);
      continue;
    }
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!cur) throw new Error(`${file}:${i + 1}: text before the first NAME`);
    if (line.startsWith('PROG ')) cur.prog = line.slice(5).trim();
    else if (line.startsWith('MODE ')) {
      const m = line.slice(5).trim();
      if (m !== 'text' && m !== 'json') throw new Error(`${file}:${i + 1}: MODE must be text or json`);
      cur.mode = m;
    } else if (line.startsWith('NOTE ')) cur.notes.push(line.slice(5).trim());
    else if (line.startsWith('FLAGS ')) cur.flags.push(...line.slice(6).trim().split(/\s+/));
    else if ((BLOCKS as readonly string[]).includes(line.trim())) {
      const block = line.trim() as BlockName;
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== 'END') body.push(lines[i++]);
      if (i >= lines.length) throw new Error(`${file}:${i}: ${block} block without END`);
      const content = body.length ? body.join('\n') + '\n' : '';
      if (block === 'EXPECT') cur.expect = content;
      else if (block === 'V017') cur.v017 = content;
      else cur.v017err = content;
    } else throw new Error(`${file}:${i + 1}: unrecognised line: ${line}`);
  }
  for (const c of cases) if (!c.prog) throw new Error(`${file}:${c.line}: case ${c.name} has no PROG`);
  return cases;
}

export function readCases(path: string): Case[] {
  return parseCases(readFileSync(path, 'utf8'), path);
}

function block(name: BlockName, content: string | undefined): string {
  if (content === undefined) return '';
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  return `${name}\n${content === '' ? '' : body + '\n'}END\n`;
}

export function formatCases(cases: readonly Case[], header: string): string {
  const parts = cases.map((c) => {
    let s = `NAME ${c.name}\n`;
    if (c.mode !== 'text') s += `MODE ${c.mode}\n`;
    s += `PROG ${c.prog}\n`;
    if (c.flags.length) s += `FLAGS ${c.flags.join(' ')}\n`;
    for (const n of c.notes) s += `NOTE ${n}\n`;
    s += block('EXPECT', c.expect) + block('V017', c.v017) + block('V017_ERR', c.v017err);
    return s;
  });
  return header + '\n' + parts.join('\n');
}

/** The leading comment lines of a case file, kept when the capture script rewrites it. */
export function headerOf(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('NAME ')) break;
    out.push(line);
  }
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  return out.join('\n') + '\n';
}
