// A script attached to a session (its maps, loaded programs, links, counters), and what
// the front end needs to know of the maps of running scripts: their types, so a later
// script shares a map of the same name, and their shape for messages. The session that
// attaches and runs scripts is session.ts.
import type { AggParams } from '../lang/resources';
import { type Ty, tyToString } from '../lang/types';
import type { LoweredProgram, LoweredScript, ScriptMap } from '../lang/lower';
import type { Link } from '../probes/attach';
import type { LoadedProgram } from '../vm/loader';
import type { BpfMap } from '../vm/maps/map';
import { RingBuf } from '../vm/maps/ringbuf';
import type { CompileOptions, CompiledScript } from './compile';
import type { EventHandler } from './events';

/** A script attached to the machine. */
export class RunningScript {
  readonly links: Link[] = [];
  /** exit() was called (with this code). */
  exitCode: number | undefined;
  detached = false;
  /** Probe firings handled. */
  firings = 0;
  /** Program runs that faulted. */
  faults = 0;
  lostReported = 0;
  handler!: EventHandler;
  begin: LoadedProgram[] = [];
  end: LoadedProgram[] = [];

  constructor(
    readonly id: number,
    readonly compiled: CompiledScript,
    readonly maps: BpfMap[],
    readonly loaded: Map<LoweredProgram, LoadedProgram>,
  ) {}

  get script(): LoweredScript {
    return this.compiled.script;
  }

  get ring(): RingBuf | undefined {
    const i = this.script.ringbuf;
    const m = i === undefined ? undefined : this.maps[i];
    return m instanceof RingBuf ? m : undefined;
  }

  userMap(name: string): ScriptMap | undefined {
    return this.script.userMaps.find((m) => m.name === name.replace(/^@/, ''));
  }

  /** Number of attach points (BEGIN and END count, as in bpftrace). */
  get probeCount(): number {
    return this.script.programs.reduce((n, p) => n + p.sites.length, 0);
  }
}


/** The maps of running scripts as the front end's knownMaps (newest script first wins). */
export function knownMapsOf(scripts: readonly RunningScript[]): NonNullable<CompileOptions['knownMaps']> {
  const out = new Map<string, { name: string; key?: Ty; value: Ty; agg?: AggParams }>();
  for (const rs of [...scripts].reverse()) {
    for (const m of rs.script.userMaps) if (!out.has(m.name)) out.set(m.name, { name: m.name, key: m.res.key, value: m.res.value, agg: m.res.agg });
  }
  return [...out.values()];
}

/** A map's key and value types, for messages: `@n[int64]: string[8]`. */
export function mapShape(m: ScriptMap): string {
  return `@${m.name}${m.res.key ? `[${tyToString(m.res.key)}]` : ''}: ${tyToString(m.res.value)}`;
}
