// A process's user address space: load bases for its executable (PIE at 0x55..., randomised
// per process) and libraries (0x7f...), the stack with argv and the environment at its top
// (as execve lays them out, so mm->arg_start..arg_end holds the command line), and a heap
// for the strings and buffers programs pass to system calls. Text is not mapped: code is
// only ever named in stacks, never read.
import { UserSpace } from '../../vm/memory/user-space';
import type { Memory } from '../../vm/memory/memory';
import type { Rng } from '../rng';
import type { Proc } from '../kernel/task';
import { binary, type BinaryInfo } from './binaries';
import { LD_SO } from './binary-table';

export const STACK_BYTES = 16 * 1024;
export const HEAP_BYTES = 48 * 1024;
/** Bytes at the start of the heap reserved for interned strings; buffers come after. */
export const STRING_AREA = 16 * 1024;
const PAGE = 4096;

export interface ArgLayout {
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  /** Address of the argv pointer array. */
  argvPtr: number;
  envpPtr: number;
}

/** Every binary a process maps: the executable, its libraries (transitively) and the dynamic loader. */
export function mappedBinaries(exe: BinaryInfo): BinaryInfo[] {
  const out: BinaryInfo[] = [exe];
  const seen = new Set([exe.path]);
  const queue = [...exe.needs];
  if (exe.needs.length) queue.push(LD_SO);
  while (queue.length) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const b = binary(p);
    if (!b) continue;
    out.push(b);
    queue.push(...b.needs);
  }
  return out;
}

/**
 * Where `path` is mapped in `proc`. A library the process had not mapped at exec (loaded
 * later, as dlopen or a Python extension module loads libssl) is mapped now, below its
 * lowest library, and stays there.
 */
export function mappedBase(proc: Proc, path: string): number {
  const b = proc.bases.get(path);
  if (b !== undefined) return b;
  const bin = binary(path);
  if (!bin || bin.kind !== 'lib') return 0;
  let low = 0;
  for (const v of proc.bases.values()) if (v >= 0x7f00_0000_0000 && (low === 0 || v < low)) low = v;
  const span = Math.ceil((bin.textSize + 0x20000) / PAGE) * PAGE;
  const base = (low || 0x7f40_0000_0000) - span - 0x1000;
  proc.bases.set(path, base);
  return base;
}

/**
 * Builds a fresh address space for `exe` in `proc` (execve): bases, stack with argv/envp,
 * heap. Returns where the arguments and environment landed.
 */
export function buildAddressSpace(mem: Memory, proc: Proc, exe: BinaryInfo, argv: readonly string[], envp: readonly string[], rng: Rng): ArgLayout {
  proc.user.clear();
  proc.user = new UserSpace(mem);
  proc.bases.clear();
  proc.strings.clear();
  proc.stringAt.clear();
  proc.bufs.clear();
  proc.ustackCache.clear();
  proc.exe = exe;
  proc.argv = [...argv];
  const exeBase = 0x5500_0000_0000 + rng.int(0x1000_0000) * PAGE;
  let libTop = 0x7f00_0000_0000 + (0x400_0000 + rng.int(0x7ff_0000)) * PAGE;
  for (const b of mappedBinaries(exe)) {
    if (b === exe) {
      proc.bases.set(b.path, b.kind === 'exe' ? exeBase : libTop);
      continue;
    }
    const span = Math.ceil((b.textSize + 0x20000) / PAGE) * PAGE;
    libTop -= span + 0x1000;
    proc.bases.set(b.path, libTop);
  }
  // Heap right after the executable's image (brk start).
  const heapStart = exeBase + Math.ceil((exe.textSize + 0x40000) / PAGE) * PAGE + rng.int(0x2000) * PAGE;
  proc.user.map(heapStart, HEAP_BYTES, '[heap]');
  proc.heapStart = heapStart;
  proc.heapNext = heapStart;
  proc.heapEnd = heapStart + HEAP_BYTES;
  // Stack near the top of user space.
  const stackTop = 0x7ffc_0000_0000 + rng.int(0x3_ffff) * 0x10 * PAGE;
  proc.user.map(stackTop - STACK_BYTES, STACK_BYTES, '[stack]');
  proc.stackTop = stackTop;
  return writeArgs(mem, proc, argv, envp);
}

/** Lays out argv and envp strings at the top of the stack, pointer arrays below them. */
function writeArgs(mem: Memory, proc: Proc, argv: readonly string[], envp: readonly string[]): ArgLayout {
  const enc = new TextEncoder();
  const limit = STACK_BYTES / 2;
  let budget = limit;
  const args = argv.map((a) => enc.encode(a));
  const envs: Uint8Array[] = [];
  for (const e of envp) {
    const b = enc.encode(e);
    if (b.length + 1 > budget - args.reduce((n, x) => n + x.length + 1, 0)) break;
    envs.push(b);
    budget -= b.length + 1;
  }
  const total = args.reduce((n, x) => n + x.length + 1, 0) + envs.reduce((n, x) => n + x.length + 1, 0);
  let at = proc.stackTop - 16 - total;
  const argStart = at;
  const argPtrs: number[] = [];
  for (const a of args) {
    argPtrs.push(at);
    const lin = proc.user.translate(at, a.length + 1);
    mem.u8.set(a, lin);
    mem.u8[lin + a.length] = 0;
    at += a.length + 1;
  }
  const argEnd = at;
  const envPtrs: number[] = [];
  for (const e of envs) {
    envPtrs.push(at);
    const lin = proc.user.translate(at, e.length + 1);
    mem.u8.set(e, lin);
    mem.u8[lin + e.length] = 0;
    at += e.length + 1;
  }
  const envEnd = at;
  // Pointer arrays (argv[], NULL, envp[], NULL) below the strings, 16-aligned.
  let p = Math.floor((argStart - 8 * (argPtrs.length + envPtrs.length + 2) - 64) / 16) * 16;
  const argvPtr = p;
  for (const a of argPtrs) {
    mem.writeNum64(proc.user.translate(p, 8), a);
    p += 8;
  }
  mem.writeNum64(proc.user.translate(p, 8), 0);
  p += 8;
  const envpPtr = p;
  for (const e of envPtrs) {
    mem.writeNum64(proc.user.translate(p, 8), e);
    p += 8;
  }
  mem.writeNum64(proc.user.translate(p, 8), 0);
  return { argStart, argEnd, envStart: argEnd, envEnd, argvPtr, envpPtr };
}

/** The user address of `s` in the process's heap (interned: the same text gets the same address). */
export function internString(mem: Memory, proc: Proc, s: string): number {
  const hit = proc.strings.get(s);
  if (hit !== undefined) return hit;
  const bytes = new TextEncoder().encode(s);
  const len = Math.min(bytes.length, 4095);
  let at = proc.heapNext;
  if (at + len + 1 > proc.heapStart + STRING_AREA) {
    // The string area is full: start over (older strings are forgotten, as freed memory is reused).
    proc.strings.clear();
    proc.stringAt.clear();
    at = proc.heapStart;
  }
  const lin = proc.user.translate(at, len + 1);
  if (lin < 0) return 0;
  mem.u8.set(bytes.subarray(0, len), lin);
  mem.u8[lin + len] = 0;
  proc.heapNext = Math.ceil((at + len + 1) / 8) * 8;
  proc.strings.set(s, at);
  proc.stringAt.set(at, s);
  return at;
}

/** A named buffer of at least `size` bytes in the process's heap (allocated once per name). */
export function userBuffer(proc: Proc, name: string, size: number): number {
  const hit = proc.bufs.get(`${name}/${size}`);
  if (hit !== undefined) return hit;
  let used = proc.heapStart + STRING_AREA;
  for (const [k, v] of proc.bufs) used = Math.max(used, v + Number(k.slice(k.lastIndexOf('/') + 1)));
  used = Math.ceil(used / 64) * 64;
  const room = proc.heapEnd - used;
  const at = room >= size ? used : proc.heapStart + STRING_AREA;
  proc.bufs.set(`${name}/${size}`, at);
  return at;
}

/** Reads a NUL-terminated user string (interned strings come from the table). */
export function readUserString(mem: Memory, proc: Proc, addr: number, max = 4096): string | null {
  const s = proc.stringAt.get(addr);
  if (s !== undefined) return s;
  const lin = proc.user.translate(addr, 1);
  if (lin < 0) return null;
  const m = proc.user.find(addr)!;
  return mem.readCString(lin, Math.min(max, m.end - addr));
}
