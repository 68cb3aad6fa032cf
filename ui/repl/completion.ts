// Tab completion at the prompt. What the word under the cursor completes to depends on
// where it stands: the first word of a `.command` line completes to command names, its
// argument to what the command takes (maps, probes, files, workloads, program ids,
// speeds); `@...` completes to map names; outside braces a word is a probe (provider
// names, then the catalogue's probe names); inside braces a word is a builtin, a
// function (completed with its `(`) or a keyword. Sources are passed in, so the rules are
// testable without a session.
import type { ArgumentCompletion, DotCommand } from './commands/types';
import { balance } from './multiline';

export interface CompletionSources {
  commands: readonly DotCommand[];
  mapNames(): readonly string[];
  /** Probe names starting with the prefix (provider names end with `:`). */
  probes(prefix: string): readonly string[];
  builtins: readonly string[];
  functions: readonly string[];
  workloads(): readonly string[];
  programIds(): readonly number[];
  /** Paths starting with the prefix (directories end with `/`). */
  files(prefix: string): readonly string[];
}

export interface CompletionResult {
  /** The text after completion (unchanged when nothing could be added). */
  text: string;
  cursor: number;
  /** The candidates, shown when there are several and nothing could be added. */
  candidates: string[];
}

const KEYWORDS = ['if', 'else', 'while', 'for', 'unroll', 'return', 'break', 'continue', 'let', 'sizeof', 'offsetof', 'true', 'false'];
const SPEEDS = ['realtime', 'max', '2x', '10x', '100x', '0.5x'];

function commonPrefix(xs: readonly string[]): string {
  if (xs.length === 0) return '';
  let p = xs[0];
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function candidatesFor(kind: ArgumentCompletion, word: string, src: CompletionSources): string[] {
  switch (kind) {
    case 'none':
      return [];
    case 'maps':
      return src.mapNames().filter((m) => m.startsWith(word.startsWith('@') ? word : `@${word}`));
    case 'probes':
      return [...src.probes(word)];
    case 'files':
      return [...src.files(word)];
    case 'workloads':
      return src.workloads().filter((w) => w.startsWith(word));
    case 'programs':
      return src
        .programIds()
        .map(String)
        .filter((id) => id.startsWith(word));
    case 'speeds':
      return SPEEDS.filter((s) => s.startsWith(word));
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Map names written in the entry itself, so a map can be completed before it exists. */
function mapsInText(text: string): string[] {
  return [...new Set([...text.matchAll(/@[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]))];
}

/**
 * Replaces the word between start and cursor by the candidates' common prefix (a single
 * candidate also gets its suffix). `prefix` is what the word may lack in front of the
 * candidates (a map argument typed without its `@`).
 */
function apply(text: string, cursor: number, start: number, candidates: string[], suffixForSingle: (c: string) => string, prefix = ''): CompletionResult {
  const typed = text.slice(start, cursor);
  const word = candidates.length > 0 && !candidates[0].startsWith(typed) && prefix !== '' ? prefix + typed : typed;
  const sorted = [...new Set(candidates)].sort();
  if (sorted.length === 0) return { text, cursor, candidates: [] };
  const replacement = sorted.length === 1 ? sorted[0] + suffixForSingle(sorted[0]) : commonPrefix(sorted);
  if (replacement.length > word.length && replacement.startsWith(word)) {
    const next = text.slice(0, start) + replacement + text.slice(cursor);
    return { text: next, cursor: start + replacement.length, candidates: sorted.length === 1 ? [] : sorted };
  }
  return { text, cursor, candidates: sorted.length === 1 ? [] : sorted };
}

export function complete(text: string, cursor: number, src: CompletionSources): CompletionResult {
  const before = text.slice(0, cursor);
  // Dot-commands: the command word, then its argument.
  const dot = /^\s*\.(\w*)(\s+(\S*))?$/.exec(before);
  if (dot && !before.includes('\n')) {
    if (dot[2] === undefined) {
      const start = cursor - dot[1].length;
      return apply(text, cursor, start, src.commands.filter((c) => c.name.startsWith(dot[1])).map((c) => c.name), () => ' ');
    }
    const command = src.commands.find((c) => c.name === dot[1]) ?? src.commands.find((c) => c.name.startsWith(dot[1]));
    const word = dot[3] ?? '';
    if (!command) return { text, cursor, candidates: [] };
    return apply(text, cursor, cursor - word.length, candidatesFor(command.complete, word, src), (c) => (c.endsWith('/') || c.endsWith(':') ? '' : ' '), command.complete === 'maps' ? '@' : '');
  }
  // Map names.
  const map = /@[A-Za-z0-9_]*$/.exec(before);
  if (map) {
    const names = [...src.mapNames(), ...mapsInText(text)].filter((m) => m.startsWith(map[0]) && m !== map[0]);
    return apply(text, cursor, cursor - map[0].length, names, () => '');
  }
  const inside = balance(text, cursor).depth > 0;
  if (!inside) {
    // A probe: provider names, then the catalogue's names (they contain ':' '/' '.' '*').
    const word = /[A-Za-z0-9_:\/.*+-]*$/.exec(before)![0];
    const probes = src.probes(word).filter((p) => p !== word);
    // A lone word may also be an expression to evaluate.
    const exprs = word.includes(':') || word === '' ? [] : [...src.builtins, ...src.functions].filter((n) => n.startsWith(word));
    return apply(text, cursor, cursor - word.length, [...probes, ...exprs], (c) => (c.endsWith(':') ? '' : src.functions.includes(c) && !src.builtins.includes(c) ? '(' : ' '));
  }
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  if (word === '') return { text, cursor, candidates: [] };
  const names = [...src.builtins, ...src.functions, ...KEYWORDS].filter((n) => n.startsWith(word) && n !== word);
  return apply(text, cursor, cursor - word.length, names, (c) => (src.functions.includes(c) && !src.builtins.includes(c) ? '(' : ''));
}
