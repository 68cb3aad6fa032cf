// Interpreter speed: nanoseconds per executed instruction on a loop-heavy program of
// about 10^7 instructions (arithmetic, a stack store and load, a compare-and-branch per
// iteration), and the cost of one `@[comm] = count()` style firing (get_current_comm,
// hash lookup, insert on a miss, atomic add) on the interpreter.
import { median, type Benchmark, type Figure } from './harness';
import { assemble } from '../../vm/asm/assemble';
import { Machine } from '../../vm/machine';
import { Interpreter } from '../../vm/interp/interpreter';
import { loadPrograms } from '../../vm/loader';
import { FixedEnv } from '../../vm/helpers/fixed-env';
import { MapType } from '../../vm/maps/types';

const LOOP = `
  r0 = 0
  r1 = 0
  r2 = 1000000
loop:
  r3 = r1
  r3 *= 3
  r0 += r3
  r0 ^= 0x55
  *(u64 *)(r10 - 8) = r0
  r4 = *(u64 *)(r10 - 8)
  r0 += r4
  r1 += 1
  if r1 < r2 goto loop
  exit
`;

const COUNT_BY_COMM = `
  r1 = r10
  r1 += -16
  r2 = 16
  call bpf_get_current_comm
  r1 = map[counts] ll
  r2 = r10
  r2 += -16
  call bpf_map_lookup_elem
  if r0 != 0 goto add
  *(u64 *)(r10 - 24) = 0
  r1 = map[counts] ll
  r2 = r10
  r2 += -16
  r3 = r10
  r3 += -24
  r4 = 1
  call bpf_map_update_elem
  r1 = map[counts] ll
  r2 = r10
  r2 += -16
  call bpf_map_lookup_elem
  if r0 == 0 goto out
add:
  r1 = 1
  lock *(u64 *)(r0 + 0) += r1
out:
  r0 = 0
  exit
`;

function nsPerInsn(): number {
  const m = new Machine();
  const interp = new Interpreter(assemble(LOOP).insns, { mem: m.mem, helpers: m.helpers, stackTop: m.stackTop });
  const samples: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    const r = interp.run(0n, 0n, 1e8);
    const ns = Number(process.hrtime.bigint() - t0);
    if (!r.ok) throw new Error(`benchmark program faulted: ${r.fault.message}`);
    if (k > 0) samples.push(ns / r.insns);
  }
  return median(samples);
}

function nsPerFiring(): number {
  const m = new Machine();
  const a = assemble(COUNT_BY_COMM);
  const maps = [{ name: 'counts', type: MapType.HASH, keySize: 16, valueSize: 8, maxEntries: 1024 } as const];
  const loaded = loadPrograms(m, [{ name: 'count', type: 'kprobe', insns: a.insns, maps, ctx: { name: 'ctx', size: 0, fields: [] } }]);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const prog = loaded.programs[0];
  const envs = ['bash', 'sshd', 'nginx', 'postgres'].map((comm) => new FixedEnv({ comm }));
  const firings = 200_000;
  const samples: number[] = [];
  for (let k = 0; k < 4; k++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < firings; i++) prog.run(0n, envs[i & 3]);
    samples.push(Number(process.hrtime.bigint() - t0) / firings);
  }
  return median(samples.slice(1));
}

export const vmBenchmarks: Benchmark[] = [
  {
    name: 'interp.ns_per_insn',
    unit: 'ns',
    async run(): Promise<Record<string, Figure>> {
      return {
        'interp.ns_per_insn': { value: nsPerInsn(), unit: 'ns' },
        'interp.count_by_comm_ns_per_firing': { value: nsPerFiring(), unit: 'ns' },
      };
    },
  },
];
