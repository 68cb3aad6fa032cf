// Kernel call chains resolve their frame names through kallsyms when a program first asks
// for the addresses, not when the chain is declared: every chain the workloads make
// (module constants and the ones built while the machine runs) names known symbols, and
// a chain with an unknown name fails when resolved.
import { describe, expect, it } from 'vitest';
import { ksymByName } from '../../workloads/kernel/kfuncs';
import { KStack, kin, unknownStackSymbols } from '../../workloads/kernel/stacks';
import { System, listWorkloads } from '../../workloads/system';

describe('kernel stacks', () => {
  it('every chain made by any workload names kernel symbols', () => {
    for (const w of listWorkloads()) new System({ workload: w.name, seed: 3 }).runFor(300e6);
    expect(unknownStackSymbols()).toEqual([]);
  });

  it('an unknown frame name fails when the chain is resolved, not when it is made', () => {
    const s = new KStack(['no_such_kernel_function', 'vfs_read']);
    expect(() => s.addrs()).toThrow(/kernel stack: unknown symbol no_such_kernel_function/);
    expect(unknownStackSymbols()).toEqual(['no_such_kernel_function']);
  });

  it('resolves innermost first, entry frames at +5', () => {
    const st = kin('vfs_read', 'ksys_read').call('rw_verify_area');
    const a = st.addrs();
    expect(a[0]).toBe(ksymByName('rw_verify_area')!.addr + 5n);
    expect(a[1] > ksymByName('vfs_read')!.addr && a[1] < ksymByName('vfs_read')!.addr + BigInt(ksymByName('vfs_read')!.size)).toBe(true);
    expect(st.addrs()).toBe(a);
  });
});
