// Compares the simulated kernel's tracepoint formats with this machine's tracefs, when
// one is mounted and readable (skipped otherwise: the tables are the source of truth).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tracepoints } from '../../workloads/kernel/tracepoints';

const ROOT = '/sys/kernel/tracing/events';
const readable = (() => {
  try {
    return existsSync(`${ROOT}/sched/sched_switch/format`) && readFileSync(`${ROOT}/sched/sched_switch/format`, 'utf8').includes('field:');
  } catch {
    return false;
  }
})();

describe.skipIf(!readable)('tracepoint formats match tracefs', () => {
  it('every tracepoint present on this machine has identical fields, offsets, sizes and signedness', () => {
    let compared = 0;
    for (const tp of tracepoints()) {
      const f = `${ROOT}/${tp.category}/${tp.name}/format`;
      if (!existsSync(f)) continue;
      const real = [...readFileSync(f, 'utf8').matchAll(/\tfield:(.*?);\toffset:(\d+);\tsize:(\d+);\tsigned:(\d);/g)].map((m) => `${m[1]}@${m[2]}/${m[3]}/${m[4]}`);
      const ours = tp.fields.map((x) => `${x.decl}@${x.offset}/${x.size}/${x.signed ? 1 : 0}`);
      expect(ours, `${tp.category}:${tp.name}`).toEqual(real);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
