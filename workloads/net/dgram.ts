// Datagram sockets of net.ts (UDP, and UNIX datagrams): a send goes out as one packet
// and a remote service may answer it after its round trip; a receive takes the next
// queued datagram, waiting (up to SO_RCVTIMEO, or 5 s for UDP) when there is none.
import * as E from '../errno';
import { TaskState, type KGen, type Task } from '../kernel/task';
import type { Net } from './net';
import { S } from './net-stacks';
import { AF_UNIX, type Sock } from './sock';

export function* sendDgram(net: Net, t: Task, s: Sock, n: number): KGen {
  const k = net.k;
  if (net.H.udp_sendmsg.entry.on) k.kprobe(net.H.udp_sendmsg, t, S.udpSend, s.lin, net.msghdr(0, n), n);
  if (!s.lport) s.lport = net.ephemeral();
  k.cost(t, 2_000);
  net.packets.transmit(s, n, 1, t);
  const host = net.hostByIp.get(s.raddr);
  const svc = host?.port(s.rport);
  if (host && svc && typeof svc !== 'string') {
    const resp = svc.respond(n, k.rng);
    const lost = k.rng.chance(host.loss);
    if (!lost)
      k.at(k.now + host.rttNs + resp.thinkNs, () =>
        net.packets.receive(s, resp.bytes, t.cpu, true, (ctx) => {
          s.dgrams.push(resp.bytes);
          k.s.sched.wakeAll(s.rxWait, 0, ctx);
        }),
      );
  }
  return n;
}

export function* recvDgram(net: Net, t: Task, s: Sock, n: number): KGen {
  const k = net.k;
  if (net.H.udp_recvmsg.entry.on && s.family !== AF_UNIX) k.kprobe(net.H.udp_recvmsg, t, S.udpRecv, s.lin, net.msghdr(0, n), n, 0, 0);
  const deadline = s.rcvTimeoNs ? k.now + s.rcvTimeoNs : s.family === AF_UNIX ? Infinity : k.now + 5e9;
  while (s.dgrams.length === 0) {
    if (s.file!.flags & E.O_NONBLOCK) return -E.EAGAIN;
    if (k.now >= deadline) return -E.EAGAIN;
    s.rxWait.add(t);
    const r = yield t.block(TaskState.INTERRUPTIBLE, S.waitData, deadline);
    if (r === -E.EINTR) return -E.EINTR;
  }
  k.cost(t, 1_500);
  return Math.min(n, s.dgrams.shift()!);
}
