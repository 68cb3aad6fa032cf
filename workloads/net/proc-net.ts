// /proc/net/tcp: one line per TCP socket (addresses in the kernel's hex notation, state,
// receive queue, owner's uid, inode), as the kernel prints it.
import type { Sock } from './sock';

/** /proc/net/tcp. */
export function procNetTcpText(socks: Iterable<Sock>): string {
  const hex = (ip: number, port: number) => `${be32(ip).toString(16).toUpperCase().padStart(8, '0')}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const lines = ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'];
  let i = 0;
  for (const s of socks) {
    if (!s.isTcp) continue;
    lines.push(`${String(i++).padStart(4)}: ${hex(s.laddr, s.lport)} ${hex(s.raddr, s.rport)} ${s.state.toString(16).toUpperCase().padStart(2, '0')} 00000000:${s.rxBytes.toString(16).toUpperCase().padStart(8, '0')} 00:00000000 00000000 ${String(s.owner?.proc.cred.uid ?? 0).padStart(5)}        0 ${s.cookie}`);
  }
  return lines.join('\n') + '\n';
}

function be32(ip: number): number {
  return (((ip & 255) << 24) | (((ip >>> 8) & 255) << 16) | (((ip >>> 16) & 255) << 8) | (ip >>> 24)) >>> 0;
}
