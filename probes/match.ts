// Expands attach points the way bpftrace does: resolves the provider's aliases, matches
// wildcards in function, tracepoint, binary and event names against the catalogue, and
// resolves short library names (`libc`, `bash`) to paths. It returns concrete probes in
// bpftrace's canonical spelling, sorted, or a clear error.
import type { ProbeKind } from '../lang/catalogue';
import { kernelFuncs } from '../workloads/kernel/kfuncs';
import { tracepoints } from '../workloads/kernel/tracepoints';
import { binaries, type BinaryInfo } from '../workloads/user/binaries';
import { probeKind, TIME_UNITS } from './kinds';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS, perfEvent } from './perf-events';
import { compileWildcard, hasWildcard } from './wildcard';

/** One concrete attach point. */
export type AttachPoint =
  | { kind: 'BEGIN' | 'END'; probe: string }
  | { kind: 'kprobe' | 'kretprobe'; probe: string; func: string }
  | { kind: 'uprobe' | 'uretprobe'; probe: string; binary: string; func: string }
  | { kind: 'tracepoint'; probe: string; category: string; event: string }
  | { kind: 'profile' | 'interval'; probe: string; unit: string; rate: number; periodNs: number }
  | { kind: 'software' | 'hardware'; probe: string; event: string; count: number };

export type ExpandResult = { ok: true; points: AttachPoint[] } | { ok: false; error: string };

/** Resolves a binary given as a path, a path pattern, or a short name (`libc`, `bash`). */
export function resolveBinaries(target: string): BinaryInfo[] {
  const all = binaries();
  if (hasWildcard(target)) {
    const m = compileWildcard(target);
    return all.filter((b) => m(b.path));
  }
  const canon = (p: string) => p.replace(/^\/usr(?=\/(s?bin|lib)\/)/, '');
  const exact = all.find((b) => b.path === target) ?? all.find((b) => canon(b.path) === canon(target));
  if (exact) return [exact];
  if (target.includes('/')) return [];
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const lib = all.find((b) => b.kind === 'lib' && (base(b.path) === target || base(b.path).startsWith(`${target}.so`) || base(b.path).startsWith(`lib${target}.so`)));
  if (lib) return [lib];
  const exe = all.find((b) => b.kind === 'exe' && base(b.path) === target);
  return exe ? [exe] : [];
}

function timePeriodNs(unit: string, rate: number): number | undefined {
  switch (unit) {
    case 'hz':
      return rate > 0 ? Math.round(1e9 / rate) : undefined;
    case 's':
      return rate * 1e9;
    case 'ms':
      return rate * 1e6;
    case 'us':
      return rate * 1e3;
    default:
      return undefined;
  }
}

/**
 * Expands one attach point given as the provider and the colon-separated parts after it
 * (`kprobe`, ['vfs_*']), (`t`, ['syscalls', 'sys_enter_open*']), (`uprobe`, ['/bin/bash', 'readline']).
 */
export function expandAttachPoint(provider: string, parts: readonly string[]): ExpandResult {
  const kind = probeKind(provider);
  if (!kind) return { ok: false, error: `Invalid probe type: ${provider}` };
  const text = [provider, ...parts].join(':');
  const need = (n: number): string | undefined =>
    parts.length < n ? `${kind.name} probe type requires ${n} argument${n === 1 ? '' : 's'}` : parts.length > n ? `${kind.name} probe type requires ${n} argument${n === 1 ? '' : 's'}, found ${parts.length}` : undefined;
  switch (kind.name) {
    case 'BEGIN':
    case 'END': {
      if (parts.length) return { ok: false, error: `${kind.name} probe type requires 0 arguments` };
      return { ok: true, points: [{ kind: kind.name, probe: kind.name }] };
    }
    case 'kprobe':
    case 'kretprobe': {
      // kprobe:FUNC, or kprobe:vmlinux:FUNC with the module named.
      let func = parts[0];
      if (parts.length === 2 && (parts[0] === 'vmlinux' || hasWildcard(parts[0]))) func = parts[1];
      else if (parts.length !== 1) return { ok: false, error: need(1)! };
      if (func === undefined || func === '') return { ok: false, error: `${kind.name} probe type requires 1 argument` };
      const names = matchKernelFuncs(func);
      if (!names.length) return { ok: false, error: hasWildcard(func) ? `No probes matched: ${text}` : `No such kernel function: ${func}` };
      return { ok: true, points: names.map((f) => ({ kind: kind.name as 'kprobe', probe: `${kind.name}:${f}`, func: f })) };
    }
    case 'uprobe':
    case 'uretprobe': {
      const err = need(2);
      if (err) return { ok: false, error: err };
      const bins = resolveBinaries(parts[0]);
      if (!bins.length) return { ok: false, error: `No such binary or library: ${parts[0]}` };
      const m = compileWildcard(parts[1]);
      const points: AttachPoint[] = [];
      for (const b of [...bins].sort((x, y) => (x.path < y.path ? -1 : 1))) {
        const names = b.symbols.map((s) => s.name).filter(m).sort();
        for (const f of names) points.push({ kind: kind.name as 'uprobe', probe: `${kind.name}:${b.path}:${f}`, binary: b.path, func: f });
      }
      if (!points.length) return { ok: false, error: hasWildcard(parts[1]) ? `No probes matched: ${text}` : `Could not resolve symbol: ${parts[0]}:${parts[1]}` };
      return { ok: true, points };
    }
    case 'tracepoint': {
      const err = need(2);
      if (err) return { ok: false, error: err };
      const names = matchTracepoints(`${parts[0]}:${parts[1]}`);
      if (!names.length) return { ok: false, error: hasWildcard(text) ? `No probes matched: ${text}` : `No such tracepoint: ${parts[0]}:${parts[1]}` };
      return {
        ok: true,
        points: names.map((n) => {
          const [category, event] = n.split(':');
          return { kind: 'tracepoint' as const, probe: `tracepoint:${n}`, category, event };
        }),
      };
    }
    case 'profile':
    case 'interval': {
      const err = need(2);
      if (err) return { ok: false, error: err };
      const [unit, rateText] = parts;
      if (!(TIME_UNITS as readonly string[]).includes(unit)) return { ok: false, error: `${kind.name} probe has an invalid unit '${unit}' (hz, s, ms or us)` };
      const rate = Number(rateText);
      const period = Number.isInteger(rate) && rate > 0 ? timePeriodNs(unit, rate) : undefined;
      if (period === undefined) return { ok: false, error: `${kind.name} probe needs a positive integer rate, got '${rateText}'` };
      return { ok: true, points: [{ kind: kind.name, probe: `${kind.name}:${unit}:${rate}`, unit, rate, periodNs: period }] };
    }
    case 'software':
    case 'hardware': {
      if (parts.length < 1 || parts.length > 2) return { ok: false, error: `${kind.name} probe type requires 1 or 2 arguments` };
      const list = kind.name === 'software' ? SOFTWARE_EVENTS : HARDWARE_EVENTS;
      const m = compileWildcard(parts[0]);
      const evs = list.filter((e) => m(e.name) || (e.alias !== '' && m(e.alias)));
      if (!evs.length) return { ok: false, error: `Invalid ${kind.name} event: ${parts[0]}` };
      const points: AttachPoint[] = [];
      for (const e of evs) {
        // `software:faults` and `software:faults:` both take the event's default period.
        const count = parts.length === 2 && parts[1] !== '' ? Number(parts[1]) : e.period;
        if (!Number.isInteger(count) || count <= 0) return { ok: false, error: `${kind.name} probe needs a positive integer count, got '${parts[1]}'` };
        const name = hasWildcard(parts[0]) ? e.name : parts[0];
        points.push({ kind: kind.name as 'software', probe: `${kind.name}:${name}:${count}`, event: perfEvent(kind.name as 'software', name)!.name, count });
      }
      return { ok: true, points };
    }
    default:
      return { ok: false, error: `Invalid probe type: ${provider}` };
  }
}

/** Expands an attach point written as one string (`kprobe:vfs_*`). */
export function expandProbeText(text: string): ExpandResult {
  const parts = splitAttachPoint(text);
  return expandAttachPoint(parts[0], parts.slice(1));
}

/** Splits at colons, keeping a quoted or bracketed binary path whole. */
export function splitAttachPoint(text: string): string[] {
  return text.split(':');
}

export function matchKernelFuncs(pattern: string): string[] {
  const m = compileWildcard(pattern);
  return kernelFuncs()
    .map((f) => f.name)
    .filter(m)
    .sort();
}

export function matchTracepoints(pattern: string): string[] {
  const m = compileWildcard(pattern);
  return tracepoints()
    .map((t) => `${t.category}:${t.name}`)
    .filter(m)
    .sort();
}

export function kindOf(provider: string): ProbeKind | undefined {
  return probeKind(provider);
}
