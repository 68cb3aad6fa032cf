// Socket system calls, forwarded to the network layer.
import type { SysImpl } from './types';

const s32 = (v: number) => v | 0;

export const NET_SYSCALLS: Record<string, SysImpl> = {
  socket: (k, t, o) => k.s.net.socket(t, o.a0, o.a1, o.a2),
  connect: (k, t, o) => k.s.net.connect(t, s32(o.a0), o.a1, o.a2),
  accept: (k, t, o) => k.s.net.accept(t, s32(o.a0), o.a1, o.a2, 0),
  accept4: (k, t, o) => k.s.net.accept(t, s32(o.a0), o.a1, o.a2, o.a3),
  bind: (k, t, o) => k.s.net.bind(t, s32(o.a0), o.a1, o.a2),
  listen: (k, t, o) => k.s.net.listen(t, s32(o.a0), o.a1),
  sendto: (k, t, o) => k.s.net.sendto(t, s32(o.a0), o.a1, o.a2, o.a3, o.a4, o.a5),
  recvfrom: (k, t, o) => k.s.net.recvfrom(t, s32(o.a0), o.a1, o.a2, o.a3, o.a4, o.a5),
  sendmsg: (k, t, o) => {
    const lin = t.proc.user.translate(o.a1, 56);
    const iov = lin >= 0 ? k.mem.readU32(lin + 16) + k.mem.readU32(lin + 20) * 4294967296 : 0;
    const ilin = iov ? t.proc.user.translate(iov, 16) : -1;
    const base = ilin >= 0 ? k.mem.readU32(ilin) + k.mem.readU32(ilin + 4) * 4294967296 : 0;
    const len = ilin >= 0 ? k.mem.readU32(ilin + 8) : 0;
    return k.s.net.sendto(t, s32(o.a0), base, len, o.a2, 0, 0);
  },
  recvmsg: (k, t, o) => {
    const lin = t.proc.user.translate(o.a1, 56);
    const iov = lin >= 0 ? k.mem.readU32(lin + 16) + k.mem.readU32(lin + 20) * 4294967296 : 0;
    const ilin = iov ? t.proc.user.translate(iov, 16) : -1;
    const base = ilin >= 0 ? k.mem.readU32(ilin) + k.mem.readU32(ilin + 4) * 4294967296 : 0;
    const len = ilin >= 0 ? k.mem.readU32(ilin + 8) : 4096;
    return k.s.net.recvfrom(t, s32(o.a0), base, len, o.a2, 0, 0);
  },
  sendmmsg: (k, t, o) => k.s.net.sendto(t, s32(o.a0), 0, 512, 0, 0, 0),
  recvmmsg: (k, t, o) => k.s.net.recvfrom(t, s32(o.a0), 0, 4096, 0, 0, 0),
  shutdown: (k, t, o) => k.s.net.shutdown(t, s32(o.a0)),
  getsockname: (k, t, o) => k.s.net.names(t, s32(o.a0), o.a1, o.a2, false),
  getpeername: (k, t, o) => k.s.net.names(t, s32(o.a0), o.a1, o.a2, true),
  setsockopt: (k, t, o) => k.s.net.setsockopt(t, s32(o.a0), o.a1, o.a2, o.a3),
  getsockopt: () => 0,
  socketpair: (k, t, o) => k.s.net.socketpair(t, o.a0, o.a1, o.a3),
};
