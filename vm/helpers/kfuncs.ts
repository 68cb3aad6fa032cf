// Kernel functions a program may call (`call` with src_reg 2, BPF_PSEUDO_KFUNC_CALL, imm
// the function's BTF id): their prototypes as the verifier checks them (acquired and
// released references, NULL returns) and their implementations on the helper calling
// convention. The ids are this machine's BTF ids (a kernel's differ per build); engines
// dispatch a kfunc call through the helper table under its id. Only the task kfuncs that
// bpftrace's comm(pid) uses are here.
import type { HelperDef, HelperRuntime } from './runtime';

export interface KfuncProto {
  /** The function's BTF id on this machine (the call's imm). */
  id: number;
  name: string;
  /** The first argument: a plain scalar, or a referenced pointer to `btf`. */
  arg: { kind: 'scalar' } | { kind: 'ref'; btf: string };
  /** What r0 holds after the call. */
  ret: { kind: 'void' } | { kind: 'ptr'; btf: string; acquire: boolean; maybeNull: boolean };
  /** KF_RELEASE: the argument's reference is released. */
  release: boolean;
  doc: string;
}

export const KFUNCS: readonly KfuncProto[] = [
  {
    id: 1001,
    name: 'bpf_task_from_pid',
    arg: { kind: 'scalar' },
    ret: { kind: 'ptr', btf: 'task_struct', acquire: true, maybeNull: true },
    release: false,
    doc: 'The task with this pid in the initial PID namespace, with a reference the program must release, or NULL.',
  },
  {
    id: 1002,
    name: 'bpf_task_release',
    arg: { kind: 'ref', btf: 'task_struct' },
    ret: { kind: 'void' },
    release: true,
    doc: 'Releases a task reference acquired by bpf_task_from_pid.',
  },
];

const BY_ID = new Map(KFUNCS.map((k) => [k.id, k]));
const BY_NAME = new Map(KFUNCS.map((k) => [k.name, k]));

export function kfuncById(id: number): KfuncProto | undefined {
  return BY_ID.get(id);
}

export function kfuncByName(name: string): KfuncProto | undefined {
  return BY_NAME.get(name);
}

/** The implementations: tasks come from the host's lookup (none: every pid is missing). */
export function kfuncHelpers(rt: HelperRuntime): HelperDef[] {
  return [
    { id: 1001, arity: 1, fn: (pid) => rt.taskByPid?.(Number(BigInt.asIntN(32, pid))) ?? 0n },
    // References are not counted on this machine: releasing is a no-op.
    { id: 1002, arity: 1, fn: () => 0n },
  ];
}
