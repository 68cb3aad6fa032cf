// Kernel stacks of profile samples that land inside a system call: one of the call's work
// chains (work-stack-table.ts) for the kind of file its descriptor argument refers to,
// chosen by the sample's time, on top of the `__x64_sys_*` entry frames. Chains become
// memoised KStacks the first time a call is sampled, so unobserved runs pay nothing.
import type { OpenFile } from '../fs/file';
import { AF_UNIX, SOCK_DGRAM, type Sock } from '../net/sock';
import { kin, SYSCALL_BASE, type KStack } from './stacks';
import { SYSCALL_TABLE } from './syscall-table';
import type { OpenFileLike, Proc } from './task';
import { workChains, type WorkKind } from './work-stack-table';

const CLONE_VM = 0x100;
const NR_CLONE = 56;
const NR_CLONE3 = 435;

/** The kind of file a descriptor refers to, as the chains are keyed. */
export function workKind(f: OpenFileLike): WorkKind {
  switch (f.kind) {
    case 'file':
    case 'dir': {
      const fs = (f as OpenFile).mount?.fsType;
      if (fs === 'ext4' || fs === 'xfs' || fs === 'tmpfs') return fs;
      if (fs === 'devtmpfs') return 'tmpfs';
      if (fs === 'proc' || fs === 'sysfs' || fs === 'cgroup2') return 'proc';
      return 'any';
    }
    case 'socket': {
      const s = (f as OpenFile).sock as Sock | null;
      if (!s) return 'tcp';
      return s.family === AF_UNIX ? 'unix' : s.type === SOCK_DGRAM ? 'udp' : 'tcp';
    }
    case 'pipe':
      return 'pipe';
    case 'tty':
      return 'tty';
    case 'null':
      return 'null';
    case 'epoll':
      return 'epoll';
    case 'event':
      return 'event';
  }
}

type Built = Partial<Record<WorkKind, readonly KStack[]>> | null;

export class WorkStacks {
  private readonly names: string[] = [];
  private readonly built: (Built | undefined)[] = [];
  /** Thread creation per clone call number (its chains differ from fork's). */
  private readonly threads: (Built | undefined)[] = [];

  constructor() {
    for (const [nr, , tp] of SYSCALL_TABLE) this.names[nr] = tp;
  }

  private build(call: string, wrapper: string): Built {
    const chains = workChains(call);
    if (!chains) return null;
    const out: Partial<Record<WorkKind, readonly KStack[]>> = {};
    for (const kind of Object.keys(chains) as WorkKind[]) out[kind] = chains[kind]!.map((c) => kin(...c.split(' '), `__x64_sys_${wrapper}`, ...SYSCALL_BASE));
    return out;
  }

  private chains(nr: number, call: string, thread: boolean): Built {
    const memo = thread ? this.threads : this.built;
    let b = memo[nr];
    if (b === undefined) memo[nr] = b = this.build(thread ? 'clone_thread' : call, call);
    return b;
  }

  /**
   * The stack of a sample at `time` (ns) on `cpu` in system call `nr` with first argument
   * `a0`, made by a task of `proc`; null when the call has no chains (the caller shows the
   * bare handler).
   */
  sample(proc: Proc, nr: number, a0: number, time: number, cpu: number): KStack | null {
    const call = this.names[nr];
    if (call === undefined) return null;
    const b = this.chains(nr, call, (nr === NR_CLONE && (a0 & CLONE_VM) !== 0) || nr === NR_CLONE3);
    if (!b) return null;
    let list = b.any;
    if (Object.keys(b).length > 1 && a0 >= 0 && a0 < proc.fds.length) {
      const e = proc.fds[a0];
      if (e) list = b[workKind(e.file)] ?? b.any;
    }
    if (!list || !list.length) return null;
    const h = Math.imul((Math.floor(time / 1009) % 0x7fffffff) ^ Math.imul(cpu + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
    return list[h % list.length];
  }
}
