// The verifier: proves an eBPF program safe before it is attached or run, modelled on
// the Linux kernel's verifier (Documentation/bpf/verifier.rst) as it treats privileged
// tracing programs.
//
// What it checks:
// - structure: known opcodes with unused fields zero, well-formed lddw with valid map
//   references, jumps inside their subprogram and never into an lddw's second slot, no
//   fall-through past the end, no unreachable instruction, at most 1M instructions;
// - every path, on abstract state: registers typed (scalar with 64/32-bit signed and
//   unsigned ranges and known bits; ctx; stack pointer; map pointer; map value with and
//   without its null check; ring buffer memory; trusted kernel-object pointer; function),
//   stack slots typed per byte with spilled registers kept exactly, no read of an
//   uninitialised register, no write to r10;
// - memory accesses inside their region (stack frame, ctx field, map value, reserved
//   ring buffer record), stack accesses aligned, ctx read-only;
// - pointer arithmetic only as the kernel allows; comparisons refine ranges and null
//   checks on both branches;
// - helper calls against the prototype table (map pointers, key/value/memory arguments
//   of enough bytes, bounded non-negative sizes, map types each helper accepts), r1-r5
//   clobbered, return types set; ring buffer records released on every path;
// - bpf-to-bpf calls (at most 8 frames) and
//   for_each_map_elem callbacks; r0 a scalar at exit (each frame has its own 512-byte
//   stack, as with the private stacks Linux 6.13+ gives tracing programs, so there is no
//   combined limit);
// - loops: any back-edge, as long as every path ends within 1,000,000 processed
//   instructions; an exact repeat of a state in a loop is an infinite loop.
//
// - state pruning as the kernel's: liveness read marks, precision backtracking (only
//   scalars some path uses in a decision must match), scalars linked by copies (with a
//   constant difference), infinite-loop detection.
//
// What it deliberately does not do: unprivileged-mode rules (pointer leaks, speculative
// execution sanitising), packet access, BTF types (loads through a trusted kernel-object
// pointer are allowed at any small offset and must be run as fault-tolerant loads),
// kfuncs other than the task ones of helpers/kfuncs.ts, iterators, spin locks, tail calls. Precision is not followed through callback
// frames (every scalar then counts as precise), which can only make pruning weaker.
import type { ProgramSpec, SourceSpan } from '../program';
import { Limits } from '../isa/opcodes';
import { buildCfg, StructuralError } from './cfg';
import { Env, VerifierError } from './env';
import { walk } from './check';
import type { AccessFact } from './facts';

export type { AccessFact, Region } from './facts';

export interface VerifyOptions {
  /**
   * 0: the error and the summary line; 1: as the kernel's log level 1, the instructions of
   * the failing path with the state each changed (an accepted program logs its summary
   * only); 2: every path, as the kernel's level 2.
   */
  logLevel?: 0 | 1 | 2;
  /** Processed-instruction budget (default 1,000,000, as the kernel). */
  maxInsns?: number;
  /** Possible CPUs: bpf_get_smp_processor_id returns less than this (default 8192, x86-64's NR_CPUS maximum). */
  nrCpus?: number;
}

export interface VerifyError {
  insn: number;
  message: string;
  span?: SourceSpan;
}

export interface VerifyStats {
  processed: number;
  maxStatesPerInsn: number;
  totalStates: number;
  peakStates: number;
  markRead: number;
}

export interface VerifyResult {
  ok: boolean;
  /** Kernel-style log text. */
  log: string;
  /**
   * The failing instruction (slot index), the last log line, and for a program compiled
   * from a script the span whose lowering produced that instruction (the runtime renders
   * it as a bpftrace-style diagnostic; spans of lddw's second slot fall back to the first).
   */
  error?: VerifyError;
  stats: VerifyStats;
  /** Per instruction slot: for memory accesses, what the address register was proven to point into. */
  access: readonly (AccessFact | undefined)[];
  /** Stack bytes used by each subprogram, by start index. */
  stackDepth: ReadonlyMap<number, number>;
}

/** Verifies a program; never throws for bad input (rejections are results). */
export function verify(spec: ProgramSpec, opts: VerifyOptions = {}): VerifyResult {
  const level = opts.logLevel ?? 0;
  const limits = { maxInsns: opts.maxInsns ?? Limits.MAX_INSNS, nrCpus: opts.nrCpus ?? 8192 };
  const empty = { processed: 0, maxStatesPerInsn: 0, totalStates: 0, peakStates: 0, markRead: 0 };
  let cfg;
  try {
    cfg = buildCfg(spec);
  } catch (e) {
    if (!(e instanceof StructuralError)) throw e;
    const log = `${e.message}\n${summary(empty)}\n`;
    return { ok: false, log, error: withSpan(spec, { insn: e.insn, message: e.message }), stats: empty, access: [], stackDepth: new Map() };
  }
  const env = new Env(spec, cfg, limits, level);
  let error: VerifyError | undefined;
  try {
    walk(env);
  } catch (e) {
    if (e instanceof VerifierError) error = { insn: e.insn, message: e.message };
    else error = { insn: env.insnIdx, message: `verifier internal error: ${e instanceof Error ? e.message : String(e)}` };
    env.log.line(error.message, true);
  }
  const stats: VerifyStats = {
    processed: Math.min(env.processed, limits.maxInsns + 1),
    maxStatesPerInsn: env.maxStatesPerInsn,
    totalStates: env.totalStates,
    peakStates: env.peakStates,
    markRead: env.longestMarkRead,
  };
  env.log.line(summary(stats), true);
  return { ok: !error, log: env.log.text(), error: error && withSpan(spec, error), stats, access: error ? [] : env.access, stackDepth: env.stackDepth };
}

function summary(s: VerifyStats): string {
  return `processed ${s.processed} insns (limit ${Limits.MAX_INSNS}) max_states_per_insn ${s.maxStatesPerInsn} total_states ${s.totalStates} peak_states ${s.peakStates} mark_read ${s.markRead}`;
}

function withSpan(spec: ProgramSpec, e: VerifyError): VerifyError {
  const span = spec.spans?.[e.insn] ?? (e.insn > 0 ? spec.spans?.[e.insn - 1] : undefined);
  return span ? { ...e, span } : e;
}
