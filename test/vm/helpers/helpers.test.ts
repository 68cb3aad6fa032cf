// Every helper, called from assembled programs loaded on a machine with a FixedEnv:
// each row is a program, its maps and the r0 it must return; side effects are checked
// through the maps and the environment. A final check makes sure no helper of the
// prototype table goes untested.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../vm/asm/assemble';
import { Machine } from '../../../vm/machine';
import { loadPrograms, type LoadedProgram } from '../../../vm/loader';
import { FixedEnv } from '../../../vm/helpers/fixed-env';
import { HELPERS } from '../../../vm/helpers/protos';
import { formatPrintk } from '../../../vm/helpers/format';
import { MapType, type MapSpec } from '../../../vm/maps/types';
import { Region } from '../../../vm/memory/memory';
import { UserSpace } from '../../../vm/memory/user-space';
import type { RingBuf } from '../../../vm/maps/ringbuf';
import type { PerfEventArray } from '../../../vm/maps/perf-event-array';
import type { RunResult } from '../../../vm/engine';
import { ENGINES } from '../../../vm/engines';

const COVERED = new Set<number>();

const MAPS: Record<string, MapSpec> = {
  hash: { name: 'hash', type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 16 },
  arr: { name: 'arr', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 4 },
  pcpu: { name: 'pcpu', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 },
  rb: { name: 'rb', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096 },
  perf: { name: 'perf', type: MapType.PERF_EVENT_ARRAY, keySize: 4, valueSize: 4, maxEntries: 4 },
  stacks: { name: 'stacks', type: MapType.STACK_TRACE, keySize: 4, valueSize: 64, maxEntries: 128 },
};

function load(src: string, machine = new Machine()): { prog: LoadedProgram; machine: Machine; maps: Record<string, unknown> } {
  const a = assemble(src);
  for (const i of a.insns) if (i.code === 0x85 && i.src === 0) COVERED.add(i.imm);
  const maps = a.maps.map((n) => MAPS[n]);
  const r = loadPrograms(machine, [{ name: 't', type: 'kprobe', insns: a.insns, maps, ctx: { name: 'ctx', size: 0, fields: [] } }]);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const live = r.maps.get(maps)!;
  return { prog: r.programs[0], machine, maps: Object.fromEntries(a.maps.map((n, i) => [n, live[i]])) };
}

function run(src: string, env = new FixedEnv(), r1 = 0n): RunResult {
  return load(src).prog.run(r1, env);
}

const ok = (r0: bigint) => ({ ok: true, r0: BigInt.asUintN(64, r0) });

describe('helpers returning task and clock facts', () => {
  const env = () => new FixedEnv({ ktimeNs: 5000n, clockStep: 0n, cpu: 2, pid: 11, tgid: 10, uid: 7, gid: 8, task: 0xffff888100001000n, cgroupId: 99n, funcIp: 0xffffffff81234560n, seed: 3 });
  const ROWS: [string, string, bigint][] = [
    ['ktime_get_ns', 'call 5\nexit', 5000n],
    ['get_smp_processor_id', 'call 8\nexit', 2n],
    ['get_current_pid_tgid', 'call 14\nexit', (10n << 32n) | 11n],
    ['get_current_uid_gid', 'call 15\nexit', (8n << 32n) | 7n],
    ['get_current_task', 'call 35\nexit', 0xffff888100001000n],
    ['get_current_cgroup_id', 'call 80\nexit', 99n],
    ['jiffies64', 'call 118\nexit', 4294667296n],
    ['ktime_get_boot_ns', 'call 125\nexit', 5000n],
    ['get_current_task_btf', 'call 158\nexit', 0xffff888100001000n],
    ['get_func_ip', 'r1 = 0\ncall 173\nexit', 0xffffffff81234560n],
    ['get_prandom_u32 is seeded', 'call 7\nexit', BigInt(new FixedEnv({ seed: 3 }).prandomU32())],
  ];
  it.each(ROWS)('%s', (_n, src, want) => expect(run(src, env())).toMatchObject(ok(want)));
  it('faults cleanly without an environment', () => {
    expect(load('call 5\nexit').prog.run(0n, null)).toMatchObject({ ok: false, fault: { kind: 'helper' } });
  });
});

describe('map helpers', () => {
  const lookupUpdate = [
    '*(u64 *)(r10 - 8) = 42', // key
    '*(u64 *)(r10 - 16) = 7', // value
    'r1 = map[hash] ll',
    'r2 = r10',
    'r2 += -8',
    'r3 = r10',
    'r3 += -16',
    'r4 = 0',
    'call bpf_map_update_elem',
    'r6 = r0',
    'r1 = map[hash] ll',
    'r2 = r10',
    'r2 += -8',
    'call bpf_map_lookup_elem',
    'if r0 == 0 goto miss',
    'r1 = 1',
    'lock *(u64 *)(r0 + 0) += r1',
    'r0 = *(u64 *)(r0 + 0)',
    'r0 += r6',
    'exit',
    'miss: r0 = -1',
    'exit',
  ].join('\n');
  it('update, lookup and an atomic add through the returned pointer', () => {
    const { prog, maps } = load(lookupUpdate);
    expect(prog.run(0n, new FixedEnv())).toMatchObject(ok(8n));
    const hash = maps.hash as { lookup(k: Uint8Array): Uint8Array | undefined };
    expect(hash.lookup(new Uint8Array(new BigUint64Array([42n]).buffer))![0]).toBe(8);
  });
  it('delete returns 0 then -ENOENT', () => {
    const src = ['*(u64 *)(r10 - 8) = 1', '*(u64 *)(r10 - 16) = 1', 'r1 = map[hash] ll', 'r2 = r10', 'r2 += -8', 'r3 = r10', 'r3 += -16', 'r4 = 0', 'call 2', 'r1 = map[hash] ll', 'r2 = r10', 'r2 += -8', 'call 3', 'r6 = r0', 'r1 = map[hash] ll', 'r2 = r10', 'r2 += -8', 'call 3', 'r0 <<= 8', 'r0 |= r6', 'exit'].join('\n');
    expect(run(src)).toMatchObject(ok(BigInt.asUintN(64, -2n << 8n)));
  });
  it('per-CPU lookups see the current CPU slot', () => {
    const src = ['*(u32 *)(r10 - 4) = 0', 'r1 = map[pcpu] ll', 'r2 = r10', 'r2 += -4', 'call 1', 'r1 = 5', 'lock *(u64 *)(r0 + 0) += r1', 'r0 = 0', 'exit'].join('\n');
    const { prog, maps } = load(src);
    prog.run(0n, new FixedEnv({ cpu: 1 }));
    prog.run(0n, new FixedEnv({ cpu: 3 }));
    prog.run(0n, new FixedEnv({ cpu: 3 }));
    const m = maps.pcpu as { lookupPerCpu(k: Uint8Array): Uint8Array[] };
    expect(m.lookupPerCpu(new Uint8Array(4)).map((v) => v[0])).toEqual([0, 5, 0, 10]);
  });
  describe.each(ENGINES.map((e) => [e.name, e] as const))('map_lookup_percpu_elem on %s', (_name, engine) => {
    // Adds 5 on CPUs 1 and 3 (twice), then sums the slots of CPUs 0..4 with helper 195:
    // CPU 4 is past the machine's last CPU, so its lookup returns NULL.
    const add = ['*(u32 *)(r10 - 4) = 0', 'r1 = map[pcpu] ll', 'r2 = r10', 'r2 += -4', 'call 1', 'if r0 == 0 goto +2', 'r1 = 5', 'lock *(u64 *)(r0 + 0) += r1', 'r0 = 0', 'exit'].join('\n');
    const sum = [
      'r6 = 0', // total
      'r7 = 0', // cpu
      'r8 = 0', // NULL results
      '*(u32 *)(r10 - 4) = 0',
      'loop: r1 = map[pcpu] ll',
      'r2 = r10',
      'r2 += -4',
      'r3 = r7',
      'call bpf_map_lookup_percpu_elem',
      'if r0 == 0 goto miss',
      'r1 = *(u64 *)(r0 + 0)',
      'r6 += r1',
      'goto next',
      'miss: r8 += 1',
      'next: r7 += 1',
      'if r7 < 5 goto loop',
      'r8 <<= 32',
      'r0 = r6',
      'r0 |= r8',
      'exit',
    ].join('\n');
    it('reads every CPU slot and NULL past the last CPU', () => {
      const machine = new Machine({ nrCpus: 4 });
      const a = assemble(add + '\n');
      const b = assemble(sum);
      for (const i of b.insns) if (i.code === 0x85 && i.src === 0) COVERED.add(i.imm);
      const maps = [MAPS.pcpu];
      const ctx = { name: 'ctx', size: 0, fields: [] };
      const r = loadPrograms(machine, [{ name: 'add', type: 'kprobe', insns: a.insns, maps, ctx }, { name: 'sum', type: 'kprobe', insns: b.insns, maps, ctx }], { engine });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      const [addProg, sumProg] = r.programs;
      for (const cpu of [1, 3, 3]) addProg.run(0n, new FixedEnv({ cpu }));
      expect(sumProg.run(0n, new FixedEnv({ cpu: 0 }))).toMatchObject(ok((1n << 32n) | 15n));
    });
    it('finds nothing under a missing key of a per-CPU hash', () => {
      const machine = new Machine({ nrCpus: 2 });
      const src = ['r1 = 7', '*(u64 *)(r10 - 8) = r1', 'r1 = map[ph] ll', 'r2 = r10', 'r2 += -8', 'r3 = 0', 'call 195', 'exit'].join('\n');
      const a = assemble(src);
      const maps: MapSpec[] = [{ name: 'ph', type: MapType.PERCPU_HASH, keySize: 8, valueSize: 8, maxEntries: 4 }];
      const r = loadPrograms(machine, [{ name: 't', type: 'kprobe', insns: a.insns, maps, ctx: { name: 'ctx', size: 0, fields: [] } }], { engine });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect(r.programs[0].run(0n, new FixedEnv())).toMatchObject(ok(0n));
    });
  });
  it('direct value access through map_value[...]', () => {
    const { prog, maps } = load('r1 = map_value[arr] + 0 ll\nr2 = 9\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit');
    expect(prog.run(0n, null)).toMatchObject(ok(0n));
    expect((maps.arr as { lookup(k: Uint8Array): Uint8Array }).lookup(new Uint8Array(4))[0]).toBe(9);
  });
  it('for_each_map_elem calls back per element and stops when the callback returns 1', () => {
    const src = [
      'r1 = map[arr] ll',
      'r2 = func(cb) ll',
      'r3 = 0',
      'r4 = 0',
      'call bpf_for_each_map_elem',
      'exit',
      'cb:', // r1 map, r2 key, r3 value, r4 ctx
      'r0 = *(u32 *)(r2 + 0)',
      'if r0 == 2 goto stop',
      'r0 = 0',
      'exit',
      'stop: r0 = 1',
      'exit',
    ].join('\n');
    expect(run(src)).toMatchObject(ok(3n));
    expect(run(src.replace('if r0 == 2 goto stop', 'if r0 == 99 goto stop'))).toMatchObject(ok(4n));
    expect(run(src.replace('r4 = 0', 'r4 = 1'))).toMatchObject(ok(BigInt.asUintN(64, -22n)));
  });
  it('faults on an argument that is not a map', () => {
    expect(run('r1 = 12345\nr2 = r10\ncall 1\nexit')).toMatchObject({ ok: false, fault: { kind: 'helper', pc: 2 } });
  });
});

describe('probe_read family', () => {
  function world() {
    const machine = new Machine();
    const mem = machine.mem;
    const k = mem.allocBytes(new TextEncoder().encode('kernel-string\0'), Region.KERNEL);
    const user = new UserSpace(mem);
    const ulin = user.map(0x7ff000000000, 4096, '[stack]');
    mem.u8.set(new TextEncoder().encode('user-string\0'), ulin);
    return { machine, kaddr: mem.addr(k), uaddr: 0x7ff000000000n, env: new FixedEnv({ user }) };
  }
  // Returns the first 8 bytes read, or the helper's r0 when that is a string length.
  const read = (id: number, size: number, len: boolean) =>
    `r1 = r10\nr1 += -16\nr2 = ${size}\nr3 = r6\ncall ${id}\nr7 = r0\nr0 = *(u64 *)(r10 - 16)\n${len ? 'if r7 s< 0 goto out\nr0 = r7\n' : ''}out: exit`;
  // [helper, id, source ('k' kernel, 'u' user, 'bad'), size, expected r0 kind]
  const ROWS: [string, number, 'k' | 'u' | 'bad', number, 'bytes' | 'len' | 'efault'][] = [
    ['probe_read kernel', 4, 'k', 8, 'bytes'],
    ['probe_read user (by address)', 4, 'u', 8, 'bytes'],
    ['probe_read_kernel', 113, 'k', 8, 'bytes'],
    ['probe_read_kernel of a user address', 113, 'u', 8, 'efault'],
    ['probe_read_user', 112, 'u', 8, 'bytes'],
    ['probe_read_user of a kernel address', 112, 'k', 8, 'efault'],
    ['probe_read of an unmapped address', 4, 'bad', 8, 'efault'],
    ['probe_read_str', 45, 'k', 16, 'len'],
    ['probe_read_kernel_str', 115, 'k', 16, 'len'],
    ['probe_read_user_str', 114, 'u', 16, 'len'],
    ['probe_read_user_str of an unmapped address', 114, 'bad', 16, 'efault'],
  ];
  it.each(ROWS)('%s', (_n, id, where, size, kind) => {
    const w = world();
    const src = where === 'k' ? w.kaddr : where === 'u' ? w.uaddr : 0xffff888fffff0000n;
    const text = where === 'u' ? 'user-string' : 'kernel-string';
    const { prog } = load(`r6 = ${'0x' + src.toString(16)} ll\n` + read(id, size, kind === 'len'), w.machine);
    const r = prog.run(0n, w.env);
    if (kind === 'efault') expect(r).toMatchObject(ok(0n)); // destination zero-filled
    else if (kind === 'len') expect(r).toMatchObject(ok(BigInt(Math.min(text.length + 1, size))));
    else expect(r).toMatchObject(ok(new DataView(new TextEncoder().encode(text).buffer).getBigUint64(0, true)));
  });
});

describe('comm, stacks, printk, signals, override', () => {
  it('get_current_comm copies a NUL-terminated, zero-padded comm', () => {
    const src = 'r1 = r10\nr1 += -16\nr2 = 16\ncall 16\nr0 = *(u64 *)(r10 - 16)\nexit';
    expect(run(src, new FixedEnv({ comm: 'bash' }))).toMatchObject(ok(0x68736162n));
    expect(run(src.replace('r2 = 16', 'r2 = 3'), new FixedEnv({ comm: 'bash' }))).toMatchObject(ok(0x6162n));
  });
  it('get_stackid stores the stack and returns a stable id', () => {
    const env = new FixedEnv({ kernelStack: [0xffffffff81000100n, 0xffffffff81000200n], userStack: [0x5555000010n] });
    const { prog, maps } = load('r1 = 0\nr2 = map[stacks] ll\nr3 = 0\ncall 27\nexit');
    const a = prog.run(0n, env);
    expect(a).toMatchObject({ ok: true });
    expect(prog.run(0n, env)).toEqual(a);
    const id = a.ok ? Number(a.r0) : -1;
    expect((maps.stacks as { frames(id: number): readonly bigint[] }).frames(id)).toEqual(env.v.kernelStack);
    expect(load('r1 = 0\nr2 = map[stacks] ll\nr3 = 256\ncall 27\nexit').prog.run(0n, new FixedEnv())).toMatchObject(ok(BigInt.asUintN(64, -14n)));
  });
  it('get_stack copies frames and returns the bytes written', () => {
    const env = new FixedEnv({ kernelStack: [1n, 2n, 3n] });
    expect(run('r1 = 0\nr2 = r10\nr2 += -32\nr3 = 32\nr4 = 1\ncall 67\nr1 = *(u64 *)(r10 - 32)\nr0 <<= 8\nr0 |= r1\nexit', env)).toMatchObject(ok((16n << 8n) | 2n));
    expect(run('r1 = 0\nr2 = r10\nr2 += -32\nr3 = 30\nr4 = 0\ncall 67\nexit', env)).toMatchObject(ok(BigInt.asUintN(64, -22n)));
  });
  it('trace_printk formats its arguments', () => {
    const env = new FixedEnv();
    const fmt = 'pid %d %s\0';
    const bytes = new TextEncoder().encode(fmt.padEnd(16, '\0'));
    const dv = new DataView(bytes.buffer);
    const src = `*(u64 *)(r10 - 16) = r1\n` + ['r1 = ' + dv.getBigUint64(0, true) + ' ll', '*(u64 *)(r10 - 32) = r1', 'r1 = ' + dv.getBigUint64(8, true) + ' ll', '*(u64 *)(r10 - 24) = r1', 'r1 = 0x6f6c6c6568 ll', '*(u64 *)(r10 - 8) = r1', 'r1 = r10', 'r1 += -32', 'r2 = 16', 'r3 = -5', 'r4 = r10', 'r4 += -8', 'call 6', 'exit'].join('\n');
    expect(run(src, env)).toMatchObject(ok(BigInt('pid -5 hello'.length)));
    expect(env.printk).toEqual(['pid -5 hello']);
  });
  it('send_signal and override_return reach the environment', () => {
    const env = new FixedEnv();
    expect(run('r1 = 9\ncall 109\nexit', env)).toMatchObject(ok(0n));
    expect(run('r1 = 0\nr2 = -12\ncall 58\nexit', env)).toMatchObject(ok(0n));
    expect(env.signals).toEqual([9]);
    expect(env.overrides).toEqual([-12n]);
  });
});

describe('ring buffer and perf event helpers', () => {
  it('ringbuf_reserve / submit / discard and ringbuf_output', () => {
    const src = [
      'r1 = map[rb] ll',
      'r2 = 8',
      'r3 = 0',
      'call bpf_ringbuf_reserve',
      'if r0 == 0 goto out',
      'r1 = 0x1122',
      '*(u64 *)(r0 + 0) = r1',
      'r1 = r0',
      'r2 = 0',
      'call bpf_ringbuf_submit',
      'r1 = map[rb] ll',
      'r2 = 4',
      'r3 = 0',
      'call bpf_ringbuf_reserve',
      'r1 = r0',
      'r2 = 0',
      'call bpf_ringbuf_discard',
      '*(u32 *)(r10 - 4) = 7',
      'r1 = map[rb] ll',
      'r2 = r10',
      'r2 += -4',
      'r3 = 4',
      'r4 = 0',
      'call bpf_ringbuf_output',
      'out: exit',
    ].join('\n');
    const { prog, maps } = load(src);
    expect(prog.run(0n, new FixedEnv())).toMatchObject(ok(0n));
    const got: number[][] = [];
    (maps.rb as RingBuf).drain((d) => got.push([...d]));
    expect(got).toEqual([[0x22, 0x11, 0, 0, 0, 0, 0, 0], [7, 0, 0, 0]]);
  });
  it('submitting something that is not a record faults', () => {
    expect(run('r1 = r10\nr1 += -8\nr2 = 0\ncall 132\nexit')).toMatchObject({ ok: false, fault: { kind: 'helper' } });
  });
  it('perf_event_output writes to the current CPU buffer', () => {
    const { prog, maps } = load('*(u32 *)(r10 - 4) = 5\nr6 = r1\nr2 = map[perf] ll\nr3 = 0xffffffff ll\nr4 = r10\nr4 += -4\nr5 = 4\ncall 25\nexit');
    expect(prog.run(0n, new FixedEnv({ cpu: 2 }))).toMatchObject(ok(0n));
    const got: number[] = [];
    (maps.perf as PerfEventArray).drain((_d, slot) => got.push(slot));
    expect(got).toEqual([2]);
  });
});

describe.each(ENGINES.map((e) => [e.name, e] as const))('task kfuncs on %s', (_name, engine) => {
  // comm of the task with pid r6 (bpf_task_from_pid, a read at comm's offset, bpf_task_release),
  // or 0 when there is no such task.
  const src = (pid: number) =>
    [
      `r1 = ${pid}`,
      'call kfunc bpf_task_from_pid',
      'if r0 == 0 goto none',
      'r6 = r0',
      'r1 = r10',
      'r1 += -8',
      'r2 = 8',
      'r3 = r6',
      'r3 += 16',
      'call bpf_probe_read_kernel',
      'r1 = r6',
      'call kfunc bpf_task_release',
      'r0 = *(u64 *)(r10 - 8)',
      'exit',
      'none: r0 = 0',
      'exit',
    ].join('\n');
  it('finds a task through the host lookup and reads it', () => {
    const machine = new Machine({ nrCpus: 1 });
    const task = machine.mem.alloc(64, Region.KERNEL);
    machine.mem.u8.set(new TextEncoder().encode('nginx\0\0\0'), task + 16);
    machine.helpers.taskByPid = (pid) => (pid === 7 ? machine.mem.addr(task) : 0n);
    const load = (pid: number): LoadedProgram => {
      const r = loadPrograms(machine, [{ name: 't', type: 'kprobe', insns: assemble(src(pid)).insns, maps: [], ctx: { name: 'ctx', size: 0, fields: [] } }], { engine });
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return r.programs[0];
    };
    const nginx = new DataView(new TextEncoder().encode('nginx\0\0\0').buffer).getBigUint64(0, true);
    expect(load(7).run(0n, new FixedEnv())).toMatchObject(ok(nginx));
    expect(load(8).run(0n, new FixedEnv())).toMatchObject(ok(0n));
  });
  it('finds nothing without a host lookup', () => {
    const machine = new Machine({ nrCpus: 1 });
    const r = loadPrograms(machine, [{ name: 't', type: 'kprobe', insns: assemble(src(1)).insns, maps: [], ctx: { name: 'ctx', size: 0, fields: [] } }], { engine });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.programs[0].run(0n, new FixedEnv())).toMatchObject(ok(0n));
  });
});

describe('printk formatting', () => {
  const ROWS: [string, bigint[], string][] = [
    ['%d %u', [-1n, -1n], '-1 4294967295'],
    ['%ld %lu', [-1n, -1n], '-1 18446744073709551615'],
    ['%x %lX %p', [255n, 255n, 16n], 'ff FF 0x10'],
    ['[%5d] [%-4d] [%03d]', [42n, 7n, 5n], '[   42] [7   ] [005]'],
    ['%c%c 100%%', [104n, 105n], 'hi 100%'],
  ];
  it.each(ROWS)('%s', (fmt, args, want) => expect(formatPrintk(fmt, args, () => '')).toBe(want));
});

describe('coverage', () => {
  it('every helper of the prototype table is exercised above', () => {
    const missing = HELPERS.filter((h) => !COVERED.has(h.id)).map((h) => `${h.name}#${h.id}`);
    expect(missing).toEqual([]);
  });
});
