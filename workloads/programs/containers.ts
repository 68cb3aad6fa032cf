// Containers and what goes wrong in them: containerd and its shims (Go runtimes polling
// and futex-waiting), and the suspicious processes a security tool should notice: a
// crypto miner (/tmp/.x, xmrig) burning CPU and talking to a mining pool, and the
// payload downloader it came from.
import * as E from '../errno';
import { NR, type Gen, type U } from '../user/libc';
import { ustack } from '../user/ustack';
import { register } from './registry';

const CONTAINERD = '/usr/bin/containerd';
const SHIM = '/usr/bin/containerd-shim-runc-v2';
const XMRIG = '/usr/local/bin/xmrig';

function* goRuntime(u: U, exe: string, work: number): Gen<number> {
  const sched = ustack(`${exe}:runtime.findRunnable`, `${exe}:runtime.schedule`, `${exe}:runtime.goexit`);
  const poll = ustack(`${exe}:runtime.netpoll`, `${exe}:runtime.findRunnable`, `${exe}:runtime.schedule`, `${exe}:runtime.goexit`);
  const ep = yield u.sys(NR.epoll_create1, E.O_CLOEXEC);
  for (;;) {
    u.at(poll);
    yield u.sys(NR.epoll_pwait, ep, u.buf('events', 1024), 128, 200 + u.rng.int(800), 0, 8);
    u.at(sched);
    yield u.sys(NR.futex, u.buf('m', 8), 1, 1, 0);
    if (u.rng.chance(0.2)) yield u.cpu(work * u.rng.lognormal(1, 0.6), ustack(`${exe}:runtime.mallocgc`, `${exe}:runtime.goexit`));
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
