// Containers and what goes wrong in them: containerd and its shims (Go runtimes polling
// and futex-waiting), and the suspicious processes a security tool should notice: a
// crypto miner (/tmp/.x, xmrig) burning CPU and talking to a mining pool, and the
// payload downloader it came from.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { NR, U, type Gen } from '../user/libc';
import { ustack } from '../user/ustack';
import { register } from './registry';

const CONTAINERD = '/usr/bin/containerd';
const SHIM = '/usr/bin/containerd-shim-runc-v2';
const XMRIG = '/usr/local/bin/xmrig';

/** Go's clone flags for a new M: CLONE_VM|FS|FILES|SIGHAND|SYSVSEM|THREAD, no libc involved. */
const GO_CLONE_FLAGS = 0x50f00;
const SIGURG = 23;

/** One M (an OS thread of a Go runtime): parks on its futex, wakes to run goroutines. */
function* goM(t: Task, exe: string, work: number): Gen<number> {
  const u = new U(t, ustack(`${exe}:runtime.mstart`));
  const park = ustack(`${exe}:runtime.futex`, `${exe}:runtime.findRunnable`, `${exe}:runtime.schedule`, `${exe}:runtime.mstart`);
  const run = ustack(`${exe}:runtime.mallocgc`, `${exe}:runtime.schedule`, `${exe}:runtime.mstart`);
  yield u.sys(NR.sigaltstack, u.buf('altstack', 24), 0);
  yield u.sys(NR.gettid);
  for (;;) {
    u.at(park);
    yield u.sys(NR.futex, u.buf(`m${t.pid}`, 8), 128, 0, u.timespec(20e6 + u.rng.int(400e6)), 0, 0);
    if (u.rng.chance(0.4)) yield u.cpu(work * u.rng.lognormal(1, 0.6), run);
  }
}

function* goRuntime(u: U, exe: string, work: number): Gen<number> {
  const sched = ustack(`${exe}:runtime.findRunnable`, `${exe}:runtime.schedule`, `${exe}:runtime.goexit`);
  const poll = ustack(`${exe}:runtime.netpoll`, `${exe}:runtime.findRunnable`, `${exe}:runtime.schedule`, `${exe}:runtime.goexit`);
  const preempt = ustack(`${exe}:runtime.signalM`, `${exe}:runtime.preemptM`, `${exe}:runtime.sysmon`, `${exe}:runtime.mstart`);
  // The runtime handles every signal (SIGURG is its preemption signal), then starts its Ms
  // with raw clone() calls: threads threadsnoop (pthread_create) does not see.
  yield u.handle(SIGURG);
  const ms: number[] = [];
  u.at(ustack(`${exe}:runtime.mstart`, `${exe}:runtime.main`));
  for (let i = 0; i < 3; i++) {
    const o = u.sys(NR.clone, GO_CLONE_FLAGS, u.buf(`gstack${i}`, 64), 0, 0, 0, 0);
    o.child = (t: Task) => goM(t, exe, work);
    const tid = yield o;
    if (tid > 0) ms.push(tid);
  }
  const ep = yield u.sys(NR.epoll_create1, E.O_CLOEXEC);
  for (;;) {
    u.at(poll);
    yield u.sys(NR.epoll_pwait, ep, u.buf('events', 1024), 128, 200 + u.rng.int(800), 0, 8);
    u.at(sched);
    yield u.sys(NR.futex, u.buf('m', 8), 1, 1, 0);
    if (u.rng.chance(0.2)) yield u.cpu(work * u.rng.lognormal(1, 0.6), ustack(`${exe}:runtime.mallocgc`, `${exe}:runtime.goexit`));
    // sysmon: a goroutine ran too long on an M; preempt it with SIGURG (tgkill).
    if (ms.length && u.rng.chance(0.25)) {
      u.at(preempt);
      yield u.sys(NR.tgkill, u.t.tgid, ms[u.rng.int(ms.length)], SIGURG);
    }
  }
}

/** The miner: a connection to the pool, then long CPU bursts in the hash function. */
function* miner(u: U): Gen<number> {
  const exe = u.t.proc.exe?.path ?? XMRIG;
  const hash = exe === XMRIG ? ustack(`${XMRIG}:randomx_calculate_hash`, `${XMRIG}:xmrig_worker_start`, `${XMRIG}:main`) : u.here;
  const pool = yield u.socket();
  yield u.connect(pool, 0x91ef0926, 3333);
  yield u.send(pool, '{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx"}}');
  for (let i = 0; ; i++) {
    yield u.cpu(45e6 * u.rng.lognormal(1, 0.1), hash);
    if (i % 8 === 0) {
      yield u.send(pool, '{"method":"submit"}');
      yield u.recv(pool);
    }
  }
}

register([CONTAINERD], (u) => goRuntime(u, CONTAINERD, 400_000));
register([SHIM], (u) => goRuntime(u, SHIM, 80_000));
register([XMRIG, '/tmp/.x'], (u) => miner(u));
