// The static tables and hooks made on first use: what is asked for by name is the same
// object the full list later holds, the per-syscall hook arrays fill as their hooks are
// made, and errors in names surface when a name is first used.
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../probes/catalogue';
import { HookTable } from '../../workloads/kernel/hook-table';
import { hasTracepoint, tracepoint, tracepoints } from '../../workloads/kernel/tracepoints';
import { SYSCALL_TABLE } from '../../workloads/kernel/syscall-table';
import { binaries, binary } from '../../workloads/user/binaries';
import { UStack, ustack } from '../../workloads/user/ustack';

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';

describe('tracepoints made by name', () => {
  const cases: [category: string, name: string, fields: string[]][] = [
    ['sched', 'sched_switch', ['prev_comm', 'prev_pid', 'prev_prio', 'prev_state', 'next_comm', 'next_pid', 'next_prio']],
    ['syscalls', 'sys_enter_openat', ['__syscall_nr', 'dfd', 'filename', 'flags', 'mode']],
    ['syscalls', 'sys_exit_read', ['__syscall_nr', 'ret']],
    ['raw_syscalls', 'sys_enter', ['id', 'args']],
  ];
  it.each(cases)('%s:%s is the object the full list holds, with its record', (category, name, fields) => {
    expect(hasTracepoint(category, name)).toBe(true);
    const one = tracepoint(category, name)!;
    expect(tracepoints().find((t) => t.category === category && t.name === name)).toBe(one);
    expect(one.fields.slice(4).map((f) => f.name)).toEqual(fields);
    expect(one.size).toBeGreaterThanOrEqual(one.fields[one.fields.length - 1].offset + one.fields[one.fields.length - 1].size);
    // Spreading copies the laid-out record (as listing and JSON output do).
    expect({ ...one }.fields).toBe(one.fields);
  });

  it('an unknown tracepoint is neither found nor made', () => {
    expect(hasTracepoint('sched', 'no_such_event')).toBe(false);
    expect(tracepoint('sched', 'no_such_event')).toBeUndefined();
  });

  it('ids follow table order, one per tracepoint', () => {
    const ids = tracepoints().map((t) => t.id);
    expect(ids).toEqual(ids.map((_, i) => 100 + i));
  });
});

describe('hooks made on first use', () => {
  it('the same name gives the same hooks, and unknown names none', () => {
    const h = new HookTable();
    expect(h.k('vfs_read')).toBe(h.func('vfs_read'));
    expect(h.funcOf(h.k('vfs_read').entry)).toBe(h.k('vfs_read'));
    expect(h.func('no_such_kernel_function')).toBeUndefined();
    expect(() => h.k('no_such_kernel_function')).toThrow(/no kernel function/);
    expect(h.tp('sched', 'sched_switch')).toBe(h.tracepoint('sched', 'sched_switch'));
    expect(h.tpInfo(h.tp('sched', 'sched_switch'))).toBe(tracepoint('sched', 'sched_switch'));
    expect(h.tracepoint('sched', 'no_such_event')).toBeUndefined();
    expect(h.u(`${LIBC}:malloc`)).toBe(h.libc('malloc'));
    expect(h.userOf(h.libc('malloc').ret)).toBe(h.libc('malloc'));
    expect(h.user(`${LIBC}:no_such_symbol`)).toBeUndefined();
  });

  it('the per-syscall arrays hold a syscall hook once it is made', () => {
    const h = new HookTable();
    for (const [nr, , tp] of SYSCALL_TABLE.slice(0, 40)) {
      expect(h.sysEnter[nr]).toBeUndefined();
      expect(h.sysWrapper[nr]).toBeUndefined();
      expect(h.sysEnter[nr] ?? h.tp('syscalls', `sys_enter_${tp}`)).toBe(h.tp('syscalls', `sys_enter_${tp}`));
      expect(h.sysEnter[nr]).toBe(h.tp('syscalls', `sys_enter_${tp}`));
      expect(h.sysExit[nr]).toBeUndefined();
      h.tp('syscalls', `sys_exit_${tp}`);
      expect(h.sysExit[nr]).toBe(h.tp('syscalls', `sys_exit_${tp}`));
      h.k(`__x64_sys_${tp}`);
      expect(h.sysWrapper[nr]).toBe(h.k(`__x64_sys_${tp}`));
    }
  });

  it('all makes every hook once, with ids that index it, keeping those made before', () => {
    const h = new HookTable();
    const early = h.k('tcp_sendmsg').entry;
    const all = h.all;
    expect(all[early.id]).toBe(early);
    all.forEach((x, i) => expect(x.id).toBe(i));
    expect(new Set(all.map((x) => `${x.kind} ${x.name}`)).size).toBe(all.length);
    expect(all.filter((x) => x.kind === 'tracepoint').length).toBe(tracepoints().length);
    expect(h.all).toBe(all);
  });
});

describe('user binaries and stacks resolved on first use', () => {
  it('a binary looked up alone is the one the full list holds', () => {
    const libc = binary(LIBC)!;
    expect(binaries().find((b) => b.path === LIBC)).toBe(libc);
    expect(binary('/no/such/binary')).toBeUndefined();
  });

  it('a prototype is parsed when its types are read', () => {
    const malloc = binary(LIBC)!.symbols.find((s) => s.name === 'malloc')!;
    expect(malloc.args?.map((a) => a.name)).toEqual(['size']);
    expect(malloc.argTexts).toEqual(['size_t size']);
    expect(malloc.ret).toEqual({ kind: 'ptr', to: { kind: 'void' } });
    const bare = binary(LIBC)!.symbols.find((s) => s.name === '__libc_start_call_main')!;
    expect(bare.args).toBeUndefined();
  });

  it('a user stack names an unknown symbol only when its frames are first used', () => {
    const s = new UStack(['/no/such/binary:main']);
    expect(() => s.frames).toThrow(/user stack: unknown symbol \/no\/such\/binary:main/);
    const ok = ustack(`${LIBC}:malloc`, `${LIBC}:__libc_start_call_main`);
    expect(ok.frames.map((f) => f.sym.name)).toEqual(['malloc', '__libc_start_call_main']);
    expect(ok.under(`${LIBC}:free`).frames.map((f) => f.sym.name)).toEqual(['free', 'malloc', '__libc_start_call_main']);
  });
});

describe('the catalogue', () => {
  it('reads the same tables, built when first read', () => {
    const c = catalogue();
    expect(c.probes.tracepoints).toBe(tracepoints());
    expect(c.probes.binaries).toBe(binaries());
    expect(c.probes.tracepoints).toBe(c.probes.tracepoints);
    expect(Object.keys(c.probes)).toEqual(expect.arrayContaining(['kinds', 'kernelFuncs', 'tracepoints', 'binaries', 'softwareEvents', 'hardwareEvents']));
  });
});
