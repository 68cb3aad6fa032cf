// nginx: a root master that reads its configuration, binds ports 80 and 443, opens its
// logs and forks workers that drop to www-data; workers run an epoll event loop over the
// listening sockets and client connections: accept4, read the request, serve a static
// file (open, fstat, sendfile) or proxy /api/ to the application on 127.0.0.1:8080, TLS
// on port 443 through libssl, append to the access log, keep connections alive.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { LIBC, LIBSSL } from '../user/binary-table';
import { NR, U, type Gen } from '../user/libc';
import { ustack, type UStack } from '../user/ustack';
import { register } from './registry';
import { exeStack } from './startup';
import { ThreadPool } from './threads';

const NGINX = '/usr/sbin/nginx';
const LOCAL = 0x0a000005;
const LOOP = 0x7f000001;

function st(...fns: string[]): UStack {
  return ustack(...fns.map((f) => `${NGINX}:${f}`), `${NGINX}:ngx_worker_process_cycle`, `${NGINX}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
}

const S = {
  loop: st('ngx_epoll_process_events', 'ngx_process_events_and_timers'),
  accept: st('ngx_event_accept', 'ngx_epoll_process_events', 'ngx_process_events_and_timers'),
  read: st('ngx_http_wait_request_handler', 'ngx_epoll_process_events', 'ngx_process_events_and_timers'),
  line: st('ngx_http_process_request_line', 'ngx_http_wait_request_handler', 'ngx_epoll_process_events', 'ngx_process_events_and_timers'),
  handler: st('ngx_http_core_content_phase', 'ngx_http_core_run_phases', 'ngx_http_handler', 'ngx_http_process_request', 'ngx_http_process_request_headers', 'ngx_http_process_request_line', 'ngx_http_wait_request_handler', 'ngx_epoll_process_events'),
  static: st('ngx_open_cached_file', 'ngx_http_static_handler', 'ngx_http_core_content_phase', 'ngx_http_core_run_phases', 'ngx_http_handler', 'ngx_http_process_request'),
  send: st('ngx_linux_sendfile_chain', 'ngx_http_output_filter', 'ngx_http_send_header', 'ngx_http_static_handler', 'ngx_http_core_content_phase', 'ngx_http_handler', 'ngx_http_process_request'),
  proxy: st('ngx_http_upstream_init', 'ngx_http_proxy_handler', 'ngx_http_core_content_phase', 'ngx_http_core_run_phases', 'ngx_http_handler', 'ngx_http_process_request'),
  log: st('ngx_http_log_handler', 'ngx_http_finalize_request', 'ngx_http_process_request'),
  ssl: st('ngx_ssl_handshake', 'ngx_http_init_connection', 'ngx_event_accept', 'ngx_epoll_process_events'),
  master: ustack(`${NGINX}:ngx_master_process_cycle`, `${NGINX}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`),
};

const STATIC_PATHS = ['index.html', 'about.html', 'pricing.html', 'css/site.css', 'js/app.js', 'js/vendor.js', 'img/hero.jpg', 'img/logo.svg', 'favicon.ico', 'docs/index.html', 'docs/api.html', 'img/screenshot-1.png', 'robots.txt', 'missing.html', 'downloads/app-1.4.2.tar.gz'];
/** What clients ask for: static paths with falling popularity, and the API. */
const REQUESTS: readonly (readonly [string, number])[] = STATIC_PATHS.map((p, i) => [p, 40 / (i + 1)] as const).concat([['api', 30]]);

interface Conn {
  fd: number;
  tls: boolean;
  handshaken: boolean;
  requests: number;
}

/** Files at least this big are read by the worker's thread pool (`aio threads`). */
const THREAD_READ_BYTES = 200_000;

function* worker(t: Task, listeners: number[], tlsFd: number): Gen<number> {
  const u = new U(t, S.loop);
  u.k.s.procs.setTitle(u.t, 'nginx: worker process');
  // drop privileges
  yield u.sys(NR.setgid, 33);
  yield u.sys(NR.setuid, 33);
  // thread_pool default threads=2: the threads that read big files off the event loop.
  const pool = new ThreadPool('ngx_default', `${NGINX}:ngx_thread_pool_cycle`);
  u.at(ustack(`${NGINX}:ngx_thread_pool_init_worker`, `${NGINX}:ngx_worker_process_cycle`, `${NGINX}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`));
  yield* pool.start(u, 2);
  const ep = yield u.sys(NR.epoll_create1, E.O_CLOEXEC);
  for (const l of listeners) yield u.sys(NR.epoll_ctl, ep, 1, l, u.buf('ev', 12));
  const conns = new Map<number, Conn>();
  const access = yield u.open('/var/log/nginx/access.log', E.O_WRONLY | E.O_APPEND | E.O_CREAT, 0o640);
  let upstream = -1;
  for (;;) {
    u.at(S.loop);
    const n = yield u.libc('epoll_wait', NR.epoll_wait, ep, u.buf('events', 512 * 12), 512, 60_000);
    if (n <= 0) continue;
    // Which descriptors are ready: check listeners (accept until EAGAIN) then connections.
    for (const l of listeners) {
      for (let i = 0; i < 16; i++) {
        u.at(S.accept);
        const c = yield u.libc('accept4', NR.accept4, l, u.buf('peer', 16), u.buf('peerlen', 4), E.O_NONBLOCK | E.O_CLOEXEC);
        if (c < 0) break;
        yield u.sys(NR.epoll_ctl, ep, 1, c, u.buf('ev', 12));
        conns.set(c, { fd: c, tls: l === tlsFd, handshaken: false, requests: 0 });
      }
    }
    for (const c of [...conns.values()]) {
      const f = u.k.s.vfs.fdGet(u.t.proc, c.fd);
      if (!f || !u.k.s.net.readable(f.sock as import('../net/sock').Sock)) continue;
      if (c.tls && !c.handshaken) {
        u.at(S.ssl);
        yield* u.tlsHandshake(c.fd, false);
        c.handshaken = true;
        continue;
      }
      u.at(S.read);
      const got = c.tls ? yield* u.sslRead(c.fd) : yield u.libc('recv', NR.recvfrom, c.fd, u.buf('req', 8192), 8192, 0, 0, 0);
      if (got === 0 || (got < 0 && got !== -E.EAGAIN)) {
        yield u.close(c.fd);
        conns.delete(c.fd);
        continue;
      }
      if (got < 0) continue;
      c.requests++;
      const path = u.rng.weighted(REQUESTS);
      const r = u.malloc(1248);
      const [uri] = u.text('uri', `/${path}`);
      yield* u.fn(`${NGINX}:ngx_http_process_request`, [r], function* (): Gen<void> {
        u.at(S.line);
        yield u.cpu(12_000 + u.rng.int(20_000));
        yield* u.fn(`${NGINX}:ngx_http_handler`, [r], function* (): Gen<void> {
          u.at(S.handler);
          let status = 200;
          let bytes = 0;
          if (path === 'api') {
            u.at(S.proxy);
            yield* u.fn(`${NGINX}:ngx_http_proxy_handler`, [r], function* (): Gen<number> {
              if (upstream < 0) {
                upstream = yield u.socket();
                const cr = yield u.connect(upstream, LOOP, 8080);
                if (cr < 0) {
                  yield u.close(upstream);
                  upstream = -1;
                  status = 502;
                  return 502;
                }
              }
              yield u.send(upstream, 'GET /api/orders HTTP/1.1\r\nHost: app\r\n\r\n');
              const resp = yield u.recv(upstream);
              if (resp <= 0) {
                yield u.close(upstream);
                upstream = -1;
                status = 502;
              }
              bytes = Math.max(0, resp);
              return status;
            });
          } else {
            yield* u.fn(`${NGINX}:ngx_http_static_handler`, [r], function* (): Gen<number> {
              u.at(S.static);
              const fd = yield u.open(`/var/www/html/${path}`, E.O_RDONLY | E.O_NONBLOCK | E.O_CLOEXEC);
              if (fd < 0) {
                status = 404;
                return 404;
              }
              yield u.fstat(fd);
              const size = u.k.s.vfs.fdGet(u.t.proc, fd)?.node?.size ?? 0;
              if (size >= THREAD_READ_BYTES) {
                // The first chunk is read in the pool (ngx_thread_read_handler), off the event loop.
                yield* pool.submit(u, function* (tu: U): Gen<void> {
                  tu.at(ustack(`${NGINX}:ngx_thread_read_handler`, `${NGINX}:ngx_thread_pool_cycle`, `${LIBC}:start_thread`));
                  const tfd = yield tu.open(`/var/www/html/${path}`, E.O_RDONLY | E.O_CLOEXEC);
                  if (tfd < 0) return;
                  yield tu.pread(tfd, tu.buf('thread_read', 32768), 32768, 0);
                  yield tu.close(tfd);
                });
              }
              u.at(S.send);
              if (c.tls) {
                for (let off = 0; off < Math.min(size, 262144); off += 16384) {
                  yield u.read(fd, u.buf('file', 16384), 16384);
                  yield* u.sslWrite(c.fd, Math.min(16384, size - off));
                }
              } else {
                yield u.libc('writev', NR.writev, c.fd, u.buf('iov', 32), 1);
                yield u.sys(NR.sendfile, c.fd, fd, 0, Math.min(size, 2_097_152));
              }
              bytes = size;
              yield u.close(fd);
              return 0;
            });
          }
          if (!c.tls && path === 'api' && status === 200) yield u.libc('write', NR.write, c.fd, u.buf('resp', 4096), Math.max(200, bytes));
          if (c.tls && path === 'api') yield* u.sslWrite(c.fd, Math.max(200, bytes));
          u.at(S.log);
          if (access >= 0) yield u.print(access, `10.0.1.${u.rng.int(20)} - - "GET /${path} HTTP/1.1" ${status} ${bytes}\n`);
        });
      });
      void uri;
      u.free(r);
    }
  }
}

function* master(u: U): Gen<number> {
  u.at(S.master);
  yield* u.slurp('/etc/nginx/nginx.conf');
  yield* u.slurp('/etc/nginx/mime.types');
  yield* u.slurp('/etc/nginx/sites-enabled/default');
  yield* u.slurp('/etc/ssl/certs/ca-certificates.crt', 65536);
  yield u.open('/var/log/nginx/error.log', E.O_WRONLY | E.O_APPEND | E.O_CREAT, 0o640);
  const l80 = yield u.socket(2, 1 | E.O_NONBLOCK);
  yield* u.bindListen(l80, 0, 80, 511);
  const l443 = yield u.socket(2, 1 | E.O_NONBLOCK);
  yield* u.bindListen(l443, 0, 443, 511);
  const f = yield u.open('/run/nginx.pid', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
  yield u.print(f, `${u.t.tgid}\n`);
  yield u.close(f);
  u.t.proc.reaps = true;
  const n = Math.max(1, Number(u.t.proc.data.workers ?? 2));
  const current = new Set<number>();
  const spawn = function* (): Gen<void> {
    for (let i = current.size; i < n; i++) current.add(yield u.fork((t) => worker(t, [l80, l443], l443)));
  };
  // SIGHUP (nginx -s reload): read the configuration again, start new workers, and ask
  // the old ones to quit.
  let reload = false;
  yield u.handle(SIGHUP, () => (reload = true));
  yield* spawn();
  for (;;) {
    u.at(S.master);
    const r = yield* u.wait(-1);
    if (reload) {
      reload = false;
      yield* u.slurp('/etc/nginx/nginx.conf');
      yield* u.slurp('/etc/nginx/sites-enabled/default');
      const old = [...current];
      current.clear();
      yield* spawn();
      for (const pid of old) yield u.kill(pid, SIGQUIT);
    }
    if (r.pid > 0 && current.delete(r.pid)) yield* spawn();
  }
}

/** `nginx -s reload|reopen|stop|quit`: signals the running master named by its pid file. */
function* signalMaster(u: U, action: string): Gen<number> {
  u.at(exeStack(NGINX, 'main'));
  yield* u.slurp('/etc/nginx/nginx.conf');
  const fd = yield u.open('/run/nginx.pid', E.O_RDONLY);
  if (fd < 0) {
    yield u.print(2, 'nginx: [error] open() "/run/nginx.pid" failed (2: No such file or directory)\n');
    return 1;
  }
  yield u.read(fd, u.buf('pid', 32), 32);
  yield u.close(fd);
  // The pid the file holds: the master of this machine (or container).
  let pid = 0;
  for (const t of u.k.tasks.values()) {
    if (t === t.leader && !t.exitState && t.proc.exe?.path === NGINX && t.proc.container.pidNsLin === u.t.proc.container.pidNsLin && t.proc.argv[0]?.startsWith('nginx: master')) pid = t.pid;
  }
  const sig = { reload: SIGHUP, reopen: SIGUSR1, stop: SIGTERM, quit: SIGQUIT }[action] ?? SIGHUP;
  yield u.kill(pid, sig);
  return 0;
}

const SIGHUP = 1;
const SIGQUIT = 3;
const SIGUSR1 = 10;
const SIGTERM = 15;

register([NGINX], (u, argv) => {
  const s = argv.indexOf('-s');
  return s >= 0 ? signalMaster(u, argv[s + 1] ?? 'reload') : master(u);
});
export { LIBSSL };
