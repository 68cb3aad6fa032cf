// Software and hardware perf events by bpftrace's names and aliases, with the default
// sample period used when a probe gives no count (software:faults is software:page-faults:100).
export interface PerfEventDef {
  name: string;
  alias: string;
  /** Default sample period. */
  period: number;
}

export const SOFTWARE_EVENTS: readonly PerfEventDef[] = [
  { name: 'alignment-faults', alias: '', period: 1 },
  { name: 'bpf-output', alias: '', period: 1 },
  { name: 'context-switches', alias: 'cs', period: 1000 },
  { name: 'cpu-clock', alias: 'cpu', period: 1000000 },
  { name: 'cpu-migrations', alias: '', period: 1 },
  { name: 'dummy', alias: '', period: 1 },
  { name: 'emulation-faults', alias: '', period: 1 },
  { name: 'major-faults', alias: '', period: 1 },
  { name: 'minor-faults', alias: '', period: 100 },
  { name: 'page-faults', alias: 'faults', period: 100 },
  { name: 'task-clock', alias: '', period: 1 },
];

export const HARDWARE_EVENTS: readonly PerfEventDef[] = [
  { name: 'backend-stalls', alias: '', period: 1000000 },
  { name: 'branch-instructions', alias: 'branches', period: 100000 },
  { name: 'branch-misses', alias: '', period: 100000 },
  { name: 'bus-cycles', alias: '', period: 100000 },
  { name: 'cache-misses', alias: '', period: 1000000 },
  { name: 'cache-references', alias: '', period: 1000000 },
  { name: 'cpu-cycles', alias: 'cycles', period: 1000000 },
  { name: 'frontend-stalls', alias: '', period: 1000000 },
  { name: 'instructions', alias: '', period: 1000000 },
  { name: 'ref-cycles', alias: '', period: 1000000 },
];

/** The event with this name or alias. */
export function perfEvent(kind: 'software' | 'hardware', name: string): PerfEventDef | undefined {
  const list = kind === 'software' ? SOFTWARE_EVENTS : HARDWARE_EVENTS;
  return list.find((e) => e.name === name || (e.alias !== '' && e.alias === name));
}

/** Every accepted spelling (names then aliases), as the catalogue lists them. */
export function perfEventNames(list: readonly PerfEventDef[]): string[] {
  return [...list.map((e) => e.name), ...list.filter((e) => e.alias).map((e) => e.alias)];
}
