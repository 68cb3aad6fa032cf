// Application services: a Python web application (gunicorn-style: a master and worker
// processes accepting on port 8080, each request running Python frames, querying
// PostgreSQL over a pooled connection, sometimes calling an internal API over TLS, and
// logging), redis (a single-threaded event loop with a periodic background save), and a
// batch job that grows until its cgroup's memory limit stops it.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { LIBC, LIBPYTHON, PYSSL } from '../user/binary-table';
import { NR, U, type Gen } from '../user/libc';
import { ustack, type UStack } from '../user/ustack';
import { register } from './registry';
import { ThreadPool } from './threads';

const PY = '/usr/bin/python3.12';
const REDIS = '/usr/bin/redis-server';
const LOOP = 0x7f000001;

function py(...fns: string[]): UStack {
  return ustack(...fns.map((f) => `${LIBPYTHON}:${f}`), `${LIBPYTHON}:PyRun_SimpleFileExFlags`, `${LIBPYTHON}:Py_RunMain`, `${LIBPYTHON}:Py_BytesMain`, `${PY}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
}

/** A method of the ssl module's SSLSocket (`fn` in _ssl), called from Python code. */
function pySsl(fn: string): UStack {
  return ustack(`${PYSSL}:${fn}`, ...['_PyObject_MakeTpCall', '_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', 'PyObject_Call', '_PyEval_EvalFrameDefault', 'PyRun_SimpleFileExFlags', 'Py_RunMain', 'Py_BytesMain'].map((f) => `${LIBPYTHON}:${f}`), `${PY}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
}

const P = {
  eval: py('_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', 'PyObject_Call', '_PyEval_EvalFrameDefault'),
  alloc: py('PyObject_Malloc', '_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', 'PyObject_Call', '_PyEval_EvalFrameDefault'),
  json: py('PyDict_SetItem', '_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', '_PyEval_EvalFrameDefault'),
  gc: py('gc_collect_main', '_PyObject_MakeTpCall', '_PyEval_EvalFrameDefault'),
  import: py('PyImport_ImportModuleLevelObject', '_PyEval_EvalFrameDefault'),
  arbiter: py('_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', '_PyEval_EvalFrameDefault'),
  recycle: py('_PyObject_MakeTpCall', '_PyEval_EvalFrameDefault', '_PyFunction_Vectorcall', '_PyEval_EvalFrameDefault'),
};

const SIGTERM = 15;

function* appWorker(t: Task, ls: number): Gen<number> {
  const u = new U(t, P.eval);
  let db = -1;
  let api = -1;
  // A graceful stop on SIGTERM (the master recycling the worker): finish, then exit.
  let stopping = false;
  yield u.handle(SIGTERM, () => (stopping = true));
  const log = yield u.open('/var/log/app/app.log', E.O_WRONLY | E.O_APPEND | E.O_CREAT, 0o644);
  // Log records are written by a QueueHandler's thread pool, off the request path.
  const logPool = new ThreadPool('app_log', `${LIBPYTHON}:thread_run`);
  yield* logPool.start(u, 2);
  for (;;) {
    u.at(P.eval);
    if (stopping) {
      yield u.close(ls);
      return yield u.exit(0);
    }
    const c = yield u.accept(ls);
    if (c < 0) continue;
    while (!stopping) {
      const n = yield u.recv(c, 8192);
      if (n <= 0) break;
      yield u.cpu(600_000 + u.rng.lognormal(1_800_000, 0.8), P.eval);
      if (u.rng.chance(0.3)) yield u.cpu(80_000, P.alloc);
      // database query over a pooled connection
      if (db < 0) {
        db = yield u.socket();
        if ((yield u.connect(db, LOOP, 5432)) < 0) {
          yield u.close(db);
          db = -1;
        }
      }
      const queries = 1 + u.rng.int(3);
      for (let i = 0; db >= 0 && i < queries; i++) {
        yield u.send(db, 'Q SELECT * FROM orders WHERE id = 1');
        const r = yield u.recv(db, 8192);
        if (r <= 0) {
          yield u.close(db);
          db = -1;
        }
      }
      // Occasionally an internal API call over TLS.
      if (u.rng.chance(0.15)) {
        if (api < 0) {
          api = yield u.socket();
          const r = yield u.connect(api, 0x0a00000a, 443);
          if (r < 0) {
            yield u.close(api);
            api = -1;
          } else {
            u.at(pySsl('_ssl__SSLSocket_do_handshake'));
            yield* u.tlsHandshake(api, true);
          }
        }
        if (api >= 0) {
          u.at(pySsl('_ssl__SSLSocket_write'));
          yield* u.sslWrite(api, 380, 'GET /v1/inventory HTTP/1.1\r\nHost: api.internal\r\n\r\n');
          u.at(pySsl('_ssl__SSLSocket_read'));
          const r = yield* u.sslRead(api);
          if (r < 0) {
            yield u.close(api);
            api = -1;
          }
        }
      }
      yield u.cpu(150_000 + u.rng.int(250_000), P.json);
      if (u.rng.chance(0.02)) yield u.cpu(4_000_000, P.gc);
      yield u.send(c, 1200 + u.rng.int(6000));
      if (log >= 0) {
        const line = `INFO request handled in ${1 + u.rng.int(40)}ms\n`;
        yield* logPool.submit(u, function* (tu: U): Gen<void> {
          tu.at(py('PyThread_acquire_lock_timed', '_PyEval_EvalFrameDefault'));
          yield tu.print(log, line);
        });
      }
    }
    yield u.close(c);
  }
}

function* appMaster(u: U): Gen<number> {
  u.at(P.import);
  for (const m of ['os', 'json', 'socket', 'ssl', 'psycopg2', 'flask', 'werkzeug', 'jinja2']) {
    yield u.stat(`/usr/lib/python3.12/${m}`);
    yield u.open(`/usr/lib/python3.12/__pycache__/${m}.cpython-312.pyc`, E.O_RDONLY | E.O_CLOEXEC);
  }
  yield u.cpu(40_000_000, P.import);
  const ls = yield u.socket();
  yield* u.bindListen(ls, 0, 8080, 128);
  u.t.proc.reaps = true;
  const workers: number[] = [];
  const n = Number(u.t.proc.data.workers ?? 3);
  for (let i = 0; i < n; i++) workers.push(yield u.fork((t) => appWorker(t, ls)));
  // The arbiter: wakes every second, reaps and replaces workers that ended, and recycles
  // the oldest worker every so often (max_requests) with SIGTERM.
  let recycleAt = u.k.now + u.rng.lognormal(6e9, 0.4);
  for (;;) {
    u.at(P.arbiter);
    yield u.sleep(1e9, 'nanosleep');
    for (;;) {
      const r = yield u.sys(NR.wait4, -1, u.buf('wstatus', 4), 1 /* WNOHANG */, 0);
      if (r <= 0) break;
      const i = workers.indexOf(r);
      if (i >= 0) workers.splice(i, 1);
      workers.push(yield u.fork((t) => appWorker(t, ls)));
    }
    if (u.k.now >= recycleAt && workers.length) {
      recycleAt = u.k.now + u.rng.lognormal(6e9, 0.4);
      u.at(P.recycle);
      yield u.kill(workers[0], SIGTERM);
    }
  }
}

function rs(...fns: string[]): UStack {
  return ustack(...fns.map((f) => `${REDIS}:${f}`), `${REDIS}:aeMain`, `${REDIS}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
}

function* redis(u: U): Gen<number> {
  const ls = yield u.socket(2, 1 | E.O_NONBLOCK);
  yield* u.bindListen(ls, 0, 6379, 511);
  const ep = yield u.sys(NR.epoll_create1, E.O_CLOEXEC);
  yield u.sys(NR.epoll_ctl, ep, 1, ls, u.buf('ev', 12));
  const clients: number[] = [];
  let lastSave = u.k.now;
  u.t.proc.reaps = true;
  for (;;) {
    u.at(rs('aeProcessEvents'));
    yield u.libc('epoll_wait', NR.epoll_wait, ep, u.buf('events', 1024), 64, 100);
    for (;;) {
      const c = yield u.libc('accept4', NR.accept4, ls, 0, 0, E.O_NONBLOCK | E.O_CLOEXEC);
      if (c < 0) break;
      clients.push(c);
      yield u.sys(NR.epoll_ctl, ep, 1, c, u.buf('ev', 12));
    }
    for (const c of [...clients]) {
      u.at(rs('readQueryFromClient', 'aeProcessEvents'));
      const n = yield u.libc('read', NR.read, c, u.buf('query', 16384), 16384);
      if (n === 0 || (n < 0 && n !== -E.EAGAIN)) {
        yield u.close(c);
        clients.splice(clients.indexOf(c), 1);
        continue;
      }
      if (n < 0) continue;
      yield* u.fn(`${REDIS}:processCommand`, [u.buf('client', 512)], function* (): Gen<number> {
        yield u.cpu(3_000 + u.rng.int(8_000), rs('lookupKeyRead', 'call', 'processCommand', 'processInputBuffer', 'readQueryFromClient', 'aeProcessEvents'));
        return 0;
      });
      yield u.libc('write', NR.write, c, u.buf('reply', 4096), 40 + u.rng.int(900));
    }
    if (u.k.now - lastSave > 30e9) {
      lastSave = u.k.now;
      u.at(rs('rdbSaveBackground', 'serverCron', 'aeProcessEvents'));
      yield u.fork(function* (t) {
        const c = new U(t, rs('rdbSaveBackground', 'serverCron'));
        const fd = yield c.open('/var/lib/redis/temp-dump.rdb', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o660);
        for (let i = 0; i < 64; i++) yield c.write(fd, c.buf('rdb', 32768), 32768 * 4);
        yield c.fsync(fd);
        yield c.close(fd);
        yield c.rename('/var/lib/redis/temp-dump.rdb', '/var/lib/redis/dump.rdb');
        return yield c.exit(0);
      });
      yield u.sys(NR.wait4, -1, 0, 1, 0);
    }
  }
}

/** A batch job that keeps all it reads in memory: 24 MiB more every few tens of ms, until something stops it. */
function* etlJob(u: U): Gen<number> {
  yield u.cpu(30_000_000, P.import);
  for (;;) {
    u.at(P.alloc);
    u.malloc(24 << 20);
    yield u.sys(NR.mmap, 0, 24 << 20, 3, 0x22, -1, 0);
    u.at(P.json);
    yield u.cpu(20_000_000 + u.rng.int(30_000_000));
  }
}

register([PY], function* (u, argv) {
  if (argv.some((a) => a.includes('app'))) return yield* appMaster(u);
  if (argv.some((a) => a.includes('etl'))) return yield* etlJob(u);
  // python3 -c / scripts: import, compute, exit
  yield u.cpu(30_000_000, P.import);
  yield u.cpu(20_000_000 + u.rng.int(80_000_000), P.eval);
  return 0;
});
register([REDIS], (u) => redis(u));
