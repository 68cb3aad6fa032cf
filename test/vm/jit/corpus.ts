// The differential corpus: programs with maps and helper calls as a tracing compiler
// emits them (count, hist, per-CPU arrays, LRU maps, direct map values, ring buffer and
// perf output, probe reads, trace_printk, stacks, environment helpers, deletes, callbacks,
// bpf-to-bpf calls with maps), each with the maps it names and a series of firings.
// Between them they call every helper of the prototype table.
import { MapType, type MapSpec } from '../../../vm/maps/types';
import { PT_REGS, ptRegsOffset } from '../../../vm/ctx/layouts';
import type { Firing } from './harness';
import { COUNT_COMM, COUNT_MAP, HIST_ARG0, HIST_MAP } from './programs';

export interface CorpusProgram {
  name: string;
  text: string;
  maps: Record<string, MapSpec>;
  firings: Firing[];
}

/** A pt_regs record with the given argument registers (di, si, dx, ...). */
export function ptRegs(...args: bigint[]): Uint8Array {
  const out = new Uint8Array(PT_REGS.size);
  const dv = new DataView(out.buffer);
  ['di', 'si', 'dx', 'cx', 'r8', 'r9'].forEach((r, i) => dv.setBigUint64(ptRegsOffset(r as 'di'), BigInt.asUintN(64, args[i] ?? 0n), true));
  dv.setBigUint64(ptRegsOffset('ip'), 0xffffffff81234560n, true);
  return out;
}

const COMMS = ['bash', 'sshd', 'nginx', 'bash', 'postgres', 'systemd-journald', 'bash', 'kworker/0:1'];
const m = (name: string, type: MapSpec['type'], keySize: number, valueSize: number, maxEntries: number): MapSpec => ({ name, type, keySize, valueSize, maxEntries });
const series = (n: number, f: (i: number) => Firing): Firing[] => Array.from({ length: n }, (_, i) => f(i));
const ARG0 = ptRegsOffset('di');
const ARG1 = ptRegsOffset('si');

export const CORPUS: CorpusProgram[] = [
  { name: 'count by comm', text: COUNT_COMM, maps: { counts: COUNT_MAP }, firings: series(24, (i) => ({ env: { comm: COMMS[i % COMMS.length] } })) },
  {
    name: 'hist of arg0',
    text: HIST_ARG0,
    maps: { hist: HIST_MAP },
    firings: series(40, (i) => ({ ctx: ptRegs(i % 7 === 0 ? -BigInt(i) : BigInt(i) ** BigInt(i % 11)) })),
  },
  {
    name: 'count by cpu in an array, and in a per-CPU array',
    text: `
      call bpf_get_smp_processor_id
      *(u32 *)(r10 - 4) = r0
      r1 = map[cpus] ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto percpu
      r1 = 1
      lock *(u64 *)(r0 + 0) += r1
    percpu:
      *(u32 *)(r10 - 8) = 0
      r1 = map[pcpu] ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 == 0 goto out
      r1 = *(u64 *)(r0 + 0)
      r1 += 3
      *(u64 *)(r0 + 0) = r1
    out:
      r0 = 0
      exit`,
    maps: { cpus: m('cpus', MapType.ARRAY, 4, 8, 4), pcpu: m('pcpu', MapType.PERCPU_ARRAY, 4, 8, 1) },
    firings: series(12, (i) => ({ env: { cpu: i % 5 === 4 ? 3 : i % 4 } })),
  },
  {
    name: 'a per-CPU count summed over every CPU slot (map_lookup_percpu_elem)',
    text: `
      *(u32 *)(r10 - 4) = 0
      r1 = map[pcpu] ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto sum
      r1 = 1
      lock *(u64 *)(r0 + 0) += r1
    sum:
      r6 = 0
      r7 = 0
    loop:
      r1 = map[pcpu] ll
      r2 = r10
      r2 += -4
      r3 = r7
      call bpf_map_lookup_percpu_elem
      if r0 == 0 goto next
      r1 = *(u64 *)(r0 + 0)
      r6 += r1
    next:
      r7 += 1
      if r7 < 6 goto loop
      r0 = r6
      exit`,
    maps: { pcpu: m('pcpu', MapType.PERCPU_ARRAY, 4, 8, 1) },
    firings: series(10, (i) => ({ env: { cpu: (i * 3) % 4 } })),
  },
  {
    name: 'an LRU hash that evicts, with deletes and update flags',
    text: `
      r6 = r1
      r7 = *(u64 *)(r6 + ${ARG0})
      r7 &= 15
      *(u64 *)(r10 - 8) = r7
      r8 = *(u64 *)(r6 + ${ARG1})
      *(u64 *)(r10 - 16) = r8
      r1 = map[lru] ll
      r2 = r10
      r2 += -8
      r3 = r10
      r3 += -16
      r4 = r8
      r4 &= 3
      call bpf_map_update_elem
      r9 = r0
      if r8 & 4 goto keep
      r1 = map[lru] ll
      r2 = r10
      r2 += -8
      call bpf_map_delete_elem
      r9 += r0
    keep:
      r0 = r9
      exit`,
    maps: { lru: m('lru', MapType.LRU_HASH, 8, 8, 4) },
    firings: series(30, (i) => ({ ctx: ptRegs(BigInt(i * 7), BigInt(i)) })),
  },
  {
    name: 'a large LRU value (whole pages, unmapped on eviction) read through a checked pointer',
    text: `
      r6 = *(u64 *)(r1 + ${ARG0})
      *(u64 *)(r10 - 8) = r6
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 != 0 goto found
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      r3 = map_value[zero] ll
      r4 = 0
      call bpf_map_update_elem
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 == 0 goto out
    found:
      r1 = *(u64 *)(r0 + 4088)
      r1 += r6
      *(u64 *)(r0 + 4088) = r1
      r0 = r1
    out:
      exit`,
    maps: { big: m('big', MapType.LRU_HASH, 8, 8192, 2), zero: m('zero', MapType.ARRAY, 4, 8192, 1) },
    firings: series(10, (i) => ({ ctx: ptRegs(BigInt(i % 3 === 2 ? i : i % 3)) })),
  },
  {
    name: 'a large hash value read after its element is deleted (its pages are unmapped)',
    text: `
      *(u64 *)(r10 - 8) = 1
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      r3 = map_value[zero] ll
      r4 = 0
      call bpf_map_update_elem
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 == 0 goto out
      r6 = r0
      r1 = map[big] ll
      r2 = r10
      r2 += -8
      call bpf_map_delete_elem
      r0 = *(u64 *)(r6 + 8)
    out:
      exit`,
    maps: { big: m('big', MapType.HASH, 8, 8192, 4), zero: m('zero', MapType.ARRAY, 4, 8192, 1) },
    firings: series(2, () => ({})),
  },
  {
    name: 'direct map values (map_value lddw)',
    text: `
      r1 = map_value[stats] + 8 ll
      r2 = *(u64 *)(r1 + 0)
      r2 += 5
      *(u64 *)(r1 + 0) = r2
      r3 = map_value[stats] ll
      r4 = 1
      lock *(u64 *)(r3 + 16) += r4
      r0 = *(u64 *)(r3 + 16)
      exit`,
    maps: { stats: m('stats', MapType.ARRAY, 4, 24, 1) },
    firings: series(3, () => ({})),
  },
  {
    name: 'ring buffer records: reserve, fill, submit or discard; output from the stack',
    text: `
      r7 = r1
      r1 = map[events] ll
      r2 = 24
      r3 = 0
      call bpf_ringbuf_reserve
      if r0 == 0 goto out
      r6 = r0
      call bpf_get_current_pid_tgid
      *(u64 *)(r6 + 0) = r0
      call bpf_ktime_get_ns
      *(u64 *)(r6 + 8) = r0
      r1 = *(u64 *)(r7 + ${ARG0})
      *(u64 *)(r6 + 16) = r1
      r1 = r6
      r2 = 0
      if r0 & 0x1000 goto discard
      call bpf_ringbuf_submit
      goto more
    discard:
      call bpf_ringbuf_discard
    more:
      *(u64 *)(r10 - 8) = r7
      r1 = map[events] ll
      r2 = r10
      r2 += -8
      r3 = 8
      r4 = 0
      call bpf_ringbuf_output
    out:
      r0 = 0
      exit`,
    maps: { events: m('events', MapType.RINGBUF, 0, 0, 4096) },
    firings: series(8, (i) => ({ ctx: ptRegs(BigInt(i)), env: { clockStep: 0x900n } })),
  },
  {
    name: 'perf event output',
    text: `
      r6 = r1
      *(u64 *)(r10 - 16) = r6
      call bpf_get_current_pid_tgid
      *(u64 *)(r10 - 8) = r0
      r1 = r6
      r2 = map[perf] ll
      r3 = 0xffffffff ll
      r4 = r10
      r4 += -16
      r5 = 16
      call bpf_perf_event_output
      exit`,
    maps: { perf: m('perf', MapType.PERF_EVENT_ARRAY, 4, 4, 4) },
    firings: series(4, (i) => ({ ctx: ptRegs(BigInt(i)), env: { cpu: i } })),
  },
  {
    name: 'probe reads of kernel, user and bad addresses, strings too',
    text: `
      r6 = r1
      r1 = r10
      r1 += -16
      r2 = 16
      r3 = r6
      call bpf_probe_read_kernel
      r7 = r0
      r1 = r10
      r1 += -32
      r2 = 8
      r3 = *(u64 *)(r6 + ${ARG0})
      call bpf_probe_read
      r7 += r0
      r1 = r10
      r1 += -48
      r2 = 16
      r3 = r6
      call bpf_probe_read_kernel_str
      r7 += r0
      r1 = r10
      r1 += -64
      r2 = 16
      r3 = *(u64 *)(r6 + ${ARG0})
      call bpf_probe_read_str
      r7 += r0
      r1 = r10
      r1 += -72
      r2 = 8
      r3 = 0x7ffff000 ll
      call bpf_probe_read_user
      r7 += r0
      r1 = r10
      r1 += -88
      r2 = 16
      r3 = 0x7ffff000 ll
      call bpf_probe_read_user_str
      r7 += r0
      r0 = r7
      exit`,
    maps: {},
    firings: series(3, (i) => ({ ctx: ptRegs(i === 0 ? 0n : i === 1 ? 0xffffc90000010000n : 0xffff888100000000n, 0x4142434400n) })),
  },
  {
    name: 'trace_printk',
    text: `
      r6 = r1
      r1 = 0x000a7825206425 ll
      *(u64 *)(r10 - 8) = r1
      r1 = r10
      r1 += -8
      r2 = 8
      r3 = *(u64 *)(r6 + ${ARG0})
      r4 = *(u64 *)(r6 + ${ARG1})
      call bpf_trace_printk
      exit`,
    maps: {},
    firings: series(3, (i) => ({ ctx: ptRegs(BigInt(i * 1000 - 1), 0xbeefn + BigInt(i)) })),
  },
  {
    name: 'stack ids and stack copies',
    text: `
      r6 = r1
      r1 = r6
      r2 = map[stacks] ll
      r3 = 0
      call bpf_get_stackid
      r7 = r0
      r1 = r6
      r2 = map[stacks] ll
      r3 = 0x100
      call bpf_get_stackid
      r7 <<= 16
      r7 += r0
      r1 = r6
      r2 = r10
      r2 += -64
      r3 = 64
      r4 = 1
      call bpf_get_stack
      r7 <<= 16
      r7 += r0
      r0 = r7
      exit`,
    maps: { stacks: m('stacks', MapType.STACK_TRACE, 4, 64, 16) },
    firings: [
      { env: { kernelStack: [0xffffffff81000010n, 0xffffffff81000020n, 0xffffffff81000030n], userStack: [0x401000n, 0x402000n] } },
      { env: { kernelStack: [0xffffffff81000010n], userStack: [] } },
      { env: { kernelStack: [0xffffffff81000010n, 0xffffffff81000020n, 0xffffffff81000030n], userStack: [0x401000n, 0x402000n] } },
    ],
  },
  {
    name: 'environment helpers folded into r0',
    text: `
      r6 = r1
      call bpf_ktime_get_ns
      r7 = r0
      call bpf_get_prandom_u32
      r7 ^= r0
      call bpf_get_smp_processor_id
      r7 ^= r0
      call bpf_get_current_uid_gid
      r7 ^= r0
      call bpf_get_current_task
      r7 ^= r0
      call bpf_get_current_cgroup_id
      r7 ^= r0
      call bpf_jiffies64
      r7 ^= r0
      call bpf_ktime_get_boot_ns
      r7 ^= r0
      call bpf_get_current_task_btf
      w0 = w0
      r7 ^= r0
      r1 = r6
      call bpf_get_func_ip
      r7 ^= r0
      r1 = 9
      call bpf_send_signal
      r7 ^= r0
      r1 = r6
      r2 = -22
      call bpf_override_return
      r7 ^= r0
      r0 = r7
      exit`,
    maps: {},
    firings: series(3, (i) => ({ env: { seed: i + 1, cpu: i, task: 0xffff888100002000n + BigInt(i), funcIp: 0xffffffff81234560n } })),
  },
  {
    name: 'for_each_map_elem sums an array through a callback',
    text: `
      r6 = 1
    fill:
      *(u32 *)(r10 - 12) = r6
      r1 = r6
      r1 *= 20
      *(u64 *)(r10 - 24) = r1
      r1 = map[vals] ll
      r2 = r10
      r2 += -12
      r3 = r10
      r3 += -24
      r4 = 0
      call bpf_map_update_elem
      r6 += 2
      if r6 < 8 goto fill
      r1 = map[vals] ll
      r2 = func(add) ll
      r3 = r10
      r3 += -8
      *(u64 *)(r10 - 8) = 0
      r4 = 0
      call bpf_for_each_map_elem
      r1 = *(u64 *)(r10 - 8)
      r0 <<= 32
      r0 += r1
      exit
    add:
      r5 = *(u64 *)(r4 + 0)
      r0 = *(u64 *)(r3 + 0)
      r5 += r0
      *(u64 *)(r4 + 0) = r5
      r0 = 0
      if r5 > 100 goto stop
      exit
    stop:
      r0 = 1
      exit`,
    maps: { vals: m('vals', MapType.ARRAY, 4, 8, 8) },
    firings: series(2, () => ({})),
  },
  {
    name: 'a bpf-to-bpf call that looks a map up',
    text: `
      r6 = *(u64 *)(r1 + ${ARG0})
      r1 = r6
      call bump
      r1 = r6
      r1 += 1
      call bump
      r0 += r6
      exit
    bump:
      *(u64 *)(r10 - 8) = r1
      r1 = map[hits] ll
      r2 = r10
      r2 += -8
      call bpf_map_lookup_elem
      if r0 == 0 goto insert
      r1 = 1
      lock *(u64 *)(r0 + 0) += r1
      r0 = 1
      exit
    insert:
      *(u64 *)(r10 - 16) = 1
      r1 = map[hits] ll
      r2 = r10
      r2 += -8
      r3 = r10
      r3 += -16
      r4 = 0
      call bpf_map_update_elem
      r0 = 0
      exit`,
    maps: { hits: m('hits', MapType.HASH, 8, 8, 64) },
    firings: series(6, (i) => ({ ctx: ptRegs(BigInt(i % 3)) })),
  },
];
