// The state one front-end run threads through its passes: the program, the catalogue and
// type environment, the options (positional parameters, --unsafe, ...), the resolved
// config, the diagnostics, and what passes produce for later ones (defines, resources).
import type { Program, Expr } from './ast';
import type { Catalogue } from './catalogue';
import { Diagnostics } from './diagnostics';
import { TypeEnv } from './typeenv';
import type { StackMode, Ty } from './types';
import type { AggParams, Resources } from './resources';

export interface CheckOptions {
  catalogue: Catalogue;
  /** Positional parameters `$1`, `$2`, ... as given on the command line. */
  params?: readonly string[];
  /** Named parameters for getopt(): `--name=value` (value '' for a bare flag). */
  namedParams?: Readonly<Record<string, string>>;
  /** bpftrace's --unsafe: allows system(), signal(), override(), ... */
  unsafe?: boolean;
  /** A child command (-c) is run: cpid is available. */
  hasChild?: boolean;
  /**
   * Maps that already exist, e.g. those of a REPL session's running programs: reading them
   * needs no assignment in this program, and their types are known.
   */
  knownMaps?: readonly { name: string; key?: Ty; value: Ty; agg?: AggParams }[];
  /** Config values from the environment (`BPFTRACE_STACK_MODE=perf` as `stack_mode: 'perf'`); they override the script's config block. */
  config?: Readonly<Record<string, string>>;
}

export type MissingProbes = 'error' | 'warn' | 'ignore';
export type UnstableMode = 'error' | 'warn' | 'enable';

/** Config variables (bpftrace's `config = { ... }` and BPFTRACE_* environment). */
export interface Config {
  maxStrlen: number;
  stackMode: StackMode;
  missingProbes: MissingProbes;
  maxMapKeys: number;
  onStackLimit: number;
  printMapsOnExit: boolean;
  strTruncTrailer: string;
  maxCatBytes: number;
  maxProbes: number;
  maxBpfProgs: number;
  perfRbPages: number;
  logSize: number;
  license: string;
  cacheUserSymbols: string;
  cppDemangle: boolean;
  lazySymbolication: boolean;
  showDebugInfo: boolean;
  unstableMapDecl: UnstableMode;
  unstableTseries: UnstableMode;
  unstableAddr: UnstableMode;
}

export const DEFAULT_CONFIG: Readonly<Config> = {
  maxStrlen: 1024,
  stackMode: 'bpftrace',
  missingProbes: 'error',
  maxMapKeys: 4096,
  onStackLimit: 32,
  printMapsOnExit: true,
  strTruncTrailer: '..',
  maxCatBytes: 10240,
  maxProbes: 1024,
  maxBpfProgs: 1024,
  perfRbPages: 64,
  logSize: 1_000_000,
  license: 'GPL',
  cacheUserSymbols: 'PER_PID',
  cppDemangle: true,
  lazySymbolication: false,
  showDebugInfo: true,
  unstableMapDecl: 'warn',
  unstableTseries: 'warn',
  unstableAddr: 'warn',
};

export class Ctx {
  readonly diags = new Diagnostics();
  readonly env: TypeEnv;
  config: Config = { ...DEFAULT_CONFIG };
  /** Config variables the script set explicitly (silences unstable-feature warnings). */
  readonly configSet = new Set<keyof Config>();
  /** Object-like `#define NAME value` macros. */
  readonly defines = new Map<string, { value?: Expr; text: string; params?: string[] }>();
  /** Notes the front end reports without them being diagnostics (ignored #includes, ...). */
  readonly notes: string[] = [];
  resources?: Resources;
  /** What the type pass learned about maps and named parameters, for the resource pass. */
  typed?: TypedInfo;

  constructor(
    public program: Program,
    readonly options: CheckOptions,
  ) {
    this.env = new TypeEnv(options.catalogue);
  }

  get catalogue(): Catalogue {
    return this.options.catalogue;
  }
}

export interface TypedMap {
  name: string;
  value?: Ty;
  key?: Ty;
  scalar?: boolean;
  agg?: AggParams;
  defined: boolean;
  probes: ReadonlySet<number>;
  /** A map of a running script (options.knownMaps). */
  known?: boolean;
}

export interface TypedInfo {
  maps: ReadonlyMap<string, TypedMap>;
  namedParams: ReadonlyMap<string, { ty: Ty; default?: string | bigint | boolean; description?: string }>;
}

/** One pass over the program; passes run in the order frontend.ts lists them. */
export interface Pass {
  name: string;
  run(ctx: Ctx): void;
}
