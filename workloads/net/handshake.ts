// Connection set-up and failure for the sockets of net.ts: UNIX stream connects, the
// loopback and local handshakes, a listener's new children, handshakes with remote hosts
// (with SYN retransmission and timeouts), and resets. Data transfer and close stay in
// net.ts.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import type { Net } from './net';
import { LOCAL_IP, LOOPBACK } from './net';
import { S } from './net-stacks';
import { RemoteConn, type Service } from './remote';
import { AF_UNIX, allocSock, setState, SOCK_DGRAM, SOCK_STREAM, TCP, writeAddrs, writeCounters, type Sock } from './sock';
import { SOCK } from '../kernel/offsets';

export function connectUnix(net: Net, t: Task, s: Sock, path: string): number {
  const l = net.unixListeners.get(path);
  s.path = path;
  s.state = TCP.ESTABLISHED;
  if (s.type === SOCK_DGRAM) return l ? 0 : -E.ECONNREFUSED;
  if (!l) return path.startsWith('/run/') || path.startsWith('/var/run/') || path === '/dev/log' ? 0 : -E.ENOENT;
  const c = allocSock(net.k, AF_UNIX, SOCK_STREAM, 0, l.owner ?? t);
  c.state = TCP.ESTABLISHED;
  c.peer = s;
  s.peer = c;
  c.path = path;
  net.socks.add(c);
  l.acceptQueue.push(c);
  net.k.s.sched.wakeAll(l.rxWait, 0, t);
  return 0;
}

export function localHandshake(net: Net, s: Sock, ip: number, port: number, ctx: Task): void {
  const k = net.k;
  k.at(k.now + 12_000 + k.rng.int(8_000), () => {
    const l = net.listenerFor(ip === LOCAL_IP || ip === LOOPBACK ? ip : ip, port) ?? net.listenerFor(LOOPBACK, port) ?? net.listenerFor(LOCAL_IP, port);
    net.packets.receive(l ?? null, 0, ctx.cpu, false, (c) => {
      if (!l || l.acceptQueue.length >= l.backlog) {
        if (l) net.packets.drop(l, 0, 41 /* TCP_LISTEN_OVERFLOW */, ctx.cpu);
        reset(net, s, c, E.ECONNREFUSED);
        return;
      }
      const peer = child(net, l, s.laddr, s.lport, c);
      peer.peer = s;
      s.peer = peer;
      peer.ifname = s.ifname;
      setState(k, s, TCP.ESTABLISHED, c, S.softirq);
      k.s.sched.wakeAll(s.txWait, 0, c);
    }, false);
  });
}

/** A new established child of a listener (SYN_RECV -> ESTABLISHED), queued for accept(). */
export function child(net: Net, l: Sock, raddr: number, rport: number, ctx: Task): Sock {
  const k = net.k;
  const owner = l.owner ?? ctx;
  const c = allocSock(k, l.family, SOCK_STREAM, 6, owner);
  c.laddr = l.laddr || (raddr === LOOPBACK ? LOOPBACK : LOCAL_IP);
  c.lport = l.lport;
  c.raddr = raddr;
  c.rport = rport;
  writeAddrs(k, c);
  // The child is cloned from the listener: it carries the listener's backlog fields.
  k.mem.writeU32(c.lin + SOCK['inet_conn.icsk_inet.sk.sk_max_ack_backlog'], l.backlog);
  k.mem.writeU32(c.lin + SOCK['inet_conn.icsk_inet.sk.sk_ack_backlog'], l.acceptQueue.length);
  net.socks.add(c);
  if (net.H.tcp_v4_syn_recv_sock.entry.on) k.kprobe(net.H.tcp_v4_syn_recv_sock, ctx, S.synRecv, l.lin, 0, 0, 0, 0, 0);
  if (net.H.tcp_v4_syn_recv_sock.ret.on) k.kretprobe(net.H.tcp_v4_syn_recv_sock, ctx, S.softirq, c.lin);
  k.s.mm.cacheAlloc(ctx, 'TCP', c.lin, S.softirq);
  c.state = TCP.SYN_RECV;
  k.mem.writeU8(c.lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_state'], TCP.SYN_RECV);
  setState(k, c, TCP.ESTABLISHED, ctx, S.softirq);
  l.acceptQueue.push(c);
  k.mem.writeU32(l.lin + SOCK['inet_conn.icsk_inet.sk.sk_ack_backlog'], l.acceptQueue.length);
  k.s.sched.wakeOne(l.rxWait, 0, ctx);
  return c;
}

export function remoteHandshake(net: Net, s: Sock, cpu: number): void {
  const k = net.k;
  const host = net.hostByIp.get(s.raddr);
  const target = host ? host.port(s.rport) : 'drop';
  const rtt = host ? host.rttNs * k.rng.lognormal(1, 0.15) : 0;
  let tries = 0;
  const attempt = (): void => {
    const lost = target === 'drop' || (host !== undefined && k.rng.chance(host.loss));
    if (lost) {
      if (tries >= (target === 'drop' ? 3 : 5)) {
        // Give up: a timeout (or an ICMP unreachable for hosts that never answer).
        if (s.state === TCP.SYN_SENT) reset(net, s, k.s.sched.cpus[cpu].curr, host ? E.ETIMEDOUT : E.EHOSTUNREACH, false);
        return;
      }
      const rto = 1e9 * 2 ** tries++;
      k.at(k.now + rto, () => {
        if (s.state !== TCP.SYN_SENT) return;
        s.totalRetrans++;
        net.stats.retransmits++;
        net.packets.retransmit(s, 0, cpu);
        writeCounters(k, s);
        attempt();
      });
      return;
    }
    k.at(k.now + rtt, () => {
      if (s.state !== TCP.SYN_SENT) return;
      net.packets.receive(s, 0, cpu, true, (ctx) => {
        if (target === 'refuse') {
          reset(net, s, ctx, E.ECONNREFUSED);
          return;
        }
        s.srttUs = Math.round(rtt / 1000);
        s.remote = new RemoteConn(host!, s, target as Service);
        setState(k, s, TCP.ESTABLISHED, ctx, S.softirq);
        writeCounters(k, s);
        k.s.sched.wakeAll(s.txWait, 0, ctx);
        const svc = target as Service;
        if (svc.banner) net.remoteSend(s, svc.banner, rtt / 2 + 200_000);
      }, false);
    });
  };
  attempt();
}

/** A reset (or a failed connect): the socket closes with an error. */
export function reset(net: Net, s: Sock, ctx: Task, err: number, fromPeer = true): void {
  const k = net.k;
  if (fromPeer && net.hReset.on) k.tracepoint(net.hReset, ctx, S.softirq.under('tcp_reset'), [s.lin, s.lport, s.rport, s.family, new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), new Uint8Array(0), s.cookie]);
  if (fromPeer && net.H.tcp_reset.entry.on) k.kprobe(net.H.tcp_reset, ctx, S.softirq.call('tcp_reset'), s.lin, 0);
  s.error = err;
  s.rxEof = true;
  net.stats.resets++;
  setState(k, s, TCP.CLOSE, ctx, S.softirq);
  k.s.sched.wakeAll(s.txWait, 0, ctx);
  k.s.sched.wakeAll(s.rxWait, 0, ctx);
}
