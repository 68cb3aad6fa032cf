// Reads the header comment of a scripts/ tool: the `NAME - purpose` line, the USAGE line
// and the example block, whose command line (`bpfsim --workload W --seed N --duration T
// scripts/NAME.bt`) says how the example output was produced. Example lines are the
// output as printed; a `[...]` line marks output left out. Nothing here runs a tool.

export interface ExampleRun {
  workload: string;
  seed: number;
  durationNs: number;
  cpus?: number;
}

export interface ToolHeader {
  name: string;
  purpose: string;
  usage: string;
  run: ExampleRun;
  /** The example output; `null` stands for a `[...]` gap. */
  example: (string | null)[];
}

/** `300ms`, `2s`, `500us`, `1000ns`; a bare number is seconds, as on the command line. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s)?$/.exec(text);
  if (!m) throw new Error(`bad duration '${text}'`);
  const mul: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
  return Math.round(Number(m[1]) * mul[m[2] ?? 's']);
}

function parseCommand(name: string, cmd: string): ExampleRun {
  const words = cmd.trim().split(/\s+/);
  if (words[0] !== 'bpfsim') throw new Error(`${name}: the example command must start with bpfsim: ${cmd}`);
  if (words[words.length - 1] !== `scripts/${name}.bt`) throw new Error(`${name}: the example command must end with scripts/${name}.bt: ${cmd}`);
  const run: Partial<ExampleRun> = {};
  for (let i = 1; i < words.length - 1; i += 2) {
    const value = words[i + 1];
    switch (words[i]) {
      case '--workload':
        run.workload = value;
        break;
      case '--seed':
        run.seed = Number(value);
        break;
      case '--duration':
        run.durationNs = parseDuration(value);
        break;
      case '--cpus':
        run.cpus = Number(value);
        break;
      default:
        throw new Error(`${name}: unexpected option '${words[i]}' in the example command`);
    }
  }
  if (!run.workload || run.seed === undefined || run.durationNs === undefined) throw new Error(`${name}: the example command must name --workload, --seed and --duration: ${cmd}`);
  return run as ExampleRun;
}

/** Parses the leading comment of a tool's source. */
export function parseHeader(name: string, source: string): ToolHeader {
  const m = /\/\*([\s\S]*?)\*\//.exec(source);
  if (!m) throw new Error(`${name}: no header comment`);
  const lines = m[1].split('\n').map((l) => l.replace(/^\s*\*( |$)/, ''));
  const title = lines.find((l) => l.startsWith(`${name} - `));
  if (!title) throw new Error(`${name}: the header must open with '${name} - <purpose>'`);
  const usage = lines.find((l) => l.startsWith('USAGE: '));
  if (!usage) throw new Error(`${name}: the header has no USAGE line`);
  const at = lines.findIndex((l) => l.startsWith('EXAMPLE ('));
  if (at < 0) throw new Error(`${name}: the header has no EXAMPLE block`);
  const cmd = /^EXAMPLE \((.*)\):$/.exec(lines[at]);
  if (!cmd) throw new Error(`${name}: the EXAMPLE line must read 'EXAMPLE (bpfsim ... scripts/${name}.bt):'`);
  const example: (string | null)[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('    ')) break;
    const text = l.slice(4).trimEnd();
    example.push(text === '[...]' ? null : text);
  }
  if (example.filter((l) => l !== null).length < 2) throw new Error(`${name}: the example shows fewer than two lines of output`);
  return { name, purpose: title.slice(name.length + 3).trim(), usage: usage.slice(7).trim(), run: parseCommand(name, cmd[1]), example };
}

/**
 * Where the example departs from `output`, or undefined when it matches: each run of
 * example lines between `[...]` gaps must appear as consecutive output lines, the runs in
 * order. Trailing spaces are ignored on both sides.
 */
export function exampleMismatch(example: readonly (string | null)[], output: string): string | undefined {
  const out = output.split('\n').map((l) => l.trimEnd());
  const runs: string[][] = [[]];
  for (const line of example) {
    if (line === null) runs.push([]);
    else runs[runs.length - 1].push(line);
  }
  let pos = 0;
  for (const run of runs.filter((r) => r.length > 0)) {
    let at = out.indexOf(run[0], pos);
    while (at >= 0 && !run.every((l, i) => out[at + i] === l)) at = out.indexOf(run[0], at + 1);
    if (at < 0) {
      const first = out.indexOf(run[0], pos);
      if (first < 0) return `example line not found in the output (after line ${pos}): '${run[0]}'`;
      const bad = run.findIndex((l, i) => out[first + i] !== l);
      return `example lines from '${run[0]}' (output line ${first + 1}) differ at ${JSON.stringify(run[bad])}: the output has ${JSON.stringify(out[first + bad])}`;
    }
    pos = at + run.length;
  }
  return undefined;
}
