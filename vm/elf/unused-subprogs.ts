// Drops the `.text` functions a program never calls, as libbpf does when it appends
// subprograms to a program: only the ones reachable through calls and callback
// references are kept, so the verifier does not see them as unreachable code. Call and
// callback offsets are rewritten for the new positions.
import { isLddw, type Insn } from '../isa/insn';
import { Class, Jmp, PseudoCall, PseudoLd } from '../isa/opcodes';

const refTarget = (i: Insn, slot: number): number | undefined =>
  (i.code === (Class.JMP | Jmp.CALL) && i.src === PseudoCall.LOCAL) || (isLddw(i) && i.src === PseudoLd.FUNC) ? slot + i.imm + 1 : undefined;

/**
 * `insns` holds a program in [0, base) followed by `.text`; `starts` are the absolute
 * slots of the `.text` functions. Returns the instructions without unreferenced functions.
 */
export function dropUnusedFunctions(insns: Insn[], base: number, starts: number[]): Insn[] {
  const bounds = [...new Set(starts)].filter((s) => s >= base && s < insns.length).sort((a, b) => a - b);
  if (!bounds.length || bounds[0] !== base) bounds.unshift(base);
  const ranges = bounds.map((s, k) => [s, k + 1 < bounds.length ? bounds[k + 1] : insns.length] as const);
  const kept = new Set<number>();
  const work: (readonly [number, number])[] = [[0, base]];
  while (work.length) {
    const [lo, hi] = work.pop()!;
    for (let s = lo; s < hi; s++) {
      const t = refTarget(insns[s], s);
      if (t === undefined) continue;
      const k = ranges.findIndex(([a, b]) => t >= a && t < b);
      if (k >= 0 && !kept.has(k)) {
        kept.add(k);
        work.push(ranges[k]);
      }
    }
  }
  if (kept.size === ranges.length) return insns;
  const newPos = new Map<number, number>();
  const out: Insn[] = insns.slice(0, base);
  for (let s = 0; s < base; s++) newPos.set(s, s);
  ranges.forEach(([a, b], k) => {
    if (!kept.has(k)) return;
    for (let s = a; s < b; s++) {
      newPos.set(s, out.length);
      out.push({ ...insns[s] });
    }
  });
  for (const [oldSlot, slot] of newPos) {
    const t = refTarget(insns[oldSlot], oldSlot);
    const nt = t === undefined ? undefined : newPos.get(t);
    if (nt !== undefined) out[slot].imm = nt - (slot + 1);
  }
  return out;
}
