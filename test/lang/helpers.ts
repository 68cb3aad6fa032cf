// Shared data for the front end's tests: the case files under data/, the corpus of
// classic tools (corpus/*.bt and the one-liners), the scripts of scripts/, and the
// bpftrace examples of the README.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');

export function dataFile(name: string): string {
  return readFileSync(join(here, 'data', name), 'utf8');
}

/** The programs of data/syntax.bt (separated by `---` lines; a leading `# ` header is skipped). */
export function syntaxCases(): string[] {
  const text = dataFile('syntax.bt').replace(/^(# .*\n)+/, '');
  return text
    .split(/^---$/m)
    .map((c) => c.replace(/^\n/, '').replace(/\n$/, ''))
    .filter((c) => c.trim());
}

export interface NamedProgram {
  name: string;
  source: string;
  file: string;
}

function btFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((f) => join(dir, f));
}

/** Tools written for these tests, and the classic one-liners (one program a line). */
export function corpusPrograms(): NamedProgram[] {
  const dir = join(here, 'corpus');
  const tools = btFiles(dir).map((f) => ({ name: `corpus/${f.slice(dir.length + 1)}`, source: readFileSync(f, 'utf8'), file: f }));
  const lines = readFileSync(join(dir, 'one-liners.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => ({ name: `one-liner ${i + 1}: ${l.slice(0, 60)}`, source: l, file: 'stdin' }));
  return [...tools, ...lines, ...scriptPrograms(), ...readmeExamples()];
}

/** The tools of scripts/ (other engineers write them; empty while the folder is). */
export function scriptPrograms(): NamedProgram[] {
  const dir = join(repoRoot, 'scripts');
  return btFiles(dir).map((f) => ({ name: `scripts/${f.slice(dir.length + 1)}`, source: readFileSync(f, 'utf8'), file: f }));
}

/** bpftrace programs quoted in the README: `bpfsim -e '...'` lines and ```bpftrace blocks. */
export function readmeExamples(): NamedProgram[] {
  const readme = join(repoRoot, 'README.md');
  if (!existsSync(readme)) return [];
  const text = readFileSync(readme, 'utf8');
  const out: NamedProgram[] = [];
  for (const m of text.matchAll(/(?:bpfsim|bpftrace)\s+(?:-[a-zA-Z]+\s+)*-e\s+'([^']+)'/g)) out.push({ name: `README -e: ${m[1].slice(0, 50)}`, source: m[1], file: 'stdin' });
  for (const m of text.matchAll(/```(?:bpftrace|bt)\n([\s\S]*?)```/g)) out.push({ name: `README block: ${m[1].split('\n')[0].slice(0, 50)}`, source: m[1], file: 'stdin' });
  return out;
}

export interface TableCase {
  name: string;
  options: Record<string, string>;
  program: string;
  expected: string;
}

/**
 * Cases of a table file: `=== name | key=value key2` opens a case, the program follows,
 * `---` separates it from the expected text. Lines starting with `#` before the first
 * case are comments.
 */
export function tableCases(file: string): TableCase[] {
  const text = dataFile(file);
  const parts = text.split(/^=== /m).slice(1);
  return parts.map((part) => {
    const nl = part.indexOf('\n');
    const header = part.slice(0, nl);
    const body = part.slice(nl + 1);
    const [name, opts = ''] = header.split(' | ');
    const options: Record<string, string> = {};
    for (const o of opts.trim().split(/\s+/).filter((x) => x)) {
      const eq = o.indexOf('=');
      if (eq < 0) options[o] = '';
      else options[o.slice(0, eq)] = o.slice(eq + 1);
    }
    const sep = body.search(/^---$/m);
    const program = (sep < 0 ? body : body.slice(0, sep)).replace(/\n$/, '');
    const expected = sep < 0 ? '' : body.slice(sep + 4).replace(/\n*$/, '\n');
    return { name: name.trim(), options, program, expected: expected === '\n' ? '' : expected };
  });
}
