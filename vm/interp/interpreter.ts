// The reference interpreter: the semantics every other engine must agree with. One flat
// `switch` over the opcode byte (its cases are literal opcode values so that V8 builds a
// jump table; interp.test.ts checks the set against the named constants of isa/opcodes.ts).
//
// Registers are held as two Int32Array halves (lo, hi) rather than BigInts: adds, logic,
// shifts, compares and memory accesses stay in 32-bit integer arithmetic, and only 64-bit
// division by a wide operand goes through BigInt (alu64.ts).
//
// Memory: every load, store and atomic checks that its bytes lie in mapped pages whose
// kernel-visible prefix equals the address's upper half (memory.ts); anything else is a
// 'memory' fault. Calls: helpers by number through the HelperRuntime table (r1..r5 passed
// as BigInts, r0 returned as one); bpf-to-bpf calls push a frame that saves r6-r9 and moves
// r10 down by 512 bytes, at most 8 frames; callbacks (for_each_map_elem) run as nested
// frames through the same loop. Faults come back as results with the pc, never as host
// exceptions. What it leaves out: verification (the verifier runs before loading), and
// the operations the dispatch calls out to (ops.ts, alu64.ts). The file stays one piece
// past the usual size because the dispatch is deliberately a single switch.
import { REGION_PREFIX, type Memory } from '../memory/memory';
import { isLddw, type Insn } from '../isa/insn';
import { Limits, PseudoLd } from '../isa/opcodes';
import { funcAddress, funcSlot } from '../isa/pseudo';
import { DEFAULT_BUDGET, faultResult, VmFault, type RunResult } from '../engine';
import type { CallbackInvoker, HelperRuntime } from '../helpers/runtime';
import { RES, div64, mod64, mul64, scmp64, ucmp64 } from './alu64';
import { atomic32, atomic64, div32, mod32, sar64, shl64, shr64, swap } from './ops';

export interface InterpreterSetup {
  mem: Memory;
  helpers: HelperRuntime;
  /** Linear offset of the top of the first frame's stack; frame k's r10 is 512 * k below. */
  stackTop: number;
}

/** Registers of one running frame chain, lo and hi halves. */
type Regs = { lo: Int32Array; hi: Int32Array };

const STACK = Limits.STACK_SIZE;
const TWO32 = 4294967296;

export class Interpreter {
  private readonly code: Uint8Array;
  private readonly dst: Uint8Array;
  private readonly src: Uint8Array;
  private readonly off: Int16Array;
  private readonly imm: Int32Array;
  /** For lddw slots: the upper half of the immediate (the next slot's imm). */
  private readonly imm2: Int32Array;
  private readonly n: number;
  private left = 0;
  private depth = 0;
  private lastPc = 0;

  constructor(
    insns: readonly Insn[],
    private readonly setup: InterpreterSetup,
  ) {
    const n = (this.n = insns.length);
    this.code = new Uint8Array(n);
    this.dst = new Uint8Array(n);
    this.src = new Uint8Array(n);
    this.off = new Int16Array(n);
    this.imm = new Int32Array(n);
    this.imm2 = new Int32Array(n);
    insns.forEach((i, k) => {
      this.code[k] = i.code;
      this.dst[k] = i.dst;
      this.src[k] = i.src;
      this.off[k] = i.off;
      this.imm[k] = i.imm;
      // A register field past r10 makes the instruction invalid (as the fault kinds define it).
      if (i.dst > 10 || i.src > 10) this.code[k] = 0;
      if (isLddw(i) && k + 1 < n) {
        this.imm2[k] = insns[k + 1].imm;
        if (i.src === PseudoLd.FUNC) {
          // A callback reference loads the address of its target slot.
          const addr = funcAddress(k + 1 + i.imm);
          this.imm[k] = Number(BigInt.asIntN(32, addr));
          this.imm2[k] = Number(BigInt.asIntN(32, addr >> 32n));
        } else if (i.src !== PseudoLd.IMM64) this.code[k] = 0; // unresolved map reference: the loader must rewrite it
      }
    });
  }

  /** Registers of the outermost frame chain, reused from run to run (programs do not nest). */
  private readonly regs: Regs = { lo: new Int32Array(11), hi: new Int32Array(11) };
  private readonly invoker: CallbackInvoker = (fn, a1, a2, a3, a4, a5) => this.callback(fn, a1, a2, a3, a4, a5);
  /** r10 of the frame running when a helper was called (callbacks get the 512 bytes below it). */
  private callerR10 = 0;

  /** Runs from slot 0 with r1 and r2 set (r2 is the input length for 'raw' programs). */
  run(r1: bigint, r2 = 0n, budget = DEFAULT_BUDGET): RunResult {
    const regs = this.regs;
    regs.lo.fill(0);
    regs.hi.fill(0);
    setReg(regs, 1, r1);
    setReg(regs, 2, r2);
    this.left = budget;
    this.depth = 1;
    this.lastPc = 0;
    const helpers = this.setup.helpers;
    const saved = helpers.invoke;
    helpers.invoke = this.invoker;
    try {
      this.loop(regs, 0, this.setup.stackTop);
      return { ok: true, r0: BigInt.asUintN(64, (BigInt(regs.hi[0]) << 32n) | BigInt(regs.lo[0] >>> 0)), insns: budget - this.left };
    } catch (e) {
      return faultResult(e, this.lastPc, budget - this.left);
    } finally {
      helpers.invoke = saved;
    }
  }

  /** Runs a callback as a nested frame below the current one and returns its r0. */
  private callback(fn: bigint, a1: bigint, a2: bigint, a3: bigint, a4: bigint, a5: bigint): bigint {
    const slot = funcSlot(fn);
    if (slot < 0 || slot >= this.n) throw new VmFault('bad_jump', `callback address 0x${BigInt.asUintN(64, fn).toString(16)} is not a function of this program`, this.lastPc);
    if (this.depth >= Limits.MAX_CALL_FRAMES) throw new VmFault('call_depth', `more than ${Limits.MAX_CALL_FRAMES} nested frames`, this.lastPc);
    const regs: Regs = { lo: new Int32Array(11), hi: new Int32Array(11) };
    setReg(regs, 1, a1);
    setReg(regs, 2, a2);
    setReg(regs, 3, a3);
    setReg(regs, 4, a4);
    setReg(regs, 5, a5);
    const callerPc = this.lastPc;
    const callerR10 = this.callerR10;
    this.depth++;
    try {
      this.loop(regs, slot, callerR10 - STACK);
    } finally {
      this.depth--;
      this.lastPc = callerPc;
      this.callerR10 = callerR10;
    }
    return (BigInt(regs.hi[0]) << 32n) | BigInt(regs.lo[0] >>> 0);
  }

  /** Runs from `start` until the exit of the frame it starts in. */
  private loop(regs: Regs, start: number, frameTop: number): void {
    const { code, dst, src, off, imm, imm2, n } = this;
    const L = regs.lo;
    const H = regs.hi;
    const mem = this.setup.mem;
    const tags = mem.tags;
    const helpers = this.setup.helpers;
    let dv = mem.dv;
    L[10] = frameTop | 0;
    H[10] = mem.prefixAt(frameTop - 1) | 0;
    // Saved frames of bpf-to-bpf calls: return pc, r6-r9 (lo, hi), r10.
    const frames: number[] = [];
    let pc = start;
    let left = this.left;
    let d = 0;
    let s = 0;
    let a = 0;
    let t = 0;

    try {
      for (;;) {
        // No bounds check here: a pc outside the program reads undefined and lands in `default`.
        if (--left < 0) {
          left = 0;
          throw new VmFault('budget', `instruction budget exhausted`, pc);
        }
        d = dst[pc];
        s = src[pc];
        switch (code[pc]) {
          // ---- ALU64, immediate operand (sign-extended) ----
          case 0x07: // add
            a = imm[pc];
            t = (L[d] >>> 0) + (a >>> 0);
            L[d] = t;
            H[d] = H[d] + (a >> 31) + (t >= TWO32 ? 1 : 0);
            break;
          case 0x17: // sub
            a = imm[pc];
            H[d] = H[d] - (a >> 31) - ((L[d] >>> 0) < (a >>> 0) ? 1 : 0);
            L[d] = L[d] - a;
            break;
          case 0x27: // mul
            a = imm[pc];
            mul64(L[d], H[d], a, a >> 31);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0x37: // div, sdiv (off = 1)
            a = imm[pc];
            div64(L[d], H[d], a, a >> 31, off[pc] === 1);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0x47:
            a = imm[pc];
            L[d] |= a;
            H[d] |= a >> 31;
            break;
          case 0x57:
            a = imm[pc];
            L[d] &= a;
            H[d] &= a >> 31;
            break;
          case 0x67:
            shl64(L, H, d, imm[pc] & 63);
            break;
          case 0x77:
            shr64(L, H, d, imm[pc] & 63);
            break;
          case 0x87: // neg
            H[d] = ~H[d] + (L[d] === 0 ? 1 : 0);
            L[d] = -L[d];
            break;
          case 0x97: // mod, smod
            a = imm[pc];
            mod64(L[d], H[d], a, a >> 31, off[pc] === 1);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0xa7:
            a = imm[pc];
            L[d] ^= a;
            H[d] ^= a >> 31;
            break;
          case 0xb7:
            a = imm[pc];
            L[d] = a;
            H[d] = a >> 31;
            break;
          case 0xc7:
            sar64(L, H, d, imm[pc] & 63);
            break;
          case 0xd7: // bswap16/32/64
            if (!swap(L, H, d, imm[pc])) throw badInsn(pc, code[pc]);
            break;
          // ---- ALU64, register operand ----
          case 0x0f:
            t = (L[d] >>> 0) + (L[s] >>> 0);
            H[d] = H[d] + H[s] + (t >= TWO32 ? 1 : 0);
            L[d] = t;
            break;
          case 0x1f:
            H[d] = H[d] - H[s] - ((L[d] >>> 0) < (L[s] >>> 0) ? 1 : 0);
            L[d] = L[d] - L[s];
            break;
          case 0x2f:
            mul64(L[d], H[d], L[s], H[s]);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0x3f:
            div64(L[d], H[d], L[s], H[s], off[pc] === 1);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0x4f:
            L[d] |= L[s];
            H[d] |= H[s];
            break;
          case 0x5f:
            L[d] &= L[s];
            H[d] &= H[s];
            break;
          case 0x6f:
            shl64(L, H, d, L[s] & 63);
            break;
          case 0x7f:
            shr64(L, H, d, L[s] & 63);
            break;
          case 0x9f:
            mod64(L[d], H[d], L[s], H[s], off[pc] === 1);
            L[d] = RES[0];
            H[d] = RES[1];
            break;
          case 0xaf:
            L[d] ^= L[s];
            H[d] ^= H[s];
            break;
          case 0xbf: // mov, movsx (off = 8, 16, 32)
            switch (off[pc]) {
              case 0:
                L[d] = L[s];
                H[d] = H[s];
                break;
              case 8:
                L[d] = (L[s] << 24) >> 24;
                H[d] = L[d] >> 31;
                break;
              case 16:
                L[d] = (L[s] << 16) >> 16;
                H[d] = L[d] >> 31;
                break;
              case 32:
                L[d] = L[s];
                H[d] = L[d] >> 31;
                break;
              default:
                throw badInsn(pc, code[pc]);
            }
            break;
          case 0xcf:
            sar64(L, H, d, L[s] & 63);
            break;
          // ---- ALU (32-bit; results zero-extended) ----
          case 0x04:
            L[d] = L[d] + imm[pc];
            H[d] = 0;
            break;
          case 0x14:
            L[d] = L[d] - imm[pc];
            H[d] = 0;
            break;
          case 0x24:
            L[d] = Math.imul(L[d], imm[pc]);
            H[d] = 0;
            break;
          case 0x34:
            L[d] = div32(L[d], imm[pc], off[pc] === 1);
            H[d] = 0;
            break;
          case 0x44:
            L[d] |= imm[pc];
            H[d] = 0;
            break;
          case 0x54:
            L[d] &= imm[pc];
            H[d] = 0;
            break;
          case 0x64:
            L[d] <<= imm[pc] & 31;
            H[d] = 0;
            break;
          case 0x74:
            L[d] = L[d] >>> (imm[pc] & 31);
            H[d] = 0;
            break;
          case 0x84:
            L[d] = -L[d];
            H[d] = 0;
            break;
          case 0x94:
            L[d] = mod32(L[d], imm[pc], off[pc] === 1);
            H[d] = 0;
            break;
          case 0xa4:
            L[d] ^= imm[pc];
            H[d] = 0;
            break;
          case 0xb4:
            L[d] = imm[pc];
            H[d] = 0;
            break;
          case 0xc4:
            L[d] >>= imm[pc] & 31;
            H[d] = 0;
            break;
          case 0xd4: // le16/32/64: to little-endian, a truncation on this little-endian machine
            a = imm[pc];
            if (a === 16) L[d] &= 0xffff;
            else if (a !== 32 && a !== 64) throw badInsn(pc, code[pc]);
            if (a !== 64) H[d] = 0;
            break;
          case 0xdc: // be16/32/64
            if (!swap(L, H, d, imm[pc])) throw badInsn(pc, code[pc]);
            break;
          case 0x0c:
            L[d] = L[d] + L[s];
            H[d] = 0;
            break;
          case 0x1c:
            L[d] = L[d] - L[s];
            H[d] = 0;
            break;
          case 0x2c:
            L[d] = Math.imul(L[d], L[s]);
            H[d] = 0;
            break;
          case 0x3c:
            L[d] = div32(L[d], L[s], off[pc] === 1);
            H[d] = 0;
            break;
          case 0x4c:
            L[d] |= L[s];
            H[d] = 0;
            break;
          case 0x5c:
            L[d] &= L[s];
            H[d] = 0;
            break;
          case 0x6c:
            L[d] <<= L[s] & 31;
            H[d] = 0;
            break;
          case 0x7c:
            L[d] = L[d] >>> (L[s] & 31);
            H[d] = 0;
            break;
          case 0x9c:
            L[d] = mod32(L[d], L[s], off[pc] === 1);
            H[d] = 0;
            break;
          case 0xac:
            L[d] ^= L[s];
            H[d] = 0;
            break;
          case 0xbc: // mov32, movsx 8/16 -> 32
            a = off[pc];
            L[d] = a === 0 ? L[s] : a === 8 ? (L[s] << 24) >> 24 : a === 16 ? (L[s] << 16) >> 16 : badMov(pc, code[pc]);
            H[d] = 0;
            break;
          case 0xcc:
            L[d] >>= L[s] & 31;
            H[d] = 0;
            break;
          // ---- loads ----
          case 0x61:
            L[d] = dv.getInt32(addrOf(tags, L, H, s, off[pc], 4, 'read', pc), true);
            H[d] = 0;
            break;
          case 0x69:
            L[d] = dv.getUint16(addrOf(tags, L, H, s, off[pc], 2, 'read', pc), true);
            H[d] = 0;
            break;
          case 0x71:
            L[d] = dv.getUint8(addrOf(tags, L, H, s, off[pc], 1, 'read', pc));
            H[d] = 0;
            break;
          case 0x79:
            a = addrOf(tags, L, H, s, off[pc], 8, 'read', pc);
            L[d] = dv.getInt32(a, true);
            H[d] = dv.getInt32(a + 4, true);
            break;
          case 0x81:
            L[d] = dv.getInt32(addrOf(tags, L, H, s, off[pc], 4, 'read', pc), true);
            H[d] = L[d] >> 31;
            break;
          case 0x89:
            L[d] = dv.getInt16(addrOf(tags, L, H, s, off[pc], 2, 'read', pc), true);
            H[d] = L[d] >> 31;
            break;
          case 0x91:
            L[d] = dv.getInt8(addrOf(tags, L, H, s, off[pc], 1, 'read', pc));
            H[d] = L[d] >> 31;
            break;
          case 0x18: // lddw
            L[d] = imm[pc];
            H[d] = imm2[pc];
            pc++;
            break;
          // ---- stores ----
          case 0x62:
            dv.setInt32(addrOf(tags, L, H, d, off[pc], 4, 'write', pc), imm[pc], true);
            break;
          case 0x6a:
            dv.setInt16(addrOf(tags, L, H, d, off[pc], 2, 'write', pc), imm[pc], true);
            break;
          case 0x72:
            dv.setInt8(addrOf(tags, L, H, d, off[pc], 1, 'write', pc), imm[pc]);
            break;
          case 0x7a:
            a = addrOf(tags, L, H, d, off[pc], 8, 'write', pc);
            dv.setInt32(a, imm[pc], true);
            dv.setInt32(a + 4, imm[pc] >> 31, true);
            break;
          case 0x63:
            dv.setInt32(addrOf(tags, L, H, d, off[pc], 4, 'write', pc), L[s], true);
            break;
          case 0x6b:
            dv.setInt16(addrOf(tags, L, H, d, off[pc], 2, 'write', pc), L[s], true);
            break;
          case 0x73:
            dv.setInt8(addrOf(tags, L, H, d, off[pc], 1, 'write', pc), L[s]);
            break;
          case 0x7b:
            a = addrOf(tags, L, H, d, off[pc], 8, 'write', pc);
            dv.setInt32(a, L[s], true);
            dv.setInt32(a + 4, H[s], true);
            break;
          case 0xc3:
            atomic32(dv, addrOf(tags, L, H, d, off[pc], 4, 'atomic access', pc), L, H, s, imm[pc], pc);
            break;
          case 0xdb:
            atomic64(dv, addrOf(tags, L, H, d, off[pc], 8, 'atomic access', pc), L, H, s, imm[pc], pc);
            break;
          // ---- jumps, 64-bit compares (immediates sign-extended) ----
          case 0x05:
            pc += off[pc];
            break;
          case 0x15:
            a = imm[pc];
            if (L[d] === a && H[d] === a >> 31) pc += off[pc];
            break;
          case 0x55:
            a = imm[pc];
            if (L[d] !== a || H[d] !== a >> 31) pc += off[pc];
            break;
          case 0x25:
            a = imm[pc];
            if (ucmp64(L[d], H[d], a, a >> 31) > 0) pc += off[pc];
            break;
          case 0x35:
            a = imm[pc];
            if (ucmp64(L[d], H[d], a, a >> 31) >= 0) pc += off[pc];
            break;
          case 0xa5:
            a = imm[pc];
            if (ucmp64(L[d], H[d], a, a >> 31) < 0) pc += off[pc];
            break;
          case 0xb5:
            a = imm[pc];
            if (ucmp64(L[d], H[d], a, a >> 31) <= 0) pc += off[pc];
            break;
          case 0x45:
            a = imm[pc];
            if ((L[d] & a) !== 0 || (H[d] & (a >> 31)) !== 0) pc += off[pc];
            break;
          case 0x65:
            a = imm[pc];
            if (scmp64(L[d], H[d], a, a >> 31) > 0) pc += off[pc];
            break;
          case 0x75:
            a = imm[pc];
            if (scmp64(L[d], H[d], a, a >> 31) >= 0) pc += off[pc];
            break;
          case 0xc5:
            a = imm[pc];
            if (scmp64(L[d], H[d], a, a >> 31) < 0) pc += off[pc];
            break;
          case 0xd5:
            a = imm[pc];
            if (scmp64(L[d], H[d], a, a >> 31) <= 0) pc += off[pc];
            break;
          case 0x1d:
            if (L[d] === L[s] && H[d] === H[s]) pc += off[pc];
            break;
          case 0x5d:
            if (L[d] !== L[s] || H[d] !== H[s]) pc += off[pc];
            break;
          case 0x2d:
            if (ucmp64(L[d], H[d], L[s], H[s]) > 0) pc += off[pc];
            break;
          case 0x3d:
            if (ucmp64(L[d], H[d], L[s], H[s]) >= 0) pc += off[pc];
            break;
          case 0xad:
            if (ucmp64(L[d], H[d], L[s], H[s]) < 0) pc += off[pc];
            break;
          case 0xbd:
            if (ucmp64(L[d], H[d], L[s], H[s]) <= 0) pc += off[pc];
            break;
          case 0x4d:
            if ((L[d] & L[s]) !== 0 || (H[d] & H[s]) !== 0) pc += off[pc];
            break;
          case 0x6d:
            if (scmp64(L[d], H[d], L[s], H[s]) > 0) pc += off[pc];
            break;
          case 0x7d:
            if (scmp64(L[d], H[d], L[s], H[s]) >= 0) pc += off[pc];
            break;
          case 0xcd:
            if (scmp64(L[d], H[d], L[s], H[s]) < 0) pc += off[pc];
            break;
          case 0xdd:
            if (scmp64(L[d], H[d], L[s], H[s]) <= 0) pc += off[pc];
            break;
          // ---- jumps, 32-bit compares ----
          case 0x06: // gotol: 32-bit offset in imm
            pc += imm[pc];
            break;
          case 0x16:
            if (L[d] === imm[pc]) pc += off[pc];
            break;
          case 0x56:
            if (L[d] !== imm[pc]) pc += off[pc];
            break;
          case 0x26:
            if (L[d] >>> 0 > imm[pc] >>> 0) pc += off[pc];
            break;
          case 0x36:
            if (L[d] >>> 0 >= imm[pc] >>> 0) pc += off[pc];
            break;
          case 0xa6:
            if (L[d] >>> 0 < imm[pc] >>> 0) pc += off[pc];
            break;
          case 0xb6:
            if (L[d] >>> 0 <= imm[pc] >>> 0) pc += off[pc];
            break;
          case 0x46:
            if ((L[d] & imm[pc]) !== 0) pc += off[pc];
            break;
          case 0x66:
            if (L[d] > imm[pc]) pc += off[pc];
            break;
          case 0x76:
            if (L[d] >= imm[pc]) pc += off[pc];
            break;
          case 0xc6:
            if (L[d] < imm[pc]) pc += off[pc];
            break;
          case 0xd6:
            if (L[d] <= imm[pc]) pc += off[pc];
            break;
          case 0x1e:
            if (L[d] === L[s]) pc += off[pc];
            break;
          case 0x5e:
            if (L[d] !== L[s]) pc += off[pc];
            break;
          case 0x2e:
            if (L[d] >>> 0 > L[s] >>> 0) pc += off[pc];
            break;
          case 0x3e:
            if (L[d] >>> 0 >= L[s] >>> 0) pc += off[pc];
            break;
          case 0xae:
            if (L[d] >>> 0 < L[s] >>> 0) pc += off[pc];
            break;
          case 0xbe:
            if (L[d] >>> 0 <= L[s] >>> 0) pc += off[pc];
            break;
          case 0x4e:
            if ((L[d] & L[s]) !== 0) pc += off[pc];
            break;
          case 0x6e:
            if (L[d] > L[s]) pc += off[pc];
            break;
          case 0x7e:
            if (L[d] >= L[s]) pc += off[pc];
            break;
          case 0xce:
            if (L[d] < L[s]) pc += off[pc];
            break;
          case 0xde:
            if (L[d] <= L[s]) pc += off[pc];
            break;
          // ---- calls and exit ----
          case 0x85:
            if (s === 1) {
              // bpf-to-bpf call: save the return slot, r6-r9 and r10; the callee gets the next 512 bytes of stack.
              if (this.depth >= Limits.MAX_CALL_FRAMES) throw new VmFault('call_depth', `more than ${Limits.MAX_CALL_FRAMES} nested frames`, pc);
              frames.push(pc, L[6], H[6], L[7], H[7], L[8], H[8], L[9], H[9], L[10], H[10]);
              this.depth++;
              L[10] = L[10] - STACK;
              pc += imm[pc];
              break;
            }
            // A helper (src 0) or a kfunc (src 2, dispatched through the table under its BTF id).
            if (s !== 0 && s !== 2) throw badInsn(pc, code[pc]);
            this.left = left;
            this.lastPc = pc;
            this.callerR10 = L[10];
            try {
              callHelper(helpers, imm[pc], L, H, pc);
            } finally {
              // Callbacks run by the helper spend from the same budget, even when they fault.
              left = this.left;
            }
            dv = mem.dv;
            break;
          case 0x8d: // callx: helper number in the dst register
            this.left = left;
            this.lastPc = pc;
            this.callerR10 = L[10];
            try {
              callHelper(helpers, L[d], L, H, pc);
            } finally {
              left = this.left;
            }
            dv = mem.dv;
            break;
          case 0x95:
            if (frames.length === 0) return;
            H[10] = frames.pop()!;
            L[10] = frames.pop()!;
            H[9] = frames.pop()!;
            L[9] = frames.pop()!;
            H[8] = frames.pop()!;
            L[8] = frames.pop()!;
            H[7] = frames.pop()!;
            L[7] = frames.pop()!;
            H[6] = frames.pop()!;
            L[6] = frames.pop()!;
            pc = frames.pop()!;
            this.depth--;
            break;
          default:
            if (pc >= n || pc < 0) throw new VmFault('bad_jump', `control left the program at slot ${pc}`, pc);
            throw badInsn(pc, code[pc]);
        }
        pc++;
      }
    } finally {
      this.left = left;
    }
  }
}

/** Linear offset of `size` bytes at (H[r], L[r]) + o, or a 'memory' fault. A plain function, not a closure, so that the loop's variables stay in registers. */
function addrOf(tags: Uint8Array, L: Int32Array, H: Int32Array, r: number, o: number, size: number, what: string, pc: number): number {
  const full = (L[r] >>> 0) + o;
  const lin = full >>> 0;
  const hi = (full >= TWO32 ? H[r] + 1 : full < 0 ? H[r] - 1 : H[r]) >>> 0;
  const last = lin + size - 1;
  if (hi !== 0 && REGION_PREFIX[tags[lin >>> 12]] === hi && (last >>> 12 === lin >>> 12 || REGION_PREFIX[tags[last >>> 12]] === hi)) return lin;
  const addr = ((BigInt(hi) << 32n) | BigInt(lin)).toString(16);
  throw new VmFault('memory', `invalid ${what} of ${size} bytes at 0x${addr}`, pc);
}

function badInsn(pc: number, code: number): VmFault {
  return new VmFault('bad_insn', `unknown opcode 0x${code.toString(16).padStart(2, '0')}`, pc);
}

function badMov(pc: number, code: number): never {
  throw badInsn(pc, code);
}

function setReg(regs: Regs, r: number, v: bigint): void {
  regs.lo[r] = Number(BigInt.asIntN(32, v));
  regs.hi[r] = Number(BigInt.asIntN(32, v >> 32n));
}

const big = (L: Int32Array, H: Int32Array, r: number): bigint => (BigInt(H[r]) << 32n) | BigInt(L[r] >>> 0);

function callHelper(helpers: HelperRuntime, id: number, L: Int32Array, H: Int32Array, pc: number): void {
  const fn = helpers.table[id];
  if (!fn) throw new VmFault('helper', `unknown helper ${id}`, pc);
  const n = helpers.arity[id];
  let r0: bigint;
  try {
    r0 = fn(n > 0 ? big(L, H, 1) : 0n, n > 1 ? big(L, H, 2) : 0n, n > 2 ? big(L, H, 3) : 0n, n > 3 ? big(L, H, 4) : 0n, n > 4 ? big(L, H, 5) : 0n);
  } catch (e) {
    if (e instanceof VmFault) throw e;
    // A helper that fails in an unforeseen way still ends the program with a result.
    throw new VmFault('helper', `helper ${id} failed: ${e instanceof Error ? e.message : String(e)}`, pc);
  }
  L[0] = Number(BigInt.asIntN(32, r0));
  H[0] = Number(BigInt.asIntN(32, r0 >> 32n));
}
