// Tools that act on other processes and on mounts: kill (procps; bash's kill builtin goes
// through `sendSignal` too), timeout (coreutils: runs a command, sends it SIGTERM when the
// time is up) and mount (util-linux: the mount system call, refused without
// CAP_SYS_ADMIN). Signal names and numbers are Linux's x86-64 ones.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { NR, U, type Gen } from '../user/libc';
import { exeStack } from './startup';
import { register } from './registry';

/** Signal numbers by name (without the SIG prefix). */
export const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  URG: 23,
  WINCH: 28,
};

/** `-TERM`, `-SIGHUP`, `-9`, `-s HUP` style signal arguments; undefined when not a signal. */
export function parseSignal(text: string): number | undefined {
  const t = text.replace(/^-/, '').replace(/^SIG/, '').toUpperCase();
  if (/^\d+$/.test(t)) return Number(t) <= 64 ? Number(t) : undefined;
  return SIGNALS[t];
}

/**
 * kill's arguments: an optional signal (`-HUP`, `-s HUP`, `-9`) and targets (pids, or `%N`
 * jobs resolved by `job`). Returns the signal and the pids (NaN for a target that is not one).
 */
export function killArgs(args: readonly string[], job: (n: number) => number | undefined = () => undefined): { sig: number; pids: number[]; bad: string[] } {
  let sig = SIGNALS.TERM;
  const pids: number[] = [];
  const bad: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s' && args[i + 1] !== undefined) {
      sig = parseSignal(args[++i]) ?? sig;
    } else if (/^-[A-Za-z0-9]+$/.test(a) && pids.length === 0 && parseSignal(a) !== undefined) {
      sig = parseSignal(a)!;
    } else if (/^%\d+$/.test(a)) {
      const p = job(Number(a.slice(1)));
      if (p === undefined) bad.push(a);
      else pids.push(p);
    } else if (/^-?\d+$/.test(a)) pids.push(Number(a));
    else bad.push(a);
  }
  return { sig, pids, bad };
}

/** Sends `sig` to each pid through kill(2); returns the failures as kill reports them. */
export function* sendSignal(u: U, sig: number, pids: readonly number[], who: string): Gen<number> {
  let status = 0;
  for (const pid of pids) {
    const r = yield u.kill(pid, sig);
    if (r < 0) {
      status = 1;
      yield u.print(2, `${who}: (${pid}) - ${r === -E.ESRCH ? 'No such process' : 'Operation not permitted'}\n`);
    }
  }
  return status;
}

function* killCmd(u: U, argv: readonly string[]): Gen<number> {
  u.at(exeStack('/usr/bin/kill', 'kill_verbose'));
  const { sig, pids, bad } = killArgs(argv.slice(1));
  for (const b of bad) yield u.print(2, `kill: failed to parse argument: '${b}'\n`);
  if (pids.length === 0) return 1;
  return yield* sendSignal(u, sig, pids, 'kill');
}

/** `timeout [-s SIG] DURATION COMMAND...`: 124 when the command was timed out. */
function* timeout(u: U, argv: readonly string[]): Gen<number> {
  const args = argv.slice(1);
  let sig = SIGNALS.TERM;
  if (args[0] === '-s' && args[1] !== undefined) {
    sig = parseSignal(args[1]) ?? sig;
    args.splice(0, 2);
  }
  const m = /^(\d*\.?\d+)([smhd]?)$/.exec(args[0] ?? '');
  if (!m || args.length < 2) {
    yield u.print(2, "timeout: missing operand\nTry 'timeout --help' for more information.\n");
    return 125;
  }
  const limit = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'] * 1e9;
  const cmd = args.slice(1);
  const path = cmd[0].includes('/') ? cmd[0] : `/usr/bin/${cmd[0]}`;
  u.at(exeStack('/usr/bin/timeout', 'main'));
  u.t.proc.reaps = true;
  const child = yield u.fork(function* (t: Task) {
    const c = new U(t, exeStack('/usr/bin/timeout', 'main'));
    const r = yield c.exec(path, cmd);
    yield c.print(2, `timeout: failed to run command '${cmd[0]}': ${r === -E.EACCES ? 'Permission denied' : 'No such file or directory'}\n`);
    return yield c.exit(r === -E.EACCES ? 126 : 127);
  });
  if (child < 0) return 125;
  // The timer: poll the child in short sleeps until it ends or the time is up.
  const start = u.k.now;
  u.at(exeStack('/usr/bin/timeout', 'settimeout'));
  for (;;) {
    const r = yield u.sys(NR.wait4, child, u.buf('wstatus', 4), 1 /* WNOHANG */, 0);
    if (r === child) {
      const lin = u.t.proc.user.translate(u.buf('wstatus', 4), 4);
      const st = lin >= 0 ? u.k.mem.readU32(lin) : 0;
      return st & 0x7f ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
    }
    if (r < 0) return 125;
    if (u.k.now - start >= limit) break;
    yield u.sleep(Math.min(100e6, limit - (u.k.now - start)), 'nanosleep');
  }
  u.at(exeStack('/usr/bin/timeout', 'send_sig', 'cleanup'));
  yield u.kill(child, sig);
  yield* u.wait(child);
  return 124;
}

/** `mount [-t TYPE] SOURCE TARGET`: the mount system call (needs CAP_SYS_ADMIN). */
function* mount(u: U, argv: readonly string[]): Gen<number> {
  const args = argv.slice(1);
  let type = 'ext4';
  const t = args.indexOf('-t');
  if (t >= 0 && args[t + 1] !== undefined) {
    type = args[t + 1];
    args.splice(t, 2);
  }
  const [source, target] = args.filter((a) => !a.startsWith('-'));
  if (!source || !target) {
    yield u.print(2, 'mount: bad usage\n');
    return 1;
  }
  u.at(exeStack('/usr/bin/mount', 'mnt_context_mount'));
  yield* u.slurp('/proc/self/mountinfo');
  const r = yield u.sys(NR.mount, u.str(source), u.str(target), u.str(type), 0, 0);
  if (r === 0) return 0;
  u.at(exeStack('/usr/bin/mount', 'mk_exit_code'));
  yield u.print(2, r === -E.EPERM ? `mount: ${target}: permission denied.\n` : `mount: ${target}: ${source} already mounted or mount point busy.\n`);
  return 32;
}

register(['/usr/bin/kill'], killCmd);
register(['/usr/bin/timeout'], timeout);
register(['/usr/bin/mount', '/bin/mount'], mount);
