// System call semantics, checked by small programs running in a booted kernel: results and
// errors (ENOENT, EACCES, EEXIST, ECONNREFUSED, ...), file data, pipes, processes, signals,
// sleeps and sockets.
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../workloads/kernel/boot';
import { resolveProgram } from '../../workloads/programs/index';
import { missingSyscalls, NR } from '../../workloads/syscalls/index';
import { program, U, type Gen } from '../../workloads/user/libc';
import { ustack } from '../../workloads/user/ustack';
import * as E from '../../workloads/errno';

const BASE = ustack('/usr/bin/python3.12:main');

/** Runs `body` as a process (uid given) in a fresh kernel and returns what it returned. */
function run<T>(uid: number, body: (u: U) => Gen<T>, ns = 2e9): T {
  const k = bootKernel({ seed: 3, cpus: 2, resolver: resolveProgram });
  let out: { v: T } | null = null;
  k.s.procs.spawn({
    path: '/usr/bin/python3.12',
    argv: ['python3', 't.py'],
    uid,
    gid: uid,
    cwd: uid === 0 ? '/root' : '/home/alice',
    program: program(BASE, function* (u) {
      out = { v: yield* body(u) };
      return 0;
    }),
  });
  const end = k.now + ns;
  while (!out && k.now < end) k.runFor(10e6);
  if (!out) throw new Error('program did not finish');
  return (out as { v: T }).v;
}

describe('system calls', () => {
  it('implements every call of the syscall table', () => {
    expect(missingSyscalls()).toEqual([]);
  });

  const OPENS: [what: string, uid: number, path: string, flags: number, expected: number | 'fd'][] = [
    ['a readable file', 1000, '/etc/passwd', E.O_RDONLY, 'fd'],
    ['a missing file', 1000, '/etc/nope', E.O_RDONLY, -E.ENOENT],
    ['shadow as a user', 1000, '/etc/shadow', E.O_RDONLY, -E.EACCES],
    ['shadow as root', 0, '/etc/shadow', E.O_RDONLY, 'fd'],
    ['a directory for writing', 1000, '/tmp', E.O_WRONLY, -E.EISDIR],
    ['under a file', 1000, '/etc/passwd/x', E.O_RDONLY, -E.ENOTDIR],
    ["root's home as a user", 1000, '/root/.bashrc', E.O_RDONLY, -E.EACCES],
    ['a new file in /tmp', 1000, '/tmp/new.txt', E.O_WRONLY | E.O_CREAT, 'fd'],
    ['a new file in /etc as a user', 1000, '/etc/new.conf', E.O_WRONLY | E.O_CREAT, -E.EACCES],
    ['O_EXCL on an existing file', 0, '/etc/hosts', E.O_WRONLY | E.O_CREAT | E.O_EXCL, -E.EEXIST],
    ['through the /lib symlink', 1000, '/lib/x86_64-linux-gnu/libc.so.6', E.O_RDONLY, 'fd'],
    ['a /proc file', 1000, '/proc/loadavg', E.O_RDONLY, 'fd'],
  ];
  it.each(OPENS)('openat %s', (_what, uid, path, flags, expected) => {
    const r = run<number>(uid, function* (u) {
      return yield u.open(path, flags, 0o644);
    });
    if (expected === 'fd') expect(r).toBeGreaterThanOrEqual(3);
    else expect(r).toBe(expected);
  });

  it('reads file content into the user buffer and never more than asked', () => {
    const r = run(1000, function* (u) {
      const fd = yield u.open('/etc/hostname');
      const buf = u.buf('b', 64);
      const n = yield u.read(fd, buf, 3);
      const lin = u.t.proc.user.translate(buf, 3);
      const text = u.k.mem.readCString(lin, 3);
      const rest = yield u.read(fd, buf, 64);
      const eof = yield u.read(fd, buf, 64);
      return { n, text, rest, eof };
    });
    expect(r).toEqual({ n: 3, text: 'web', rest: 4, eof: 0 });
  });

  it('writes, stats, renames and unlinks', () => {
    const r = run(1000, function* (u) {
      const fd = yield u.open('/tmp/a.txt', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o600);
      const w = yield u.print(fd, 'hello world\n');
      yield u.close(fd);
      const st = yield u.stat('/tmp/a.txt');
      const size = u.k.mem.readU32(u.t.proc.user.translate(u.buf('stat', 144), 144) + 48);
      const mv = yield u.rename('/tmp/a.txt', '/tmp/b.txt');
      const gone = yield u.stat('/tmp/a.txt');
      const rm = yield u.unlink('/tmp/b.txt');
      const again = yield u.unlink('/tmp/b.txt');
      return { w, st, size, mv, gone, rm, again };
    });
    expect(r).toEqual({ w: 12, st: 0, size: 12, mv: 0, gone: -E.ENOENT, rm: 0, again: -E.ENOENT });
  });

  it('passes data through a pipe and reports EOF when the writer closes', () => {
    const r = run(1000, function* (u) {
      const [rd, wr] = yield* u.pipe();
      yield u.print(wr, 'abc');
      yield u.close(wr);
      const buf = u.buf('p', 16);
      const n = yield u.read(rd, buf, 16);
      const text = u.k.mem.readCString(u.t.proc.user.translate(buf, 3), 3);
      const eof = yield u.read(rd, buf, 16);
      return { n, text, eof };
    });
    expect(r).toEqual({ n: 3, text: 'abc', eof: 0 });
  });

  it('forks, execs and reaps with the exit status', () => {
    const r = run(1000, function* (u) {
      u.t.proc.reaps = true;
      const ok = yield u.fork(function* (t) {
        const c = new U(t, BASE);
        yield c.exec('/usr/bin/true', ['true']);
        return yield c.exit(99);
      });
      const a = yield* u.wait(ok);
      const bad = yield u.fork(function* (t) {
        const c = new U(t, BASE);
        yield c.exec('/usr/bin/false', ['false']);
        return yield c.exit(99);
      });
      const b = yield* u.wait(bad);
      const none = yield* u.wait(-1);
      return { a: a.status >> 8, b: b.status >> 8, none: none.pid };
    });
    expect(r).toEqual({ a: 0, b: 1, none: -E.ECHILD });
  });

  it('kills a sleeping child with SIGTERM and reports the signal in the status', () => {
    const r = run(1000, function* (u) {
      u.t.proc.reaps = true;
      const pid = yield u.fork(function* (t) {
        const c = new U(t, BASE);
        yield c.sleep(60e9);
        return yield c.exit(0);
      });
      yield u.sleep(1e6);
      const k = yield u.kill(pid, 15);
      const w = yield* u.wait(pid);
      const eperm = yield u.kill(1, 9);
      return { k, status: w.status, eperm };
    });
    expect(r).toEqual({ k: 0, status: 15, eperm: -E.EPERM });
  });

  it('sleeps for the requested time', () => {
    const r = run(1000, function* (u) {
      const t0 = u.k.now;
      yield u.sleep(250e6);
      return u.k.now - t0;
    });
    expect(r).toBeGreaterThanOrEqual(250e6);
    expect(r).toBeLessThan(251e6);
  });

  const CONNECTS: [what: string, ip: number, port: number, expected: number][] = [
    ['an HTTPS server', 0x5db8d822, 443, 0],
    ['a refusing host', 0x0a00000b, 9200, -E.ECONNREFUSED],
    ['a host that never answers', 0x0a000063, 80, -E.ETIMEDOUT],
    ['a closed local port', 0x7f000001, 9999, -E.ECONNREFUSED],
  ];
  it.each(CONNECTS)('connect to %s', (_what, ip, port, expected) => {
    const r = run<number>(
      1000,
      function* (u) {
        const fd = yield u.socket();
        return yield u.connect(fd, ip, port);
      },
      30e9,
    );
    expect(r).toBe(expected);
  });

  it('binds privileged ports only with CAP_NET_BIND_SERVICE', () => {
    const bind = (uid: number) =>
      run(uid, function* (u) {
        const fd = yield u.socket();
        return yield* u.bindListen(fd, 0, 80);
      });
    expect(bind(1000)).toBe(-E.EACCES);
    expect(bind(0)).toBe(0);
  });

  it('exchanges data over loopback TCP between two processes', () => {
    const r = run(1000, function* (u) {
      u.t.proc.reaps = true;
      const ls = yield u.socket();
      yield* u.bindListen(ls, 0, 8088);
      yield u.fork(function* (t) {
        const c = new U(t, BASE);
        const fd = yield c.socket();
        yield c.connect(fd, 0x7f000001, 8088);
        yield c.send(fd, 'ping');
        const back = yield c.recv(fd, 64);
        return yield c.exit(back);
      });
      const conn = yield u.accept(ls);
      const got = yield u.recv(conn, 64);
      yield u.send(conn, 'pong!');
      const w = yield* u.wait(-1);
      return { conn: conn >= 0, got, child: w.status >> 8 };
    });
    expect(r).toEqual({ conn: true, got: 4, child: 5 });
  });

  it('refuses bpf() and mount without the capabilities', () => {
    const r = run(1000, function* (u) {
      return [yield u.sys(NR.bpf, 0, 0, 0), yield u.sys(NR.mount, 0, 0, 0, 0, 0)];
    });
    expect(r).toEqual([-E.EPERM, -E.EPERM]);
  });
});
