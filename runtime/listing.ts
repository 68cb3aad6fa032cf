// `bpfsim -l [search]` and `-l` with a program: the probes a search matches, or those a
// program attaches to, one a line as bpftrace prints them (with `-v`, each followed by its
// arguments or fields). Loaded on demand: it pulls in the probe catalogue.
import { listProbes } from '../probes/list';
import { catalogue } from '../probes/catalogue';
import { frontEnd, type Probe } from '../lang/index';

export interface ListOutcome {
  stdout: string;
  stderr: string;
  code: number;
}

export function listSearch(search: string | undefined, verbose: boolean): ListOutcome {
  let stderr = '';
  if (search !== undefined && search.includes('.') && !/[:*]/.test(search)) {
    stderr += `WARNING: It appears that '${search}' is a filename but the file does not exist. Treating '${search}' as a search pattern.\n`;
  }
  const lines: string[] = [];
  // bpftrace splits a search on commas and lists each part.
  for (const part of (search ?? '').split(',')) {
    const r = listProbes(part.trim() === '' ? undefined : part.trim(), verbose);
    if (!r.ok) return { stdout: lines.map((l) => l + '\n').join(''), stderr: stderr + `ERROR: ${r.error}\n`, code: 1 };
    lines.push(...r.lines);
  }
  return { stdout: lines.map((l) => l + '\n').join(''), stderr, code: 0 };
}

export function listProgram(program: { file: string; text: string }, verbose: boolean): ListOutcome {
  const r = frontEnd(program.text, { catalogue: catalogue(), file: program.file });
  if (!r.program || !r.ok) return { stdout: '', stderr: r.rendered, code: 1 };
  const names: string[] = [];
  for (const probe of r.program.items.filter((i): i is Probe => i.kind === 'probe')) for (const ap of probe.attachPoints) for (const c of ap.expansions ?? []) names.push(c.name);
  const unique = [...new Set(names)];
  if (!verbose) return { stdout: unique.map((n) => n + '\n').join(''), stderr: '', code: 0 };
  // With -v, each probe's arguments come from the catalogue listing of that probe.
  const out: string[] = [];
  for (const n of unique) {
    const l = listProbes(n, true);
    out.push(...(l.ok && l.lines.length > 0 ? l.lines : [n]));
  }
  return { stdout: out.map((l) => l + '\n').join(''), stderr: '', code: 0 };
}
