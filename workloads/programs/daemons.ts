// System daemons: systemd (pid 1: an event loop that reaps orphans, reads cgroup and /proc
// state, and restarts nothing in particular), systemd-journald (receives log lines and
// writes the journal with periodic fsync), cron (wakes every minute... compressed to
// every few seconds here, and runs jobs through /bin/sh -c), and sshd.
import * as E from '../errno';
import { LIBC } from '../user/binary-table';
import { NR, U, type Gen } from '../user/libc';
import { ustack } from '../user/ustack';
import { exeStack } from './startup';
import { register } from './registry';

const SYSTEMD = '/usr/lib/systemd/systemd';
const JOURNALD = '/usr/lib/systemd/systemd-journald';

function* systemd(u: U): Gen<number> {
  u.t.proc.reaps = true;
  const ep = yield u.sys(NR.epoll_create1, E.O_CLOEXEC);
  const loop = ustack(`${SYSTEMD}:sd_event_run`, `${SYSTEMD}:manager_loop`, `${SYSTEMD}:invoke_main_loop`, `${SYSTEMD}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
  for (;;) {
    u.at(loop);
    yield u.libc('epoll_wait', NR.epoll_wait, ep, u.buf('events', 512), 32, 2_000 + u.rng.int(4_000));
    // Reap any orphaned children that exited.
    const r = yield u.sys(NR.wait4, -1, 0, 1, 0);
    if (r > 0) continue;
    if (u.rng.chance(0.3)) {
      u.at(ustack(`${SYSTEMD}:unit_notify`, `${SYSTEMD}:sd_event_dispatch`, `${SYSTEMD}:sd_event_run`, `${SYSTEMD}:manager_loop`, `${SYSTEMD}:main`));
      const fd = yield u.open('/sys/fs/cgroup/system.slice/nginx.service/memory.current', E.O_RDONLY | E.O_CLOEXEC);
      if (fd >= 0) {
        yield u.read(fd, u.buf('io', 4096), 4096);
        yield u.close(fd);
      }
      yield u.cpu(30_000 + u.rng.int(60_000));
    }
  }
}

function* journald(u: U): Gen<number> {
  const loop = ustack(`${JOURNALD}:sd_event_run`, `${JOURNALD}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
  const append = ustack(`${JOURNALD}:journal_file_append_entry`, `${JOURNALD}:server_dispatch_message`, `${JOURNALD}:server_process_datagram`, `${JOURNALD}:sd_event_run`, `${JOURNALD}:main`);
  const log = yield u.socket(1, 2);
  yield u.libc('bind', NR.bind, log, u.unixAddr('/dev/log'), 110);
  const journal = yield u.open('/var/log/journal/6c2f1a9e/system.journal', E.O_RDWR | E.O_CLOEXEC);
  let sinceSync = 0;
  for (;;) {
    u.at(loop);
    const n = yield u.recv(log, 8192);
    u.at(append);
    yield u.cpu(15_000 + u.rng.int(20_000));
    if (journal >= 0) {
      yield u.pwrite(journal, u.buf('entry', 1024), 256 + Math.max(0, n), u.rng.int(40_000_000));
      if (++sinceSync > 30) {
        sinceSync = 0;
        u.at(ustack(`${JOURNALD}:journal_file_sync`, `${JOURNALD}:server_sync`, `${JOURNALD}:sd_event_run`, `${JOURNALD}:main`));
        yield u.fsync(journal);
      }
    }
  }
}

/** The jobs cron runs and how often (ns). */
export interface CronJob {
  every: number;
  uid: number;
  command: string;
}

export const DEFAULT_CRON: CronJob[] = [
  { every: 20e9, uid: 0, command: '/usr/local/bin/backup.sh' },
  { every: 12e9, uid: 1000, command: 'cp /home/alice/notes.txt /tmp/notes.bak' },
  { every: 30e9, uid: 0, command: 'find /var/log -name "*.gz" -mmin +600' },
  { every: 16e9, uid: 0, command: '/usr/sbin/nginx -s reload' },
];

function* cron(u: U): Gen<number> {
  u.t.proc.reaps = true;
  const jobs = (u.t.proc.data.cronJobs as CronJob[] | undefined) ?? DEFAULT_CRON;
  const next = jobs.map((j) => u.k.now + u.rng.int(j.every));
  for (;;) {
    u.at(exeStack('/usr/sbin/cron', 'cron_sleep'));
    const soon = Math.min(...next);
    yield u.sleep(Math.max(1e6, soon - u.k.now), 'sleep');
    u.at(exeStack('/usr/sbin/cron', 'load_database'));
    yield u.stat('/etc/crontab');
    yield u.stat('/var/spool/cron/crontabs');
    for (let i = 0; i < jobs.length; i++) {
      if (next[i] > u.k.now) continue;
      next[i] = u.k.now + jobs[i].every * u.rng.lognormal(1, 0.05);
      const job = jobs[i];
      u.at(exeStack('/usr/sbin/cron', 'do_command', 'job_runqueue'));
      yield u.fork(function* (t) {
        const c = new U(t, exeStack('/usr/sbin/cron', 'child_process', 'do_command', 'job_runqueue'));
        if (job.uid !== 0) {
          yield c.sys(NR.setgid, job.uid);
          yield c.sys(NR.setuid, job.uid);
        }
        yield c.exec('/bin/sh', ['/bin/sh', '-c', job.command]);
        return yield c.exit(127);
      });
    }
    // Reap finished jobs without blocking.
    for (;;) {
      const r = yield u.sys(NR.wait4, -1, 0, 1, 0);
      if (r <= 0) break;
    }
  }
}

function* sshd(u: U): Gen<number> {
  const ls = yield u.socket();
  yield* u.bindListen(ls, 0, 22, 128);
  u.at(exeStack('/usr/sbin/sshd', 'server_loop2'));
  for (;;) {
    const c = yield u.accept(ls);
    if (c < 0) continue;
    yield* u.slurp('/etc/ssh/sshd_config');
    yield u.cpu(2_000_000, exeStack('/usr/sbin/sshd', 'mm_answer_authpassword'));
    yield u.close(c);
  }
}

register([SYSTEMD], (u) => systemd(u));
register([JOURNALD], (u) => journald(u));
register(['/usr/sbin/cron'], (u) => cron(u));
register(['/usr/sbin/sshd'], (u) => sshd(u));
