// What simulated programs are written against: a small libc. Each call fires the uprobe
// and uretprobe of its libc symbol (with real argument values), sets the user stack, and
// issues the system call the real libc would (open -> openat, sleep -> clock_nanosleep).
// Programs are generators: `const fd = yield* u.open('/etc/passwd')`.
import { NR } from '../syscalls/index';
import type { UserHooks } from '../kernel/hook-table';
import type { Kernel } from '../kernel/kernel';
import type { Program, Prog, Task, UOp } from '../kernel/task';
import * as E from '../errno';
import { LIBC, LIBSSL } from './binary-table';
import { internString, userBuffer } from './process-maps';
import { UStack } from './ustack';

export type Gen<T = number> = Generator<UOp, T, number>;

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

  /** A libc function that makes one system call. */
  *libc(fn: string, nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, u0 = a0, u1 = a1, u2 = a2): Gen {
    const sym = `${LIBC}:${fn}`;
    this.enter(sym, u0, u1, u2, a3, a4, a5);
    const r = yield this.t.sys(nr, a0, a1, a2, a3, a4, a5);
    return this.leave(sym, r);
  }

  /** A raw system call (no libc frame). */
  *sys(nr: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0): Gen {
    return yield this.t.sys(nr, a0, a1, a2, a3, a4, a5);
  }

  /** CPU work in user mode (ns), at the current frames or `where`. */
  *cpu(ns: number, where?: UStack): Gen {
    if (where) this.at(where);
    if (ns > 200_000) this.t.faultDebt += Math.floor(ns / 400_000);
    return yield this.t.cpuWork(ns);
  }

  // ---- memory ----

  str(s: string): number {
    return internString(this.k.mem, this.t.proc, s);
  }

  buf(name: string, size: number): number {
    return userBuffer(this.t.proc, name, size);
  }

  /** Writes text into a named buffer (for data a program sends or writes); returns [addr, bytes]. */
  text(name: string, s: string): [number, number] {
    const bytes = new TextEncoder().encode(s);
    const addr = this.buf(name, Math.max(256, bytes.length));
    const lin = this.t.proc.user.translate(addr, Math.min(bytes.length, 4096));
    if (lin >= 0) this.k.mem.u8.set(bytes.subarray(0, 4096), lin);
    return [addr, bytes.length];
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
    const sym = `${LIBC}:malloc`;
    this.enter(sym, size);
    const p = this.t.proc;
    const addr = p.heapStart + ((this.t.rng.u32() & 0x3fff) << 4) + 0x4000;
    this.leave(sym, addr);
    void p;
    return addr;
  }

  free(ptr: number): void {
    const sym = `${LIBC}:free`;
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

  *open(path: string, flags = E.O_RDONLY, mode = 0o644): Gen {
    const p = this.str(path);
    const sym = `${LIBC}:${flags & E.O_CREAT ? 'open64' : 'open'}`;
    this.enter(sym, p, flags, mode);
    const r = yield this.t.sys(NR.openat, E.AT_FDCWD, p, flags, mode);
    return this.leave(sym, r);
  }

  *read(fd: number, buf: number, n: number): Gen {
    return yield* this.libc('read', NR.read, fd, buf, n);
  }

  *pread(fd: number, buf: number, n: number, off: number): Gen {
    return yield* this.libc('pread64', NR.pread64, fd, buf, n, off);
  }

  *write(fd: number, buf: number, n: number): Gen {
    return yield* this.libc('write', NR.write, fd, buf, n);
  }

  *pwrite(fd: number, buf: number, n: number, off: number): Gen {
    return yield* this.libc('pwrite64', NR.pwrite64, fd, buf, n, off);
  }

  /** Writes a string (its bytes land in a buffer named after the fd). */
  *print(fd: number, s: string): Gen {
    const [addr, n] = this.text(`out${fd}`, s);
    return yield* this.write(fd, addr, n);
  }

  *close(fd: number): Gen {
    return yield* this.libc('close', NR.close, fd);
  }

  *stat(path: string): Gen {
    const p = this.str(path);
    return yield* this.libc('stat', NR.newfstatat, E.AT_FDCWD, p, this.buf('stat', 144), 0, 0, 0, p, this.buf('stat', 144));
  }

  *lstat(path: string): Gen {
    const p = this.str(path);
    return yield* this.sys(NR.newfstatat, E.AT_FDCWD, p, this.buf('stat', 144), E.AT_SYMLINK_NOFOLLOW);
  }

  *fstat(fd: number): Gen {
    return yield* this.libc('fstat', NR.newfstatat, fd, this.str(''), this.buf('stat', 144), E.AT_EMPTY_PATH, 0, 0, fd, this.buf('stat', 144));
  }

  *access(path: string, mode = 4): Gen {
    return yield* this.sys(NR.access, this.str(path), mode);
  }

  *unlink(path: string): Gen {
    const p = this.str(path);
    return yield* this.libc('unlink', NR.unlink, p);
  }

  *rename(from: string, to: string): Gen {
    return yield* this.libc('rename', NR.rename, this.str(from), this.str(to));
  }

  *mkdir(path: string, mode = 0o755): Gen {
    return yield* this.sys(NR.mkdir, this.str(path), mode);
  }

  *fsync(fd: number): Gen {
    return yield* this.libc('fsync', NR.fsync, fd);
  }

  *fdatasync(fd: number): Gen {
    return yield* this.libc('fdatasync', NR.fdatasync, fd);
  }

  *lseek(fd: number, off: number, whence = 0): Gen {
    return yield* this.sys(NR.lseek, fd, off, whence);
  }

  /** Reads a whole file in `chunk`-byte reads; returns bytes read or -errno from open. */
  *slurp(path: string, chunk = 4096, cpuPerKb = 0): Gen {
    const fd = yield* this.open(path);
    if (fd < 0) return fd;
    yield* this.fstat(fd);
    const b = this.buf('io', chunk);
    let total = 0;
    for (;;) {
      const n = yield* this.read(fd, b, chunk);
      if (n <= 0) break;
      total += n;
      if (cpuPerKb) yield* this.cpu((n / 1024) * cpuPerKb);
    }
    yield* this.close(fd);
    return total;
  }

  /** Appends a line to a file (open O_APPEND, write, close). */
  *appendLine(path: string, line: string): Gen {
    const fd = yield* this.open(path, E.O_WRONLY | E.O_APPEND | E.O_CREAT | E.O_CLOEXEC, 0o640);
    if (fd < 0) return fd;
    yield* this.print(fd, line.endsWith('\n') ? line : line + '\n');
    return yield* this.close(fd);
  }

  *getdents(fd: number): Gen {
    return yield* this.libc('getdents64', NR.getdents64, fd, this.buf('dents', 32768), 32768);
  }

  *pipe(): Gen<[number, number]> {
    const a = this.buf('pipefds', 8);
    yield* this.sys(NR.pipe2, a, E.O_CLOEXEC);
    const lin = this.t.proc.user.translate(a, 8);
    return [this.k.mem.readI32(lin), this.k.mem.readI32(lin + 4)];
  }

  *dup2(a: number, b: number): Gen {
    return yield* this.sys(NR.dup2, a, b);
  }

  // ---- time ----

  /** Sleeps `ns` through clock_nanosleep (as glibc's nanosleep/sleep do). */
  *sleep(ns: number, fn = 'nanosleep'): Gen {
    const ts = this.buf('ts', 16);
    const lin = this.t.proc.user.translate(ts, 16);
    if (lin >= 0) {
      this.k.mem.writeNum64(lin, Math.floor(ns / 1e9));
      this.k.mem.writeNum64(lin + 8, Math.floor(ns % 1e9));
    }
    const sym = `${LIBC}:${fn}`;
    this.enter(sym, fn === 'sleep' ? Math.floor(ns / 1e9) : fn === 'usleep' ? Math.floor(ns / 1e3) : ts, fn === 'nanosleep' ? 0 : 0);
    const r = yield this.t.sys(NR.clock_nanosleep, 0, 0, ts, 0);
    return this.leave(sym, r === 0 ? 0 : -1);
  }

  /** nanosleep(2) itself, for programs that call it directly. */
  *nanosleep(ns: number): Gen {
    const ts = this.buf('ts', 16);
    const lin = this.t.proc.user.translate(ts, 16);
    if (lin >= 0) {
      this.k.mem.writeNum64(lin, Math.floor(ns / 1e9));
      this.k.mem.writeNum64(lin + 8, Math.floor(ns % 1e9));
    }
    return yield* this.sys(NR.nanosleep, ts, 0);
  }

  // ---- processes ----

  /** fork(): the child runs `child`. Returns the child's pid. */
  *fork(child: Program, fn = 'fork'): Gen {
    const sym = `${LIBC}:${fn}`;
    this.enter(sym);
    const op = this.t.sys(NR.clone, 0x1200011, 0, 0, 0, 0);
    op.child = child;
    const r = yield op;
    return this.leave(sym, r);
  }

  /** pthread_create: a thread running `body`. */
  *thread(body: Program): Gen {
    const sym = `${LIBC}:pthread_create`;
    this.enter(sym, this.buf('tid', 8), 0, 0x7f0000001000, 0);
    const op = this.t.sys(NR.clone3, this.cloneArgs(0x3d0f00), 88);
    op.child = body;
    const r = yield op;
    return this.leave(sym, r > 0 ? 0 : r);
  }

  private cloneArgs(flags: number): number {
    const a = this.buf('clone_args', 88);
    const lin = this.t.proc.user.translate(a, 88);
    if (lin >= 0) this.k.mem.writeNum64(lin, flags);
    return a;
  }

  /** execve(path, argv): on success this never returns to the caller's program. */
  *exec(path: string, argv: readonly string[], env: readonly string[] = ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8']): Gen {
    const p = this.str(path);
    const a = this.strArray('argv', argv);
    const e = this.strArray('envp', env);
    const sym = `${LIBC}:execve`;
    this.enter(sym, p, a, e);
    const r = yield this.t.sys(NR.execve, p, a, e);
    return this.leave(sym, r);
  }

  /** waitpid: the child's wait status, or -errno. */
  *wait(pid = -1): Gen<{ pid: number; status: number }> {
    const st = this.buf('wstatus', 4);
    const sym = `${LIBC}:waitpid`;
    this.enter(sym, pid, st, 0);
    const r = yield this.t.sys(NR.wait4, pid, st, 0, 0);
    this.leave(sym, r);
    const lin = this.t.proc.user.translate(st, 4);
    return { pid: r, status: r > 0 && lin >= 0 ? this.k.mem.readU32(lin) : 0 };
  }

  *kill(pid: number, sig: number): Gen {
    return yield* this.libc('kill', NR.kill, pid, sig);
  }

  /** Installs a handler for `sig` (rt_sigaction with a non-default handler). */
  *handle(sig: number, onSignal?: (sig: number) => void): Gen {
    const act = this.buf('sigaction', 152);
    const lin = this.t.proc.user.translate(act, 8);
    if (lin >= 0) this.k.mem.writeNum64(lin, (this.t.proc.bases.get(this.t.proc.exe?.path ?? '') ?? 0x555555554000) + 0x4100);
    if (onSignal) this.t.proc.data.onSignal = onSignal;
    return yield* this.libc('sigaction', NR.rt_sigaction, sig, act, 0, 8);
  }

  *ignore(sig: number): Gen {
    const act = this.buf('sigaction_ign', 152);
    const lin = this.t.proc.user.translate(act, 8);
    if (lin >= 0) this.k.mem.writeNum64(lin, 1);
    return yield* this.sys(NR.rt_sigaction, sig, act, 0, 8);
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

  *socket(family = 2, type = 1, proto = 0): Gen {
    return yield* this.libc('socket', NR.socket, family, type | 0x80000, proto);
  }

  *connect(fd: number, ip: number, port: number): Gen {
    const a = this.sockaddr(ip, port);
    return yield* this.libc('connect', NR.connect, fd, a, SOCKADDR_BYTES);
  }

  *connectUnix(fd: number, path: string): Gen {
    return yield* this.libc('connect', NR.connect, fd, this.unixAddr(path), 110);
  }

  *bindListen(fd: number, ip: number, port: number, backlog = 511): Gen {
    const a = this.sockaddr(ip, port, 'bindaddr');
    const r = yield* this.libc('bind', NR.bind, fd, a, SOCKADDR_BYTES);
    if (r < 0) return r;
    return yield* this.libc('listen', NR.listen, fd, backlog);
  }

  *accept(fd: number): Gen {
    const a = this.buf('peer', SOCKADDR_BYTES);
    const l = this.buf('peerlen', 4);
    return yield* this.libc('accept4', NR.accept4, fd, a, l, 0x80000);
  }

  *send(fd: number, s: string | number): Gen {
    if (typeof s === 'number') return yield* this.libc('send', NR.sendto, fd, this.buf('sendbuf', 4096), s, 0, 0, 0);
    const [a, n] = this.text('sendbuf', s);
    return yield* this.libc('send', NR.sendto, fd, a, n, 0, 0, 0);
  }

  *recv(fd: number, n = 16384): Gen {
    return yield* this.libc('recv', NR.recvfrom, fd, this.buf('recvbuf', 16384), n, 0, 0, 0);
  }

  /** Reads until the connection closes or `want` bytes arrived; returns the total. */
  *recvAll(fd: number, want: number): Gen {
    let got = 0;
    while (got < want) {
      const n = yield* this.recv(fd, 16384);
      if (n <= 0) break;
      got += n;
    }
    return got;
  }

  /** getaddrinfo: a DNS query over UDP to the resolver (skipped for /etc/hosts names). */
  *resolve(name: string, ip: number, fromHosts = false): Gen {
    const n = this.str(name);
    const sym = `${LIBC}:getaddrinfo`;
    this.enter(sym, n, 0, 0, this.buf('ai', 8));
    const fd = yield* this.sys(NR.openat, E.AT_FDCWD, this.str('/etc/hosts'), E.O_RDONLY | E.O_CLOEXEC);
    if (fd >= 0) {
      yield* this.sys(NR.read, fd, this.buf('io', 4096), 4096);
      yield* this.sys(NR.close, fd);
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
    const sym = `${LIBSSL}:SSL_do_handshake`;
    this.enter(sym, ssl);
    if (client) {
      yield* this.sys(NR.write, fd, this.buf('tls', 4096), 517);
      yield* this.sys(NR.read, fd, this.buf('tls', 4096), 4096);
      yield* this.cpu(180_000 + this.rng.int(120_000));
      yield* this.sys(NR.write, fd, this.buf('tls', 4096), 80);
    } else {
      yield* this.sys(NR.read, fd, this.buf('tls', 4096), 4096);
      yield* this.cpu(260_000 + this.rng.int(120_000));
      yield* this.sys(NR.write, fd, this.buf('tls', 4096), 4_200);
    }
    return this.leave(sym, 1);
  }

  *sslWrite(fd: number, n: number, plain = ''): Gen {
    const ssl = this.buf('ssl', 64);
    const [buf] = plain ? this.text('ssl_plain', plain) : [this.buf('ssl_plain', 4096)];
    const sym = `${LIBSSL}:SSL_write`;
    this.enter(sym, ssl, buf, n);
    yield* this.cpu(6_000 + n / 8);
    const r = yield* this.sys(NR.write, fd, this.buf('tls', 4096), n + 29);
    return this.leave(sym, r > 0 ? n : -1);
  }

  *sslRead(fd: number, n = 16384): Gen {
    const ssl = this.buf('ssl', 64);
    const buf = this.buf('ssl_plain', 4096);
    const sym = `${LIBSSL}:SSL_read`;
    this.enter(sym, ssl, buf, n);
    const r = yield* this.sys(NR.read, fd, this.buf('tls', 4096), n);
    if (r > 0) yield* this.cpu(4_000 + r / 10);
    return this.leave(sym, r > 29 ? r - 29 : r > 0 ? r : -1);
  }

  *exit(code: number): Gen {
    const sym = `${LIBC}:exit`;
    this.enter(sym, code);
    return yield this.t.sys(NR.exit_group, code);
  }
}

/** Runs a program body with a fresh U bound to the task, starting at `base` frames. */
export function program(base: UStack, body: (u: U) => Gen): Program {
  return (t: Task): Prog => body(new U(t, base));
}

export { NR };
