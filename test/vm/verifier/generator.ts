// A random program generator biased toward programs the verifier accepts: mostly
// well-formed kprobe programs built from snippets (scalar arithmetic, ctx reads, stack
// stores and loads through r10 and moved pointers, map lookups with and without null
// checks, value accesses at constant and masked variable offsets, helper calls with
// memory arguments, ring buffer records, atomics, forward branches, bounded loops,
// bpf-to-bpf calls), with a small share of deliberate mistakes. Programs come from a
// seed, so a failure is reproduced from its seed. The verifier's soundness test and the
// JIT's differential test both draw from it; `runProgram` runs one on a machine.
import { aluImm, aluReg, atomic, call, callLocal, exit, ja, jmpImm, jmpReg, lddw, ldMapFd, ldx, movImm, movReg, st, stx, type AluOp, type JmpOp } from '../../../vm/isa/build';
import { insn, isLddw, type Insn } from '../../../vm/isa/insn';
import { Alu, Class, PseudoLd, Src } from '../../../vm/isa/opcodes';
import type { ProgramSpec } from '../../../vm/program';
import { MapType, type MapSpec } from '../../../vm/maps/types';
import { PT_REGS } from '../../../vm/ctx/layouts';
import { Machine } from '../../../vm/machine';
import { loadPrograms, type Engine } from '../../../vm/loader';
import type { BpfMap } from '../../../vm/maps/map';
import { Region } from '../../../vm/memory/memory';
import { FixedEnv } from '../../../vm/helpers/fixed-env';
import type { RunResult } from '../../../vm/engine';

/** The maps every generated program may use (one array, so live maps are shared across loads). */
export const GEN_MAPS: readonly MapSpec[] = [
  { name: 'h', type: MapType.HASH, keySize: 4, valueSize: 16, maxEntries: 64 },
  { name: 'a', type: MapType.ARRAY, keySize: 4, valueSize: 64, maxEntries: 8 },
  { name: 'rb', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096 },
  { name: 'pa', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 24, maxEntries: 4 },
];
const HASH = 0;
const ARRAY = 1;
const RINGBUF = 2;
const PERCPU = 3;

/** mulberry32: a small seeded generator. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const ALU_OPS: AluOp[] = ['ADD', 'SUB', 'MUL', 'DIV', 'OR', 'AND', 'LSH', 'RSH', 'MOD', 'XOR', 'ARSH', 'MOV'];
const JMP_OPS: JmpOp[] = ['JEQ', 'JNE', 'JGT', 'JGE', 'JLT', 'JLE', 'JSGT', 'JSGE', 'JSLT', 'JSLE', 'JSET'];
const SIZES = ['B', 'H', 'W', 'DW'] as const;
const SIZE_BYTES = { B: 1, H: 2, W: 4, DW: 8 } as const;
/** Scalar registers the snippets compute with; r6 holds the ctx throughout. */
const SCALARS = [7, 8, 9];

type Snippet = Insn[];

class Gen {
  readonly subs: Insn[][] = [];
  constructor(readonly r: Rng) {}

  /** Mostly-small immediates, sometimes edge values. */
  imm(): number {
    const r = this.r;
    if (r.chance(0.6)) return r.int(-16, 64);
    return r.pick([0, 1, -1, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 4096, 0x7fffffff, -0x80000000, r.int(-1e9, 1e9)]);
  }

  alu(): Snippet {
    const r = this.r;
    const op = r.pick(ALU_OPS);
    const dst = r.pick(SCALARS);
    const w32 = r.chance(0.25);
    if (r.chance(0.12)) {
      // Negation, byte swaps and sign-extending moves.
      const k = r.int(0, 2);
      if (k === 0) return [insn(w32 ? Class.ALU | Alu.NEG : Class.ALU64 | Alu.NEG, dst, 0, 0, 0)];
      if (k === 1) return [insn((r.chance(0.3) ? Class.ALU64 : Class.ALU) | Alu.END | (r.chance(0.5) ? Src.X : Src.K), dst, 0, 0, r.pick([16, 32, 64]))];
      return [aluReg('MOV', dst, r.pick(SCALARS), w32, r.pick(w32 ? [8, 16] : [8, 16, 32]))];
    }
    if ((op === 'LSH' || op === 'RSH' || op === 'ARSH') && r.chance(0.8)) return [aluImm(op, dst, r.int(0, w32 ? 31 : 63), w32)];
    if (r.chance(0.5)) return [aluReg(op, dst, r.pick(SCALARS), w32, (op === 'DIV' || op === 'MOD') && r.chance(0.3) ? 1 : 0)];
    return [aluImm(op, dst, this.imm(), w32)];
  }

  ctxLoad(): Snippet {
    const r = this.r;
    const size = r.pick(SIZES);
    const n = SIZE_BYTES[size];
    const off = r.chance(0.9) ? r.int(0, PT_REGS.size / n - 1) * n : r.int(-8, PT_REGS.size + 8);
    return [ldx(size, r.pick(SCALARS), 6, off, size !== 'DW' && r.chance(0.2))];
  }

  stackOff(n: number): number {
    const r = this.r;
    if (r.chance(0.95)) return -r.int(1, 512 / n) * n;
    return r.pick([0, 8, -520, -511, -3]);
  }

  stackStore(): Snippet {
    const r = this.r;
    const size = r.pick(SIZES);
    const off = this.stackOff(SIZE_BYTES[size]);
    if (r.chance(0.3)) return [st(size, 10, off, this.imm())];
    if (size === 'DW' && r.chance(0.2)) return [stx(size, 10, off, 6)];
    return [stx(size, 10, off, r.pick(SCALARS))];
  }

  stackLoad(): Snippet {
    const r = this.r;
    const size = r.pick(SIZES);
    return [ldx(size, r.pick(SCALARS), 10, this.stackOff(SIZE_BYTES[size]), size !== 'DW' && r.chance(0.2))];
  }

  /** A moved stack pointer, a store and a load through it, sometimes with a masked variable part. */
  stackPtr(): Snippet {
    const r = this.r;
    const out: Insn[] = [movReg(2, 10), aluImm('ADD', 2, -r.int(1, 64) * 8)];
    if (r.chance(0.4)) {
      const idx = r.pick(SCALARS);
      out.push(movReg(3, idx), aluImm('AND', 3, r.pick([0, 8, 16, 24, 56, 7])), aluReg('ADD', 2, 3));
    }
    const size = r.pick(SIZES);
    const n = SIZE_BYTES[size];
    const off = r.chance(0.9) ? -r.int(0, 4) * n : r.int(-16, 16);
    out.push(stx(size, 2, off, r.pick(SCALARS)), ldx(size, r.pick(SCALARS), 2, off));
    return out;
  }

  /** r0 = lookup(map, key on the stack); then a checked (usually) access to the value. */
  lookup(): Snippet {
    const r = this.r;
    const m = r.pick([HASH, ARRAY, PERCPU]);
    const spec = GEN_MAPS[m];
    const out: Insn[] = [];
    if (r.chance(0.7)) out.push(st('W', 10, -4, r.int(0, spec.maxEntries + 1)));
    else out.push(stx('W', 10, -4, r.pick(SCALARS)));
    out.push(...ldMapFd(1, m), movReg(2, 10), aluImm('ADD', 2, -4), call(1));
    const body = this.valueAccess(0, spec.valueSize);
    if (r.chance(0.9)) out.push(jmpImm('JEQ', 0, 0, body.length));
    out.push(...body);
    return out;
  }

  valueAccess(reg: number, size: number): Insn[] {
    const r = this.r;
    const out: Insn[] = [];
    const sz = r.pick(SIZES);
    const n = SIZE_BYTES[sz];
    let room = size;
    if (r.chance(0.3)) {
      const mask = r.chance(0.9) ? r.pick([1, 3, 7, 15, 31, 63].filter((m) => m < size - n) ?? [0]) ?? 0 : r.pick([15, 63, 255]);
      room = size - mask;
      out.push(movReg(4, r.pick(SCALARS)), aluImm('AND', 4, mask), movReg(5, reg), aluReg('ADD', 5, 4));
      reg = 5;
    }
    const off = r.chance(0.9) ? r.int(0, Math.max(0, Math.floor(room / n) - 1)) * n : r.int(-4, size + 4);
    const kind = r.int(0, 3);
    if (kind === 0) out.push(ldx(sz, r.pick(SCALARS), reg, off, sz !== 'DW' && r.chance(0.2)));
    else if (kind === 1) out.push(stx(sz, reg, off, r.pick(SCALARS)));
    else if (kind === 2) out.push(st(sz, reg, off, this.imm()));
    else out.push(atomic(r.pick(['ADD', 'OR', 'AND', 'XOR', 'XCHG'] as const), r.chance(0.5) ? 'DW' : 'W', reg, off & ~7, r.pick(SCALARS), r.chance(0.3)));
    return out;
  }

  helper(): Snippet {
    const r = this.r;
    const out: Insn[] = [call(r.pick([5, 7, 8, 14, 15, 35, 80, 125, 173]))];
    out.push(movReg(r.pick(SCALARS), 0));
    return out;
  }

  memHelper(): Snippet {
    const r = this.r;
    const size = r.chance(0.85) ? r.pick([1, 4, 8, 16, 32]) : r.pick([0, 600, -1]);
    const off = -r.int(1, 64) * 8;
    const out: Insn[] = [movReg(1, 10), aluImm('ADD', 1, off)];
    if (r.chance(0.3)) {
      out.push(movReg(2, r.pick(SCALARS)), aluImm('AND', 2, r.pick([7, 15, 31])));
    } else out.push(movImm(2, size));
    const h = r.pick([4, 16, 45, 112, 113, 114, 115]);
    if (h !== 16) out.push(ldx('DW', 3, 6, r.pick([112, 104, 96])));
    out.push(call(h), movReg(r.pick(SCALARS), 0));
    return out;
  }

  ringbuf(): Snippet {
    const r = this.r;
    const size = r.pick([8, 16, 24]);
    const body: Insn[] = [];
    for (let i = 0; i < r.int(0, 3); i++) body.push(...this.valueAccess(0, size));
    if (r.chance(0.9)) body.push(movReg(1, 0), movImm(2, 0), call(r.chance(0.5) ? 132 : 133));
    const out: Insn[] = [...ldMapFd(1, RINGBUF), movImm(2, size), movImm(3, 0), call(131)];
    if (r.chance(0.9)) out.push(jmpImm('JEQ', 0, 0, body.length));
    out.push(...body);
    return out;
  }

  update(): Snippet {
    const r = this.r;
    return [
      st('W', 10, -4, r.int(0, 70)),
      stx('DW', 10, -24, r.pick(SCALARS)),
      stx('DW', 10, -16, r.pick(SCALARS)),
      ...ldMapFd(1, HASH),
      movReg(2, 10),
      aluImm('ADD', 2, -4),
      movReg(3, 10),
      aluImm('ADD', 3, -24),
      movImm(4, r.int(0, 2)),
      call(2),
    ];
  }

  branch(depth: number): Snippet {
    const r = this.r;
    const body = this.snippet(depth + 1);
    const op = r.pick(JMP_OPS);
    const w32 = r.chance(0.2);
    const j = r.chance(0.5) ? jmpImm(op, r.pick(SCALARS), this.imm(), body.length, w32) : jmpReg(op, r.pick(SCALARS), r.pick(SCALARS), body.length, w32);
    return [j, ...body];
  }

  loop(depth: number): Snippet {
    const r = this.r;
    const n = r.int(1, 12);
    const body: Insn[] = [];
    for (let i = 0; i < r.int(1, 3); i++) body.push(...this.simple());
    if (depth < 1 && r.chance(0.3)) {
      const inner = this.simple();
      body.push(jmpImm(r.pick(JMP_OPS), r.pick(SCALARS), this.imm(), inner.length), ...inner);
    }
    // r5 is the counter: helpers in the body would clobber it, so the body has none.
    const out: Insn[] = [movImm(5, 0), ...body, aluImm('ADD', 5, 1)];
    out.push(jmpImm(r.chance(0.95) ? 'JLT' : 'JNE', 5, n, -(body.length + 2)));
    return out;
  }

  localCall(): Snippet {
    const r = this.r;
    const sub: Insn[] = [movReg(0, 1)];
    for (let i = 0; i < r.int(0, 3); i++) sub.push(aluImm(r.pick(['ADD', 'XOR', 'AND', 'MUL'] as const), 0, this.imm()));
    if (r.chance(0.3)) sub.push(stx('DW', 10, -8, 0), ldx('DW', 0, 10, -8));
    const passStack = r.chance(0.3);
    if (passStack || r.chance(0.05)) sub.push(stx('DW', 2, 0, 0));
    sub.push(exit());
    this.subs.push(sub);
    const id = this.subs.length - 1;
    const out: Insn[] = [movReg(1, r.pick(SCALARS))];
    if (passStack) out.push(movReg(2, 10), aluImm('ADD', 2, -r.int(1, 8) * 8));
    // The call's target is patched once the subprograms' positions are known.
    out.push({ ...callLocal(0), imm: -1 - id }, movReg(r.pick(SCALARS), 0));
    return out;
  }

  /**
   * A value chosen on two paths (sometimes through a stack spill and fill, sometimes
   * carried across other code) then used as an offset or size: exercises precision.
   */
  diamondUse(depth: number): Snippet {
    const r = this.r;
    const a = r.pick([0, 1, 4, 8, 15]);
    const b = r.chance(0.8) ? r.pick([0, 2, 7, 8]) : r.pick([16, 64, 600, -1]);
    const out: Insn[] = [movImm(4, a), jmpImm(r.pick(['JSET', 'JGT', 'JEQ'] as const), r.pick(SCALARS), r.int(0, 8), 1), movImm(4, b)];
    let reg = 4;
    if (r.chance(0.5)) {
      const off = -r.int(1, 60) * 8;
      out.push(stx('DW', 10, off, 4));
      if (r.chance(0.5) && depth < 2) out.push(...this.simple());
      out.push(ldx('DW', 4, 10, off));
    }
    if (r.chance(0.5)) {
      out.push(movReg(5, reg), aluImm('ADD', 5, r.int(0, 3)));
      reg = 5;
    }
    const use = r.int(0, 2);
    if (use === 0) {
      // An offset into the array map's value through the constant-key lookup.
      out.push(st('W', 10, -4, 0), ...ldMapFd(1, ARRAY), movReg(2, 10), aluImm('ADD', 2, -4), movReg(6, reg), call(1));
      out.push(aluReg('ADD', 0, 6), ldx('B', r.pick(SCALARS), 0, r.int(0, 8)));
    } else if (use === 1) {
      out.push(movReg(2, reg), movReg(1, 10), aluImm('ADD', 1, -16), movImm(3, 0), call(4), movReg(r.pick(SCALARS), 0));
    } else {
      out.push(movReg(2, 10), aluImm('ADD', 2, -32), aluReg('ADD', 2, reg), stx('B', 2, 0, r.pick(SCALARS)));
    }
    return out;
  }

  /** for_each_map_elem over a map with a callback that reads the value and updates a counter on the caller's stack. */
  forEach(): Snippet {
    const r = this.r;
    const cb: Insn[] = [];
    if (r.chance(0.7)) cb.push(ldx('DW', 1, 4, 0), aluImm('ADD', 1, 1), stx('DW', 4, 0, 1));
    if (r.chance(0.5)) cb.push(ldx(r.pick(['B', 'W', 'DW'] as const), 5, 3, r.pick([0, 8])));
    if (r.chance(0.05)) cb.push(ldx('DW', 5, 3, 16));
    cb.push(movImm(0, r.chance(0.95) ? r.int(0, 1) : 2), exit());
    this.subs.push(cb);
    const id = this.subs.length - 1;
    const m = r.pick([HASH, ARRAY]);
    return [
      st('DW', 10, -48, 0),
      ...ldMapFd(1, m),
      // The callback's address is patched once the subprograms' positions are known.
      { ...lddw(2, 0n, PseudoLd.FUNC)[0], imm: -1 - id },
      lddw(2, 0n, PseudoLd.FUNC)[1],
      movReg(3, 10),
      aluImm('ADD', 3, -48),
      movImm(4, 0),
      call(164),
      ldx('DW', r.pick(SCALARS), 10, -48),
    ];
  }

  /** A bound learnt on a copy with a constant difference, used on the original (linked scalars). */
  linkedUse(): Snippet {
    const r = this.r;
    const src = r.pick(SCALARS);
    const k = r.pick([-3, -1, 1, 2, 8]);
    const lim = r.pick([4, 8, 15, 16, 40]);
    const body: Insn[] = [movReg(2, 10), aluImm('ADD', 2, -64), aluReg('ADD', 2, src), stx('B', 2, r.pick([0, 8, 16, 23]), r.pick(SCALARS))];
    const out: Insn[] = [movReg(4, src), aluImm(r.chance(0.5) ? 'ADD' : 'SUB', 4, k)];
    if (r.chance(0.3)) out.push(aluImm('ADD', 4, 1));
    out.push(jmpImm(r.pick(['JGT', 'JGE', 'JSGT'] as const), 4, lim, body.length));
    if (r.chance(0.7)) out.unshift(movReg(src, src), aluImm('AND', src, 63));
    return [...out, ...body];
  }

  simple(): Snippet {
    const r = this.r;
    return r.pick([() => this.alu(), () => this.alu(), () => this.ctxLoad(), () => this.stackStore(), () => this.stackLoad(), () => this.stackPtr()])();
  }

  snippet(depth: number): Snippet {
    const r = this.r;
    const k = r.int(0, 15);
    if (k === 15 && r.chance(0.5)) return this.simple();
    if (k <= 4) return r.chance(0.15) ? this.linkedUse() : this.simple();
    if (k === 5 || k === 6) return this.lookup();
    if (k === 7) return this.helper();
    if (k === 8) return this.memHelper();
    if (k === 9) return this.ringbuf();
    if (k === 10) return this.update();
    if (k === 11 || k === 12) return depth < 2 ? this.branch(depth) : this.simple();
    if (k === 13) return depth < 2 ? this.loop(depth) : this.simple();
    if (k === 14) return r.chance(0.4) ? this.localCall() : r.chance(0.6) ? this.diamondUse(depth) : this.forEach();
    // A deliberate mistake now and then.
    return r.pick([
      () => [movReg(7, r.int(0, 5))],
      () => [ldx('DW', 7, r.pick([0, 1, 2]), 0)],
      () => [movReg(2, 10), aluReg('ADD', 2, r.pick(SCALARS)), stx('B', 2, -1, 7)],
      () => [ja(r.int(1, 2))],
    ])();
  }
}

/** A program from a seed. */
export function genProgram(seed: number): ProgramSpec {
  const g = new Gen(new Rng(seed));
  const r = g.r;
  const main: Insn[] = [movReg(6, 1), movImm(7, r.int(-5, 100)), movImm(8, r.int(0, 1000)), movImm(9, 0)];
  const n = r.int(2, 10);
  for (let i = 0; i < n; i++) main.push(...g.snippet(0));
  main.push(r.chance(0.97) ? movReg(0, r.pick(SCALARS)) : movReg(0, r.pick([6, 10, 1])), exit());
  // Place the subprograms after main and patch their calls.
  const starts: number[] = [];
  let at = main.length;
  for (const s of g.subs) {
    starts.push(at);
    at += s.length;
  }
  const insns = [...main, ...g.subs.flat()];
  insns.forEach((ins, i) => {
    const isRef = (ins.code === 0x85 && ins.src === 1) || (isLddw(ins) && ins.src === PseudoLd.FUNC);
    if (isRef && ins.imm < 0 && i < main.length) {
      const id = -1 - ins.imm;
      insns[i] = { ...ins, imm: starts[id] - i - 1 };
    }
  });
  return { name: `gen${seed}`, type: 'kprobe', insns, maps: GEN_MAPS, ctx: PT_REGS };
}

/** A machine with the generated programs' maps created once. */
export class GenMachine {
  readonly machine = new Machine();
  private live = new Map<readonly MapSpec[], BpfMap[]>();
  private ctxLin: number;
  constructor() {
    this.ctxLin = this.machine.mem.alloc(PT_REGS.size, Region.CTX);
  }

  /** Loads and runs one program with pt_regs filled from the seed. */
  run(spec: ProgramSpec, seed: number, engine?: Engine): RunResult | { loadError: string } {
    const loaded = loadPrograms(this.machine, [spec], { liveMaps: this.live, engine });
    if (!loaded.ok) return { loadError: loaded.errors.join('; ') };
    const r = new Rng(seed ^ 0x5bd1e995);
    const dv = this.machine.mem.dv;
    for (let off = 0; off < PT_REGS.size; off += 4) dv.setUint32(this.ctxLin + off, r.chance(0.5) ? r.int(0, 100) : Math.floor(r.next() * 2 ** 32), true);
    return loaded.programs[0].run(this.machine.mem.addr(this.ctxLin), new FixedEnv({ seed: seed | 1 }));
  }
}
