// End to end: hand-assembled eBPF programs loaded by the vm loader, attached through the
// probe layer to a booted kernel, reading ctx records and kernel objects exactly as
// compiled bpftrace programs do; their results are compared with the kernel's own state.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../vm/asm/assemble';
import { Machine } from '../../vm/machine';
import { loadPrograms } from '../../vm/loader';
import { MapType, type MapSpec } from '../../vm/maps/types';
import type { ProgramSpec } from '../../vm/program';
import { PT_REGS, ptRegsOffset } from '../../vm/ctx/layouts';
import { ProbeManager, type ProbeProgram } from '../../probes/attach';
import { bootKernel } from '../../workloads/kernel/boot';
import { resolveProgram } from '../../workloads/programs/index';
import { kernelTypes } from '../../workloads/btf/table';
import { program, type U } from '../../workloads/user/libc';
import { ustack } from '../../workloads/user/ustack';
import type { Kernel } from '../../workloads/kernel/kernel';
import type { BpfMap } from '../../vm/maps/map';

const T = kernelTypes();
const off = (rec: string, path: string) => T.field(rec, path).offset;

function setup(): { k: Kernel; m: Machine; pm: ProbeManager } {
  const k = bootKernel({ seed: 7, cpus: 2, resolver: resolveProgram });
  const m = new Machine({ mem: k.mem, nrCpus: k.nrCpus });
  return { k, m, pm: new ProbeManager(k) };
}

/** Assembles and loads one program with one array map `out` of `valueSize` bytes; returns it and the map. */
function load(m: Machine, text: string, valueSize = 8, entries = 1): { prog: ProbeProgram; out: BpfMap; faults: string[] } {
  const maps: MapSpec[] = [{ name: 'out', type: MapType.ARRAY, keySize: 4, valueSize, maxEntries: entries }];
  const a = assemble(text);
  const spec: ProgramSpec = { name: 'test', type: 'kprobe', insns: a.insns, maps, ctx: { name: 'ctx', size: 4096, fields: [] } };
  const r = loadPrograms(m, [spec]);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const lp = r.programs[0];
  const faults: string[] = [];
  return {
    prog: {
      run: (ctx, env) => {
        const res = lp.run(ctx, env);
        if (!res.ok) faults.push(res.fault.message);
        return res;
      },
    },
    out: r.maps.get(maps)![0],
    faults,
  };
}

const key0 = new Uint8Array(4);
const u32 = (b: Uint8Array | undefined, at = 0) => (b ? new DataView(b.buffer, b.byteOffset).getUint32(at, true) : -1);
const u64 = (b: Uint8Array | undefined, at = 0) => (b ? new DataView(b.buffer, b.byteOffset).getBigUint64(at, true) : -1n);
const cstr = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0))) : '');

/** Stores r1's low 32 bits (or a 64-bit value) into out[0] at value offset 0. */
const STORE = (reg: string, size: 'u32' | 'u64' = 'u32') => `
  *(${size} *)(r10 - 64) = ${reg}
  r1 = 0
  *(u32 *)(r10 - 68) = r1
  r1 = map[out] ll
  r2 = r10
  r2 += -68
  call 1
  if r0 == 0 goto +2
  r1 = *(${size} *)(r10 - 64)
  *(${size} *)(r0 + 0) = r1
  r0 = 0
  exit`;

const CUSTOM = ustack('/usr/bin/python3.12:main');

function spawnProgram(k: Kernel, body: (u: U) => Generator<import('../../workloads/kernel/task').UOp, number, number>) {
  return k.s.procs.spawn({ path: '/usr/bin/python3.12', argv: ['python3', 'test.py'], uid: 1000, cwd: '/home/alice', program: program(CUSTOM, body) });
}

describe('probes attached to the simulated kernel', () => {
  it('curtask->real_parent->pid read with probe_read_kernel matches the exec-ing task parent', () => {
    const { k, m, pm } = setup();
    const { prog, out, faults } = load(
      m,
      `call 35
  r7 = r0
  r1 = r10
  r1 += -8
  r2 = 8
  r3 = r7
  r3 += ${off('task_struct', 'real_parent')}
  call 113
  r1 = r10
  r1 += -16
  r2 = 4
  r3 = *(u64 *)(r10 - 8)
  r3 += ${off('task_struct', 'pid')}
  call 113
  r1 = *(u32 *)(r10 - 16)` + STORE('r1'),
    );
    const r = pm.attach('tracepoint:sched:sched_process_exec', prog);
    expect(r.ok).toBe(true);
    const bash = k.s.procs.spawn({ path: '/bin/bash', argv: ['bash', '-c', '/usr/bin/true'], uid: 1000, tty: 'pts/0' });
    k.runFor(50e6);
    expect(faults).toEqual([]);
    expect(u32(out.lookup(key0))).toBe(bash.pid);
  });

  it('reads ((struct sock *)arg0)->__sk_common.skc_dport and skc_daddr in kprobe:tcp_v4_connect', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r6 = *(u64 *)(r1 + ${ptRegsOffset('di')})
  r1 = r10
  r1 += -8
  r2 = 4
  r3 = r6
  r3 += ${off('sock', '__sk_common.skc_daddr')}
  call 113
  r1 = r10
  r1 += -16
  r2 = 2
  r3 = r6
  r3 += ${off('sock', '__sk_common.skc_dport')}
  call 113
  r1 = *(u32 *)(r10 - 8)
  r2 = *(u16 *)(r10 - 16)
  r2 <<= 32
  r1 |= r2` + STORE('r1', 'u64'),
    );
    expect(pm.attach('kprobe:tcp_v4_connect', prog).ok).toBe(true);
    spawnProgram(k, function* (u) {
      const fd = yield u.socket();
      return yield u.connect(fd, 0x5db8d822, 443);
    });
    k.runFor(100e6);
    const v = u64(out.lookup(key0));
    // skc_daddr holds 93.184.216.34 in network order (low 32 bits), skc_dport htons(443).
    expect(Number(v & 0xffffffffn)).toBe(0x22d8b85d);
    expect(Number(v >> 32n)).toBe(0xbb01);
  });

  it('reads the filename argument of sys_enter_openat from user memory', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r6 = *(u64 *)(r1 + 24)
  r1 = 0
  *(u32 *)(r10 - 4) = r1
  r1 = map[out] ll
  r2 = r10
  r2 += -4
  call 1
  if r0 == 0 goto +5
  r1 = r0
  r2 = 64
  r3 = r6
  call 114
  r0 = 0
  exit`,
      64,
    );
    const t = spawnProgram(k, function* (u) {
      yield u.sleep(1e6);
      return yield u.open('/etc/hostname');
    });
    expect(pm.attach('tracepoint:syscalls:sys_enter_openat', prog, { pid: t.pid }).ok).toBe(true);
    k.runFor(50e6);
    expect(cstr(out.lookup(key0))).toBe('/etc/hostname');
  });

  it('counts vfs_read calls exactly as the kernel fires them', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r1 = 0
  *(u32 *)(r10 - 4) = r1
  r1 = map[out] ll
  r2 = r10
  r2 += -4
  call 1
  if r0 == 0 goto +3
  r1 = 1
  lock *(u64 *)(r0 + 0) += r1
  r0 = 0
  exit`,
    );
    let fired = 0;
    k.hooks.k('vfs_read').entry.attach(() => fired++);
    const r = pm.attach('kprobe:vfs_read', prog);
    expect(r.ok).toBe(true);
    k.s.procs.spawn({ path: '/bin/bash', argv: ['bash', '-c', 'cat /etc/passwd /etc/group; cat /etc/hosts'], uid: 1000, tty: 'pts/0' });
    k.runFor(200e6);
    expect(fired).toBeGreaterThan(10);
    expect(Number(u64(out.lookup(key0)))).toBe(fired);
    if (r.ok) {
      expect(r.links[0].hits).toBe(fired);
      r.links[0].detach();
      k.runFor(10e6);
      expect(k.hooks.k('vfs_read').entry.handlers.length).toBe(1);
    }
  });

  it('gives kretprobe:inet_csk_accept the accepted sock in ax', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r6 = *(u64 *)(r1 + ${ptRegsOffset('ax')})
  if r6 == 0 goto +7
  r1 = r10
  r1 += -8
  r2 = 2
  r3 = r6
  r3 += ${off('sock', '__sk_common.skc_num')}
  call 113
  r1 = *(u16 *)(r10 - 8)` + STORE('r1'),
    );
    expect(pm.attach('kretprobe:inet_csk_accept', prog).ok).toBe(true);
    spawnProgram(k, function* (u) {
      const ls = yield u.socket();
      yield* u.bindListen(ls, 0, 8080);
      return yield u.accept(ls);
    });
    spawnProgram(k, function* (u) {
      yield u.sleep(5e6);
      const fd = yield u.socket();
      return yield u.connect(fd, 0x7f000001, 8080);
    });
    k.runFor(50e6);
    expect(u32(out.lookup(key0))).toBe(8080);
  });

  it('returns the line from uretprobe:/bin/bash:readline', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r6 = *(u64 *)(r1 + ${ptRegsOffset('ax')})
  r1 = 0
  *(u32 *)(r10 - 4) = r1
  r1 = map[out] ll
  r2 = r10
  r2 += -4
  call 1
  if r0 == 0 goto +5
  r1 = r0
  r2 = 64
  r3 = r6
  call 114
  r0 = 0
  exit`,
      64,
    );
    expect(pm.attach('uretprobe:/bin/bash:readline', prog).ok).toBe(true);
    let lines = ['uname -a'];
    k.s.vfs.tty('pts/3').typist = () => (lines.length ? { text: lines.shift()!, thinkNs: 2e8, keyNs: 3e7 } : null);
    k.s.procs.spawn({ path: '/bin/bash', argv: ['-bash'], uid: 1000, tty: 'pts/3', cwd: '/home/alice' });
    k.runFor(1.5e9);
    expect(cstr(out.lookup(key0))).toBe('uname -a');
    lines = [];
  });

  it('samples every CPU with profile:hz:N and runs BEGIN in the bpfsim process', () => {
    const { k, m, pm } = setup();
    const { prog } = load(m, 'r0 = 0\nexit');
    const r = pm.attach('profile:hz:1000', prog);
    if (!r.ok) throw new Error(r.error);
    k.runFor(100e6);
    expect(r.links[0].hits).toBeGreaterThanOrEqual(2 * 99);
    expect(r.links[0].hits).toBeLessThanOrEqual(2 * 101);
    const { prog: begin, out } = load(m, `r1 = r10\nr1 += -16\nr2 = 16\ncall 16\nr1 = *(u64 *)(r10 - 16)` + STORE('r1', 'u64'));
    pm.runSpecial(begin);
    const b = out.lookup(key0)!;
    expect(cstr(b)).toBe('bpfsim');
  });

  it('gives kprobe:oom_kill_process the oom_control of a memcg OOM: chosen->pid and totalpages', () => {
    const { k, m, pm } = setup();
    const { prog, out } = load(
      m,
      `r6 = *(u64 *)(r1 + ${ptRegsOffset('di')})
  r1 = r10
  r1 += -8
  r2 = 8
  r3 = r6
  r3 += ${off('oom_control', 'chosen')}
  call 113
  r1 = r10
  r1 += -16
  r2 = 4
  r3 = *(u64 *)(r10 - 8)
  r3 += ${off('task_struct', 'pid')}
  call 113
  r1 = r10
  r1 += -24
  r2 = 8
  r3 = r6
  r3 += ${off('oom_control', 'totalpages')}
  call 113
  r1 = *(u64 *)(r10 - 24)
  r1 <<= 32
  r2 = *(u32 *)(r10 - 16)
  r1 |= r2` + STORE('r1', 'u64'),
    );
    expect(pm.attach('kprobe:oom_kill_process', prog).ok).toBe(true);
    const c = k.s.procs.container('0123456789ab', '/system.slice/docker-0123456789ab.scope', 4242n);
    c.memLimit = 128 << 20;
    let status = -1;
    k.exitListeners.push((leader, st) => {
      if (leader.pid === hog.pid) status = st;
    });
    const hog = k.s.procs.spawn({
      path: '/usr/bin/python3.12',
      argv: ['python3', 'hog.py'],
      uid: 1000,
      container: c,
      program: program(CUSTOM, function* (u) {
        for (let i = 0; i < 8; i++) yield u.sys(9, 0, 48 << 20, 3, 0x22, -1, 0);
        return 0;
      }),
    });
    k.runFor(50e6);
    const v = u64(out.lookup(key0));
    expect(Number(v & 0xffffffffn)).toBe(hog.pid);
    expect(Number(v >> 32n)).toBe((128 << 20) / 4096);
    expect(status).toBe(9);
    expect(c.memUsage).toBe(0);
  });

  it('lays out pt_regs as the vm contract says', () => {
    expect(PT_REGS.size).toBe(168);
    expect(ptRegsOffset('di')).toBe(112);
  });
});
