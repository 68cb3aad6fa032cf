// Command-line utilities with the system-call patterns of their GNU/procps originals:
// ls, cat, grep, head, tail, wc, echo, date, id/whoami, uname/hostname, sleep, ps, find,
// cp, mv, rm, mkdir, touch, dd, env, chmod, sort, sed, awk, true/false, logger, run-parts.
import * as E from '../errno';
import { LIBC } from '../user/binary-table';
import type { Gen, U } from '../user/libc';
import { NR } from '../user/libc';
import { exeStack } from './startup';
import { register } from './registry';

const err = (u: U, s: string) => u.print(2, s);

/** NSS lookups of user and group names: nsswitch.conf, then /etc/passwd and /etc/group. */
function* nss(u: U, group = true): Gen<void> {
  yield* u.slurp('/etc/nsswitch.conf');
  yield* u.slurp('/etc/passwd');
  if (group) yield* u.slurp('/etc/group');
}

/** Locale files a program looks for at start (most do not exist). */
function* locale(u: U): Gen<void> {
  yield u.open('/usr/lib/locale/C.utf8/LC_CTYPE', E.O_RDONLY | E.O_CLOEXEC);
  yield u.open('/usr/share/locale/locale.alias', E.O_RDONLY | E.O_CLOEXEC);
}

function flagsOf(argv: readonly string[]): { flags: string; args: string[] } {
  let flags = '';
  const args: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) flags += a.replace(/^-+/, '');
    else args.push(a);
  }
  return { flags, args };
}

function* ls(u: U, argv: readonly string[]): Gen<number> {
  const LS = '/usr/bin/ls';
  const { flags, args } = flagsOf(argv);
  const long = flags.includes('l');
  yield* locale(u);
  yield u.sys(NR.ioctl, 1, 0x5401, u.buf('termios', 64));
  if (long) yield* u.slurp('/etc/localtime');
  let status = 0;
  for (const dir of args.length ? args : ['.']) {
    u.at(exeStack(LS, 'print_dir'));
    yield u.stat(dir);
    const fd = yield u.open(dir, E.O_RDONLY | E.O_NONBLOCK | E.O_CLOEXEC | E.O_DIRECTORY);
    if (fd === -E.ENOTDIR) {
      yield u.print(1, `${dir}\n`);
      continue;
    }
    if (fd < 0) {
      yield err(u, `ls: cannot ${fd === -E.EACCES ? 'open directory' : 'access'} '${dir}': ${fd === -E.EACCES ? 'Permission denied' : 'No such file or directory'}\n`);
      status = 2;
      continue;
    }
    yield u.fstat(fd);
    let entries = 0;
    for (;;) {
      const n = yield u.getdents(fd);
      if (n <= 0) break;
      entries += Math.max(1, Math.floor(n / 32));
    }
    yield u.close(fd);
    u.at(exeStack(LS, 'gobble_file', 'print_dir'));
    if (long) {
      const count = Math.min(entries, 40);
      for (let i = 0; i < count; i++) yield u.lstat(`${dir}/${i}`);
      yield* nss(u);
    }
    yield u.cpu(40_000 + entries * 3_000, exeStack(LS, 'sort_files', 'print_dir'));
    u.at(exeStack(LS, 'print_current_files', 'print_dir'));
    yield u.print(1, `total ${entries * 4}\n`.repeat(long ? 1 : 0) + 'bin  notes.txt  project\n');
  }
  return status;
}

function* cat(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  u.at(exeStack('/usr/bin/cat', 'simple_cat'));
  let status = 0;
  for (const f of args.length ? args : ['-']) {
    const fd = f === '-' ? 0 : yield u.open(f);
    if (fd < 0) {
      yield err(u, `cat: ${f}: ${fd === -E.EACCES ? 'Permission denied' : fd === -E.EISDIR ? 'Is a directory' : 'No such file or directory'}\n`);
      status = 1;
      continue;
    }
    yield u.fstat(fd);
    const b = u.buf('catbuf', 131072);
    for (;;) {
      const n = yield u.read(fd, b, 131072);
      if (n <= 0) {
        if (n === -E.EISDIR) {
          yield err(u, `cat: ${f}: Is a directory\n`);
          status = 1;
        }
        break;
      }
      yield u.write(1, b, n);
    }
    if (fd > 2) yield u.close(fd);
  }
  return status;
}

function* grep(u: U, argv: readonly string[]): Gen<number> {
  const { flags, args } = flagsOf(argv);
  const [pattern, ...files] = args;
  if (pattern === undefined) {
    yield err(u, 'Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  yield* locale(u);
  u.at(exeStack('/usr/bin/grep', 'grepfile'));
  let matched = false;
  let status = 1;
  for (const f of files.length ? files : ['-']) {
    const fd = f === '-' ? 0 : yield u.open(f, E.O_RDONLY | E.O_NOCTTY);
    if (fd < 0) {
      yield err(u, `grep: ${f}: ${fd === -E.EACCES ? 'Permission denied' : 'No such file or directory'}\n`);
      status = 2;
      continue;
    }
    yield u.fstat(fd);
    const b = u.buf('grepbuf', 98304);
    for (;;) {
      u.at(exeStack('/usr/bin/grep', 'fillbuf', 'grep', 'grepdesc', 'grepfile'));
      const n = yield u.read(fd, b, 98304);
      if (n <= 0) break;
      yield u.cpu(2_000 + n * 1.5, exeStack('/usr/bin/grep', 'EGexecute', 'execute', 'grep', 'grepdesc', 'grepfile'));
      if (u.rng.chance(0.6)) {
        matched = true;
        yield u.print(1, `${flags.includes('c') ? '3' : pattern}\n`);
      }
    }
    if (fd > 2) yield u.close(fd);
  }
  return status === 2 ? 2 : matched ? 0 : 1;
}

function* headTail(u: U, argv: readonly string[], tail: boolean): Gen<number> {
  const { flags, args } = flagsOf(argv);
  const exe = tail ? '/usr/bin/tail' : '/usr/bin/head';
  u.at(exeStack(exe, tail ? 'tail_file' : 'head_file'));
  const follow = tail && flags.includes('f');
  for (const f of args.filter((a) => !/^\d+$/.test(a))) {
    const fd = yield u.open(f);
    if (fd < 0) {
      yield err(u, `${tail ? 'tail' : 'head'}: cannot open '${f}' for reading: No such file or directory\n`);
      return 1;
    }
    yield u.fstat(fd);
    if (tail) yield u.lseek(fd, -8192, 2);
    const n = yield u.read(fd, u.buf('hbuf', 8192), 8192);
    if (n > 0) yield u.write(1, u.buf('hbuf', 8192), Math.min(n, 1024));
    if (follow) {
      for (let i = 0; i < 10_000; i++) {
        yield u.sleep(1e9);
        yield u.fstat(fd);
        const m = yield u.read(fd, u.buf('hbuf', 8192), 8192);
        if (m > 0) yield u.write(1, u.buf('hbuf', 8192), m);
      }
    }
    yield u.close(fd);
  }
  return 0;
}

function* wc(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  u.at(exeStack('/usr/bin/wc', 'wc_file'));
  let total = 0;
  for (const f of args.length ? args : ['-']) {
    const n = f === '-' ? yield u.read(0, u.buf('io', 16384), 16384) : yield* u.slurp(f, 16384, 800);
    if (n < 0) {
      yield err(u, `wc: ${f}: No such file or directory\n`);
      return 1;
    }
    total += n;
  }
  yield u.print(1, `${Math.ceil(total / 42)} ${Math.ceil(total / 6)} ${total}\n`);
  return 0;
}

function* echo(u: U, argv: readonly string[]): Gen<number> {
  yield u.print(1, `${argv.slice(1).join(' ')}\n`);
  return 0;
}

function* date(u: U): Gen<number> {
  yield* locale(u);
  yield* u.slurp('/etc/localtime');
  yield u.sys(NR.clock_gettime, 0, u.buf('ts', 16));
  const d = new Date(Number(u.k.nowWall() / 1_000_000n));
  yield u.print(1, `${d.toUTCString()}\n`);
  return 0;
}

function* id(u: U, argv: readonly string[]): Gen<number> {
  const uid = yield u.sys(NR.getuid);
  yield u.sys(NR.geteuid);
  const gid = yield u.sys(NR.getgid);
  yield* nss(u);
  const name = uid === 0 ? 'root' : uid === 1000 ? 'alice' : uid === 33 ? 'www-data' : `u${uid}`;
  yield u.print(1, argv[0].endsWith('whoami') ? `${name}\n` : `uid=${uid}(${name}) gid=${gid}(${name}) groups=${gid}(${name})\n`);
  return 0;
}

function* uname(u: U, argv: readonly string[]): Gen<number> {
  yield u.sys(NR.uname, u.buf('uts', 390));
  const lin = u.t.proc.user.translate(u.buf('uts', 390), 390);
  const host = lin >= 0 ? u.k.mem.readCString(lin + 65, 65) : '';
  yield u.print(1, argv[0].endsWith('hostname') ? `${host}\n` : argv.includes('-a') ? `Linux ${host} ${u.k.s.procs.release} #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n` : 'Linux\n');
  return 0;
}

function* sleepCmd(u: U, argv: readonly string[]): Gen<number> {
  const arg = argv[1] ?? '1';
  const m = /^(\d*\.?\d+)([smhd]?)$/.exec(arg);
  if (!m) {
    yield err(u, `sleep: invalid time interval '${arg}'\n`);
    return 1;
  }
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  u.at(exeStack('/usr/bin/sleep', 'xnanosleep'));
  yield u.sleep(Number(m[1]) * mult * 1e9, 'clock_nanosleep');
  return 0;
}

function* ps(u: U): Gen<number> {
  u.at(exeStack('/usr/bin/ps', 'readproc', 'simple_spew'));
  yield* nss(u, false);
  const dir = yield u.open('/proc', E.O_RDONLY | E.O_DIRECTORY | E.O_CLOEXEC);
  if (dir >= 0) {
    yield u.getdents(dir);
    yield u.getdents(dir);
    yield u.close(dir);
  }
  const pids = [...u.k.tasks.keys()].filter((p) => p > 0).slice(0, 60);
  for (const pid of pids) {
    for (const f of ['stat', 'status', 'cmdline']) {
      const fd = yield u.open(`/proc/${pid}/${f}`, E.O_RDONLY | E.O_CLOEXEC);
      if (fd < 0) continue;
      yield u.read(fd, u.buf('io', 4096), 4096);
      yield u.close(fd);
    }
  }
  yield u.cpu(300_000 + pids.length * 8_000, exeStack('/usr/bin/ps', 'show_one_proc', 'simple_spew'));
  yield u.print(1, 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
  return 0;
}

function* find(u: U, argv: readonly string[]): Gen<number> {
  const root = argv[1] && !argv[1].startsWith('-') ? argv[1] : '.';
  u.at(exeStack('/usr/bin/find', 'fts_read', 'find'));
  const vfs = u.k.s.vfs;
  const start = vfs.lookupAsRoot(root.startsWith('/') ? root : `${(u.t.proc.cwd as { path(): string } | null)?.path() ?? '/'}/${root}`);
  let visited = 0;
  const walk = function* (path: string, depth: number): Gen<void> {
    if (visited > 400 || depth > 6) return;
    const fd = yield u.open(path, E.O_RDONLY | E.O_NONBLOCK | E.O_DIRECTORY | E.O_CLOEXEC | E.O_NOFOLLOW);
    if (fd < 0) {
      if (fd === -E.EACCES) yield err(u, `find: '${path}': Permission denied\n`);
      return;
    }
    yield u.fstat(fd);
    yield u.getdents(fd);
    yield u.close(fd);
    const node = vfs.lookupAsRoot(path);
    for (const c of node?.children?.values() ?? []) {
      visited++;
      const p = `${path === '/' ? '' : path}/${c.name}`;
      yield u.sys(NR.newfstatat, -100, u.str(p), u.buf('stat', 144), E.AT_SYMLINK_NOFOLLOW);
      if (c.isDir() && !c.mounted) yield* walk(p, depth + 1);
      else if (u.rng.chance(0.05)) yield u.print(1, `${p}\n`);
    }
  };
  if (!start) {
    yield err(u, `find: '${root}': No such file or directory\n`);
    return 1;
  }
  yield* walk(start.path(), 0);
  return 0;
}

function* cp(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  const [src, dst] = args;
  u.at(exeStack('/usr/bin/cp', 'copy_reg', 'copy_internal', 'copy'));
  yield u.stat(dst ?? '.');
  const a = yield u.open(src ?? '', E.O_RDONLY);
  if (a < 0) {
    yield err(u, `cp: cannot stat '${src}': No such file or directory\n`);
    return 1;
  }
  yield u.fstat(a);
  const b = yield u.open(dst ?? '/tmp/cp.out', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
  if (b < 0) {
    yield err(u, `cp: cannot create regular file '${dst}': Permission denied\n`);
    yield u.close(a);
    return 1;
  }
  const buf = u.buf('cpbuf', 131072);
  for (;;) {
    u.at(exeStack('/usr/bin/cp', 'sparse_copy', 'copy_reg', 'copy_internal', 'copy'));
    const n = yield u.read(a, buf, 131072);
    if (n <= 0) break;
    yield u.write(b, buf, n);
  }
  yield u.close(b);
  yield u.close(a);
  return 0;
}

function* rm(u: U, argv: readonly string[]): Gen<number> {
  const { flags, args } = flagsOf(argv);
  u.at(exeStack('/usr/bin/rm', 'excise', 'rm_fts', 'rm'));
  let status = 0;
  for (const f of args) {
    yield u.lstat(f);
    let r = yield u.sys(NR.unlinkat, -100, u.str(f), 0);
    if (r === -E.EISDIR && flags.includes('r')) r = yield u.sys(NR.unlinkat, -100, u.str(f), E.AT_REMOVEDIR);
    if (r < 0 && !flags.includes('f')) {
      yield err(u, `rm: cannot remove '${f}': ${r === -E.EACCES ? 'Permission denied' : r === -E.EISDIR ? 'Is a directory' : 'No such file or directory'}\n`);
      status = 1;
    }
  }
  return status;
}

function* mkdir(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  for (const d of args) {
    const r = yield u.mkdir(d);
    if (r < 0 && r !== -E.EEXIST) return 1;
  }
  return 0;
}

function* touch(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  for (const f of args) {
    const fd = yield u.open(f, E.O_WRONLY | E.O_CREAT | E.O_NOCTTY | E.O_NONBLOCK, 0o666);
    if (fd < 0) {
      yield err(u, `touch: cannot touch '${f}': Permission denied\n`);
      return 1;
    }
    yield u.close(fd);
  }
  return 0;
}

function* mv(u: U, argv: readonly string[]): Gen<number> {
  const { args } = flagsOf(argv);
  const r = yield u.rename(args[0] ?? '', args[1] ?? '');
  if (r < 0) {
    yield err(u, `mv: cannot move '${args[0]}': ${r === -E.ENOENT ? 'No such file or directory' : 'Permission denied'}\n`);
    return 1;
  }
  return 0;
}

/** dd if=IN of=OUT bs=SIZE count=N [oflag=direct|sync|dsync] [conv=fsync] */
function* dd(u: U, argv: readonly string[]): Gen<number> {
  const opt: Record<string, string> = {};
  for (const a of argv.slice(1)) {
    const i = a.indexOf('=');
    if (i > 0) opt[a.slice(0, i)] = a.slice(i + 1);
  }
  const size = (s: string | undefined, d: number): number => {
    if (!s) return d;
    const m = /^(\d+)([kKMG]?)$/.exec(s);
    if (!m) return d;
    return Number(m[1]) * ({ '': 1, k: 1024, K: 1024, M: 1 << 20, G: 1 << 30 }[m[2] as '' | 'k' | 'K' | 'M' | 'G'] ?? 1);
  };
  const bs = Math.min(size(opt.bs, 512), 4 << 20);
  const count = Number(opt.count ?? 64);
  u.at(exeStack('/usr/bin/dd', 'dd_copy'));
  const inp = opt.if ? yield u.open(opt.if, E.O_RDONLY) : 0;
  if (inp < 0) {
    yield err(u, `dd: failed to open '${opt.if}': No such file or directory\n`);
    return 1;
  }
  const oflags = (opt.oflag?.includes('sync') ? E.O_SYNC : 0) | (opt.oflag?.includes('dsync') ? E.O_DSYNC : 0) | (opt.oflag?.includes('direct') ? E.O_DIRECT : 0);
  const out = opt.of ? yield u.open(opt.of, E.O_WRONLY | E.O_CREAT | E.O_TRUNC | oflags, 0o644) : 1;
  if (out < 0) {
    yield err(u, `dd: failed to open '${opt.of}': Permission denied\n`);
    return 1;
  }
  const buf = u.buf('ddbuf', Math.min(bs, 32768));
  let total = 0;
  for (let i = 0; i < count; i++) {
    u.at(exeStack('/usr/bin/dd', 'iread', 'dd_copy'));
    const n = opt.if === '/dev/zero' || opt.if === '/dev/urandom' || !opt.if ? bs : yield u.read(inp, buf, bs);
    if (opt.if === '/dev/zero' || opt.if === '/dev/urandom') yield u.read(inp, buf, bs);
    if (n <= 0) break;
    u.at(exeStack('/usr/bin/dd', 'iwrite', 'write_output', 'dd_copy'));
    yield u.write(out, buf, n);
    total += n;
  }
  if (opt.conv?.includes('fsync') || opt.conv?.includes('fdatasync')) yield u.fsync(out);
  yield u.close(out);
  if (inp > 2) yield u.close(inp);
  yield u.print(2, `${Math.floor(total / bs)}+0 records in\n${Math.floor(total / bs)}+0 records out\n${total} bytes copied\n`);
  return 0;
}

function* env(u: U): Gen<number> {
  yield u.print(1, 'PATH=/usr/local/bin:/usr/bin:/bin\nLANG=C.UTF-8\n');
  return 0;
}

/**
 * The mode chmod sets: octal (`755`), or symbolic clauses (`+x`, `u+rwx,go-w`, `a=r`)
 * applied to the current mode; undefined for a mode it does not understand.
 */
export function chmodMode(spec: string, current: number, umask = 0o022): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const [, who, op, perms] = m;
    // No `who`: all, less the umask's bits (as chmod +x does).
    const mask = who === '' ? 0o7777 & ~umask : [...who].reduce((a, w) => a | { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 }[w as 'u' | 'g' | 'o' | 'a'], 0);
    let bits = 0;
    for (const p of perms) {
      if (p === 'r') bits |= 0o444;
      else if (p === 'w') bits |= 0o222;
      else if (p === 'x' || (p === 'X' && (current & 0o111 || (current & 0o170000) === 0o040000))) bits |= 0o111;
      else if (p === 's') bits |= 0o6000;
      else if (p === 't') bits |= 0o1000;
    }
    bits &= mask;
    if (op === '+') mode |= bits;
    else if (op === '-') mode &= ~bits;
    else mode = (mode & ~mask) | bits;
  }
  return mode;
}

function* chmod(u: U, argv: readonly string[]): Gen<number> {
  const spec = argv[1] ?? '';
  let status = 0;
  for (const f of argv.slice(2)) {
    // A symbolic mode needs the file's current mode first.
    let current = 0o644;
    if (!/^[0-7]+$/.test(spec)) {
      const st = yield u.stat(f);
      if (st < 0) {
        yield err(u, `chmod: cannot access '${f}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const lin = u.t.proc.user.translate(u.buf('stat', 144) + 24, 4);
      if (lin >= 0) current = u.k.mem.readU32(lin);
    }
    const mode = chmodMode(spec, current, u.t.proc.umask);
    if (mode === undefined) {
      yield err(u, `chmod: invalid mode: '${spec}'\n`);
      return 1;
    }
    const r = yield u.sys(NR.fchmodat, -100, u.str(f), mode);
    if (r < 0) {
      yield err(u, `chmod: changing permissions of '${f}': ${r === -E.EPERM ? 'Operation not permitted' : 'No such file or directory'}\n`);
      status = 1;
    }
  }
  return status;
}

function* filter(u: U, argv: readonly string[], name: string, nsPerByte: number): Gen<number> {
  const files = argv.slice(1).filter((a) => a.startsWith('/') || a.includes('.'));
  let total = 0;
  for (const f of files.length ? files : ['-']) {
    const n = f === '-' ? yield u.read(0, u.buf('io', 65536), 65536) : yield* u.slurp(f, 65536);
    if (n > 0) total += n;
  }
  yield u.cpu(50_000 + total * nsPerByte);
  yield u.print(1, `${name}: ${total}\n`);
  return 0;
}

function* logger(u: U, argv: readonly string[]): Gen<number> {
  const s = yield u.socket(1, 2);
  yield u.connectUnix(s, '/dev/log');
  yield u.send(s, `<13>${argv.slice(1).join(' ')}`);
  yield u.close(s);
  return 0;
}

function* runParts(u: U, argv: readonly string[]): Gen<number> {
  const dir = argv[argv.length - 1];
  const fd = yield u.open(dir, E.O_RDONLY | E.O_DIRECTORY);
  if (fd < 0) return 1;
  yield u.getdents(fd);
  yield u.close(fd);
  return 0;
}

register(['/usr/bin/ls'], ls);
register(['/usr/bin/cat'], cat);
register(['/usr/bin/grep'], grep);
register(['/usr/bin/head'], (u, a) => headTail(u, a, false));
register(['/usr/bin/tail'], (u, a) => headTail(u, a, true));
register(['/usr/bin/wc'], wc);
register(['/usr/bin/echo'], echo);
register(['/usr/bin/date'], date);
register(['/usr/bin/id', '/usr/bin/whoami'], id);
register(['/usr/bin/uname', '/usr/bin/hostname'], uname);
register(['/usr/bin/sleep'], sleepCmd);
register(['/usr/bin/ps'], ps);
register(['/usr/bin/find'], find);
register(['/usr/bin/cp'], cp);
register(['/usr/bin/rm'], rm);
register(['/usr/bin/mkdir'], mkdir);
register(['/usr/bin/touch'], touch);
register(['/usr/bin/mv'], mv);
register(['/usr/bin/dd'], dd);
register(['/usr/bin/env'], env);
register(['/usr/bin/chmod'], chmod);
register(['/usr/bin/sort'], (u, a) => filter(u, a, 'sort', 40));
register(['/usr/bin/sed'], (u, a) => filter(u, a, 'sed', 12));
register(['/usr/bin/awk'], (u, a) => filter(u, a, 'awk', 25));
register(['/usr/bin/true'], function* () {
  return 0;
});
register(['/usr/bin/false'], function* () {
  return 1;
});
register(['/usr/bin/logger'], logger);
register(['/usr/bin/run-parts'], runParts);

export { LIBC };
