// Pass `attach-points`: parses every attach point (`kprobe:vfs_*`, `uprobe:/bin/bash:
// readline`, `interval:s:1`, `tracepoint:syscalls:sys_enter_openat`, ...), substitutes
// positional parameters, resolves the probe kind and its aliases against the catalogue,
// and expands wildcards into concrete probes with their program type. Probes that do not
// exist are errors with the nearest names as hints (or warnings, or silently dropped,
// as the missing_probes config says).
import type * as A from '../ast';
import type { ProbeKind } from '../catalogue';
import type { Ctx, Pass } from '../context';
import { type ConcreteProbe, type Provider, globMatch, hasWildcard, nearestNames, parseUint, providerOf } from '../probes';

interface Parsed {
  kind: ProbeKind;
  provider: Provider;
  /** Parts after the kind. */
  parts: string[];
  /** Set when the kind came from a wildcard (invalid shapes are skipped, not errors). */
  ignoreInvalid: boolean;
}

class ApError extends Error {}

const TIME_UNITS: Readonly<Record<string, number>> = { s: 1e9, ms: 1e6, us: 1e3, ns: 1, hz: 0 };

function splitRaw(raw: string, params: readonly string[]): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (quoted && c === '\\' && i + 1 < raw.length) cur += raw[++i];
    else if (!quoted && c === ':') {
      parts.push(cur);
      cur = '';
    } else if (!quoted && c === '$') {
      const m = /^\d+/.exec(raw.slice(i + 1));
      if (!m || m[0].startsWith('0')) {
        throw new ApError(`invalid trailing character for positional param: ${raw[i + 1] ?? ''}. Try quoting this entire part if this is intentional e.g. "$${raw[i + 1] ?? ''}".`);
      }
      cur += params[Number(m[0]) - 1] ?? '';
      i += m[0].length;
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function countError(provider: string, found: number, a: number, b?: number): ApError {
  return new ApError(`${provider} probe type requires ${a}${b !== undefined ? ` or ${b}` : ''} arguments, found ${found}`);
}

/** Splits `func+0x10` into the function and offset. */
function splitOffset(s: string, allowed: boolean): { func: string; offset?: number } {
  const plus = s.split('+');
  if (plus.length === 1) return { func: s };
  if (!allowed) throw new ApError('Offset not allowed');
  if (plus.length > 2) throw new ApError('Cannot take more than one offset');
  const off = parseUint(plus[1]);
  if (!plus[0] || off === undefined) throw new ApError(`Invalid offset: ${plus[1]}`);
  return { func: plus[0], offset: off };
}

class Expander {
  /** Errors or warnings were reported for the attach point being expanded. */
  reported = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly ap: A.AttachPoint,
  ) {}

  private base(p: Parsed, name: string): ConcreteProbe {
    return { name, kind: p.kind.name, provider: p.provider, progType: p.kind.progType, isReturn: !!p.kind.isReturn };
  }

  /** Reports a probe that does not exist, as the missing_probes config says. */
  private missing(message: string, hints: string[], tracepoint = false): void {
    const mode = this.ctx.config.missingProbes;
    if (mode === 'ignore') return;
    this.reported = true;
    if (mode === 'warn') {
      this.ctx.diags.warning(tracepoint ? message : `${message}. Skipping.`, this.ap.span, ...hints);
      return;
    }
    if (tracepoint) this.ctx.diags.error(message, this.ap.span, ...hints, "If this is expected, set the 'missing_probes' config variable to 'warn' or 'ignore'.");
    else this.ctx.diags.error(`${message}. If this is expected, set the 'missing_probes' config variable to 'warn'.`, this.ap.span, ...hints);
  }

  private didYouMean(name: string, candidates: Iterable<string>, prefix = ''): string[] {
    const near = nearestNames(name, candidates);
    return near.length ? [`Did you mean ${near.map((n) => prefix + n).join(', ')}?`] : [];
  }

  expand(p: Parsed): ConcreteProbe[] {
    const { parts } = p;
    const cat = this.ctx.catalogue.probes;
    switch (p.provider) {
      case 'begin':
      case 'end': {
        if (parts.length === 1 && parts[0] === '*') parts.pop();
        if (parts.length !== 0) throw countError(p.kind.name, parts.length, 0);
        return [this.base(p, p.kind.name)];
      }
      case 'kprobe':
      case 'kretprobe':
      case 'fentry':
      case 'fexit': {
        if (parts.length !== 1 && parts.length !== 2) {
          if (p.ignoreInvalid) return [];
          throw countError(p.kind.name, parts.length, 1, 2);
        }
        const module = parts.length === 2 ? parts[0] : undefined;
        const { func, offset } = splitOffset(parts[parts.length - 1], p.provider === 'kprobe');
        if (!func) throw new ApError(`${p.provider === 'fentry' || p.provider === 'fexit' ? 'fentry/fexit should specify a function' : 'kprobes should be attached to a function'}`);
        const inModule = (m: string | undefined): boolean => module === undefined || module === '*' || (module === 'vmlinux' ? m === undefined : globMatch(module, m ?? 'vmlinux'));
        const funcs = cat.kernelFuncs.filter((f) => inModule(f.module) && globMatch(func, f.name));
        if (funcs.length === 0) {
          if (!hasWildcard(func)) this.missing(`Unable to attach probe: ${p.kind.name}:${parts.join(':')}`, this.didYouMean(func, cat.kernelFuncs.map((f) => f.name), `${p.kind.name}:`));
          return [];
        }
        return funcs.map((f) => ({
          ...this.base(p, `${p.kind.name}:${module && module !== '*' ? `${f.module ?? module}:` : ''}${f.name}${offset ? `+${offset}` : ''}`),
          func: f.name,
          kernelFunc: f,
          module: f.module,
          offset,
        }));
      }
      case 'uprobe':
      case 'uretprobe': {
        if (parts.length !== 2 && parts.length !== 3) {
          if (p.ignoreInvalid) return [];
          throw countError(p.kind.name, parts.length, 2, 3);
        }
        const target = parts[0];
        if (!target) throw new ApError(`${p.kind.name} should have a target`);
        const bins = this.binaries(target);
        if (bins.length === 0) throw new ApError(`uprobe target file '${target}' does not exist or is not executable`);
        const { func, offset } = splitOffset(parts[parts.length - 1], true);
        if (offset !== undefined && p.provider === 'uretprobe') throw new ApError('uretprobes can not be attached to a function offset');
        if (!func) throw new ApError(`${p.kind.name} should be attached to a function and/or address`);
        const address = /^(0[xX][0-9a-fA-F]+|\d+)$/.test(func) ? parseUint(func) : undefined;
        const out: ConcreteProbe[] = [];
        for (const b of bins) {
          if (address !== undefined) {
            if (hasWildcard(target)) throw new ApError('Cannot use wildcards with absolute address');
            out.push({ ...this.base(p, `${p.kind.name}:${b.path}:${func}`), binary: b.path, address });
            continue;
          }
          const syms = b.symbols.filter((s) => globMatch(func, s.name));
          if (syms.length === 0 && !hasWildcard(func)) {
            this.missing(`Unable to attach probe: ${p.kind.name}:${b.path}:${func}`, this.didYouMean(func, b.symbols.map((s) => s.name), `${p.kind.name}:${b.path}:`));
          }
          for (const s of syms) out.push({ ...this.base(p, `${p.kind.name}:${b.path}:${s.name}${offset ? `+${offset}` : ''}`), binary: b.path, symbol: s, func: s.name, offset });
        }
        return out;
      }
      case 'tracepoint':
      case 'rawtracepoint': {
        if (p.provider === 'tracepoint' && parts.length === 1 && hasWildcard(parts[0])) parts.unshift('*');
        const want = p.provider === 'tracepoint' ? 2 : 1;
        if (parts.length !== want && !(p.provider === 'rawtracepoint' && parts.length === 2)) {
          if (p.ignoreInvalid) return [];
          throw countError(p.kind.name, parts.length, want);
        }
        const [category, event] = p.provider === 'tracepoint' ? parts : parts.length === 2 ? parts : ['*', parts[0]];
        if (!category || !event) throw new ApError(`${p.kind.name} probe must have a target`);
        const tps = cat.tracepoints.filter((t) => globMatch(category, t.category) && globMatch(event, t.name));
        if (tps.length === 0) {
          if (!hasWildcard(category) && !hasWildcard(event)) {
            const all = cat.tracepoints.map((t) => `${t.category}:${t.name}`);
            const hints = category === 'syscall' ? [`Did you mean syscalls:${event}?`] : this.didYouMean(`${category}:${event}`, all);
            if (p.provider === 'tracepoint') this.missing(`Tracepoint not found: ${category}:${event}`, hints, true);
            else this.missing(`Unable to attach probe: ${p.kind.name}:${event}`, this.didYouMean(event, cat.tracepoints.map((t) => t.name)));
          }
          return [];
        }
        return tps.map((t) => ({
          ...this.base(p, p.provider === 'tracepoint' ? `${p.kind.name}:${t.category}:${t.name}` : `${p.kind.name}:${t.name}`),
          category: t.category,
          event: t.name,
          tracepoint: t,
        }));
      }
      case 'profile':
      case 'interval': {
        const what = p.provider;
        if (parts.length === 1) {
          const ns = parseUint(parts[0]);
          if (ns === undefined) throw new ApError(`Invalid rate of ${what} probe: ${parts[0]}`);
          if (ns < 1000) throw new ApError(`Invalid rate of ${what} probe. Minimum is 1000 or 1us. Found: ${ns} nanoseconds`);
          const rate = Math.floor(ns / 1000);
          return [{ ...this.base(p, `${p.kind.name}:us:${rate}`), unit: 'us', rate, periodNs: rate * 1000 }];
        }
        if (parts.length !== 2) throw countError(p.kind.name, parts.length, 1, 2);
        const [unit, rateText] = parts;
        if (!unit) throw new ApError(`${what} probe must have unit of time`);
        if (!(unit in TIME_UNITS)) throw new ApError(`${unit} is not an accepted unit of time`);
        const rate = parseUint(rateText);
        if (rate === undefined) throw new ApError(`${what} probe must have an integer frequency`);
        if (rate <= 0) throw new ApError(`${what} frequency should be a positive integer`);
        const periodNs = unit === 'hz' ? Math.max(1, Math.round(1e9 / rate)) : rate * TIME_UNITS[unit];
        return [{ ...this.base(p, `${p.kind.name}:${unit}:${rate}`), unit, rate, periodNs }];
      }
      case 'software':
      case 'hardware': {
        if (parts.length !== 1 && parts.length !== 2) {
          if (p.ignoreInvalid) return [];
          throw countError(p.kind.name, parts.length, 1, 2);
        }
        const ev = parts[0];
        if (!ev) throw new ApError(`${p.provider} probe must have a ${p.provider} event name`);
        if (hasWildcard(ev)) throw new ApError(`wildcards are not allowed for ${p.provider} probe type`);
        const list = p.provider === 'software' ? cat.softwareEvents : cat.hardwareEvents;
        if (!list.includes(ev)) throw new ApError(`${ev} is not a ${p.provider} probe`, { cause: this.didYouMean(ev, list) });
        let count: number | undefined;
        if (parts.length === 2 && parts[1] !== '' && parts[1] !== '*') {
          count = parseUint(parts[1]);
          if (count === undefined) throw new ApError(`Invalid count for ${p.provider} probe: ${parts[1]}`);
          if (count <= 0) throw new ApError(`${p.provider} count should be a positive integer`);
        }
        return [{ ...this.base(p, `${p.kind.name}:${ev}:${count ?? ''}`), eventName: ev, count }];
      }
      case 'other': {
        if (parts.length !== p.kind.parts.length) throw countError(p.kind.name, parts.length, p.kind.parts.length);
        return [this.base(p, [p.kind.name, ...parts].join(':'))];
      }
      default:
        return [];
    }
  }

  /** User binaries a uprobe target names: a path, a file name, `libc` for libc.so.6, or a glob. */
  private binaries(target: string) {
    const bins = this.ctx.catalogue.probes.binaries;
    if (hasWildcard(target)) return bins.filter((b) => globMatch(target, b.path));
    const exact = bins.filter((b) => b.path === target);
    if (exact.length) return exact;
    const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
    const t = base(target);
    const byName = bins.filter((b) => base(b.path) === t);
    if (byName.length) return byName.slice(0, 1);
    if (!target.includes('/') && t.startsWith('lib')) {
      return bins.filter((b) => base(b.path).startsWith(`${t}.so`) || base(b.path).startsWith(`${t}-`)).slice(0, 1);
    }
    return [];
  }
}

function findKinds(ctx: Ctx, name: string): { kinds: ProbeKind[]; wildcard: boolean } {
  const kinds = ctx.catalogue.probes.kinds;
  if (hasWildcard(name)) return { kinds: kinds.filter((k) => globMatch(name, k.name)), wildcard: true };
  const k = kinds.find((x) => x.name === name || x.aliases.includes(name));
  return { kinds: k ? [k] : [], wildcard: false };
}

function expandAttachPoint(ctx: Ctx, ap: A.AttachPoint): ConcreteProbe[] {
  const ex = new Expander(ctx, ap);
  try {
    const parts = splitRaw(ap.raw, ctx.options.params ?? []);
    let first = parts.shift() ?? '';
    const eq = first.indexOf('=');
    if (eq >= 0 && eq < first.length - 1) first = first.slice(eq + 1);
    const { kinds, wildcard } = findKinds(ctx, first);
    if (kinds.length === 0) {
      const all = ctx.catalogue.probes.kinds.flatMap((k) => [k.name, ...k.aliases]);
      const near = nearestNames(first, all);
      if (wildcard) ctx.diags.error(`No probe type matched for ${first}`, ap.span);
      else ctx.diags.error(`Invalid probe type: ${first}`, ap.span, ...(near.length ? [`Did you mean ${near.join(', ')}?`] : []));
      return [];
    }
    const out: ConcreteProbe[] = [];
    for (const kind of kinds) {
      out.push(...ex.expand({ kind, provider: providerOf(kind), parts: [...parts], ignoreInvalid: wildcard }));
    }
    if (out.length === 0 && !ex.reported && ctx.config.missingProbes === 'error' && !ctx.diags.hasErrors()) {
      ctx.diags.error(`No probes matched ${ap.raw}. If this is expected, set the 'missing_probes' config variable to 'warn'.`, ap.span);
    }
    return out;
  } catch (e) {
    if (e instanceof ApError) {
      const hints = Array.isArray(e.cause) ? (e.cause as string[]) : [];
      ctx.diags.error(e.message, ap.span, ...hints);
      return [];
    }
    throw e;
  }
}

export const attachPointsPass: Pass = {
  name: 'attach-points',
  run(ctx) {
    let index = 0;
    let total = 0;
    for (const item of ctx.program.items) {
      if (item.kind !== 'probe') continue;
      item.index = index++;
      const seen = new Set<string>();
      for (const ap of item.attachPoints) {
        const list = expandAttachPoint(ctx, ap).filter((c) => {
          if (seen.has(c.name)) return false;
          seen.add(c.name);
          return true;
        });
        ap.expansions = list;
        total += list.length;
      }
      if (seen.size === 0 && ctx.config.missingProbes === 'warn' && !ctx.diags.hasErrors()) {
        ctx.diags.warning('Probe has no valid attach points. It is being removed which may cause issues with program behavior.', item.span);
      }
    }
    if (total > ctx.config.maxProbes) {
      ctx.diags.error(
        `Can't attach to ${total} probes because it exceeds the current limit of ${ctx.config.maxProbes} probes. You can increase the limit through the BPFTRACE_MAX_PROBES environment variable, but BE CAREFUL since a high number of probes attached can cause your system to crash.`,
      );
    }
  },
};

/** The concrete probes of a probe (all its attach points, in order). */
export function concreteProbes(p: A.Probe): ConcreteProbe[] {
  return p.attachPoints.flatMap((a) => a.expansions ?? []);
}
