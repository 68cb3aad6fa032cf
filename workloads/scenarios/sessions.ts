// People at terminals: an interactive bash on a pseudo-terminal with a typist who thinks,
// types a command from their habits a keystroke at a time, answers editors and pagers,
// and sometimes does something they should not (reading /etc/shadow).
import type { Kernel } from '../kernel/kernel';
import type { Typed } from '../fs/file';
import type { Rng } from '../rng';

export interface Persona {
  user: string;
  uid: number;
  home: string;
  tty: string;
  /** Commands with weights; a command followed by `\n` lines answers the program it starts. */
  habits: readonly (readonly [command: string, weight: number])[];
  /** Median think time between commands (ns). */
  thinkNs: number;
}

export const ALICE: Persona = {
  user: 'alice',
  uid: 1000,
  home: '/home/alice',
  tty: 'pts/0',
  thinkNs: 3.5e9,
  habits: [
    ['ls -la', 10],
    ['cd /home/alice/project', 3],
    ['git status', 8],
    ['cat /etc/hosts', 3],
    ['grep -c main src/main.c', 4],
    ['ps aux', 4],
    ['vim notes.txt\n:wq', 3],
    ['curl -s https://api.internal/health', 4],
    ['make -j4', 2],
    ['ls /root', 1],
    ['cat /etc/shadow', 1],
    ['sudo cat /var/log/auth.log', 2],
    ['date', 3],
    ['id', 2],
    ['uname -a', 2],
    ['sleep 2', 2],
    ['sleep 300 &\nkill %1', 2],
    ['python3 -c "import json; print(json.dumps({}))"', 2],
    ['wget -q https://example.com/index.html', 1],
    ['ssh -T git@github.com', 1],
    ['top -b -n 1', 2],
    ['find /var/log -name "*.log"', 1],
    ['head -n 20 /var/log/syslog', 2],
    ['less /etc/passwd\nq', 1],
    ['cd', 2],
  ],
};

export const BOB: Persona = {
  user: 'bob',
  uid: 1001,
  home: '/home/bob',
  tty: 'pts/1',
  thinkNs: 6e9,
  habits: [
    ['ps aux', 6],
    ['top -b -n 1', 4],
    ['cat /proc/meminfo', 3],
    ['cat /proc/loadavg', 3],
    ['tail -n 50 /var/log/nginx/access.log', 2],
    ['curl -s http://localhost/', 5],
    ['curl -s http://search.internal:9200/', 1],
    ['dd if=/dev/zero of=/tmp/ddtest bs=1M count=32 conv=fsync', 2],
    ['rm -f /tmp/ddtest', 1],
    ['ls -la /var/log', 3],
    ['wc -l /etc/passwd', 2],
    ['uname -a', 1],
    ['sleep 1', 2],
  ],
};

/** A typist for a persona: the next line and how long the person thinks before typing it. */
export function typist(p: Persona, rng: Rng): () => Typed | null {
  let pending: string[] = [];
  return () => {
    if (pending.length) return { text: pending.shift()!, thinkNs: rng.lognormal(1.5e9, 0.5), keyNs: 110e6 };
    const cmd = rng.weighted(p.habits);
    const lines = cmd.split('\n');
    pending = lines.slice(1);
    return { text: lines[0], thinkNs: rng.lognormal(p.thinkNs, 0.7), keyNs: rng.lognormal(120e6, 0.3) };
  };
}

/** Starts an interactive login shell for a persona. */
export function startSession(k: Kernel, p: Persona, parent?: import('../kernel/task').Task): void {
  k.s.vfs.tty(p.tty).typist = typist(p, k.rng.derive(`typist-${p.user}`));
  k.s.procs.spawn({ path: '/bin/bash', argv: ['-bash'], uid: p.uid, gid: p.uid, cwd: p.home, tty: p.tty, parent, reaps: true });
}
