// `-l [PATTERN]` and `-lv`: lists probes in bpftrace's format, one `kind:target` per line,
// sorted per kind, kinds in alphabetical order when the provider is a wildcard; with
// verbose, each probe is followed by its arguments or fields indented by four spaces
// (`struct file * arg0` for kprobes, `ssize_t retval` for kretprobes, the format's field
// declarations for tracepoints, DWARF-style parameters for uprobes).
import { kernelFunc, kernelFuncs } from '../workloads/kernel/kfuncs';
import { tracepoint } from '../workloads/kernel/tracepoints';
import { binary } from '../workloads/user/binaries';
import { KERNEL_LISTED, PROBE_KINDS, probeKind, TIME_UNITS } from './kinds';
import { resolveBinaries, matchTracepoints } from './match';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS, type PerfEventDef } from './perf-events';
import { compileWildcard, hasWildcard } from './wildcard';

export type ListResult = { ok: true; lines: string[] } | { ok: false; error: string };

function perfLines(kind: string, list: readonly PerfEventDef[], pattern: string): string[] {
  const m = compileWildcard(`${pattern}:`);
  const names = new Set<string>();
  for (const e of list) {
    if (m(`${e.name}:`)) names.add(`${e.name}:`);
    if (e.alias && m(`${e.alias}:`)) names.add(`${e.alias}:`);
  }
  return [...names].sort().map((n) => `${kind}:${n}`);
}

/** Lines for one concrete provider and the rest of the pattern. */
function listKind(kind: string, rest: string[], verbose: boolean): string[] {
  const out: string[] = [];
  switch (kind) {
    case 'kprobe':
    case 'kretprobe': {
      const pat = rest.length >= 2 ? rest[1] : (rest[0] ?? '*');
      if (rest.length >= 2 && !compileWildcard(rest[0])('vmlinux')) return [];
      const m = compileWildcard(pat === '' ? '*' : pat);
      for (const name of kernelFuncs()
        .map((f) => f.name)
        .filter(m)
        .sort()) {
        out.push(`${kind}:${name}`);
        if (verbose) {
          const f = kernelFunc(name)!;
          if (kind === 'kprobe') f.argTexts.forEach((t, i) => out.push(`    ${t} arg${i}`));
          else out.push(f.retText === 'void' ? '    void' : `    ${f.retText} retval`);
        }
      }
      return out;
    }
    case 'tracepoint': {
      const pat = rest.length === 0 ? '*' : rest.join(':');
      for (const n of matchTracepoints(pat)) {
        out.push(`tracepoint:${n}`);
        if (verbose) {
          const [c, e] = n.split(':');
          for (const f of tracepoint(c, e)!.fields) if (!f.name.startsWith('common_')) out.push(`    ${f.decl}`);
        }
      }
      return out;
    }
    case 'uprobe':
    case 'uretprobe': {
      if (rest.length === 0 || rest[0] === '') return [];
      const bins = resolveBinaries(rest[0]).sort((a, b) => (a.path < b.path ? -1 : 1));
      const m = compileWildcard(rest.length >= 2 && rest[1] !== '' ? rest[1] : '*');
      for (const b of bins) {
        for (const s of [...b.symbols].sort((x, y) => (x.name < y.name ? -1 : 1))) {
          if (!m(s.name)) continue;
          out.push(`${kind}:${b.path}:${s.name}`);
          if (verbose && kind === 'uprobe') for (const a of binary(b.path)!.symbols.find((x) => x.name === s.name)!.argTexts ?? []) out.push(`    ${a}`);
        }
      }
      return out;
    }
    case 'software':
      return perfLines('software', SOFTWARE_EVENTS, rest[0] ?? '*');
    case 'hardware':
      return perfLines('hardware', HARDWARE_EVENTS, rest[0] ?? '*');
    case 'profile':
    case 'interval': {
      const m = compileWildcard(`${rest[0] ?? '*'}:`);
      return TIME_UNITS.map((u) => `${u}:`)
        .filter(m)
        .sort()
        .map((u) => `${kind}:${u}`);
    }
    default:
      return [];
  }
}

/**
 * Lists probes matching `pattern` (all kernel probes when absent). A pattern without a
 * colon is matched as `*:PATTERN`; a wildcard provider expands to the kernel-listed kinds.
 */
export function listProbes(pattern: string | undefined, verbose = false): ListResult {
  const pat = pattern === undefined || pattern === '' ? '*:*' : pattern.includes(':') ? pattern : `*:${pattern}`;
  const parts = pat.split(':');
  const provider = parts[0];
  const rest = parts.slice(1);
  if (hasWildcard(provider)) {
    const m = compileWildcard(provider);
    const kinds = [...KERNEL_LISTED].filter(m).sort();
    return { ok: true, lines: kinds.flatMap((k) => listKind(k, rest, verbose)) };
  }
  const kind = probeKind(provider);
  if (!kind) return { ok: false, error: `Invalid probe type: ${provider}` };
  return { ok: true, lines: listKind(kind.name, rest, verbose) };
}

/** Kind names and aliases, for completion. */
export function providerNames(): string[] {
  return PROBE_KINDS.flatMap((k) => [k.name, ...k.aliases]);
}
