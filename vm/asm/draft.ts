// What one assembler line turns into before labels are resolved: one or two instruction
// slots plus, where the text used a symbol, what the driver must patch in.
import type { Insn } from '../isa/insn';
import type { Target } from './operands';

export interface Draft {
  /** One slot, or two for `lddw`. */
  insns: Insn[];
  /** A jump, call or callback target to resolve into slot 0's `off` or `imm` field (relative to the next slot). */
  target?: { field: 'off' | 'imm'; to: Target };
  /** A map named in the text (`map[NAME]`, `map_value[NAME] + OFF`): the driver assigns its index. */
  mapRef?: { name: string };
}
