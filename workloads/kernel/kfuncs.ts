// The kernel's function table: every traceable function (parsed from kfunc-table.ts,
// plus one `__x64_sys_*` wrapper per implemented syscall) with typed arguments, and the
// simulated kallsyms that gives every kernel text symbol (traceable or stack-only) an
// address and size, so that stacks resolve to `vfs_read+36`. Both are built on first
// use; the bundle carries them precomputed (../btf/prebuilt.ts).
import type { KernelFunc } from '../../lang/catalogue';
import { parsePrototype, typeText } from '../btf/cparse';
import type { TypeBuilder } from '../btf/layout';
import { prebuiltTables } from '../btf/prebuilt';
import { kernelTypes } from '../btf/table';
import { KFUNC_PROTOTYPES, STACK_ONLY_SYMBOLS } from './kfunc-table';
import { workChainSymbols } from './work-stack-table';
import { SYSCALL_TABLE } from './syscall-table';

/** A traceable kernel function with what listing and the kernel need beyond the catalogue's view. */
export interface KFuncInfo extends KernelFunc {
  /** Argument type texts as btf_dump prints them (`struct file *`), for `-lv`. */
  argTexts: readonly string[];
  /** Return type text (`ssize_t`, `void`). */
  retText: string;
  /** bpf_override_return is allowed on it (ALLOW_ERROR_INJECTION). */
  injectable: boolean;
  /** Per argument: a pointer into user memory (`__user`). */
  argUser: readonly boolean[];
}

let funcs: KFuncInfo[] | undefined;
let byName: Map<string, KFuncInfo> | undefined;

/** The traceable functions parsed from their prototypes against a type table. */
export function kernelFuncsFromSource(t: TypeBuilder = kernelTypes()): KFuncInfo[] {
  const known = (n: string) => t.typedefs.has(n);
  const lines = KFUNC_PROTOTYPES.split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [, , tp] of SYSCALL_TABLE) lines.push(`!long __x64_sys_${tp}(const struct pt_regs *regs)`);
  const out: KFuncInfo[] = [];
  const seen = new Set<string>();
  for (const raw of lines) {
    const injectable = raw.startsWith('!');
    const line = injectable ? raw.slice(1) : raw;
    const p = parsePrototype(line, known);
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    const head = line.slice(0, line.indexOf('(')).trim();
    out.push({
      name: p.name,
      args: p.args.map((a) => ({ name: a.name, type: a.type })),
      ret: p.ret,
      argTexts: p.args.map((a) => typeText(a.text, a.name)),
      retText: typeText(head, p.name),
      injectable,
      argUser: p.args.map((a) => /\b__user\b/.test(a.text)),
    });
  }
  return out;
}

/** Every traceable kernel function, in table order. */
export function kernelFuncs(): readonly KFuncInfo[] {
  if (!funcs) {
    funcs = prebuiltTables()?.kfuncs ?? kernelFuncsFromSource();
    byName = new Map(funcs.map((f) => [f.name, f]));
  }
  return funcs;
}

export function kernelFunc(name: string): KFuncInfo | undefined {
  kernelFuncs();
  return byName!.get(name);
}

// ---- kallsyms ----

/** Start of kernel text, as on x86-64 without KASLR. */
export const KERNEL_TEXT_START = 0xffffffff81000000n;

export interface KSym {
  name: string;
  /** Address as a bigint (kernel text is above 2^53). */
  addr: bigint;
  size: number;
}

/** A deterministic 32-bit hash of a string (FNV-1a). */
export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sizes of functions known to be small or large, so their offsets in stacks look familiar. */
const SIZE_HINTS: Record<string, number> = {
  pv_native_safe_halt: 0x10,
  default_idle: 0x20,
  default_idle_call: 0x70,
  cpu_startup_entry: 0x30,
  do_idle: 0x2a0,
  cpuidle_idle_call: 0x160,
  entry_SYSCALL_64_after_hwframe: 0x80,
  do_syscall_64: 0x140,
  x64_sys_call: 0x2200,
  rep_movs_alternative: 0x70,
  _copy_to_iter: 0x2a0,
  _copy_from_iter: 0x2a0,
  _copy_to_user: 0x50,
  _copy_from_user: 0x60,
  __d_lookup_rcu: 0x120,
  _raw_spin_lock: 0x30,
  _raw_spin_lock_irqsave: 0x50,
  mutex_lock: 0x40,
  schedule: 0xb0,
};

let syms: KSym[] | undefined;
let symByName: Map<string, KSym> | undefined;

/** kallsyms computed from the symbol names (the traceable functions' and the stack-only ones). */
export function kallsymsFromSource(fns: readonly KFuncInfo[] = kernelFuncs()): KSym[] {
  const names = [...new Set([...fns.map((f) => f.name), ...STACK_ONLY_SYMBOLS, ...workChainSymbols()])];
  // Order symbols by a hash so related names are spread over the text like a real link order.
  const hash = new Map(names.map((n) => [n, strHash(n)]));
  names.sort((a, b) => hash.get(a)! - hash.get(b)! || (a < b ? -1 : 1));
  return kallsymsFromSnapshot(names.map((name): [string, number] => [name, SIZE_HINTS[name] ?? 0x40 + (strHash(name + '#size') % 0x7c0)]));
}

/** Symbols laid out one after another from the start of text, in the order given. */
export function kallsymsFromSnapshot(list: readonly (readonly [string, number])[]): KSym[] {
  let at = 0x1000;
  const out: KSym[] = [];
  for (const [name, size] of list) {
    out.push({ name, addr: KERNEL_TEXT_START + BigInt(at), size });
    at += (size + 0x1f) & ~0xf;
  }
  return out;
}

function buildSyms(): KSym[] {
  const pre = prebuiltTables();
  return pre ? kallsymsFromSnapshot(pre.ksyms) : kallsymsFromSource();
}

/** The simulated kallsyms: every kernel text symbol sorted by address. */
export function kallsyms(): readonly KSym[] {
  if (!syms) {
    syms = buildSyms();
    symByName = new Map(syms.map((s) => [s.name, s]));
  }
  return syms;
}

export function ksymByName(name: string): KSym | undefined {
  kallsyms();
  return symByName!.get(name);
}

/** Resolves a kernel text address to its symbol and offset, or undefined outside every symbol. */
export function ksymbolize(addr: bigint): { name: string; offset: number } | undefined {
  const s = kallsyms();
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (addr < s[mid].addr) hi = mid - 1;
    else if (addr >= s[mid].addr + BigInt(s[mid].size)) lo = mid + 1;
    else return { name: s[mid].name, offset: Number(addr - s[mid].addr) };
  }
  return undefined;
}

/** `vfs_read+36` for an address inside a symbol, or `0xffffffff8100dead` otherwise (as kstack prints). */
export function ksym(addr: bigint): string {
  const r = ksymbolize(addr);
  return r ? `${r.name}+${r.offset}` : `0x${BigInt.asUintN(64, addr).toString(16)}`;
}
