// What lowering a script produces (the shapes the runtime consumes) and the script-wide
// state the per-program generators share: the map table (user maps in name order, then
// the internal ring buffer, scratch, globals and stack maps as they are needed), the
// event table every ring-buffer record indexes, and the options. Types and bookkeeping
// only; instructions are emitted by gen.ts and the files beside it.
import type { Span } from '../ast';
import type { TypeTable } from '../catalogue';
import type { Config } from '../context';
import type { Diagnostic } from '../diagnostics';
import type { ConcreteProbe } from '../probes';
import type { FormatFn, MapResource, Resources } from '../resources';
import type { StackMode, Ty } from '../types';
import type { MapSpec } from '../../vm/maps/types';
import type { ProgramSpec } from '../../vm/program';
import { GLOBALS, INTERNAL_MAPS, type MapLayout, SYSCALL_NAMES, mapLayout } from './layout';

export interface LowerOptions {
  /** The kernel type table (struct layouts for pcomm() and ppid()). */
  types?: TypeTable;
  /** Address of a kernel symbol, for kaddr(). */
  kernelSymbol?(name: string): bigint | undefined;
  /** Id of a cgroup path, for cgroupid(). */
  cgroupId?(path: string): bigint | undefined;
  /** Values of named parameters (`--name=value`) for getopt(). */
  namedParams?: Readonly<Record<string, string>>;
  /** Report helper failures (map updates, deletes, probe reads) as runtime warnings (bpftrace's -k). */
  helperErrors?: boolean;
  /** Size of the ring buffer in bytes (a power of two; default from the config's perf_rb_pages). */
  ringbufBytes?: number;
  /** Address of a symbol of a user binary, for uaddr(). */
  userSymbol?(binary: string, name: string): bigint | undefined;
}

/** A user map of the script: its resource entry, layout and index in the map table. */
export interface ScriptMap {
  name: string;
  index: number;
  res: MapResource;
  layout: MapLayout;
  perCpu: boolean;
}

export interface StackMap {
  kernel: boolean;
  mode: StackMode;
  limit: number;
  index: number;
}

/** An asynchronous action a program sends to user space as a ring-buffer record. */
export type EventSpec = { id: number; span: Span; probe: number } & (
  | {
      kind: 'format';
      fn: Extract<FormatFn, 'printf' | 'errorf' | 'warnf' | 'system' | 'cat'>;
      format: string;
      args: Ty[];
      offsets: number[];
      size: number;
    }
  /** print(value): the value at offset 8. */
  | { kind: 'printValue'; ty: Ty; size: number }
  /** print(@m, top, div). */
  | { kind: 'printMap'; map: string; top: number; div: number; size: number }
  | { kind: 'clear' | 'zero'; map: string; size: number }
  /** exit(code): an i64 code at offset 8. */
  | { kind: 'exit'; size: number }
  | { kind: 'time'; format: string; size: number }
  /** join(array, sep): `count` strings of `argSize` bytes from offset 8. */
  | { kind: 'join'; sep: string; count: number; argSize: number; size: number }
  /** A helper that failed: its name; the i64 return code at offset 8. */
  | { kind: 'helperError'; helper: string; size: number }
  /** assert() failed: the message. */
  | { kind: 'assert'; message: string; size: number }
);

export type EventKind = EventSpec['kind'];

/** An event without its id (assigned when it is added to the table). */
export type EventInit = EventSpec extends infer E ? (E extends unknown ? Omit<E, 'id'> : never) : never;

export interface LoweredProgram {
  /** Probe index in program order. */
  probe: number;
  /** BEGIN and END run once from the session; others attach to `sites`. */
  role: 'begin' | 'end' | 'probe';
  /** The concrete attach points this program serves. */
  sites: ConcreteProbe[];
  spec: ProgramSpec;
}

export interface LoweredScript {
  programs: LoweredProgram[];
  /** The map table every program's map references index. */
  maps: MapSpec[];
  userMaps: ScriptMap[];
  stacks: StackMap[];
  ringbuf?: number;
  globals?: number;
  scratch?: number;
  /** The syscall name table syscall_name() reads (filled by the session): SYSCALL_NAMES entries. */
  syscallNames?: number;
  events: EventSpec[];
  resources: Resources;
  config: Config;
}

export type LowerResult = { ok: true; script: LoweredScript; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const PERCPU_TYPES = new Set([5, 6, 10]);

/** Script-wide state shared by the generators of every program. */
export class ScriptState {
  readonly maps: MapSpec[] = [];
  readonly userMaps = new Map<string, ScriptMap>();
  readonly stacks: StackMap[] = [];
  readonly events: EventSpec[] = [];
  ringbuf?: number;
  globals?: number;
  scratch?: number;
  syscallNames?: number;

  constructor(
    readonly resources: Resources,
    readonly config: Config,
    readonly options: LowerOptions,
    readonly file: string,
    readonly source: string,
  ) {
    for (const m of resources.maps) {
      const layout = mapLayout(m);
      const index = this.maps.length;
      this.maps.push({ name: `@${m.name}`, type: m.mapType as MapSpec['type'], keySize: layout.keySize, valueSize: layout.valueSize, maxEntries: m.maxEntries });
      this.userMaps.set(m.name, { name: m.name, index, res: m, layout, perCpu: PERCPU_TYPES.has(m.mapType) });
    }
  }

  /** Offset of a field of a kernel struct, from the type table. */
  fieldOffset(struct: string, field: string): number {
    const recs = this.options.types?.records;
    const def = recs?.get(struct) ?? recs?.get(`struct ${struct}`);
    const f = def?.fields.find((x) => x.name === field);
    if (!f) throw new Error(`struct ${struct} has no field ${field} in the type table`);
    return f.offset;
  }

  userMap(name: string): ScriptMap {
    const m = this.userMaps.get(name);
    if (!m) throw new Error(`map @${name} has no resource entry`);
    return m;
  }

  ringbufIndex(): number {
    if (this.ringbuf === undefined) {
      this.ringbuf = this.maps.length;
      let bytes = this.options.ringbufBytes ?? this.config.perfRbPages * 4096;
      bytes = Math.max(4096, 2 ** Math.ceil(Math.log2(bytes)));
      this.maps.push({ name: INTERNAL_MAPS.ringbuf, type: 27, keySize: 0, valueSize: 0, maxEntries: bytes });
    }
    return this.ringbuf;
  }

  /** The per-CPU scratch buffer; its value size grows to the largest program's need. */
  scratchIndex(): number {
    if (this.scratch === undefined) {
      this.scratch = this.maps.length;
      this.maps.push({ name: INTERNAL_MAPS.scratch, type: 6, keySize: 4, valueSize: 8, maxEntries: 1 });
    }
    return this.scratch;
  }

  growScratch(bytes: number): void {
    const spec = this.maps[this.scratchIndex()];
    spec.valueSize = Math.max(spec.valueSize, Math.ceil(bytes / 8) * 8);
  }

  globalsIndex(): number {
    if (this.globals === undefined) {
      this.globals = this.maps.length;
      this.maps.push({ name: INTERNAL_MAPS.globals, type: 2, keySize: 4, valueSize: GLOBALS.size, maxEntries: 1 });
    }
    return this.globals;
  }

  syscallNamesIndex(): number {
    if (this.syscallNames === undefined) {
      this.syscallNames = this.maps.length;
      this.maps.push({ name: INTERNAL_MAPS.syscallNames, type: 2, keySize: 4, valueSize: SYSCALL_NAMES.count * SYSCALL_NAMES.size, maxEntries: 1 });
    }
    return this.syscallNames;
  }

  stackIndex(kernel: boolean, mode: StackMode, limit: number): number {
    const found = this.stacks.find((s) => s.kernel === kernel && s.mode === mode && s.limit === limit);
    if (found) return found.index;
    const index = this.maps.length;
    this.maps.push({ name: INTERNAL_MAPS.stack(kernel, mode, limit), type: 7, keySize: 4, valueSize: Math.max(1, limit) * 8, maxEntries: 4096 });
    this.stacks.push({ kernel, mode, limit, index });
    return index;
  }

  /** Adds an event to the table and returns its id. */
  event(e: EventInit): number {
    const id = this.events.length;
    this.events.push({ ...e, id } as EventSpec);
    return id;
  }
}
