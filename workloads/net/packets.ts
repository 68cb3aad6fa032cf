// Packet-level events: the transmit path (ip_queue_xmit, ip_output, __dev_queue_xmit,
// net:net_dev_xmit), the receive path in interrupt and softirq context (irq_handler_*,
// softirq_raise/entry/exit, netif_receive_skb, tcp_v4_rcv, tcp_rcv_established), drops
// (skb:kfree_skb with a reason) and consumption (skb:consume_skb), and retransmissions
// (tcp_retransmit_skb, tcp:tcp_retransmit_skb). sk_buffs exist in memory only while
// someone watches skbs.
import { Region } from '../../vm/memory/memory';
import type { FuncHooks } from '../kernel/hook-table';
import type { Hook } from '../kernel/hooks';
import type { Kernel } from '../kernel/kernel';
import { NETDEV, SKB } from '../kernel/offsets';
import { kat, kin, IRQ_ON_IDLE, type KStack } from '../kernel/stacks';
import type { Task } from '../kernel/task';
import { ipBytes, type Sock } from './sock';

export const NET_RX_SOFTIRQ = 3;
export const NET_TX_SOFTIRQ = 2;

const XMIT = kin('__tcp_transmit_skb', 'tcp_write_xmit', '__tcp_push_pending_frames', 'tcp_push', 'tcp_sendmsg_locked', 'tcp_sendmsg', 'inet_sendmsg', 'sock_sendmsg', 'sock_write_iter', 'vfs_write', 'ksys_write', '__x64_sys_write', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe');
const RX_BASE = ['ip_protocol_deliver_rcu', 'ip_local_deliver_finish', 'ip_local_deliver', 'ip_rcv', '__netif_receive_skb_one_core', 'process_backlog', '__napi_poll', 'net_rx_action', 'handle_softirqs', 'irq_exit_rcu', 'common_interrupt', 'asm_common_interrupt'];
const RX_STACK = kin(...RX_BASE);
const RX_IDLE = kin(...RX_BASE, ...IRQ_ON_IDLE.slice(1));
const RETRANS = kin('tcp_retransmit_timer', 'tcp_write_timer_handler', 'tcp_write_timer', 'call_timer_fn', '__run_timers', 'run_timer_softirq', 'handle_softirqs', 'irq_exit_rcu', 'sysvec_apic_timer_interrupt', 'asm_sysvec_apic_timer_interrupt');

export class Packets {
  private readonly k: Kernel;
  private readonly h: {
    xmitQueue: FuncHooks;
    ipOutput: FuncHooks;
    devXmit: FuncHooks;
    netifRx: FuncHooks;
    v4rcv: FuncHooks;
    doRcv: FuncHooks;
    established: FuncHooks;
    stateProcess: FuncHooks;
    retrans: FuncHooks;
    allocSkb: FuncHooks;
    consume: FuncHooks;
    kfree: FuncHooks;
    dropReason: FuncHooks;
  };
  private readonly tp: {
    devXmit: Hook;
    netifRx: Hook;
    kfree: Hook;
    consume: Hook;
    retrans: Hook;
    irqEntry: Hook;
    irqExit: Hook;
    softRaise: Hook;
    softEntry: Hook;
    softExit: Hook;
    timerStart: Hook;
  };
  readonly devLo: number;
  readonly devEth: number;

  constructor(k: Kernel) {
    this.k = k;
    const H = k.hooks;
    this.h = {
      xmitQueue: H.k('ip_queue_xmit'),
      ipOutput: H.k('ip_output'),
      devXmit: H.k('__dev_queue_xmit'),
      netifRx: H.k('netif_receive_skb'),
      v4rcv: H.k('tcp_v4_rcv'),
      doRcv: H.k('tcp_v4_do_rcv'),
      established: H.k('tcp_rcv_established'),
      stateProcess: H.k('tcp_rcv_state_process'),
      retrans: H.k('tcp_retransmit_skb'),
      allocSkb: H.k('__alloc_skb'),
      consume: H.k('consume_skb'),
      kfree: H.k('kfree_skb_reason'),
      dropReason: H.k('tcp_drop_reason'),
    };
    this.tp = {
      devXmit: H.tp('net', 'net_dev_xmit'),
      netifRx: H.tp('net', 'netif_receive_skb'),
      kfree: H.tp('skb', 'kfree_skb'),
      consume: H.tp('skb', 'consume_skb'),
      retrans: H.tp('tcp', 'tcp_retransmit_skb'),
      irqEntry: H.tp('irq', 'irq_handler_entry'),
      irqExit: H.tp('irq', 'irq_handler_exit'),
      softRaise: H.tp('irq', 'softirq_raise'),
      softEntry: H.tp('irq', 'softirq_entry'),
      softExit: H.tp('irq', 'softirq_exit'),
      timerStart: H.tp('timer', 'timer_start'),
    };
    this.devLo = this.netdev('lo', 1, 65536);
    this.devEth = this.netdev('eth0', 2, 1500);
  }

  private netdev(name: string, ifindex: number, mtu: number): number {
    const mem = this.k.mem;
    const d = mem.alloc(NETDEV.SIZE, Region.KERNEL);
    mem.writeCString(d + NETDEV.name, name, 16);
    mem.writeU32(d + NETDEV.ifindex, ifindex);
    mem.writeU32(d + NETDEV.mtu, mtu);
    return d;
  }

  /** Whether anything watches sk_buffs (only then are they materialised). */
  private skbWatched(): boolean {
    const h = this.h;
    const tp = this.tp;
    return tp.devXmit.on || tp.netifRx.on || tp.kfree.on || tp.consume.on || tp.retrans.on || h.retrans.entry.on || h.allocSkb.entry.on || h.consume.entry.on || h.kfree.entry.on || h.devXmit.entry.on || h.netifRx.entry.on || h.v4rcv.entry.on || h.doRcv.entry.on || h.established.entry.on || h.xmitQueue.entry.on || h.ipOutput.entry.on || h.stateProcess.entry.on || h.dropReason.entry.on;
  }

  /** An sk_buff for `len` bytes of `s`'s traffic (0 when nobody watches), freed after a while. */
  skb(s: Sock | null, len: number, dev: number, ctx: Task, stack: KStack): number {
    const k = this.k;
    let lin = 0;
    if (this.skbWatched() || k.s.mm.watchesCache()) {
      const mem = k.mem;
      lin = mem.alloc(SKB.SIZE, Region.KERNEL);
      mem.writeU32(lin + SKB.len, len);
      mem.writeU32(lin + SKB.truesize, len + 768);
      mem.writeU16(lin + SKB.protocol, 0x0008);
      mem.writePtr(lin + SKB.dev, dev);
      if (s) mem.writePtr(lin + SKB.sk, s.lin);
      mem.writeNum64(lin + SKB.tstamp, k.now);
      mem.writeU32(lin + SKB.users, 1);
      const l = lin;
      k.at(k.now + 30_000_000, () => mem.free(l));
    }
    if (this.h.allocSkb.entry.on) k.kprobe(this.h.allocSkb, ctx, stack.call('__alloc_skb'), len, 0xa20, 0, -1);
    k.s.mm.cacheAlloc(ctx, 'skbuff_head_cache', lin, stack);
    // The packet data (skb->head) comes from kmalloc, sized for the payload and headroom.
    k.s.mm.kmalloc(ctx, len + 320, stack.under('kmalloc_reserve', '__alloc_skb'), 2_000_000);
    return lin;
  }

  /** Transmit hooks for `segs` segments totalling `len` bytes of `s`. */
  transmit(s: Sock, len: number, segs: number, ctx: Task): void {
    const k = this.k;
    const h = this.h;
    const dev = s.ifname === 'lo' ? this.devLo : this.devEth;
    for (let i = 0; i < segs && i < 64; i++) {
      const n = i === segs - 1 ? len - 1448 * (segs - 1) : 1448;
      const skb = this.skb(s, n, dev, ctx, XMIT);
      if (h.xmitQueue.entry.on) k.kprobe(h.xmitQueue, ctx, XMIT.call('ip_queue_xmit'), s.lin, skb, 0);
      if (h.ipOutput.entry.on) k.kprobe(h.ipOutput, ctx, XMIT.call('ip_queue_xmit').call('ip_output'), 0, s.lin, skb);
      if (h.devXmit.entry.on) k.kprobe(h.devXmit, ctx, XMIT.call('ip_queue_xmit').call('__dev_queue_xmit'), skb, 0);
      if (this.tp.devXmit.on) k.tracepoint(this.tp.devXmit, ctx, XMIT.under('__dev_queue_xmit', 'ip_queue_xmit'), [skb, n + 66, 0, s.ifname]);
      if (h.consume.entry.on) k.kprobe(h.consume, ctx, XMIT.call('consume_skb'), skb);
      if (this.tp.consume.on) k.tracepoint(this.tp.consume, ctx, XMIT.under('consume_skb'), [skb, k.ksymAddr('__dev_queue_xmit') + 220n]);
    }
  }

  /**
   * Runs `deliver` as the receive path of a packet for `s` on `cpu`: interrupt (external
   * traffic), softirq and TCP receive hooks around it, in the context of whatever runs there.
   */
  receive(s: Sock | null, len: number, cpuId: number, external: boolean, deliver: (ctx: Task) => void, established = true): void {
    const k = this.k;
    const cpu = k.s.sched.cpus[cpuId % k.nrCpus];
    const ctx = cpu.curr;
    const tp = this.tp;
    const h = this.h;
    const stack = ctx.idle ? RX_IDLE : RX_STACK;
    const irq = 45 + (cpuId % 4);
    const irqName = `virtio0-input.${cpuId % 4}`;
    if (external && tp.irqEntry.on) k.tracepoint(tp.irqEntry, ctx, kin('handle_irq_event', 'handle_edge_irq', 'common_interrupt', 'asm_common_interrupt'), [irq, irqName]);
    if (external && tp.irqExit.on) k.tracepoint(tp.irqExit, ctx, kin('handle_irq_event', 'handle_edge_irq', 'common_interrupt', 'asm_common_interrupt'), [irq, 1]);
    if (tp.softRaise.on) k.tracepoint(tp.softRaise, ctx, stack, [NET_RX_SOFTIRQ]);
    if (tp.softEntry.on) k.tracepoint(tp.softEntry, ctx, kin('handle_softirqs', 'irq_exit_rcu', 'common_interrupt', 'asm_common_interrupt'), [NET_RX_SOFTIRQ]);
    const dev = external ? this.devEth : this.devLo;
    const skb = this.skb(s, len, dev, ctx, stack);
    if (h.netifRx.entry.on) k.kprobe(h.netifRx, ctx, kat('netif_receive_skb', 'process_backlog', '__napi_poll', 'net_rx_action', 'handle_softirqs'), skb);
    if (tp.netifRx.on) k.tracepoint(tp.netifRx, ctx, stack.under('__netif_receive_skb_one_core'), [skb, len + 52, external ? 'eth0' : 'lo']);
    if (h.v4rcv.entry.on) k.kprobe(h.v4rcv, ctx, stack.call('tcp_v4_rcv'), skb);
    if (s) {
      if (h.doRcv.entry.on) k.kprobe(h.doRcv, ctx, stack.call('tcp_v4_rcv').call('tcp_v4_do_rcv'), s.lin, skb);
      const fn = established ? h.established : h.stateProcess;
      if (fn.entry.on) k.kprobe(fn, ctx, stack.call('tcp_v4_rcv').call('tcp_v4_do_rcv').call(established ? 'tcp_rcv_established' : 'tcp_rcv_state_process'), s.lin, skb);
    }
    k.cost(ctx, 1_500 + len / 20);
    deliver(ctx);
    if (tp.softExit.on) k.tracepoint(tp.softExit, ctx, kin('handle_softirqs', 'irq_exit_rcu', 'common_interrupt', 'asm_common_interrupt'), [NET_RX_SOFTIRQ]);
  }

  /** A dropped packet: skb:kfree_skb with the reason (and tcp_drop_reason for TCP drops). */
  drop(s: Sock | null, len: number, reason: number, cpuId: number): void {
    const k = this.k;
    const ctx = k.s.sched.cpus[cpuId % k.nrCpus].curr;
    const stack = ctx.idle ? RX_IDLE : RX_STACK;
    const skb = this.skb(s, len, this.devEth, ctx, stack);
    if (s && this.h.dropReason.entry.on) k.kprobe(this.h.dropReason, ctx, stack.call('tcp_v4_rcv').call('tcp_drop_reason'), s.lin, skb, reason);
    if (this.h.kfree.entry.on) k.kprobe(this.h.kfree, ctx, stack.call('tcp_v4_rcv').call('kfree_skb_reason'), skb, reason);
    if (this.tp.kfree.on) k.tracepoint(this.tp.kfree, ctx, stack.under('kfree_skb_reason', 'tcp_v4_rcv'), [skb, k.ksymAddr('tcp_v4_rcv') + 0x4c2n, s ? s.lin : 0, 0x0800, reason]);
  }

  /** A retransmission of one segment of `s` from the retransmit timer (softirq on `cpuId`). */
  retransmit(s: Sock, len: number, cpuId: number, err = 0): void {
    const k = this.k;
    const ctx = k.s.sched.cpus[cpuId % k.nrCpus].curr;
    const skb = this.skb(s, len, this.devEth, ctx, RETRANS);
    if (this.h.retrans.entry.on) k.kprobe(this.h.retrans, ctx, RETRANS.call('tcp_retransmit_skb'), s.lin, skb, 1);
    if (this.tp.retrans.on) k.tracepoint(this.tp.retrans, ctx, RETRANS.under('tcp_retransmit_skb'), [skb, s.lin, s.state, s.lport, s.rport, s.family, ipBytes(s.laddr), ipBytes(s.raddr), mappedBytes(s.laddr), mappedBytes(s.raddr), err]);
    if (this.tp.timerStart.on) k.tracepoint(this.tp.timerStart, ctx, RETRANS, [s.lin + 400, k.ksymAddr('tcp_write_timer'), k.jiffies() + 50, k.jiffies() + 50, k.jiffies(), 0]);
  }
}

function mappedBytes(ip: number): Uint8Array {
  const b = new Uint8Array(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b.set(ipBytes(ip), 12);
  return b;
}
