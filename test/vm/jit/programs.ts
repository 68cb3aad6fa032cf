// Programs shaped as bpftrace emits them, written by hand until the compiler exists, for
// the JIT's differential tests and benchmarks: `@[comm] = count()` and `@ = hist(arg0)`
// on kprobes (get_current_comm or the log2 bucket into a stack key, map_lookup_elem, a
// null check, an atomic add, else map_update_elem), and a loop-heavy program. Also the
// loading glue: a kprobe spec over pt_regs, loaded on a machine with a chosen engine,
// with or without the verifier's facts.
import { assemble } from '../../../vm/asm/assemble';
import { Machine } from '../../../vm/machine';
import { loadPrograms, type Engine, type LoadedProgram } from '../../../vm/loader';
import { MapType, type MapSpec } from '../../../vm/maps/types';
import { PT_REGS, ptRegsOffset } from '../../../vm/ctx/layouts';
import type { ProgramSpec } from '../../../vm/program';
import { verify } from '../../../vm/verifier';
import { makeJitEngine, type JitOptions } from '../../../vm/jit/engine';

/** `kprobe:f { @[comm] = count(); }` */
export const COUNT_COMM = `
  r1 = r10
  r1 += -16
  r2 = 16
  call bpf_get_current_comm
  r1 = map[counts] ll
  r2 = r10
  r2 += -16
  call bpf_map_lookup_elem
  if r0 == 0 goto miss
  r1 = 1
  lock *(u64 *)(r0 + 0) += r1
  goto out
miss:
  r1 = 1
  *(u64 *)(r10 - 24) = r1
  r1 = map[counts] ll
  r2 = r10
  r2 += -16
  r3 = r10
  r3 += -24
  r4 = 0
  call bpf_map_update_elem
out:
  r0 = 0
  exit
`;

/**
 * `kprobe:f { @ = hist(arg0); }`: bpftrace's log2 bucket (0 for negative values, 1 for
 * zero, then 2 + floor(log2(n))) computed by halving steps of 32, 16, 8, 4, 2, 1 bits.
 */
export const HIST_ARG0 = `
  r6 = *(u64 *)(r1 + ${ptRegsOffset('di')})
  r7 = 0
  if r6 s< 0 goto store
  r7 = 1
  if r6 == 0 goto store
  r7 = 2
  r2 = r6
  r3 = 0x100000000 ll
  if r2 < r3 goto s16
  r2 >>= 32
  r7 += 32
s16:
  if r2 < 0x10000 goto s8
  r2 >>= 16
  r7 += 16
s8:
  if r2 < 0x100 goto s4
  r2 >>= 8
  r7 += 8
s4:
  if r2 < 0x10 goto s2
  r2 >>= 4
  r7 += 4
s2:
  if r2 < 4 goto s1
  r2 >>= 2
  r7 += 2
s1:
  if r2 < 2 goto store
  r7 += 1
store:
  *(u64 *)(r10 - 8) = r7
  r1 = map[hist] ll
  r2 = r10
  r2 += -8
  call bpf_map_lookup_elem
  if r0 == 0 goto miss
  r1 = 1
  lock *(u64 *)(r0 + 0) += r1
  goto out
miss:
  r1 = 1
  *(u64 *)(r10 - 16) = r1
  r1 = map[hist] ll
  r2 = r10
  r2 += -8
  r3 = r10
  r3 += -16
  r4 = 0
  call bpf_map_update_elem
out:
  r0 = 0
  exit
`;

/** A loop of about 10 instructions per iteration, `n` iterations (arithmetic, a stack store and load, a compare-and-branch). */
export function loopProgram(n: number): string {
  return `
  r0 = 0
  r1 = 0
  r2 = ${n}
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
}

export const COUNT_MAP: MapSpec = { name: 'counts', type: MapType.HASH, keySize: 16, valueSize: 8, maxEntries: 4096 };
export const HIST_MAP: MapSpec = { name: 'hist', type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 4096 };

/** A kprobe program spec over pt_regs from assembler text and its maps. */
export function kprobeSpec(name: string, text: string, maps: readonly MapSpec[]): ProgramSpec {
  return { name, type: 'kprobe', insns: assemble(text).insns, maps, ctx: PT_REGS };
}

export interface LoadChoice {
  /** 'interpreter', or the JIT with its options. */
  engine: 'interpreter' | { jit: JitOptions };
  /** Verify first and hand the verifier's access facts to the JIT. */
  verified?: boolean;
}

/** Loads one spec on a machine and returns the live program; throws on rejection. */
export function load(machine: Machine, spec: ProgramSpec, choice: LoadChoice): LoadedProgram {
  let engine: Engine | undefined;
  if (choice.engine !== 'interpreter') {
    const opts = choice.engine.jit;
    const jit = makeJitEngine(opts);
    const facts = choice.verified ? verifiedFacts(spec) : undefined;
    engine = { name: jit.name, prepare: (insns, m, s) => jit.prepare(insns, m, s, facts), dump: jit.dump };
  } else if (choice.verified) verifiedFacts(spec);
  const r = loadPrograms(machine, [spec], { engine });
  if (!r.ok) throw new LoadError(r.errors.join('\n'));
  return r.programs[0];
}

/** The loader refused a program (bad map references and the like). */
export class LoadError extends Error {}

/** The verifier's access facts for a spec; throws with the log when it rejects the program. */
export function verifiedFacts(spec: ProgramSpec): ReturnType<typeof verify>['access'] {
  const v = verify(spec);
  if (!v.ok) throw new Error(`${spec.name} rejected by the verifier:\n${v.log}`);
  return v.access;
}
