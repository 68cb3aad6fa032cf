// Every hook site of one kernel instance: entry and return hooks per kernel function,
// one per tracepoint (with per-syscall arrays for the sys_enter_*/sys_exit_* ones and the
// __x64_sys_* wrappers), and entry and return hooks per user symbol. Each is made the
// first time it is asked for (and then the same object); kernel code looks its hooks up at
// construction and checks `.on` at the site.
import type { CType } from '../../lang/catalogue';
import { kernelTypes } from '../btf/table';
import { binaries, binary } from '../user/binaries';
import { kernelFunc, kernelFuncs, ksymByName, type KFuncInfo } from './kfuncs';
import { Hook, type HookKind } from './hooks';
import { SYSCALL_TABLE } from './syscall-table';
import { hasTracepoint, tracepoint, tracepoints, type TracepointInfo } from './tracepoints';

/** True when a value of this type is a pointer (kernel pointers are passed by the kernel as linear offsets). */
function isPtr(t: CType): boolean {
  return kernelTypes().resolve(t).kind === 'ptr';
}

/** Entry and return hooks of one kernel function. */
export class FuncHooks {
  private address: bigint | undefined;

  constructor(
    readonly entry: Hook,
    readonly ret: Hook,
    readonly info: KFuncInfo,
  ) {}

  /** Entry address (bpf_get_func_ip), looked up in kallsyms on first use. */
  get addr(): bigint {
    return (this.address ??= ksymByName(this.info.name)!.addr);
  }
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

type SoftwareEvent = 'context-switches' | 'cpu-migrations' | 'page-faults' | 'minor-faults' | 'major-faults' | 'alignment-faults' | 'emulation-faults';
const SOFTWARE: readonly SoftwareEvent[] = ['context-switches', 'cpu-migrations', 'page-faults', 'minor-faults', 'major-faults', 'alignment-faults', 'emulation-faults'];

/**
 * The hook sites, each made on first use (kernel code asking for it, a probe attaching):
 * a kernel that nothing traces makes only the hooks its code looks up, and none of the
 * tracepoint records or user symbol tables. `all` makes every one.
 */
export class HookTable {
  private readonly made: Hook[] = [];
  private readonly funcs = new Map<string, FuncHooks>();
  private readonly tps = new Map<string, Hook>();
  private readonly tpInfos = new Map<Hook, TracepointInfo>();
  private readonly funcOfHook = new Map<Hook, FuncHooks>();
  private readonly users = new Map<string, UserHooks>();
  private readonly userOfHook = new Map<Hook, UserHooks>();
  /**
   * Indexed by syscall number, filled as the hooks are made: kernel code reads them at every
   * system call, and a hook nobody asked for is not there (undefined, like one not on).
   */
  readonly sysEnter: Hook[] = [];
  readonly sysExit: Hook[] = [];
  readonly sysWrapper: FuncHooks[] = [];
  readonly rawEnter: Hook;
  readonly rawExit: Hook;
  /** Software perf events the kernel counts at their sites (samplers are separate). */
  readonly sw: Record<SoftwareEvent, Hook>;
  /** Syscall numbers by the name their tracepoints and wrapper use. */
  private readonly sysNrs = new Map<string, number[]>();

  constructor() {
    for (const [nr, , tp] of SYSCALL_TABLE) {
      const nrs = this.sysNrs.get(tp);
      if (nrs) nrs.push(nr);
      else this.sysNrs.set(tp, [nr]);
    }
    this.rawEnter = this.tp('raw_syscalls', 'sys_enter');
    this.rawExit = this.tp('raw_syscalls', 'sys_exit');
    this.sw = Object.fromEntries(SOFTWARE.map((name) => [name, this.add('perf', `software:${name}`)])) as Record<SoftwareEvent, Hook>;
  }

  /** Puts a new hook in the per-syscall array its name belongs to, if any. */
  private indexSyscall<T>(name: string, prefix: string, into: T[], value: T): void {
    if (!name.startsWith(prefix)) return;
    for (const nr of this.sysNrs.get(name.slice(prefix.length)) ?? []) into[nr] = value;
  }

  private add(kind: HookKind, name: string, kmask = 0, retKptr = false): Hook {
    const h = new Hook(this.made.length, kind, name, kmask, retKptr);
    this.made.push(h);
    return h;
  }

  /** Every hook site: kernel functions, tracepoints, software events and user symbols (all made now). */
  get all(): readonly Hook[] {
    for (const f of kernelFuncs()) this.k(f.name);
    for (const tp of tracepoints()) this.tp(tp.category, tp.name);
    for (const b of binaries()) for (const s of b.symbols) this.u(`${b.path}:${s.name}`);
    return this.made;
  }

  /** Hooks of a kernel function, or undefined when it is not traceable. */
  func(name: string): FuncHooks | undefined {
    let fh = this.funcs.get(name);
    if (!fh) {
      const f = kernelFunc(name);
      if (!f) return undefined;
      let kmask = 0;
      f.args.forEach((a, i) => {
        if (i < 6 && isPtr(a.type) && !f.argUser[i]) kmask |= 1 << i;
      });
      fh = new FuncHooks(this.add('kprobe', f.name, kmask), this.add('kretprobe', f.name, 0, isPtr(f.ret)), f);
      this.funcs.set(name, fh);
      this.funcOfHook.set(fh.entry, fh);
      this.funcOfHook.set(fh.ret, fh);
      this.indexSyscall(name, '__x64_sys_', this.sysWrapper, fh);
    }
    return fh;
  }

  /** Hooks of a kernel function (throws for unknown names: kernel code names them statically). */
  k(name: string): FuncHooks {
    const h = this.func(name);
    if (!h) throw new Error(`no kernel function ${name}`);
    return h;
  }

  /** The function a kprobe or kretprobe hook belongs to. */
  funcOf(h: Hook): FuncHooks | undefined {
    return this.funcOfHook.get(h);
  }

  /** A tracepoint's hook, or undefined when the kernel has no such tracepoint. */
  tracepoint(category: string, name: string): Hook | undefined {
    const key = `${category}:${name}`;
    let h = this.tps.get(key);
    if (!h && hasTracepoint(category, name)) {
      this.tps.set(key, (h = this.add('tracepoint', key)));
      if (category === 'syscalls') {
        this.indexSyscall(name, 'sys_enter_', this.sysEnter, h);
        this.indexSyscall(name, 'sys_exit_', this.sysExit, h);
      }
    }
    return h;
  }

  tp(category: string, name: string): Hook {
    const h = this.tracepoint(category, name);
    if (!h) throw new Error(`no tracepoint ${category}:${name}`);
    return h;
  }

  /** The format of a tracepoint hook's record (laid out on first use). */
  tpInfo(h: Hook): TracepointInfo | undefined {
    let info = this.tpInfos.get(h);
    if (!info && h.kind === 'tracepoint') {
      const colon = h.name.indexOf(':');
      info = tracepoint(h.name.slice(0, colon), h.name.slice(colon + 1));
      if (info) this.tpInfos.set(h, info);
    }
    return info;
  }

  private readonly libcHooks = new Map<string, UserHooks>();

  /** Hooks of a libc function by its bare name. */
  libc(fn: string): UserHooks {
    let h = this.libcHooks.get(fn);
    if (!h) this.libcHooks.set(fn, (h = this.u(`/usr/lib/x86_64-linux-gnu/libc.so.6:${fn}`)));
    return h;
  }

  /** Hooks of a user symbol, `path:function`, or undefined when no binary has it. */
  user(name: string): UserHooks | undefined {
    let uh = this.users.get(name);
    if (!uh) {
      const colon = name.lastIndexOf(':');
      const path = name.slice(0, colon);
      const fn = name.slice(colon + 1);
      const s = binary(path)?.symbols.find((x) => x.name === fn);
      if (!s) return undefined;
      uh = { entry: this.add('uprobe', name), ret: this.add('uretprobe', name), path, name: fn, sym: name, offset: s.addr };
      this.users.set(name, uh);
      this.userOfHook.set(uh.entry, uh);
      this.userOfHook.set(uh.ret, uh);
    }
    return uh;
  }

  /** Hooks of a user symbol, `path:function` (throws when missing: kernel code names symbols statically). */
  u(name: string): UserHooks {
    const h = this.user(name);
    if (!h) throw new Error(`no user symbol ${name}`);
    return h;
  }

  /** The user symbol a uprobe or uretprobe hook belongs to. */
  userOf(h: Hook): UserHooks | undefined {
    return this.userOfHook.get(h);
  }
}
