// The narrow interface the REPL drives: what a runtime session naturally offers an
// interactive front end. Submit a program (compiled, verified, attached) or a lone
// expression (evaluated); list and detach programs; read, print and clear maps; show the
// stages of the last program; list and complete probe names; change the simulated world;
// and a stream of output text and live statistics. The REPL knows nothing else about the
// runtime. Values are plain data; map values use runtime/output's value model so the REPL
// renders them with bpftrace's own formatters.
import type { MapValue } from '../../runtime/output/value';
import type { DebugStage, Speed } from '../cli/request';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ProgramInfo {
  /** Small integer the REPL shows and `.detach N` takes. */
  id: number;
  /** The program's source as entered (or as read from its file). */
  source: string;
  /** 'stdin' for typed programs, the path for `.attach FILE`. */
  file: string;
  /** Number of probes it is attached to. */
  probes: number;
}

export type SubmitResult =
  /** Probe blocks were compiled, verified and attached; output follows as events. */
  | { kind: 'attached'; program: ProgramInfo }
  /** A lone expression was evaluated; `text` is its value as `print()` shows it. */
  | { kind: 'value'; text: string }
  /** Nothing ran: diagnostics rendered as bpftrace prints them (with the `~~~` underline). */
  | { kind: 'error'; text: string };

/** A map read while programs run, for the live panel. */
export interface LiveMap {
  name: string;
  /** The program the map belongs to (maps of different programs may share a name). */
  program?: number;
  /** The map's value ready to print (entries in bpftrace's order). */
  value: MapValue;
}

export interface LiveStats {
  /** Simulated time since the session started (ns). */
  simTimeNs: number;
  /** Probe firings per wall-clock second over the last interval. */
  eventsPerSec: number;
  programs: readonly ProgramInfo[];
  maps: readonly LiveMap[];
}

export type BackendEvent =
  /** Text the programs printed (printf, print, exit-time map dumps, messages). */
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** Live statistics, sent a few times a second while anything is attached, and once when it changes. */
  | { kind: 'stats'; stats: LiveStats };

export interface WorldSettings {
  workload: string;
  seed: number;
  speed: Speed;
}

export interface ReplBackend {
  /** Compiles and attaches probe blocks, or evaluates an expression. `file` names the source in diagnostics. */
  submit(source: string, file?: string): Promise<SubmitResult>;
  programs(): readonly ProgramInfo[];
  /** Detaches one program; the text is its maps as bpftrace prints them at exit. */
  detach(id: number): Promise<Result<string>>;
  /** Detaches every running program (Ctrl-C); the text is their maps as printed at exit. */
  detachAll(): Promise<string>;
  /** The maps of the session, by name (`@`, `@count`, ...). */
  mapNames(): readonly string[];
  /** A map printed as `print(@m)` prints it. */
  printMap(name: string): Result<string>;
  clearMap(name: string): Result<void>;
  /** A stage of the last program compiled: AST, bytecode with source lines, verifier log, JIT output. */
  stage(stage: DebugStage): Result<string>;
  /** `-l`-style listing of the probes matching a pattern (all when absent). */
  listProbes(pattern: string | undefined): Result<string[]>;
  /** Probe names starting with a prefix (`kprobe:vfs_r` -> `kprobe:vfs_read`, ...), for completion. */
  completeProbe(prefix: string): string[];
  workloads(): readonly string[];
  settings(): WorldSettings;
  /** Changes the simulated world; the text says what changed (a new workload or seed restarts the world). */
  configure(change: Partial<WorldSettings>): Promise<Result<string>>;
  subscribe(listener: (event: BackendEvent) => void): () => void;
  /** Detaches everything and stops the world. */
  close(): Promise<void>;
}
