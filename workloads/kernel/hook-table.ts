// Every hook site of one kernel instance: entry and return hooks per kernel function,
// one per tracepoint (with per-syscall arrays for the sys_enter_*/sys_exit_* ones and the
// __x64_sys_* wrappers), and entry and return hooks per user symbol. Built once per
// kernel; kernel code looks its hooks up at construction and checks `.on` at the site.
import type { CType } from '../../lang/catalogue';
import { kernelTypes } from '../btf/table';
import { binaries } from '../user/binaries';
import { kernelFuncs, ksymByName, type KFuncInfo } from './kfuncs';
import { Hook } from './hooks';
import { SYSCALL_TABLE } from './syscall-table';
import { tracepoints, type TracepointInfo } from './tracepoints';

/** True when a value of this type is a pointer (kernel pointers are passed by the kernel as linear offsets). */
function isPtr(t: CType): boolean {
  return kernelTypes().resolve(t).kind === 'ptr';
}

export interface FuncHooks {
  entry: Hook;
  ret: Hook;
  info: KFuncInfo;
  /** Entry address (bpf_get_func_ip). */
  addr: bigint;
}

export interface UserHooks {
  entry: Hook;
  ret: Hook;
  path: string;
  name: string;
  /** `path:name`, as user stacks name frames. */
  sym: string;
  /** Offset of the symbol in its binary. */
  offset: number;
}

export class HookTable {
  readonly all: Hook[] = [];
  readonly funcs = new Map<string, FuncHooks>();
  readonly tps = new Map<string, Hook>();
  readonly tpInfo = new Map<Hook, TracepointInfo>();
  readonly funcOf = new Map<Hook, FuncHooks>();
  readonly users = new Map<string, UserHooks>();
  readonly userOf = new Map<Hook, UserHooks>();
  /** Indexed by syscall number. */
  readonly sysEnter: Hook[] = [];
  readonly sysExit: Hook[] = [];
  readonly sysWrapper: FuncHooks[] = [];
  readonly rawEnter: Hook;
  readonly rawExit: Hook;
  /** Software perf events the kernel counts at their sites (samplers are separate). */
  readonly sw: Record<'context-switches' | 'cpu-migrations' | 'page-faults' | 'minor-faults' | 'major-faults' | 'alignment-faults' | 'emulation-faults', Hook>;

  constructor() {
    for (const f of kernelFuncs()) {
      let kmask = 0;
      f.args.forEach((a, i) => {
        if (i < 6 && isPtr(a.type) && !f.argUser[i]) kmask |= 1 << i;
      });
      const entry = this.add(new Hook(this.all.length, 'kprobe', f.name, kmask));
      const ret = this.add(new Hook(this.all.length, 'kretprobe', f.name, 0, isPtr(f.ret)));
      const fh: FuncHooks = { entry, ret, info: f, addr: ksymByName(f.name)!.addr };
      this.funcs.set(f.name, fh);
      this.funcOf.set(entry, fh);
      this.funcOf.set(ret, fh);
    }
    for (const tp of tracepoints()) {
      const h = this.add(new Hook(this.all.length, 'tracepoint', `${tp.category}:${tp.name}`));
      this.tps.set(h.name, h);
      this.tpInfo.set(h, tp);
    }
    for (const [nr, , tp] of SYSCALL_TABLE) {
      this.sysEnter[nr] = this.tp('syscalls', `sys_enter_${tp}`);
      this.sysExit[nr] = this.tp('syscalls', `sys_exit_${tp}`);
      this.sysWrapper[nr] = this.k(`__x64_sys_${tp}`);
    }
    this.rawEnter = this.tp('raw_syscalls', 'sys_enter');
    this.rawExit = this.tp('raw_syscalls', 'sys_exit');
    const sw = (name: string) => this.add(new Hook(this.all.length, 'perf', `software:${name}`));
    this.sw = {
      'context-switches': sw('context-switches'),
      'cpu-migrations': sw('cpu-migrations'),
      'page-faults': sw('page-faults'),
      'minor-faults': sw('minor-faults'),
      'major-faults': sw('major-faults'),
      'alignment-faults': sw('alignment-faults'),
      'emulation-faults': sw('emulation-faults'),
    };
    for (const b of binaries()) {
      for (const s of b.symbols) {
        const name = `${b.path}:${s.name}`;
        const entry = this.add(new Hook(this.all.length, 'uprobe', name));
        const ret = this.add(new Hook(this.all.length, 'uretprobe', name));
        const uh: UserHooks = { entry, ret, path: b.path, name: s.name, sym: name, offset: s.addr };
        this.users.set(name, uh);
        this.userOf.set(entry, uh);
        this.userOf.set(ret, uh);
      }
    }
  }

  private add(h: Hook): Hook {
    this.all.push(h);
    return h;
  }

  /** Hooks of a kernel function (throws for unknown names: kernel code names them statically). */
  k(name: string): FuncHooks {
    const h = this.funcs.get(name);
    if (!h) throw new Error(`no kernel function ${name}`);
    return h;
  }

  tp(category: string, name: string): Hook {
    const h = this.tps.get(`${category}:${name}`);
    if (!h) throw new Error(`no tracepoint ${category}:${name}`);
    return h;
  }

  private readonly libcHooks = new Map<string, UserHooks>();

  /** Hooks of a libc function by its bare name. */
  libc(fn: string): UserHooks {
    let h = this.libcHooks.get(fn);
    if (!h) this.libcHooks.set(fn, (h = this.u(`/usr/lib/x86_64-linux-gnu/libc.so.6:${fn}`)));
    return h;
  }

  /** Hooks of a user symbol, `path:function`. */
  u(name: string): UserHooks {
    const h = this.users.get(name);
    if (!h) throw new Error(`no user symbol ${name}`);
    return h;
  }
}
