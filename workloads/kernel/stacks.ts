// Kernel call chains as data: a KStack is the list of functions active at a hook site,
// innermost first, turned into return addresses (through kallsyms) only when a program
// asks for a stack. Offsets inside callers are deterministic per (caller, callee), so
// the same path always prints the same `ksys_read+103`. Frame names are checked against
// kallsyms when the addresses are first needed, not when a chain is made, so that the
// chains modules declare at load time do not build kallsyms (unknownStackSymbols lets a
// test check every chain made so far).
import { ksymByName, strHash } from './kfuncs';

/** Every chain made so far (they are memoised, so this stays small). */
const made: KStack[] = [];

export class KStack {
  private cached: readonly bigint[] | undefined;
  private tops: Map<string, KStack> | undefined;

  /**
   * @param frames function names, innermost first
   * @param entry true when the innermost frame is a probed function's entry (ip at +5,
   *   after the fentry call); false when execution is inside it
   */
  constructor(
    readonly frames: readonly string[],
    readonly entry = false,
  ) {
    made.push(this);
  }

  /** Return addresses, innermost first. */
  addrs(): readonly bigint[] {
    if (!this.cached) {
      const out: bigint[] = [];
      for (let i = 0; i < this.frames.length; i++) {
        const s = ksymByName(this.frames[i]);
        if (!s) throw new Error(`kernel stack: unknown symbol ${this.frames[i]}`);
        let off: number;
        if (i === 0 && this.entry) off = 5;
        else off = 8 + (strHash(`${this.frames[i]}<${i > 0 ? this.frames[i - 1] : '@'}`) % Math.max(1, s.size - 16));
        out.push(s.addr + BigInt(off));
      }
      this.cached = out;
    }
    return this.cached;
  }

  /** This chain with more frames on top (memoised per distinct top). */
  under(...top: string[]): KStack {
    const key = top.length === 1 ? top[0] : top.join(',');
    if (!this.tops) this.tops = new Map();
    let s = this.tops.get(key);
    if (!s) this.tops.set(key, (s = new KStack([...top, ...this.frames], false)));
    return s;
  }

  /** The chain seen at the entry of `fn` called from here (memoised). */
  call(fn: string): KStack {
    const key = `>${fn}`;
    if (!this.tops) this.tops = new Map();
    let s = this.tops.get(key);
    if (!s) this.tops.set(key, (s = new KStack([fn, ...this.frames], true)));
    return s;
  }
}

const memoIn = new Map<string, KStack>();
const memoAt = new Map<string, KStack>();

/** A chain with the innermost frame inside its function (tracepoints, sampled code); the same frames give the same object. */
export function kin(...frames: string[]): KStack {
  const key = frames.join(' ');
  let s = memoIn.get(key);
  if (!s) memoIn.set(key, (s = new KStack(frames, false)));
  return s;
}

/** A chain at the entry of its innermost function (kprobes); the same frames give the same object. */
export function kat(...frames: string[]): KStack {
  const key = frames.join(' ');
  let s = memoAt.get(key);
  if (!s) memoAt.set(key, (s = new KStack(frames, true)));
  return s;
}

/** The syscall entry frames below every syscall handler. */
export const SYSCALL_BASE = ['x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];

/** The idle loop of a CPU (what profile samples on an idle CPU show). */
export const IDLE_STACK = kin('pv_native_safe_halt', 'default_idle', 'default_idle_call', 'do_idle', 'cpu_startup_entry', 'start_secondary', 'common_startup_64');

/** An interrupt taken while idle. */
export const IRQ_ON_IDLE = ['asm_common_interrupt', 'pv_native_safe_halt', 'default_idle', 'default_idle_call', 'do_idle', 'cpu_startup_entry', 'start_secondary', 'common_startup_64'];

/** Frame names of the chains made so far that kallsyms does not know (for tests). */
export function unknownStackSymbols(): string[] {
  const out = new Set<string>();
  for (const st of made) for (const f of st.frames) if (!ksymByName(f)) out.add(f);
  return [...out];
}
