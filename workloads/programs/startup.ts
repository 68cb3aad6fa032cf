// What every dynamically linked program does between execve and main: the dynamic
// loader's system calls (ld.so.cache, opening and mapping each library, TLS and robust
// list setup, mprotect, a random seed) and libc's entry into main. This is why
// opensnoop shows /etc/ld.so.cache and libc.so.6 for every new process.
import * as E from '../errno';
import { binary, type BinaryInfo } from '../user/binaries';
import { LD_SO, LIBC } from '../user/binary-table';
import { NR, type Gen, type U } from '../user/libc';
import { mappedBinaries } from '../user/process-maps';
import { ustack, type UStack } from '../user/ustack';

const LDSO_MAP = ustack(`${LD_SO}:_dl_map_object`, `${LD_SO}:dl_main`, `${LD_SO}:_dl_start_user`);
const LDSO_MAIN = ustack(`${LD_SO}:dl_main`, `${LD_SO}:_dl_start_user`);
const LDSO_RELOC = ustack(`${LD_SO}:_dl_relocate_object`, `${LD_SO}:dl_main`, `${LD_SO}:_dl_start_user`);

/** The library path ld.so opens for a library (through the /lib symlink, as the cache records). */
function libPath(path: string): string {
  return path.replace('/usr/lib/', '/lib/');
}

/** Runs the dynamic loader for `exe`: returns when main is about to be called. */
export function* loader(u: U, exe: BinaryInfo): Gen<void> {
  if (exe.needs.length === 0) {
    // Static (Go) binaries: a few runtime calls only.
    u.at(ustack(`${exe.path}:${exe.symbols[0].name}`));
    yield u.sys(NR.arch_prctl, 0x1002, 0);
    yield u.sys(NR.sched_yield);
    yield u.sys(NR.mmap, 0, 262144, 3, 0x22, -1, 0);
    return;
  }
  u.at(LDSO_MAIN);
  yield u.sys(NR.brk, 0);
  yield u.sys(NR.mmap, 0, 8192, 3, 0x22, -1, 0);
  yield u.sys(NR.access, u.str('/etc/ld.so.preload'), 4);
  u.at(LDSO_MAP);
  const cache = yield u.sys(NR.openat, E.AT_FDCWD, u.str('/etc/ld.so.cache'), E.O_RDONLY | E.O_CLOEXEC);
  if (cache >= 0) {
    yield u.sys(NR.newfstatat, cache, u.str(''), u.buf('stat', 144), E.AT_EMPTY_PATH);
    yield u.sys(NR.mmap, 0, 31240, 1, 2, cache, 0);
    yield u.sys(NR.close, cache);
  }
  for (const lib of mappedBinaries(exe)) {
    if (lib === exe || lib.path === LD_SO) continue;
    const fd = yield u.sys(NR.openat, E.AT_FDCWD, u.str(libPath(lib.path)), E.O_RDONLY | E.O_CLOEXEC);
    if (fd < 0) continue;
    yield u.sys(NR.read, fd, u.buf('elf', 832), 832);
    if (lib.path === LIBC) yield u.sys(NR.pread64, fd, u.buf('elf', 832), 784, 64);
    yield u.sys(NR.newfstatat, fd, u.str(''), u.buf('stat', 144), E.AT_EMPTY_PATH);
    yield u.sys(NR.mmap, 0, lib.textSize + 0x20000, 1, 0x802, fd, 0);
    yield u.sys(NR.mmap, 0x7f0000000000, lib.textSize, 5, 0x812, fd, 0x1000);
    yield u.sys(NR.close, fd);
  }
  u.at(LDSO_RELOC);
  yield u.sys(NR.arch_prctl, 0x1002, 0);
  yield u.sys(NR.set_tid_address, u.buf('tid', 8));
  yield u.sys(NR.set_robust_list, u.buf('robust', 24), 24);
  yield u.sys(NR.mprotect, 0x7f0000200000, 16384, 1);
  yield u.sys(NR.mprotect, 0x555555557000, 4096, 1);
  yield u.cpu(60_000 + u.rng.int(80_000));
  yield u.sys(NR.getrandom, u.buf('seed', 8), 8, 1);
  yield u.sys(NR.brk, 0);
  yield u.sys(NR.brk, u.t.proc.heapEnd + 0x21000);
}

/** Frames of `fn` in the executable, called from main (or main itself). */
export function exeStack(exe: string, ...fns: string[]): UStack {
  const key = `${exe}|${fns.join(',')}`;
  let s = stacks.get(key);
  if (s) return s;
  const known = new Set(binary(exe)?.symbols.map((x) => x.name) ?? []);
  const chain = fns.filter((f) => known.has(f)).map((f) => `${exe}:${f}`);
  if (!fns.includes('main') && known.has('main')) chain.push(`${exe}:main`);
  chain.push(`${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
  s = ustack(...chain);
  stacks.set(key, s);
  return s;
}

const stacks = new Map<string, UStack>();

/** libc entering main: the __libc_start_main uprobe and main's own. */
export function enterMain(u: U, exe: BinaryInfo, argc: number): void {
  const mainSym = exe.symbols.find((s) => s.name === 'main');
  u.enter(`${LIBC}:__libc_start_main`, (u.t.proc.bases.get(exe.path) ?? 0) + (mainSym?.addr ?? 0), argc, (u.t.proc.data.argvPtr as number) ?? 0);
  u.at(exeStack(exe.path, 'main'));
  if (mainSym) {
    const h = u.k.hooks.u(`${exe.path}:main`);
    if (h.entry.on) u.k.uprobe(h, u.t, u.here.call(`${exe.path}:main`), argc, (u.t.proc.data.argvPtr as number) ?? 0, (u.t.proc.data.envpPtr as number) ?? 0);
  }
}
