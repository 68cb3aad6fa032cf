// The probe kinds bpfsim supports, with bpftrace's names, aliases and attach-point
// shapes: the one table the parser, the compiler, listing and completion read.
import type { ProbeKind } from '../lang/catalogue';

export const PROBE_KINDS: readonly ProbeKind[] = [
  { name: 'BEGIN', aliases: [], parts: [], wildcards: false, progType: 'special', doc: 'Runs once, before any other probe, in the tracer process.' },
  { name: 'END', aliases: [], parts: [], wildcards: false, progType: 'special', doc: 'Runs once at exit, after every other probe.' },
  { name: 'kprobe', aliases: ['k'], parts: ['func'], wildcards: true, progType: 'kprobe', doc: 'Kernel function entry; arg0..arg5 are its arguments.' },
  { name: 'kretprobe', aliases: ['kr'], parts: ['func'], wildcards: true, progType: 'kprobe', isReturn: true, doc: 'Kernel function return; retval is its return value.' },
  { name: 'uprobe', aliases: ['u'], parts: ['binary', 'func'], wildcards: true, progType: 'kprobe', doc: 'User function entry in a binary or library; arg0..arg5 are its arguments.' },
  { name: 'uretprobe', aliases: ['ur'], parts: ['binary', 'func'], wildcards: true, progType: 'kprobe', isReturn: true, doc: 'User function return; retval is its return value.' },
  { name: 'tracepoint', aliases: ['t'], parts: ['category', 'event'], wildcards: true, progType: 'tracepoint', doc: 'Kernel static tracepoint; args holds the record fields.' },
  { name: 'profile', aliases: ['p'], parts: ['unit', 'rate'], wildcards: false, progType: 'perf_event', doc: 'Timed sampling on every CPU (hz, s, ms, us).' },
  { name: 'interval', aliases: ['i'], parts: ['unit', 'rate'], wildcards: false, progType: 'perf_event', doc: 'Timed output on one CPU (s, ms, us, hz).' },
  { name: 'software', aliases: ['s'], parts: ['event', 'count'], wildcards: true, progType: 'perf_event', doc: 'Kernel software event, sampled every count occurrences.' },
  { name: 'hardware', aliases: ['h'], parts: ['event', 'count'], wildcards: true, progType: 'perf_event', doc: 'Processor hardware counter, sampled every count occurrences.' },
];

const BY_NAME = new Map<string, ProbeKind>();
for (const k of PROBE_KINDS) {
  BY_NAME.set(k.name, k);
  for (const a of k.aliases) BY_NAME.set(a, k);
}
BY_NAME.set('begin', BY_NAME.get('BEGIN')!);
BY_NAME.set('end', BY_NAME.get('END')!);

/** The kind named by a provider or one of its aliases (`k`, `kr`, `t`, ...). */
export function probeKind(provider: string): ProbeKind | undefined {
  return BY_NAME.get(provider);
}

/** Kinds listed by `-l` without a provider (bpftrace's show_in_kernel_list). */
export const KERNEL_LISTED = ['kprobe', 'tracepoint', 'software', 'hardware'] as const;

/** Time units of profile and interval probes. */
export const TIME_UNITS = ['hz', 'ms', 's', 'us'] as const;
