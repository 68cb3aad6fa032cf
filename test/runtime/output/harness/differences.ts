// The documented differences between bpftrace 0.17's output (installed here, captured
// in the case files) and bpftrace 0.26's (which bpfsim follows), as rewrite rules from
// 0.17 text to 0.26 text. Each rule cites the 0.26 source it comes from. Differences
// that a text rewrite cannot express are EXPECT blocks with a NOTE in the case files.
import type { AggKind } from '../../../../runtime/output/map-snapshot';

export interface Difference {
  id: string;
  mode: 'text' | 'json';
  /** What changed, in a sentence. */
  what: string;
  /** The bpftrace 0.26 source that shows it. */
  source: string;
  apply(text: string, mapKinds: ReadonlyMap<string, AggKind>): string;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const DIFFERENCES: readonly Difference[] = [
  {
    id: 'attached-message-on-stderr',
    mode: 'text',
    what: '0.17 printed "Attaching N probes..." on stdout; 0.26 prints "Attached N probes" on stderr.',
    source: 'src/output/text.cpp TextOutput::attached_probes (writes to err_)',
    apply: (t) => t.replace(/^Attaching \d+ probes?\.\.\.\n/, ''),
  },
  {
    id: 'hist-header-without-space',
    mode: 'text',
    what: 'The line naming a histogram ends in ":" without the trailing space 0.17 printed.',
    source: 'src/output/text.cpp TextOutput::map (name << ":") and emit_map ("]:" for non-primitive values)',
    apply: (t) => t.replace(/^(@.*:) \n(?=[[(]|\n)/gm, '$1\n'),
  },
  {
    id: 'stats-as-record',
    mode: 'text',
    what: 'stats() values print as a record "{ .count = C, .average = A, .total = T }" instead of "count C, average A, total T".',
    source: 'src/types_format.cpp format() builds a Record for stats_t; src/output/text.cpp TextEmitter<Primitive::Record>',
    apply: (t) => t.replace(/count (-?\d+), average (-?\d+), total (-?\d+)/g, '{ .count = $1, .average = $2, .total = $3 }'),
  },
  {
    id: 'no-blank-line-after-avg-stats',
    mode: 'text',
    what: '0.17 followed avg() and stats() maps with an empty line; 0.26 follows only histograms with one.',
    source: 'src/output/text.cpp TextOutput::map (only the histogram branch writes an extra endl)',
    apply: (t, kinds) => {
      let out = t;
      for (const [name, kind] of kinds) {
        if (kind !== 'avg' && kind !== 'stats') continue;
        const re = new RegExp(`((?:^${esc(name)}(?:\\[[^\\n]*\\])?: [^\\n]*\\n)+)\\n`, 'gm');
        out = out.replace(re, '$1');
      }
      return out;
    },
  },
  {
    id: 'json-attached-probes-count',
    mode: 'json',
    what: 'The attached_probes message carries a top-level "count" as well as "data".',
    source: 'src/output/json.cpp JsonOutput::attached_probes',
    apply: (t) => t.replace(/\{"type": "attached_probes", "data": \{"probes": (\d+)\}\}/g, '{"type": "attached_probes", "count": $1, "data": {"probes": $1}}'),
  },
  {
    id: 'json-no-blank-lines',
    mode: 'json',
    what: '0.17 printed two empty lines after the main loop in JSON mode; 0.26 prints nothing there.',
    source: 'src/output/json.cpp JsonOutput::end',
    apply: (t) => t.replace(/^\n+/gm, ''),
  },
  {
    id: 'json-hist-buckets-unspaced',
    mode: 'json',
    what: 'Histogram buckets are joined with "," (arrays are unspaced) instead of ", ".',
    source: 'src/output/json.cpp JsonEmitter<Value::Histogram>',
    apply: (t) => t.replace(/\}, \{"(min|max|count)"/g, '},{"$1"'),
  },
  {
    id: 'json-keys-without-spaces',
    mode: 'json',
    what: 'Map keys have every space removed.',
    source: 'src/output/json.cpp JsonEmitter<std::vector<std::pair<K, V>>> (std::erase(s, \' \'))',
    apply: (t) => t.replace(/"((?:[^"\\]|\\.)* (?:[^"\\]|\\.)*)": /g, (_, k: string) => `"${k.split(' ').join('')}": `),
  },
  {
    id: 'json-inexact-integers-as-strings',
    mode: 'json',
    what: 'Integers a double cannot represent exactly are written as JSON strings.',
    source: 'src/output/json.cpp JsonEmitter<int64_t/uint64_t> (RFC 8259 note)',
    apply: (t) =>
      t.replace(/(?<=[:[,] ?)(-?\d{16,})(?=[,}\]])/g, (n: string) => (BigInt(Number(n)) === BigInt(n) ? n : `"${n}"`)),
  },
];

/** The 0.26 output for a captured 0.17 output, and which rules changed it. */
export function from017(v017: string, mode: 'text' | 'json', mapKinds: ReadonlyMap<string, AggKind>): { text: string; used: string[] } {
  let text = v017;
  const used: string[] = [];
  for (const d of DIFFERENCES) {
    if (d.mode !== mode) continue;
    const next = d.apply(text, mapKinds);
    if (next !== text) used.push(d.id);
    text = next;
  }
  return { text, used };
}
