// Networking: TCP, UDP and UNIX sockets. Local connections (loopback and between local
// processes) link two sockets; external ones talk to RemoteHosts with round-trip times,
// loss and retransmission; remote clients open connections to local listeners. Every
// transition fires its hooks (tcp_v4_connect, tcp_connect, inet_csk_accept, tcp_sendmsg,
// tcp_recvmsg, tcp_close, tcp_set_state / inet_sock_set_state, tcp_receive_reset, ...).
// Connection set-up is in handshake.ts, datagrams in dgram.ts, the remote clients'
// traffic in clients.ts, the call chains in net-stacks.ts, /proc/net/tcp in proc-net.ts.
import type { FuncHooks } from '../kernel/hook-table';
import type { Hook } from '../kernel/hooks';
import type { Kernel } from '../kernel/kernel';
import { MSGHDR, SOCK } from '../kernel/offsets';
import { kat, SYSCALL_BASE, type KStack } from '../kernel/stacks';
import { TaskState, type KGen, type Task } from '../kernel/task';
import * as E from '../errno';
import type { OpenFile } from '../fs/file';
import { RemoteClients } from './clients';
import { recvDgram, sendDgram } from './dgram';
import { child, connectUnix, localHandshake, remoteHandshake, reset } from './handshake';
import { S } from './net-stacks';
import { Packets } from './packets';
import { procNetTcpText } from './proc-net';
import { defaultHosts, type ClientSpec, type RemoteHost } from './remote';
import { AF_INET, AF_INET6, AF_UNIX, allocSock, be16, ip4, setState, Sock, SOCK_DGRAM, SOCK_STREAM, TCP, writeAddrs, writeCounters } from './sock';

export const LOCAL_IP = ip4('10.0.0.5');
export const LOOPBACK = ip4('127.0.0.1');
const MSS = 1448;


export class Net {
  readonly packets: Packets;
  readonly hosts: RemoteHost[];
  readonly hostByIp = new Map<number, RemoteHost>();
  /** Remote clients opening connections to local listeners. */
  readonly clients = new RemoteClients(this);
  /** Listening TCP sockets by `ip:port` (ip 0 = any). */
  private readonly listeners = new Map<string, Sock>();
  readonly unixListeners = new Map<string, Sock>();
  readonly socks = new Set<Sock>();
  private nextPort: number;
  readonly H: Record<string, FuncHooks>;
  readonly hReset: Hook;
  readonly hSendReset: Hook;
  readonly stats = { connects: 0, accepts: 0, retransmits: 0, drops: 0, resets: 0 };

  constructor(readonly k: Kernel) {
    this.packets = new Packets(k);
    this.hosts = defaultHosts();
    for (const h of this.hosts) this.hostByIp.set(h.ip, h);
    this.nextPort = 32768 + k.rng.int(20000);
    const names = ['tcp_v4_connect', 'tcp_connect', 'inet_csk_accept', 'inet_accept', 'tcp_sendmsg', 'tcp_recvmsg', 'tcp_close', 'sock_sendmsg', 'sock_recvmsg', 'sock_create', 'inet_listen', 'inet_bind', 'inet_stream_connect', '__sys_connect', 'udp_sendmsg', 'udp_recvmsg', 'unix_stream_sendmsg', 'security_socket_connect', 'tcp_cleanup_rbuf', 'tcp_v4_syn_recv_sock', 'tcp_reset', 'tcp_fin'];
    this.H = Object.fromEntries(names.map((n) => [n, k.hooks.k(n)]));
    this.hReset = k.hooks.tp('tcp', 'tcp_receive_reset');
    this.hSendReset = k.hooks.tp('tcp', 'tcp_send_reset');
  }

  host(ip: number): RemoteHost | undefined {
    return this.hostByIp.get(ip);
  }

  addHost(h: RemoteHost): void {
    this.hosts.push(h);
    this.hostByIp.set(h.ip, h);
  }

  private sockOf(t: Task, fd: number): Sock | number {
    const f = this.k.s.vfs.fdGet(t.proc, fd | 0);
    if (!f) return -E.EBADF;
    if (f.kind !== 'socket') return -E.ENOTSOCK;
    return f.sock as Sock;
  }

  ephemeral(): number {
    const p = this.nextPort;
    this.nextPort = this.nextPort >= 60999 ? 32768 : this.nextPort + 1;
    return p;
  }

  // ---- socket, bind, listen ----

  socket(t: Task, family: number, type: number, proto: number): number {
    const k = this.k;
    const base = type & 0xf;
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) return -E.EAFNOSUPPORT;
    if (base !== SOCK_STREAM && base !== SOCK_DGRAM) return -E.EINVAL;
    if (this.H.sock_create.entry.on) k.kprobe(this.H.sock_create, t, S.socket, family, base, proto, 0);
    const s = allocSock(k, family, base, family === AF_UNIX ? 0 : base === SOCK_STREAM ? 6 : 17, t);
    const cache = family === AF_UNIX ? 'sock_inode_cache' : base === SOCK_STREAM ? 'TCP' : 'UDP';
    k.s.mm.cacheAlloc(t, cache, s.lin, S.inSocket);
    const name = family === AF_UNIX ? 'UNIX' : base === SOCK_STREAM ? (family === AF_INET6 ? 'TCPv6' : 'TCP') : 'UDP';
    const f = k.s.vfs.socketFile(t, name, type & 0x800 ? E.O_NONBLOCK : 0, S.inSocket);
    f.sock = s;
    s.file = f;
    this.socks.add(s);
    k.cost(t, 4_500);
    return k.s.vfs.installFd(t, f, (type & 0x80000) !== 0);
  }

  /** Parses a sockaddr from user memory: family, address, port (or a UNIX path). */
  readAddr(t: Task, addr: number, len: number): { family: number; ip: number; port: number; path: string } | number {
    const k = this.k;
    const lin = t.proc.user.translate(addr, Math.min(Math.max(len, 2), 110));
    if (lin < 0) return -E.EFAULT;
    const family = k.mem.readU16(lin);
    if (family === AF_UNIX) return { family, ip: 0, port: 0, path: k.mem.readCString(lin + 2, 108) };
    const port = (k.mem.readU8(lin + 2) << 8) | k.mem.readU8(lin + 3);
    const ip = family === AF_INET ? ((k.mem.readU8(lin + 4) << 24) | (k.mem.readU8(lin + 5) << 16) | (k.mem.readU8(lin + 6) << 8) | k.mem.readU8(lin + 7)) >>> 0 : k.mem.readU32(lin + 20) === 0 ? LOOPBACK : ((k.mem.readU8(lin + 20) << 24) | (k.mem.readU8(lin + 21) << 16) | (k.mem.readU8(lin + 22) << 8) | k.mem.readU8(lin + 23)) >>> 0;
    return { family, ip, port, path: '' };
  }

  /** Writes a sockaddr_in into user memory (accept, getpeername, recvfrom). */
  writeAddr(t: Task, addr: number, lenPtr: number, ip: number, port: number): void {
    if (!addr) return;
    const k = this.k;
    const lin = t.proc.user.translate(addr, 16);
    if (lin < 0) return;
    k.mem.u8.fill(0, lin, lin + 16);
    k.mem.writeU16(lin, AF_INET);
    k.mem.writeU16(lin + 2, be16(port));
    k.mem.writeU8(lin + 4, ip >>> 24);
    k.mem.writeU8(lin + 5, (ip >>> 16) & 255);
    k.mem.writeU8(lin + 6, (ip >>> 8) & 255);
    k.mem.writeU8(lin + 7, ip & 255);
    const ll = lenPtr ? t.proc.user.translate(lenPtr, 4) : -1;
    if (ll >= 0) k.mem.writeU32(ll, 16);
  }

  bind(t: Task, fd: number, addr: number, len: number): number {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    const a = this.readAddr(t, addr, len);
    if (typeof a === 'number') return a;
    const k = this.k;
    if (s.family === AF_UNIX) {
      s.path = a.path;
      this.unixListeners.set(a.path, s);
      return 0;
    }
    if (this.H.inet_bind.entry.on) k.kprobe(this.H.inet_bind, t, S.bind, s.socketLin, addr, len);
    if (a.port > 0 && a.port < 1024 && !k.s.vfs.capable(t, 10 /* CAP_NET_BIND_SERVICE */, S.bindCap)) return -E.EACCES;
    const key = `${a.ip}:${a.port}`;
    if (s.type === SOCK_STREAM && (this.listeners.has(key) || this.listeners.has(`0:${a.port}`))) return -E.EADDRINUSE;
    s.laddr = a.ip;
    s.lport = a.port || this.ephemeral();
    writeAddrs(k, s);
    return 0;
  }

  listen(t: Task, fd: number, backlog: number): number {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    const k = this.k;
    if (this.H.inet_listen.entry.on) k.kprobe(this.H.inet_listen, t, S.listen, s.socketLin, backlog);
    if (s.family === AF_UNIX) return 0;
    s.backlog = Math.min(Math.max(backlog, 1), 4096);
    k.mem.writeU32(s.lin + SOCK['inet_conn.icsk_inet.sk.sk_max_ack_backlog'], s.backlog);
    setState(k, s, TCP.LISTEN, t, S.listen);
    this.listeners.set(`${s.laddr}:${s.lport}`, s);
    return 0;
  }

  listenerFor(ip: number, port: number): Sock | undefined {
    return this.listeners.get(`${ip}:${port}`) ?? this.listeners.get(`0:${port}`);
  }

  // ---- accept ----

  *accept(t: Task, fd: number, addr: number, lenPtr: number, flags: number): KGen {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    const k = this.k;
    const H = this.H;
    if (H.inet_accept.entry.on) k.kprobe(H.inet_accept, t, S.accept.under('inet_accept').call('inet_accept'), s.socketLin, 0, flags, 0);
    if (H.inet_csk_accept.entry.on) k.kprobe(H.inet_csk_accept, t, S.accept, s.lin, flags, 0, 0);
    if (s.state !== TCP.LISTEN) return this.acceptRet(t, -E.EINVAL);
    while (s.acceptQueue.length === 0) {
      if (s.file!.flags & E.O_NONBLOCK) return this.acceptRet(t, -E.EAGAIN);
      s.rxWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.waitAccept);
      if (r === -E.EINTR) return this.acceptRet(t, -E.EINTR);
    }
    const c = s.acceptQueue.shift()!;
    k.mem.writeU32(s.lin + SOCK['inet_conn.icsk_inet.sk.sk_ack_backlog'], s.acceptQueue.length);
    if (H.inet_csk_accept.ret.on) k.kretprobe(H.inet_csk_accept, t, S.inAccept, c.lin);
    const f = k.s.vfs.socketFile(t, 'TCP', flags & E.O_NONBLOCK, S.inAccept);
    f.sock = c;
    c.file = f;
    c.owner = t;
    const nfd = k.s.vfs.installFd(t, f, (flags & E.O_CLOEXEC) !== 0);
    this.writeAddr(t, addr, lenPtr, c.raddr, c.rport);
    k.cost(t, 3_500);
    this.stats.accepts++;
    return nfd;
  }

  private acceptRet(t: Task, r: number): number {
    if (this.H.inet_csk_accept.ret.on) this.k.kretprobe(this.H.inet_csk_accept, t, S.inAccept, 0);
    return r;
  }

  // ---- connect ----

  *connect(t: Task, fd: number, addr: number, len: number): KGen {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    const a = this.readAddr(t, addr, len);
    if (typeof a === 'number') return a;
    const k = this.k;
    const H = this.H;
    if (H.__sys_connect.entry.on) k.kprobe(H.__sys_connect, t, kat('__sys_connect', '__x64_sys_connect', ...SYSCALL_BASE), fd, addr, len);
    if (H.security_socket_connect.entry.on) {
      const ov = k.kprobe(H.security_socket_connect, t, S.secConnect, s.socketLin, 0, len);
      if (ov !== null && ov !== 0) return ov;
    }
    if (s.family === AF_UNIX) return connectUnix(this, t, s, a.path);
    if (s.type === SOCK_DGRAM) {
      s.raddr = a.ip;
      s.rport = a.port;
      if (!s.lport) s.lport = this.ephemeral();
      s.laddr = a.ip === LOOPBACK ? LOOPBACK : LOCAL_IP;
      writeAddrs(k, s);
      return 0;
    }
    if (s.state !== TCP.CLOSE) return s.state === TCP.ESTABLISHED ? -E.EISCONN : -E.EALREADY;
    if (H.inet_stream_connect.entry.on) k.kprobe(H.inet_stream_connect, t, kat('inet_stream_connect', '__sys_connect', '__x64_sys_connect', ...SYSCALL_BASE), s.socketLin, addr, len, 0);
    s.raddr = a.ip;
    s.rport = a.port;
    const local = a.ip === LOOPBACK || a.ip === LOCAL_IP || (a.ip >>> 24) === 127 || (a.ip >>> 8) === (ip4('172.17.0.0') >>> 8);
    s.laddr = a.ip === LOOPBACK || (a.ip >>> 24) === 127 ? LOOPBACK : (a.ip >>> 8) === (ip4('172.17.0.0') >>> 8) ? ip4('172.17.0.1') : LOCAL_IP;
    s.ifname = local && s.laddr === LOOPBACK ? 'lo' : 'eth0';
    if (!s.lport) s.lport = this.ephemeral();
    writeAddrs(k, s);
    if (H.tcp_v4_connect.entry.on) k.kprobe(H.tcp_v4_connect, t, S.connect, s.lin, addr, len);
    setState(k, s, TCP.SYN_SENT, t, S.inConnect);
    if (H.tcp_connect.entry.on) k.kprobe(H.tcp_connect, t, S.tcpConnect, s.lin);
    this.packets.transmit(s, 0, 1, t);
    s.segsOut++;
    k.cost(t, 9_000);
    if (H.tcp_v4_connect.ret.on) k.kretprobe(H.tcp_v4_connect, t, S.inConnect, 0);
    this.stats.connects++;
    const seq = t.waitSeq + 1;
    if (local) localHandshake(this, s, a.ip, a.port, t);
    else remoteHandshake(this, s, t.cpu);
    if (s.file!.flags & E.O_NONBLOCK) return -E.EINPROGRESS;
    const state = (): number => s.state;
    while (state() === TCP.SYN_SENT) {
      s.txWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.waitConnect);
      if (r === -E.EINTR) return -E.EINTR;
      void seq;
    }
    if (state() !== TCP.ESTABLISHED && state() !== TCP.CLOSE_WAIT) return -(s.error || E.ECONNREFUSED);
    return 0;
  }

  // ---- data ----

  /** Data for a local socket arrives (from its peer or the remote): queue it and wake readers. */
  deliver(s: Sock, n: number, ctx: Task, data: Uint8Array | null): void {
    if (s.closed || s.state === TCP.CLOSE) return;
    s.rxBytes += n;
    if (data) s.rxData = data;
    s.segsIn += Math.max(1, Math.ceil(n / MSS));
    s.bytesReceived += n;
    writeCounters(this.k, s);
    this.k.s.sched.wakeAll(s.rxWait, 0, ctx);
  }

  /** The remote end sends `n` bytes arriving after `delay` ns (split over the path's bandwidth). */
  remoteSend(s: Sock, n: number, delay: number): void {
    const k = this.k;
    const host = s.remote?.host;
    const bw = host?.bandwidth ?? 1;
    const at = k.now + delay + n / bw;
    k.at(at, () => {
      if (s.closed || s.state === TCP.CLOSE) return;
      const cpu = s.lport % k.nrCpus;
      // Incoming loss shows up as a late arrival (the remote retransmits).
      if (host && k.rng.chance(host.loss * Math.ceil(n / MSS))) {
        k.at(k.now + 200_000_000 + host.rttNs, () => this.packets.receive(s, n, cpu, true, (ctx) => this.deliver(s, n, ctx, null)));
        if (k.rng.chance(0.3)) this.packets.drop(s, MSS, 26 /* TCP_OLD_DATA */, cpu);
        return;
      }
      this.packets.receive(s, n, cpu, true, (ctx) => this.deliver(s, n, ctx, null));
    });
  }

  /** Sends `n` bytes (data optional) on a connected socket; blocks only when the peer is gone. */
  *send(t: Task, s: Sock, n: number, data: Uint8Array | null, stack: KStack): KGen {
    const k = this.k;
    const H = this.H;
    if (s.family === AF_UNIX) {
      if (H.unix_stream_sendmsg.entry.on && s.type === SOCK_STREAM) k.kprobe(H.unix_stream_sendmsg, t, S.unixSend, s.socketLin, this.msghdr(0, n), n);
      k.cost(t, 900 + n / 10);
      if (s.peer) this.deliver(s.peer, n, t, data);
      else if (s.type === SOCK_DGRAM && s.path) {
        const dst = this.unixListeners.get(s.path);
        if (!dst) return -E.ECONNREFUSED;
        if (dst.dgrams.length < 512) dst.dgrams.push(n);
        k.s.sched.wakeAll(dst.rxWait, 0, t);
      }
      return n;
    }
    if (s.type === SOCK_DGRAM) return yield* sendDgram(this, t, s, n);
    if (H.sock_sendmsg.entry.on) k.kprobe(H.sock_sendmsg, t, S.sockSend, s.socketLin, this.msghdr(0, n));
    if (H.tcp_sendmsg.entry.on) k.kprobe(H.tcp_sendmsg, t, stack, s.lin, this.msghdr(0, n), n);
    if (s.state !== TCP.ESTABLISHED && s.state !== TCP.CLOSE_WAIT) {
      if (s.error === E.ECONNRESET || s.state === TCP.CLOSE) {
        if (H.tcp_sendmsg.ret.on) k.kretprobe(H.tcp_sendmsg, t, S.inRecv, -E.EPIPE);
        k.s.procs.send(13, t, t, 0);
        return -E.EPIPE;
      }
    }
    const segs = Math.max(1, Math.ceil(n / MSS));
    s.bytesSent += n;
    s.segsOut += segs;
    this.packets.transmit(s, n, segs, t);
    k.cost(t, 2_200 + segs * 700);
    if (s.peer) {
      const peer = s.peer;
      s.bytesAcked += n;
      writeCounters(k, s);
      k.at(k.now + 15_000 + n / 4, () => this.packets.receive(peer, n, peer.owner?.cpu ?? t.cpu, false, (ctx) => this.deliver(peer, n, ctx, data)));
    } else if (s.remote) {
      this.toRemote(s, n, t.cpu);
    }
    if (H.tcp_sendmsg.ret.on) k.kretprobe(H.tcp_sendmsg, t, S.sockSend, n);
    return n;
  }

  /** Outgoing data reaches the remote (with loss and retransmission); services answer requests. */
  private toRemote(s: Sock, n: number, cpu: number): void {
    const k = this.k;
    const r = s.remote!;
    const host = r.host;
    const segs = Math.max(1, Math.ceil(n / MSS));
    let delay = host.rttNs / 2 + n / host.bandwidth;
    let lost = 0;
    for (let i = 0; i < segs; i++) if (k.rng.chance(host.loss)) lost++;
    if (lost) {
      const rto = Math.max(200e6, host.rttNs * 3);
      delay += rto;
      // The timer resends the first lost segment; each later one goes out as the previous is acknowledged.
      for (let i = 0; i < lost; i++) {
        k.at(k.now + rto + i * host.rttNs, () => {
          if (s.closed) return;
          s.totalRetrans++;
          this.stats.retransmits++;
          this.packets.retransmit(s, MSS, cpu);
          writeCounters(k, s);
        });
      }
    }
    k.at(k.now + delay + host.rttNs / 2, () => {
      s.bytesAcked += n;
      s.srttUs = Math.round((s.srttUs * 7 + host.rttNs / 1000) / 8);
      writeCounters(k, s);
    });
    r.pending += n;
    const svc = r.service;
    if (svc && !r.closedByRemote) {
      const resp = svc.respond(r.pending, k.rng);
      r.pending = 0;
      this.remoteSend(s, resp.bytes, delay + resp.thinkNs + host.rttNs / 2);
    } else if (r.requestsLeft >= 0 && !svc) {
      this.clients.clientReceived(r, n);
    }
  }

  /** Receives up to `n` bytes into `buf`; blocks until data, EOF or an error. */
  *recv(t: Task, s: Sock, buf: number, n: number, flags: number, stack: KStack): KGen {
    const k = this.k;
    const H = this.H;
    if (s.type === SOCK_DGRAM) return yield* recvDgram(this, t, s, n);
    if (H.sock_recvmsg.entry.on) k.kprobe(H.sock_recvmsg, t, S.sockRecv, s.socketLin, this.msghdr(buf, n), flags);
    if (H.tcp_recvmsg.entry.on && s.family !== AF_UNIX) k.kprobe(H.tcp_recvmsg, t, stack, s.lin, this.msghdr(buf, n), n, flags, 0);
    const deadline = s.rcvTimeoNs ? k.now + s.rcvTimeoNs : Infinity;
    while (s.rxBytes === 0) {
      if (s.rxEof || s.state === TCP.CLOSE || s.state === TCP.CLOSE_WAIT) return this.recvRet(t, s, s.error === E.ECONNRESET ? -E.ECONNRESET : 0);
      if (s.state === TCP.LISTEN) return this.recvRet(t, s, -E.ENOTCONN);
      if (s.file!.flags & E.O_NONBLOCK || flags & 0x40) return this.recvRet(t, s, -E.EAGAIN);
      if (k.now >= deadline) return this.recvRet(t, s, -E.EAGAIN);
      s.rxWait.add(t);
      const r = yield t.block(TaskState.INTERRUPTIBLE, S.waitData, deadline);
      if (r === -E.EINTR) return this.recvRet(t, s, -E.EINTR);
    }
    const got = Math.min(n, s.rxBytes);
    s.rxBytes -= got;
    if (s.rxData && buf) {
      const len = Math.min(got, s.rxData.length);
      const lin = t.proc.user.translate(buf, len);
      if (lin >= 0) k.mem.u8.set(s.rxData.subarray(0, len), lin);
    }
    k.cost(t, 1_800 + got / 6);
    if (H.tcp_cleanup_rbuf.entry.on && s.family !== AF_UNIX) k.kprobe(H.tcp_cleanup_rbuf, t, S.inRecv.call('tcp_cleanup_rbuf'), s.lin, got);
    writeCounters(k, s);
    return this.recvRet(t, s, got);
  }

  private recvRet(t: Task, s: Sock, r: number): number {
    if (this.H.tcp_recvmsg.ret.on && s.family !== AF_UNIX) this.k.kretprobe(this.H.tcp_recvmsg, t, S.inRecv, r);
    return r;
  }

  msghdr(buf: number, n: number): number {
    const k = this.k;
    if (!(this.H.tcp_sendmsg.entry.on || this.H.tcp_recvmsg.entry.on || this.H.sock_sendmsg.entry.on || this.H.sock_recvmsg.entry.on || this.H.udp_sendmsg.entry.on || this.H.udp_recvmsg.entry.on || this.H.unix_stream_sendmsg.entry.on)) return 0;
    const m = k.scratch(MSGHDR.SIZE);
    k.mem.writeU8(m + MSGHDR['msg_iter.iter_type'], 0);
    k.mem.writeNum64(m + MSGHDR['msg_iter.ubuf'], buf);
    k.mem.writeNum64(m + MSGHDR['msg_iter.count'], n);
    k.mem.writeNum64(m + MSGHDR['msg_iter.nr_segs'], 1);
    return m;
  }

  // ---- close ----

  /** The last reference to a socket's file is gone: close the connection. */
  release(t: Task, f: OpenFile): void {
    const s = f.sock as Sock | null;
    if (!s || s.closed) return;
    const k = this.k;
    if (this.H.tcp_close.entry.on && s.isTcp) k.kprobe(this.H.tcp_close, t, S.close, s.lin, 0);
    s.closed = true;
    this.socks.delete(s);
    if (s.state === TCP.LISTEN) {
      this.listeners.delete(`${s.laddr}:${s.lport}`);
      setState(k, s, TCP.CLOSE, t, S.inClose);
      for (const c of s.acceptQueue) this.finish(c, t);
      return;
    }
    if (s.family === AF_UNIX) {
      if (s.path && this.unixListeners.get(s.path) === s) this.unixListeners.delete(s.path);
      if (s.peer) {
        s.peer.rxEof = true;
        k.s.sched.wakeAll(s.peer.rxWait, 0, t);
      }
      return;
    }
    if (s.type === SOCK_DGRAM) return;
    if (s.state === TCP.ESTABLISHED) {
      setState(k, s, TCP.FIN_WAIT1, t, S.inClose);
      this.packets.transmit(s, 0, 1, t);
      this.sendFin(s, t, true);
    } else if (s.state === TCP.CLOSE_WAIT) {
      setState(k, s, TCP.LAST_ACK, t, S.inClose);
      this.packets.transmit(s, 0, 1, t);
      this.sendFin(s, t, false);
    } else if (s.state !== TCP.CLOSE) {
      setState(k, s, TCP.CLOSE, t, S.inClose);
    }
  }

  /** Our FIN reaches the other side; its ACK (and FIN) come back. */
  private sendFin(s: Sock, t: Task, active: boolean): void {
    const k = this.k;
    const rtt = s.peer ? 30_000 : (s.remote?.host.rttNs ?? 500_000);
    const cpu = t.cpu;
    k.at(k.now + rtt, () =>
      this.packets.receive(s, 0, cpu, !s.peer, (ctx) => {
        if (active) {
          if (s.state === TCP.FIN_WAIT1) setState(k, s, TCP.FIN_WAIT2, ctx, S.softirq);
        } else {
          this.finish(s, ctx);
        }
      }, false),
    );
    if (s.peer) {
      const p = s.peer;
      k.at(k.now + rtt / 2, () => this.packets.receive(p, 0, p.owner?.cpu ?? cpu, false, (ctx) => this.finReceived(p, ctx), false));
    } else if (s.remote && active) {
      // The remote closes its side after our FIN.
      k.at(k.now + rtt * 1.5, () => this.packets.receive(s, 0, cpu, true, (ctx) => this.finReceived(s, ctx), false));
    }
  }

  /** The other side's FIN arrived. */
  private finReceived(s: Sock, ctx: Task): void {
    const k = this.k;
    if (this.H.tcp_fin.entry.on) k.kprobe(this.H.tcp_fin, ctx, S.softirq.call('tcp_fin'), s.lin);
    s.rxEof = true;
    if (s.state === TCP.ESTABLISHED) setState(k, s, TCP.CLOSE_WAIT, ctx, S.softirq);
    else if (s.state === TCP.FIN_WAIT2 || s.state === TCP.FIN_WAIT1) this.finish(s, ctx);
    k.s.sched.wakeAll(s.rxWait, 0, ctx);
  }

  private finish(s: Sock, ctx: Task): void {
    if (s.state === TCP.CLOSE) return;
    setState(this.k, s, TCP.CLOSE, ctx, S.softirq);
    writeCounters(this.k, s);
    this.socks.delete(s);
  }

  /** The remote side closes an idle connection (FIN from the server). */
  remoteClose(s: Sock): void {
    if (s.closed || s.state !== TCP.ESTABLISHED) return;
    const k = this.k;
    this.packets.receive(s, 0, s.lport % k.nrCpus, true, (ctx) => this.finReceived(s, ctx), false);
  }

  // ---- file-level entry points (read/write on a socket fd, sendfile) ----

  *recvFile(t: Task, f: OpenFile, buf: number, n: number, flags: number, wrapper: string): KGen {
    void wrapper;
    return yield* this.recv(t, f.sock as Sock, buf, n, flags, S.recvmsg);
  }

  *sendFile(t: Task, f: OpenFile, buf: number, n: number, flags: number, wrapper: string): KGen {
    void wrapper;
    void flags;
    const lin = buf ? t.proc.user.translate(buf, Math.min(n, 256)) : -1;
    const data = lin >= 0 ? this.k.mem.u8.slice(lin, lin + Math.min(n, 256)) : null;
    return yield* this.send(t, f.sock as Sock, n, data, S.sendmsg);
  }

  *sendBytes(t: Task, f: OpenFile, n: number, wrapper: string): KGen {
    void wrapper;
    return yield* this.send(t, f.sock as Sock, n, null, S.sendmsg);
  }

  *sendto(t: Task, fd: number, buf: number, n: number, flags: number, addr: number, alen: number): KGen {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    if (addr && s.type === SOCK_DGRAM) {
      const a = this.readAddr(t, addr, alen);
      if (typeof a === 'number') return a;
      s.raddr = a.ip;
      s.rport = a.port;
      s.laddr = a.ip === LOOPBACK ? LOOPBACK : LOCAL_IP;
    }
    void flags;
    const lin = buf ? t.proc.user.translate(buf, Math.min(n, 256)) : -1;
    return yield* this.send(t, s, n, lin >= 0 ? this.k.mem.u8.slice(lin, lin + Math.min(n, 256)) : null, S.sendmsg);
  }

  *recvfrom(t: Task, fd: number, buf: number, n: number, flags: number, addr: number, lenPtr: number): KGen {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    const r = yield* this.recv(t, s, buf, n, flags, S.recvmsg);
    if (r > 0 && addr) this.writeAddr(t, addr, lenPtr, s.raddr, s.rport);
    return r;
  }

  shutdown(t: Task, fd: number): number {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    if (s.state === TCP.ESTABLISHED && s.isTcp) {
      setState(this.k, s, TCP.FIN_WAIT1, t, S.inClose);
      this.sendFin(s, t, true);
    }
    return 0;
  }

  names(t: Task, fd: number, addr: number, lenPtr: number, peer: boolean): number {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    if (peer && s.state !== TCP.ESTABLISHED && s.state !== TCP.CLOSE_WAIT) return -E.ENOTCONN;
    this.writeAddr(t, addr, lenPtr, peer ? s.raddr : s.laddr, peer ? s.rport : s.lport);
    return 0;
  }

  setsockopt(t: Task, fd: number, level: number, opt: number, val: number): number {
    const s = this.sockOf(t, fd);
    if (typeof s === 'number') return s;
    if (level === 1 && opt === 20 /* SO_RCVTIMEO */) {
      const lin = t.proc.user.translate(val, 16);
      if (lin >= 0) s.rcvTimeoNs = this.k.mem.readU32(lin) * 1e9 + this.k.mem.readU32(lin + 8) * 1e3;
    }
    return 0;
  }

  socketpair(t: Task, family: number, type: number, sv: number): number {
    const a = this.socket(t, AF_UNIX, type, 0);
    const b = this.socket(t, AF_UNIX, type, 0);
    if (a < 0 || b < 0) return a < 0 ? a : b;
    const sa = this.sockOf(t, a) as Sock;
    const sb = this.sockOf(t, b) as Sock;
    sa.peer = sb;
    sb.peer = sa;
    sa.state = sb.state = TCP.ESTABLISHED;
    const lin = t.proc.user.translate(sv, 8);
    if (lin >= 0) {
      this.k.mem.writeU32(lin, a);
      this.k.mem.writeU32(lin + 4, b);
    }
    void family;
    return 0;
  }

  /** Readable now (data, EOF, pending connections)? For poll and epoll. */
  readable(s: Sock): boolean {
    return s.rxBytes > 0 || s.rxEof || s.acceptQueue.length > 0 || s.dgrams.length > 0 || s.state === TCP.CLOSE;
  }

  /** Starts a stream of remote clients connecting to a local port. */
  addClients(spec: ClientSpec): void {
    this.clients.addClients(spec);
  }

  /** /proc/net/tcp. */
  procNetTcp(): string {
    return procNetTcpText(this.socks);
  }
}
