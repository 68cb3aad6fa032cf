// What simulated programs are written against: a small libc. Each call fires the uprobe
// and uretprobe of its libc symbol (with real argument values), sets the user stack, and
// issues the system call the real libc would (open -> openat, sleep -> clock_nanosleep).
// Programs are generators: `const fd = yield u.open('/etc/passwd')`.
import { NR } from '../syscalls/index';
import type { UserHooks } from '../kernel/hook-table';
import type { Kernel } from '../kernel/kernel';
import type { Program, Prog, Task, UOp } from '../kernel/task';
import * as E from '../errno';
import { LIBC, LIBCRYPTO, LIBSSL } from './binary-table';
import { binary } from './binaries';
import { internString, mappedBase, userBuffer } from './process-maps';
import { UStack } from './ustack';

export type Gen<T = number> = Generator<UOp, T, number>;

const LIBC_SYMS = new Map<string, string>();
const SSL_SYMS = new Map<string, string>();

/** `LIBC:fn`, built once per name (the same string each time keeps hook lookups cheap). */
export function libcSym(fn: string): string {
  let s = LIBC_SYMS.get(fn);
  if (s === undefined) LIBC_SYMS.set(fn, (s = `${LIBC}:${fn}`));
  return s;
}

function sslSym(fn: string): string {
  let s = SSL_SYMS.get(fn);
  if (s === undefined) SSL_SYMS.set(fn, (s = `${LIBSSL}:${fn}`));
  return s;
}

const scratchText = new Uint8Array(4096);
const encoder = new TextEncoder();

const SOCKADDR_BYTES = 16;

export class U {
  readonly k: Kernel;
  /** The program's current frames (innermost first), below any libc frame. */
  here: UStack;
  private readonly hookCache = new Map<string, UserHooks>();

  constructor(
    readonly t: Task,
    base: UStack,
  ) {
    this.k = t.kernel;
    this.here = base;
    t.ustk = base;
  }

  /** Sets the current program frames. */
  at(s: UStack): void {
    this.here = s;
    this.t.ustk = s;
  }

  get rng() {
    return this.t.rng;
  }

  private hooks(sym: string): UserHooks {
    let h = this.hookCache.get(sym);
    if (!h) this.hookCache.set(sym, (h = this.k.hooks.u(sym)));
    return h;
  }

  /** Fires the entry uprobe of `lib:fn` (if watched) and moves the user stack into it. */
  enter(sym: string, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): void {
    const h = this.hooks(sym);
    if (h.entry.on) this.k.uprobe(h, this.t, this.here.call(sym), a0, a1, a2, a3, a4, a5);
    this.t.ustk = this.here.under(sym);
  }

  /** Fires the return uprobe of `lib:fn` (if watched) and returns to the program's frames. */
  leave(sym: string, ret: number): number {
    const h = this.hooks(sym);
    if (h.ret.on) this.k.uretprobe(h, this.t, this.here.under(sym), ret);
    this.t.ustk = this.here;
    return ret;
  }

  /**
   * A libc function that makes one system call: the operation to yield. The kernel fires the
   * function's uprobe before the call and its uretprobe after it (with libc's -1 for errors).
   * The uprobe sees `u0..u3` (the function's own arguments when they differ from the call's).
   */
  libc(fn: string, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, u0 = a0, u1 = a1, u2 = a2, u3 = a3): UOp {
    const uh = this.k.hooks.libc(fn);
    const o = this.t.sys(nr, a0, a1, a2, a3, a4, a5);
    o.uh = uh;
    o.usym = uh.sym;
    o.uhere = this.here;
    o.u0 = u0;
    o.u1 = u1;
    o.u2 = u2;
    o.u3 = u3;
    return o;
  }

  /** A raw system call (no libc frame). */
  sys(nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): UOp {
    return this.t.sys(nr, a0, a1, a2, a3, a4, a5);
  }

  /** CPU work in user mode (ns), at the current frames or `where`. */
  cpu(ns: number, where?: UStack): UOp {
    if (where) this.at(where);
    if (ns > 200_000) this.t.faultDebt += Math.floor(ns / 400_000);
    return this.t.cpuWork(ns);
  }

  // ---- memory ----

  str(s: string): number {
    return internString(this.k.mem, this.t.proc, s);
  }

  private readonly bufCache = new Map<string, { size: number; addr: number; heap: number }>();

  buf(name: string, size: number): number {
    const c = this.bufCache.get(name);
    const heap = this.t.proc.heapStart;
    if (c !== undefined && c.size >= size && c.heap === heap) return c.addr;
    const addr = userBuffer(this.t.proc, name, size);
    this.bufCache.set(name, { size, addr, heap });
    return addr;
  }

  /** Writes text into a named buffer (for data a program sends or writes); returns [addr, bytes]. */
  text(name: string, s: string): [number, number] {
    const r = encoder.encodeInto(s, scratchText);
    const n = r.written + (r.read < s.length ? (s.length - r.read) * 3 : 0);
    const shown = r.written;
    const addr = this.buf(name, Math.max(256, Math.min(n, 4096)));
    const lin = this.t.proc.user.translate(addr, shown);
    if (lin >= 0) this.k.mem.u8.set(scratchText.subarray(0, shown), lin);
    return [addr, n];
  }

  /** A struct timespec in a named buffer. */
  timespec(ns: number): number {
    const ts = this.buf('ts', 16);
    const lin = this.t.proc.user.translate(ts, 16);
    if (lin >= 0) {
      this.k.mem.writeNum64(lin, Math.floor(ns / 1e9));
      this.k.mem.writeNum64(lin + 8, Math.floor(ns % 1e9));
    }
    return ts;
  }

  /** A struct timeval for SO_RCVTIMEO. */
  sockTimeout(ns: number): number {
    const a = this.buf('tv', 16);
    const lin = this.t.proc.user.translate(a, 16);
    if (lin >= 0) {
      this.k.mem.writeNum64(lin, Math.floor(ns / 1e9));
      this.k.mem.writeNum64(lin + 8, Math.floor((ns % 1e9) / 1e3));
    }
    return a;
  }

  /** A NULL-terminated array of string pointers (argv, envp) in the heap. */
  strArray(name: string, items: readonly string[]): number {
    const ptrs = items.map((s) => this.str(s));
    const addr = this.buf(name, 8 * (ptrs.length + 1));
    for (let i = 0; i <= ptrs.length; i++) {
      const lin = this.t.proc.user.translate(addr + 8 * i, 8);
      if (lin >= 0) this.k.mem.writeNum64(lin, ptrs[i] ?? 0);
    }
    return addr;
  }

  /** malloc/free as uprobe events (the heap itself is not modelled beyond them). */
  malloc(size: number): number {
    const sym = libcSym('malloc');
    this.enter(sym, size);
    const p = this.t.proc;
    const addr = p.heapStart + ((this.t.rng.u32() & 0x3fff) << 4) + 0x4000;
    this.leave(sym, addr);
    void p;
    return addr;
  }

  free(ptr: number): void {
    const sym = libcSym('free');
    this.enter(sym, ptr);
    this.leave(sym, 0);
  }

  /** Calls a program function (uprobe/uretprobe on it) around `body`, with its frame current. */
  *fn<T>(sym: string, args: number[], body: () => Gen<T>, ret?: (r: T) => number): Gen<T> {
    const h = this.hooks(sym);
    const outer = this.here;
    const inner = outer.under(sym);
    if (h.entry.on) this.k.uprobe(h, this.t, outer.call(sym), args[0] ?? 0, args[1] ?? 0, args[2] ?? 0, args[3] ?? 0, args[4] ?? 0, args[5] ?? 0);
    this.at(inner);
    const r = yield* body();
    this.at(outer);
    if (h.ret.on) this.k.uretprobe(h, this.t, inner, ret ? ret(r) : typeof r === 'number' ? r : 0);
    return r;
  }

  // ---- files ----

  open(path: string, flags = E.O_RDONLY, mode = 0o644): UOp {
    const p = this.str(path);
    return this.libc(flags & E.O_CREAT ? 'open64' : 'open', NR.openat, E.AT_FDCWD, p, flags, mode, 0, 0, p, flags, mode);
  }

  read(fd: number, buf: number, n: number): UOp {
    return this.libc('read', NR.read, fd, buf, n);
  }

  pread(fd: number, buf: number, n: number, off: number): UOp {
    return this.libc('pread64', NR.pread64, fd, buf, n, off);
  }

  write(fd: number, buf: number, n: number): UOp {
    return this.libc('write', NR.write, fd, buf, n);
  }

  pwrite(fd: number, buf: number, n: number, off: number): UOp {
    return this.libc('pwrite64', NR.pwrite64, fd, buf, n, off);
  }

  /** Writes a string (its bytes land in a buffer named after the fd). */
  print(fd: number, s: string): UOp {
    const [addr, n] = this.text(`out${fd}`, s);
    return this.write(fd, addr, n);
  }

  close(fd: number): UOp {
    return this.libc('close', NR.close, fd);
  }

  stat(path: string): UOp {
    const p = this.str(path);
    return this.libc('stat', NR.newfstatat, E.AT_FDCWD, p, this.buf('stat', 144), 0, 0, 0, p, this.buf('stat', 144));
  }

  lstat(path: string): UOp {
    const p = this.str(path);
    return this.sys(NR.newfstatat, E.AT_FDCWD, p, this.buf('stat', 144), E.AT_SYMLINK_NOFOLLOW);
  }

  fstat(fd: number): UOp {
    return this.libc('fstat', NR.newfstatat, fd, this.str(''), this.buf('stat', 144), E.AT_EMPTY_PATH, 0, 0, fd, this.buf('stat', 144));
  }

  access(path: string, mode = 4): UOp {
    return this.sys(NR.access, this.str(path), mode);
  }

  unlink(path: string): UOp {
    return this.libc('unlink', NR.unlink, this.str(path));
  }

  rename(from: string, to: string): UOp {
    return this.libc('rename', NR.rename, this.str(from), this.str(to));
  }

  mkdir(path: string, mode = 0o755): UOp {
    return this.sys(NR.mkdir, this.str(path), mode);
  }

  fsync(fd: number): UOp {
    return this.libc('fsync', NR.fsync, fd);
  }

  fdatasync(fd: number): UOp {
    return this.libc('fdatasync', NR.fdatasync, fd);
  }

  lseek(fd: number, off: number, whence = 0): UOp {
    return this.sys(NR.lseek, fd, off, whence);
  }

  /** Reads a whole file in `chunk`-byte reads; returns bytes read or -errno from open. */
  *slurp(path: string, chunk = 4096, cpuPerKb = 0): Gen {
    const fd = yield this.open(path);
    if (fd < 0) return fd;
    yield this.fstat(fd);
    const b = this.buf('io', chunk);
    let total = 0;
    for (;;) {
      const n = yield this.read(fd, b, chunk);
      if (n <= 0) break;
      total += n;
      if (cpuPerKb) yield this.cpu((n / 1024) * cpuPerKb);
    }
    yield this.close(fd);
    return total;
  }

  /** Appends a line to a file (open O_APPEND, write, close). */
  *appendLine(path: string, line: string): Gen {
    const fd = yield this.open(path, E.O_WRONLY | E.O_APPEND | E.O_CREAT | E.O_CLOEXEC, 0o640);
    if (fd < 0) return fd;
    yield this.print(fd, line.endsWith('\n') ? line : line + '\n');
    return yield this.close(fd);
  }

  getdents(fd: number): UOp {
    return this.libc('getdents64', NR.getdents64, fd, this.buf('dents', 32768), 32768);
  }

  *pipe(): Gen<[number, number]> {
    const a = this.buf('pipefds', 8);
    yield this.sys(NR.pipe2, a, E.O_CLOEXEC);
    const lin = this.t.proc.user.translate(a, 8);
    return [this.k.mem.readI32(lin), this.k.mem.readI32(lin + 4)];
  }

  dup2(a: number, b: number): UOp {
    return this.sys(NR.dup2, a, b);
  }

  // ---- time ----

  /** Sleeps `ns` through clock_nanosleep (as glibc's nanosleep/sleep do). */
  sleep(ns: number, fn = 'nanosleep'): UOp {
    const ts = this.timespec(ns);
    return this.libc(fn, NR.clock_nanosleep, 0, 0, ts, 0, 0, 0, fn === 'sleep' ? Math.floor(ns / 1e9) : fn === 'usleep' ? Math.floor(ns / 1e3) : ts, 0, 0);
  }

  /** nanosleep(2) itself, for programs that call it directly. */
  nanosleep(ns: number): UOp {
    return this.sys(NR.nanosleep, this.timespec(ns), 0);
  }

  // ---- processes ----

  /** fork(): the child runs `child`. Returns the child's pid. */
  fork(child: Program, fn = 'fork'): UOp {
    const o = this.libc(fn, NR.clone, 0x1200011, 0, 0, 0, 0, 0, 0, 0, 0);
    o.child = child;
    return o;
  }

  /**
   * pthread_create: a thread running `body`, whose start routine is `routine` (`path:fn`).
   * As glibc does: mmap the thread's stack, mprotect its guard page, then clone3 with
   * CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID.
   */
  *thread(body: Program, routine: string, arg = 0): Gen {
    const sym = libcSym('pthread_create');
    const colon = routine.lastIndexOf(':');
    const bin = binary(routine.slice(0, colon));
    const fn = bin?.symbols.find((x) => x.name === routine.slice(colon + 1));
    const start = fn ? mappedBase(this.t.proc, bin!.path) + fn.addr : 0;
    const tid = this.buf('pthread_t', 8);
    this.enter(sym, tid, 0, start, arg);
    const stack = yield this.sys(NR.mmap, 0, 8_392_704, 0, 0x20022, -1, 0);
    yield this.sys(NR.mprotect, stack, 4096, 0);
    yield this.sys(NR.rt_sigprocmask, 0, this.buf('sigset', 8), this.buf('oldset', 8), 8);
    const o = this.sys(NR.clone3, this.cloneArgs(0x3d0f00), 88);
    o.child = body;
    const r = yield o;
    yield this.sys(NR.rt_sigprocmask, 2, this.buf('oldset', 8), 0, 8);
    return this.leave(sym, r > 0 ? 0 : -r);
  }

  private cloneArgs(flags: number): number {
    const a = this.buf('clone_args', 88);
    const lin = this.t.proc.user.translate(a, 88);
    if (lin >= 0) this.k.mem.writeNum64(lin, flags);
    return a;
  }

  /** execve(path, argv): on success this never returns to the caller's program. */
  exec(path: string, argv: readonly string[], env: readonly string[] = ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8']): UOp {
    const p = this.str(path);
    const a = this.strArray('argv', argv);
    const e = this.strArray('envp', env);
    return this.libc('execve', NR.execve, p, a, e);
  }

  /** waitpid: the child's wait status, or -errno. */
  *wait(pid = -1): Gen<{ pid: number; status: number }> {
    const st = this.buf('wstatus', 4);
    const sym = libcSym('waitpid');
    this.enter(sym, pid, st, 0);
    const r = yield this.t.sys(NR.wait4, pid, st, 0, 0);
    this.leave(sym, r);
    const lin = this.t.proc.user.translate(st, 4);
    return { pid: r, status: r > 0 && lin >= 0 ? this.k.mem.readU32(lin) : 0 };
  }

  kill(pid: number, sig: number): UOp {
    return this.libc('kill', NR.kill, pid, sig);
  }

  /** Installs a handler for `sig` (rt_sigaction with a non-default handler). */
  handle(sig: number, onSignal?: (sig: number) => void): UOp {
    const act = this.buf('sigaction', 152);
    const lin = this.t.proc.user.translate(act, 8);
    if (lin >= 0) this.k.mem.writeNum64(lin, (this.t.proc.bases.get(this.t.proc.exe?.path ?? '') ?? 0x555555554000) + 0x4100);
    if (onSignal) this.t.proc.data.onSignal = onSignal;
    return this.libc('sigaction', NR.rt_sigaction, sig, act, 0, 8);
  }

  ignore(sig: number): UOp {
    const act = this.buf('sigaction_ign', 152);
    const lin = this.t.proc.user.translate(act, 8);
    if (lin >= 0) this.k.mem.writeNum64(lin, 1);
    return this.sys(NR.rt_sigaction, sig, act, 0, 8);
  }

  // ---- network ----

  /** A sockaddr_in for ip:port in a named buffer. */
  sockaddr(ip: number, port: number, name = 'sa'): number {
    const a = this.buf(name, SOCKADDR_BYTES);
    const lin = this.t.proc.user.translate(a, SOCKADDR_BYTES);
    if (lin >= 0) {
      const m = this.k.mem;
      m.u8.fill(0, lin, lin + SOCKADDR_BYTES);
      m.writeU16(lin, 2);
      m.writeU8(lin + 2, port >>> 8);
      m.writeU8(lin + 3, port & 255);
      m.writeU8(lin + 4, ip >>> 24);
      m.writeU8(lin + 5, (ip >>> 16) & 255);
      m.writeU8(lin + 6, (ip >>> 8) & 255);
      m.writeU8(lin + 7, ip & 255);
    }
    return a;
  }

  unixAddr(path: string): number {
    const a = this.buf('sun', 110);
    const lin = this.t.proc.user.translate(a, 110);
    if (lin >= 0) {
      this.k.mem.writeU16(lin, 1);
      this.k.mem.writeCString(lin + 2, path, 108);
    }
    return a;
  }

  socket(family = 2, type = 1, proto = 0): UOp {
    return this.libc('socket', NR.socket, family, type | 0x80000, proto);
  }

  connect(fd: number, ip: number, port: number): UOp {
    const a = this.sockaddr(ip, port);
    return this.libc('connect', NR.connect, fd, a, SOCKADDR_BYTES);
  }

  connectUnix(fd: number, path: string): UOp {
    return this.libc('connect', NR.connect, fd, this.unixAddr(path), 110);
  }

  *bindListen(fd: number, ip: number, port: number, backlog = 511): Gen {
    const a = this.sockaddr(ip, port, 'bindaddr');
    const r = yield this.libc('bind', NR.bind, fd, a, SOCKADDR_BYTES);
    if (r < 0) return r;
    return yield this.libc('listen', NR.listen, fd, backlog);
  }

  accept(fd: number): UOp {
    const a = this.buf('peer', SOCKADDR_BYTES);
    const l = this.buf('peerlen', 4);
    return this.libc('accept4', NR.accept4, fd, a, l, 0x80000);
  }

  send(fd: number, s: string | number): UOp {
    if (typeof s === 'number') return this.libc('send', NR.sendto, fd, this.buf('sendbuf', 4096), s, 0, 0, 0);
    const [a, n] = this.text('sendbuf', s);
    return this.libc('send', NR.sendto, fd, a, n, 0, 0, 0);
  }

  recv(fd: number, n = 16384): UOp {
    return this.libc('recv', NR.recvfrom, fd, this.buf('recvbuf', 16384), n, 0, 0, 0);
  }

  /** Reads until the connection closes or `want` bytes arrived; returns the total. */
  *recvAll(fd: number, want: number): Gen {
    let got = 0;
    while (got < want) {
      const n = yield this.recv(fd, 16384);
      if (n <= 0) break;
      got += n;
    }
    return got;
  }

  /** getaddrinfo: a DNS query over UDP to the resolver (skipped for /etc/hosts names). */
  *resolve(name: string, ip: number, fromHosts = false): Gen {
    const n = this.str(name);
    const sym = libcSym('getaddrinfo');
    this.enter(sym, n, 0, 0, this.buf('ai', 8));
    const fd = yield this.sys(NR.openat, E.AT_FDCWD, this.str('/etc/hosts'), E.O_RDONLY | E.O_CLOEXEC);
    if (fd >= 0) {
      yield this.sys(NR.read, fd, this.buf('io', 4096), 4096);
      yield this.sys(NR.close, fd);
    }
    if (!fromHosts) {
      const s = yield this.t.sys(NR.socket, 2, 2 | 0x80000 | 0x800, 0);
      yield this.t.sys(NR.connect, s, this.sockaddr(0x0a000002, 53, 'dns'), SOCKADDR_BYTES);
      yield this.t.sys(NR.sendto, s, this.buf('dnsq', 64), 40 + name.length, 0, 0, 0);
      yield this.t.sys(NR.recvfrom, s, this.buf('dnsr', 512), 512, 0, 0, 0);
      yield this.t.sys(NR.close, s);
    }
    this.leave(sym, 0);
    return ip;
  }

  // ---- TLS (libssl) ----

  /** SSL_do_handshake on a connected socket: a few exchanges of handshake records. */
  *tlsHandshake(fd: number, client: boolean): Gen {
    const ssl = this.buf('ssl', 64);
    const sym = sslSym('SSL_do_handshake');
    this.enter(sym, ssl);
    const key = this.buf('pkey', 256);
    if (client) {
      yield this.sys(NR.write, fd, this.buf('tls', 4096), 517);
      yield this.sys(NR.read, fd, this.buf('tls', 4096), 4096);
      yield* this.crypto(sym, 'RSA_verify', 25_000 + this.rng.int(15_000), 1, 672, key, 32, key, 256);
      yield* this.crypto(sym, 'ossl_ecdh_compute_key', 45_000 + this.rng.int(20_000), 32, key, key, key);
      yield this.cpu(100_000 + this.rng.int(80_000));
      yield this.sys(NR.write, fd, this.buf('tls', 4096), 80);
    } else {
      yield this.sys(NR.read, fd, this.buf('tls', 4096), 4096);
      yield* this.crypto(sym, 'ossl_ecdh_compute_key', 45_000 + this.rng.int(20_000), 32, key, key, key);
      yield* this.crypto(sym, 'RSA_sign', 150_000 + this.rng.int(60_000), 1, 672, key, 32, key, key);
      yield this.cpu(60_000 + this.rng.int(60_000));
      yield this.sys(NR.write, fd, this.buf('tls', 4096), 4_200);
    }
    return this.leave(sym, 1);
  }

  /** A libcrypto function called from inside libssl's `outer`: its uprobes, and `ns` of CPU in it. */
  private *crypto(outer: string, fn: string, ns: number, ret: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0): Gen<void> {
    const sym = `${LIBCRYPTO}:${fn}`;
    const h = this.hooks(sym);
    const from = this.here.under(outer);
    const inside = from.under(sym);
    if (h.entry.on) this.k.uprobe(h, this.t, from.call(sym), a0, a1, a2, a3, a4);
    this.t.ustk = inside;
    yield this.t.cpuWork(ns);
    if (h.ret.on) this.k.uretprobe(h, this.t, inside, ret);
    this.t.ustk = from;
  }

  *sslWrite(fd: number, n: number, plain = ''): Gen {
    const ssl = this.buf('ssl', 64);
    const [buf] = plain ? this.text('ssl_plain', plain) : [this.buf('ssl_plain', 4096)];
    const sym = sslSym('SSL_write');
    this.enter(sym, ssl, buf, n);
    yield this.cpu(6_000 + n / 8);
    const r = yield this.sys(NR.write, fd, this.buf('tls', 4096), n + 29);
    return this.leave(sym, r > 0 ? n : -1);
  }

  *sslRead(fd: number, n = 16384): Gen {
    const ssl = this.buf('ssl', 64);
    const buf = this.buf('ssl_plain', 4096);
    const sym = sslSym('SSL_read');
    this.enter(sym, ssl, buf, n);
    const r = yield this.sys(NR.read, fd, this.buf('tls', 4096), n);
    if (r > 0) yield this.cpu(4_000 + r / 10);
    return this.leave(sym, r > 29 ? r - 29 : r > 0 ? r : -1);
  }

  exit(code: number): UOp {
    return this.libc('exit', NR.exit_group, code);
  }
}

/** Runs a program body with a fresh U bound to the task, starting at `base` frames. */
export function program(base: UStack, body: (u: U) => Gen): Program {
  return (t: Task): Prog => body(new U(t, base));
}

export { NR };
