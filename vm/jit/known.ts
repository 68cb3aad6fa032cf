// What the planning pass knows about a register at one point of a basic block, and the
// test for an r10-relative byte range that stays inside the current 512-byte frame.
import { Limits } from '../isa/opcodes';

/** A constant (as an unsigned 64-bit value), `r10 + off`, or nothing known. */
export type Known = { k: 'const'; v: bigint } | { k: 'fp'; off: number } | null;

/** True when [off, off + bytes) relative to r10 lies inside the current frame. */
export function inFrame(off: number, bytes: number): boolean {
  return off >= -Limits.STACK_SIZE && off + bytes <= 0;
}
