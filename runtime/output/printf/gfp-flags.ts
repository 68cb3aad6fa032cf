// GFP (get free pages) flag names for printf's `%gr`, with the bit values bpftrace uses:
// compound names first (most specific first), then single flags, then leftover bits
// in hex. A table and the function that reads it.

export const GFP_FLAGS: readonly (readonly [string, bigint])[] = [
  ['__GFP_DMA', 0x01n],
  ['__GFP_HIGHMEM', 0x02n],
  ['__GFP_DMA32', 0x04n],
  ['__GFP_MOVABLE', 0x08n],
  ['__GFP_RECLAIMABLE', 0x10n],
  ['__GFP_HIGH', 0x20n],
  ['__GFP_IO', 0x40n],
  ['__GFP_FS', 0x80n],
  ['__GFP_ZERO', 0x100n],
  ['__GFP_NOFAIL', 0x200n],
  ['__GFP_NORETRY', 0x400n],
  ['__GFP_MEMALLOC', 0x800n],
  ['__GFP_COMP', 0x1000n],
  ['__GFP_NOMEMALLOC', 0x2000n],
  ['__GFP_HARDWALL', 0x4000n],
  ['__GFP_THISNODE', 0x8000n],
  ['__GFP_ATOMIC', 0x10000n],
  ['__GFP_ACCOUNT', 0x20000n],
  ['__GFP_DIRECT_RECLAIM', 0x40000n],
  ['__GFP_WRITE', 0x80000n],
  ['__GFP_KSWAPD_RECLAIM', 0x100000n],
  ['__GFP_ZEROTAGS', 0x200000n],
  ['__GFP_SKIP_KASAN', 0x400000n],
  ['__GFP_NOWARN', 0x800000n],
];

const F = Object.fromEntries(GFP_FLAGS) as Record<string, bigint>;
const GFP_KERNEL = F.__GFP_DIRECT_RECLAIM | F.__GFP_IO | F.__GFP_FS | F.__GFP_KSWAPD_RECLAIM;
const GFP_USER = GFP_KERNEL | F.__GFP_HARDWALL;
const GFP_HIGHUSER = GFP_USER | F.__GFP_HIGHMEM;
const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | F.__GFP_MOVABLE;
const GFP_TRANSHUGE_LIGHT = GFP_HIGHUSER_MOVABLE | F.__GFP_COMP | F.__GFP_NOMEMALLOC | F.__GFP_NOWARN;

/** Compound names, checked in this order. */
export const GFP_COMPOUND: readonly (readonly [string, bigint])[] = [
  ['GFP_TRANSHUGE', GFP_TRANSHUGE_LIGHT | F.__GFP_DIRECT_RECLAIM],
  ['GFP_TRANSHUGE_LIGHT', GFP_TRANSHUGE_LIGHT],
  ['GFP_HIGHUSER_MOVABLE', GFP_HIGHUSER_MOVABLE],
  ['GFP_HIGHUSER', GFP_HIGHUSER],
  ['GFP_KERNEL_ACCOUNT', GFP_KERNEL | F.__GFP_ACCOUNT],
  ['GFP_KERNEL', GFP_KERNEL],
  ['GFP_USER', GFP_USER],
  ['GFP_ATOMIC', F.__GFP_HIGH | F.__GFP_ATOMIC | F.__GFP_KSWAPD_RECLAIM],
  ['GFP_NOWAIT', F.__GFP_KSWAPD_RECLAIM],
  ['GFP_NOIO', F.__GFP_DIRECT_RECLAIM | F.__GFP_KSWAPD_RECLAIM],
  ['GFP_NOFS', F.__GFP_DIRECT_RECLAIM | F.__GFP_IO | F.__GFP_KSWAPD_RECLAIM],
  ['GFP_DMA32', F.__GFP_DMA32],
  ['GFP_DMA', F.__GFP_DMA],
];

/** `GFP_KERNEL|__GFP_ZERO`-style text of a gfp_t value; `0` for no flags. */
export function formatGfpFlags(flags: bigint): string {
  if (flags === 0n) return '0';
  let remaining = BigInt.asUintN(64, flags);
  const parts: string[] = [];
  for (const [name, bits] of [...GFP_COMPOUND, ...GFP_FLAGS]) {
    const matches = GFP_COMPOUND.some((c) => c[0] === name) ? (remaining & bits) === bits : (remaining & bits) !== 0n;
    if (matches) {
      parts.push(name);
      remaining &= ~bits;
    }
  }
  if (remaining !== 0n) parts.push('0x' + remaining.toString(16));
  return parts.join('|');
}
