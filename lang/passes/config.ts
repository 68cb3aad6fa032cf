// Pass `config`: reads the `config = { ... }` block (and config values given by the
// environment, which take precedence) into the run's Config, checking names, literal
// values and types as bpftrace's config analyser does. Names may be written as
// `stack_mode`, `STACK_MODE` or `BPFTRACE_STACK_MODE`.
import type { Expr, Span } from '../ast';
import type { Config, Ctx, Pass } from '../context';

type Kind = 'int' | 'bool' | 'string' | 'stackMode' | 'missingProbes' | 'unstable' | 'symbolCache';

const KEYS: Readonly<Record<string, [keyof Config, Kind]>> = {
  max_strlen: ['maxStrlen', 'int'],
  stack_mode: ['stackMode', 'stackMode'],
  missing_probes: ['missingProbes', 'missingProbes'],
  max_map_keys: ['maxMapKeys', 'int'],
  on_stack_limit: ['onStackLimit', 'int'],
  print_maps_on_exit: ['printMapsOnExit', 'bool'],
  str_trunc_trailer: ['strTruncTrailer', 'string'],
  max_cat_bytes: ['maxCatBytes', 'int'],
  max_probes: ['maxProbes', 'int'],
  max_bpf_progs: ['maxBpfProgs', 'int'],
  perf_rb_pages: ['perfRbPages', 'int'],
  log_size: ['logSize', 'int'],
  license: ['license', 'string'],
  cache_user_symbols: ['cacheUserSymbols', 'symbolCache'],
  cpp_demangle: ['cppDemangle', 'bool'],
  lazy_symbolication: ['lazySymbolication', 'bool'],
  show_debug_info: ['showDebugInfo', 'bool'],
  unstable_map_decl: ['unstableMapDecl', 'unstable'],
  unstable_tseries: ['unstableTseries', 'unstable'],
  unstable_addr: ['unstableAddr', 'unstable'],
};

const ENUMS: Readonly<Partial<Record<Kind, readonly string[]>>> = {
  stackMode: ['bpftrace', 'perf', 'raw'],
  missingProbes: ['error', 'warn', 'ignore'],
  unstable: ['error', 'warn', 'enable'],
  symbolCache: ['PER_PROGRAM', 'PER_PID', 'NONE'],
};

function normalise(name: string): string {
  return name.toLowerCase().replace(/^bpftrace_/, '');
}

type Literal = { kind: 'int'; value: bigint } | { kind: 'string' | 'ident'; value: string } | { kind: 'bool'; value: boolean };

function literal(e: Expr): Literal | undefined {
  if (e.kind === 'int') return { kind: 'int', value: e.value };
  if (e.kind === 'unop' && e.op === '-' && e.expr.kind === 'int') return { kind: 'int', value: -e.expr.value };
  if (e.kind === 'str') return { kind: 'string', value: e.value };
  if (e.kind === 'ident') return { kind: 'ident', value: e.name };
  if (e.kind === 'bool') return { kind: 'bool', value: e.value };
  return undefined;
}

function typeName(l: Literal): string {
  return l.kind === 'int' ? 'int' : l.kind === 'bool' ? 'bool' : l.kind === 'ident' ? 'identifier' : 'string';
}

/** Applies one setting; returns an error message or undefined. */
function apply(ctx: Ctx, rawName: string, lit: Literal): string | undefined {
  const key = KEYS[normalise(rawName)];
  if (!key) return `Unrecognized config variable: ${rawName}`;
  const [field, kind] = key;
  const cfg = ctx.config as unknown as Record<string, unknown>;
  switch (kind) {
    case 'int': {
      let v: bigint | undefined;
      if (lit.kind === 'int') v = lit.value;
      else if ((lit.kind === 'string' || lit.kind === 'ident') && /^\d+$/.test(lit.value)) v = BigInt(lit.value);
      if (v === undefined) return `Invalid type for ${rawName}. Type: ${typeName(lit)}. Expected Type: int`;
      if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) return `Invalid value for ${rawName}: ${v}`;
      cfg[field] = Number(v);
      return undefined;
    }
    case 'bool': {
      let v: boolean | undefined;
      if (lit.kind === 'bool') v = lit.value;
      else if (lit.kind === 'int') {
        if (lit.value !== 0n && lit.value !== 1n) return `Invalid value for ${rawName}. Needs to be 0 or 1. Value: ${lit.value}`;
        v = lit.value === 1n;
      } else if (lit.value === 'true' || lit.value === '1') v = true;
      else if (lit.value === 'false' || lit.value === '0') v = false;
      if (v === undefined) return `Invalid type for ${rawName}. Type: ${typeName(lit)}. Expected Type: int`;
      cfg[field] = v;
      return undefined;
    }
    case 'string':
      if (lit.kind !== 'string' && lit.kind !== 'ident') return `Invalid type for ${rawName}. Type: ${typeName(lit)}. Expected Type: string`;
      cfg[field] = lit.value;
      return undefined;
    default: {
      if (lit.kind !== 'string' && lit.kind !== 'ident') return `Invalid type for ${rawName}. Type: ${typeName(lit)}. Expected Type: string`;
      const allowed = ENUMS[kind] ?? [];
      const v = kind === 'symbolCache' ? lit.value.toUpperCase() : lit.value.toLowerCase();
      if (!allowed.includes(v)) {
        if (kind === 'stackMode') return `Unknown stack mode: '${lit.value}'`;
        return `Invalid value for ${rawName}: ${lit.value}. Expected one of: ${allowed.join(', ')}`;
      }
      cfg[field] = v;
      return undefined;
    }
  }
}

export const configPass: Pass = {
  name: 'config',
  run(ctx) {
    const blocks = ctx.program.items.filter((i) => i.kind === 'config');
    const probeIndex = ctx.program.items.findIndex((i) => i.kind === 'probe');
    for (const item of blocks) {
      if (probeIndex >= 0 && ctx.program.items.indexOf(item) > probeIndex) {
        ctx.diags.error('The config block must come before any probe', item.span);
        continue;
      }
      for (const e of item.entries) {
        const lit = literal(e.value);
        const span: Span = e.span;
        if (!lit) {
          ctx.diags.error(`Assignment for ${e.name} must be literal.`, span);
          continue;
        }
        const err = apply(ctx, e.name, lit);
        if (err) ctx.diags.error(err, span);
        else {
          const key = KEYS[normalise(e.name)];
          if (key) ctx.configSet.add(key[0]);
        }
      }
    }
    // The environment overrides the script.
    for (const [name, value] of Object.entries(ctx.options.config ?? {})) {
      const err = apply(ctx, name, /^\d+$/.test(value) ? { kind: 'int', value: BigInt(value) } : { kind: 'string', value });
      if (err) ctx.diags.error(err);
      else {
        const key = KEYS[normalise(name)];
        if (key) ctx.configSet.add(key[0]);
      }
    }
  },
};
