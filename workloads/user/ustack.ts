// User call chains as data: a UStack names (binary, function) frames innermost first; a
// process turns them into absolute return addresses with its own load bases (ASLR) only
// when a program asks for a user stack. Offsets are deterministic per frame pair.
import { strHash } from '../kernel/kfuncs';
import type { Proc } from '../kernel/task';
import { binary, type BinaryInfo, type UserSymbolInfo } from './binaries';
import { mappedBase } from './process-maps';

export interface UFrame {
  bin: BinaryInfo;
  sym: UserSymbolInfo;
  off: number;
}

export class UStack {
  private resolved: readonly UFrame[] | undefined;
  private tops: Map<string, UStack> | undefined;

  /**
   * @param spec frames as `path:function`, innermost first; `entry` puts the first at +0 (a uprobe).
   * The names are resolved against the binaries table on first use (so that chains made
   * at module load do not build it).
   */
  constructor(
    private readonly spec: readonly string[],
    private readonly entry = false,
  ) {}

  /** The frames, resolved on first use (an unknown `path:function` throws then). */
  get frames(): readonly UFrame[] {
    if (!this.resolved) {
      const spec = this.spec;
      this.resolved = spec.map((s, i) => {
        const colon = s.lastIndexOf(':');
        const path = s.slice(0, colon);
        const name = s.slice(colon + 1);
        const bin = binary(path);
        const sym = bin?.symbols.find((x) => x.name === name);
        if (!bin || !sym) throw new Error(`user stack: unknown symbol ${s}`);
        const off = i === 0 && this.entry ? 0 : 4 + (strHash(`${s}<${i > 0 ? spec[i - 1] : '@'}`) % Math.max(1, sym.size - 8));
        return { bin, sym, off };
      });
    }
    return this.resolved;
  }

  private calls: Map<string, UStack> | undefined;
  private unders: Map<string, UStack> | undefined;

  /** This chain with `path:function` called on top (memoised), as seen at that function's entry. */
  call(fn: string): UStack {
    if (!this.calls) this.calls = new Map();
    let s = this.calls.get(fn);
    if (!s) this.calls.set(fn, (s = new UStack([fn, ...this.names()], true)));
    return s;
  }

  /** This chain with one frame on top, executing inside it (memoised). */
  under(fn: string): UStack {
    if (!this.unders) this.unders = new Map();
    let s = this.unders.get(fn);
    if (!s) this.unders.set(fn, (s = new UStack([fn, ...this.names()], false)));
    return s;
  }

  /** This chain with several frames on top (memoised). */
  underAll(...fns: string[]): UStack {
    return this.memo(fns.join(','), () => new UStack([...fns, ...this.names()], false));
  }

  private names(): readonly string[] {
    return this.spec;
  }

  private memo(key: string, make: () => UStack): UStack {
    if (!this.tops) this.tops = new Map();
    let s = this.tops.get(key);
    if (!s) this.tops.set(key, (s = make()));
    return s;
  }

  /** Absolute addresses in a process (cached per process). */
  addrs(proc: Proc): readonly bigint[] {
    let a = proc.ustackCache.get(this);
    if (!a) {
      a = this.frames.map((f) => BigInt(mappedBase(proc, f.bin.path) + f.sym.addr + f.off));
      proc.ustackCache.set(this, a);
    }
    return a;
  }

  /** The innermost frame's absolute address in a process. */
  ip(proc: Proc): bigint {
    return this.addrs(proc)[0] ?? 0n;
  }
}

const memo = new Map<string, UStack>();

/** Builds a chain from `path:function` names, innermost first (the same names give the same object). */
export function ustack(...spec: string[]): UStack {
  const key = spec.join(' ');
  let s = memo.get(key);
  if (!s) memo.set(key, (s = new UStack(spec, false)));
  return s;
}
