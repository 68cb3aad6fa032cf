// Sockets as the kernel tracks them: the JavaScript state of a connection (addresses,
// TCP state, queues, counters, the peer) mirrored into struct socket and struct tcp_sock
// in simulated memory, and the state-change helper every transition goes through
// (tcp_set_state and sock:inet_sock_set_state).
import { Region } from '../../vm/memory/memory';
import type { Kernel } from '../kernel/kernel';
import { SOCK, SOCKET } from '../kernel/offsets';
import type { KStack } from '../kernel/stacks';
import { WaitQueue, type Task } from '../kernel/task';
import type { OpenFile } from '../fs/file';
import type { RemoteConn } from './remote';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const TCP = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
  NEW_SYN_RECV: 12,
} as const;

/** Dotted IPv4 text to a number (host order). */
export function ip4(text: string): number {
  const p = text.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The four bytes of an IPv4 address in network order. */
export function ipBytes(ip: number): Uint8Array {
  return new Uint8Array([ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]);
}

/** A 32-bit value whose little-endian bytes are the address in network order (as __be32 holds it). */
export function be32(ip: number): number {
  return (((ip & 255) << 24) | (((ip >>> 8) & 255) << 16) | (((ip >>> 16) & 255) << 8) | (ip >>> 24)) >>> 0;
}

export function be16(port: number): number {
  return ((port & 255) << 8) | ((port >>> 8) & 255);
}

export class Sock {
  state: number = TCP.CLOSE;
  laddr = 0;
  lport = 0;
  raddr = 0;
  rport = 0;
  /** Bytes queued for reading and their data (the most recent chunk, for copying to user buffers). */
  rxBytes = 0;
  rxData: Uint8Array | null = null;
  /** The peer closed its side (reads return 0 once the queue drains). */
  rxEof = false;
  error = 0;
  readonly rxWait = new WaitQueue();
  readonly txWait = new WaitQueue();
  /** Listening sockets: established children waiting for accept(). */
  readonly acceptQueue: Sock[] = [];
  backlog = 0;
  /** The other end of a local connection. */
  peer: Sock | null = null;
  /** The remote end of an external connection. */
  remote: RemoteConn | null = null;
  file: OpenFile | null = null;
  owner: Task | null = null;
  bytesReceived = 0;
  bytesAcked = 0;
  bytesSent = 0;
  segsIn = 0;
  segsOut = 0;
  totalRetrans = 0;
  srttUs = 0;
  cwnd = 10;
  rcvTimeoNs = 0;
  /** Time the socket was created / established (for /proc/net/tcp and curiosity). */
  created = 0;
  cookie = 0;
  closed = false;
  /** DGRAM: datagrams queued (sizes). */
  readonly dgrams: number[] = [];
  /** UNIX sockets: the path bound or connected to. */
  path = '';
  ifname = 'eth0';

  constructor(
    readonly lin: number,
    readonly socketLin: number,
    readonly family: number,
    readonly type: number,
    readonly proto: number,
  ) {}

  get isTcp(): boolean {
    return this.family !== AF_UNIX && this.type === SOCK_STREAM;
  }
}

/** Allocates a socket's kernel objects (struct socket and the protocol sock) and writes its constant fields. */
export function allocSock(k: Kernel, family: number, type: number, proto: number, owner: Task): Sock {
  const mem = k.mem;
  const lin = mem.alloc(SOCK.SIZE, Region.KERNEL);
  const socketLin = mem.alloc(SOCKET.SIZE, Region.KERNEL);
  const s = new Sock(lin, socketLin, family, type, proto);
  s.owner = owner;
  s.created = k.now;
  s.cookie = k.nextCookie();
  mem.writeU16(lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_family'], family);
  mem.writeU8(lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_state'], TCP.CLOSE);
  mem.writeU16(lin + SOCK['inet_conn.icsk_inet.sk.sk_type'], type);
  mem.writeU16(lin + SOCK['inet_conn.icsk_inet.sk.sk_protocol'], proto);
  mem.writeU32(lin + SOCK['inet_conn.icsk_inet.sk.sk_rcvbuf'], 131_072);
  mem.writeU32(lin + SOCK['inet_conn.icsk_inet.sk.sk_sndbuf'], 16_384);
  mem.writeU32(lin + SOCK['inet_conn.icsk_inet.sk.sk_uid'], owner.proc.cred.uid);
  mem.writePtr(lin + SOCK['inet_conn.icsk_inet.sk.sk_socket'], socketLin);
  mem.writeNum64(lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_cookie'], s.cookie);
  mem.writeU32(lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_refcnt'], 1);
  mem.writeU32(lin + SOCK['snd_cwnd'], 10);
  mem.writeU32(lin + SOCK['mss_cache'], 1448);
  mem.writeU32(lin + SOCK['inet_conn.icsk_rto'], 200);
  mem.writeU32(socketLin + SOCKET.state, 1);
  mem.writeU16(socketLin + SOCKET.type, type);
  mem.writePtr(socketLin + SOCKET.sk, lin);
  return s;
}

/** Writes the addresses into sock_common / inet_sock (network byte order where the kernel keeps it). */
export function writeAddrs(k: Kernel, s: Sock): void {
  const mem = k.mem;
  const l = s.lin;
  mem.writeU32(l + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_daddr'], be32(s.raddr));
  mem.writeU32(l + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_rcv_saddr'], be32(s.laddr));
  mem.writeU16(l + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_dport'], be16(s.rport));
  mem.writeU16(l + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_num'], s.lport);
  mem.writeU32(l + SOCK['inet_conn.icsk_inet.inet_saddr'], be32(s.laddr));
  mem.writeU16(l + SOCK['inet_conn.icsk_inet.inet_sport'], be16(s.lport));
  // IPv4-mapped IPv6 addresses, as the kernel keeps for every inet socket.
  for (const [off, ip] of [
    [SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_v6_daddr'], s.raddr],
    [SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_v6_rcv_saddr'], s.laddr],
  ] as const) {
    mem.u8.fill(0, l + off, l + off + 10);
    mem.writeU16(l + off + 10, 0xffff);
    mem.u8.set(ipBytes(ip), l + off + 12);
  }
}

/** Writes the byte and segment counters of a TCP socket. */
export function writeCounters(k: Kernel, s: Sock): void {
  const mem = k.mem;
  const l = s.lin;
  mem.writeNum64(l + SOCK.bytes_received, s.bytesReceived);
  mem.writeNum64(l + SOCK.bytes_acked, s.bytesAcked);
  mem.writeNum64(l + SOCK.bytes_sent, s.bytesSent);
  mem.writeU32(l + SOCK.segs_in, s.segsIn);
  mem.writeU32(l + SOCK.segs_out, s.segsOut);
  mem.writeU32(l + SOCK.total_retrans, s.totalRetrans);
  mem.writeU32(l + SOCK.srtt_us, s.srttUs << 3);
  mem.writeU32(l + SOCK.snd_cwnd, s.cwnd);
  mem.writeU32(l + SOCK['inet_conn.icsk_inet.sk.sk_receive_queue.qlen'], s.rxBytes ? 1 : 0);
}

/** Moves a TCP socket to a new state, firing tcp_set_state and inet_sock_set_state in `ctx`. */
const stateHooks = new WeakMap<Kernel, { ks: import('../kernel/hook-table').FuncHooks; tp: import('../kernel/hooks').Hook }>();

export function setState(k: Kernel, s: Sock, state: number, ctx: Task, stack: KStack): void {
  const old = s.state;
  if (old === state) return;
  let h = stateHooks.get(k);
  if (!h) stateHooks.set(k, (h = { ks: k.hooks.k('tcp_set_state'), tp: k.hooks.tp('sock', 'inet_sock_set_state') }));
  const ks = h.ks;
  if (ks.entry.on) k.kprobe(ks, ctx, stack.call('tcp_set_state'), s.lin, state);
  const tp = h.tp;
  if (tp.on && s.isTcp) {
    k.tracepoint(tp, ctx, stack.under('tcp_set_state'), [s.lin, old, state, s.lport, s.rport, s.family, IPPROTO_TCP, ipBytes(s.laddr), ipBytes(s.raddr), mapped(s.laddr), mapped(s.raddr)]);
  }
  s.state = state;
  k.mem.writeU8(s.lin + SOCK['inet_conn.icsk_inet.sk.__sk_common.skc_state'], state);
}

function mapped(ip: number): Uint8Array {
  const b = new Uint8Array(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b.set(ipBytes(ip), 12);
  return b;
}
