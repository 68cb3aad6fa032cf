// The verifier's working environment for one program: the program and its maps, the
// current state, the queue of branches still to explore, counters for the closing
// statistics, per-instruction facts for the JIT, and the liveness bookkeeping
// (read marks walked up the chain of checkpoints, as the kernel's mark_reg_read).
// Transfer functions live in alu.ts, mem.ts, jmp.ts and calls.ts; the walk in check.ts.
import type { ProgramSpec } from '../program';
import type { Insn } from '../isa/insn';
import type { Cfg } from './cfg';
import { Log, frameText } from './log';
import { type Frame, type HistNode, type Reg, type VState, Live as Live_, NOT_INIT, curFrame } from './state';
import type { AccessFact } from './facts';
import type { Checkpoints } from './prune';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Live = { ...Live_ };

/**
 * A rejection: the message is the kernel-style last line of the log. Not an Error: a
 * rejection is an ordinary outcome, and capturing a stack trace for each is costly.
 */
export class VerifierError {
  constructor(
    readonly message: string,
    readonly insn: number,
  ) {}
}

/** Options that change limits (tests use small ones). */
export interface VerifierLimits {
  maxInsns: number;
  /** bpf_get_smp_processor_id returns less than this. */
  nrCpus: number;
}

export class Env {
  readonly insns: Insn[];
  readonly log: Log;
  cur!: VState;
  /** Branches still to explore, with the instruction that pushed each. */
  readonly pending: { state: VState; from: number; logMark: number }[] = [];
  /** Checkpoints per instruction index. */
  readonly explored = new Map<number, Checkpoints>();
  insnIdx = 0;
  prevInsnIdx = -1;
  processed = 0;
  jmpsProcessed = 0;
  prevJmpsProcessed = 0;
  prevInsnProcessed = 0;
  totalStates = 0;
  curStates = 0;
  peakStates = 0;
  maxStatesPerInsn = 0;
  longestMarkRead = 0;
  private nextId = 0;
  /** Whether the next instruction starts a new branch and its state should be printed (log level 1). */
  printState = true;
  /** For each memory instruction, what the address register was proven to point to (merged over all paths). */
  readonly access: (AccessFact | undefined)[];
  /** Deepest stack use per subprogram start. */
  readonly stackDepth = new Map<number, number>();
  /** Instructions reached by the walk. */
  readonly seen: Uint8Array;
  /** Set when precision backtracking could not follow a value: every scalar counts as precise from then on. */
  allPrecise = false;
  /** The history node of the instruction being executed (its stack slot and jump details are filled in as it runs). */
  curNode: HistNode | null = null;

  constructor(
    readonly spec: ProgramSpec,
    readonly cfg: Cfg,
    readonly limits: VerifierLimits,
    level: 0 | 1 | 2,
  ) {
    this.insns = spec.insns;
    this.log = new Log(level);
    this.access = new Array(spec.insns.length);
    this.seen = new Uint8Array(spec.insns.length);
  }

  get level(): 0 | 1 | 2 {
    return this.log.level;
  }

  newId(): number {
    return ++this.nextId;
  }

  reject(message: string): never {
    throw new VerifierError(message, this.insnIdx);
  }

  frame(): Frame {
    return curFrame(this.cur);
  }

  frameIndex(): number {
    return this.cur.frames.length - 1;
  }

  /** check_reg_arg(SRC_OP): the register must be valid and initialised; marks it read. */
  readReg(r: number): Reg {
    if (r > 10 || r < 0) this.reject(`R${r} is invalid`);
    const reg = this.frame().regs[r];
    if (reg.type === 'not_init') this.reject(`R${r} !read_ok`);
    this.markRegRead(this.cur, this.frameIndex(), r);
    return reg;
  }

  /** check_reg_arg(DST_OP): the register must be writable. */
  checkWritable(r: number): void {
    if (r > 10 || r < 0) this.reject(`R${r} is invalid`);
    if (r === 10) this.reject('frame pointer is read only');
  }

  setReg(r: number, reg: Reg, frameIdx = this.frameIndex()): void {
    const f = this.cur.frames[frameIdx];
    f.regs[r] = reg;
    f.regLive[r] |= Live.WRITTEN;
  }

  /** Marks r1-r5 not initialised after a call (caller-saved registers). */
  clobberCallerSaved(): void {
    for (let r = 1; r <= 5; r++) this.setReg(r, NOT_INIT);
  }

  /** Walks the checkpoint chain marking register r of frame f read, until a write in a segment screens it. */
  markRegRead(st: VState, f: number, r: number): void {
    let child = st;
    let parent = st.parent;
    let cnt = 0;
    while (parent) {
      if (child.frames.length <= f || parent.frames.length <= f) break;
      if (child.frames[f].regLive[r] & Live.WRITTEN) break;
      const pf = parent.frames[f];
      if (pf.regLive[r] & Live.READ) break;
      pf.regLive[r] |= Live.READ;
      cnt++;
      child = parent;
      parent = parent.parent;
    }
    if (cnt > this.longestMarkRead) this.longestMarkRead = cnt;
  }

  /** The same for the 8-byte stack slot `slot` of frame f. */
  markStackRead(st: VState, f: number, slot: number): void {
    let child = st;
    let parent = st.parent;
    let cnt = 0;
    while (parent) {
      if (child.frames.length <= f || parent.frames.length <= f) break;
      if (child.frames[f].stackLive[slot] & Live.WRITTEN) break;
      const pf = parent.frames[f];
      if (pf.stackLive[slot] & Live.READ) break;
      pf.stackLive[slot] |= Live.READ;
      cnt++;
      child = parent;
      parent = parent.parent;
    }
    if (cnt > this.longestMarkRead) this.longestMarkRead = cnt;
  }

  /** Records what a memory instruction's pointer was proven to be, merging paths. */
  noteAccess(fact: AccessFact): void {
    const prev = this.access[this.insnIdx];
    if (!prev) {
      this.access[this.insnIdx] = fact;
      return;
    }
    if (prev.region === fact.region && prev.minOff <= fact.minOff && prev.maxEnd >= fact.maxEnd && prev.map === fact.map) return;
    const merged: AccessFact = { region: prev.region === fact.region ? prev.region : 'mixed', minOff: Math.min(prev.minOff, fact.minOff), maxEnd: Math.max(prev.maxEnd, fact.maxEnd) };
    if (prev.map !== undefined && prev.map === fact.map) merged.map = prev.map;
    this.access[this.insnIdx] = merged;
  }

  noteStackDepth(frame: Frame, lowestOff: number): void {
    const d = -lowestOff;
    if (d > frame.depth) frame.depth = d;
    const cur = this.stackDepth.get(frame.subprog) ?? 0;
    if (d > cur) this.stackDepth.set(frame.subprog, d);
  }

  stateText(st: VState = this.cur): string {
    const parts: string[] = [];
    st.frames.forEach((f, i) => {
      const t = frameText(f, this.spec.maps);
      parts.push(st.frames.length > 1 ? `frame${i}: ${t}` : t);
    });
    return parts.join(' ');
  }
}

/** Upper bound on queued branches (BPF_COMPLEXITY_LIMIT_JMP_SEQ). */
export const MAX_PENDING = 8192;

export interface Env {
  pushBranch(st: VState): void;
}

Env.prototype.pushBranch = function pushBranch(this: Env, st: VState): void {
  st.branches = 0;
  if (st.parent) st.parent.branches++;
  this.pending.push({ state: st, from: this.insnIdx, logMark: this.log.mark() });
  if (this.pending.length > MAX_PENDING) this.reject(`The sequence of ${MAX_PENDING} jumps is too complex.`);
};
