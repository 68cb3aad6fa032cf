// Values that loading gives to pseudo `lddw` sources, shared by every engine so that they
// agree: a callback reference (src = FUNC) loads a kernel-text-looking address that
// encodes the target slot, and for_each_map_elem hands that value back to the engine.

/** Base of the addresses that `rN = func(...) ll` loads (the kernel's module text area). */
export const FUNC_ADDR_BASE = 0xffffffffa0000000n;

/** The address a callback reference to slot `slot` loads. */
export function funcAddress(slot: number): bigint {
  return FUNC_ADDR_BASE + BigInt(slot * 8);
}

/** The slot a callback address refers to, or -1 when it is not one. */
export function funcSlot(addr: bigint): number {
  const d = BigInt.asUintN(64, addr) - FUNC_ADDR_BASE;
  return d >= 0n && d < 8n << 24n && d % 8n === 0n ? Number(d / 8n) : -1;
}
