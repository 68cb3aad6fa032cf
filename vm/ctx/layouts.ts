// Standard ctx records as data: x86-64 `struct pt_regs` (kprobes, uprobes) and
// `struct bpf_perf_event_data` (profile and software events). Tracepoint records come
// from each tracepoint's format instead. The verifier checks ctx accesses against these;
// probes/ writes them; the compiler reads argument and return registers from them.
import type { CtxField, CtxLayout } from '../program';

/** Registers of x86-64 `struct pt_regs` in memory order, 8 bytes each. */
export const PT_REGS_FIELDS = [
  'r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8',
  'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss',
] as const;
export type PtRegsField = (typeof PT_REGS_FIELDS)[number];

/** Byte offset of a pt_regs register. */
export function ptRegsOffset(reg: PtRegsField): number {
  return PT_REGS_FIELDS.indexOf(reg) * 8;
}

/** The System V AMD64 argument registers: arg0..arg5 of a probed function. */
export const ARG_REGS: readonly PtRegsField[] = ['di', 'si', 'dx', 'cx', 'r8', 'r9'];
/** The register holding a function's return value. */
export const RET_REG: PtRegsField = 'ax';

const ptRegsFields: CtxField[] = PT_REGS_FIELDS.map((name, i) => ({ name, offset: i * 8, size: 8 }));

export const PT_REGS: CtxLayout = { name: 'struct pt_regs', size: PT_REGS_FIELDS.length * 8, fields: ptRegsFields };

/** `struct bpf_perf_event_data { bpf_user_pt_regs_t regs; __u64 sample_period; __u64 addr; }`. */
export const PERF_EVENT_DATA: CtxLayout = {
  name: 'struct bpf_perf_event_data',
  size: PT_REGS.size + 16,
  fields: [
    ...ptRegsFields.map((f) => ({ ...f, name: `regs.${f.name}` })),
    { name: 'sample_period', offset: PT_REGS.size, size: 8 },
    { name: 'addr', offset: PT_REGS.size + 8, size: 8 },
  ],
};
