// The path-sensitive walk (the kernel's do_check): follows every path from the entry,
// one instruction at a time, on an abstract state; queues the other side of each
// undecided conditional jump; stops a path at exit or when a recorded checkpoint covers
// it; and gives up past the processed-instruction budget. Instruction semantics are in
// alu.ts, mem.ts, jmp.ts and calls.ts; what is printed follows the kernel's log levels.
import { type Insn, isLddw, lddwImm } from '../isa/insn';
import { Class as Class_, Jmp as Jmp_, Mode as Mode_, PseudoCall as PseudoCall_, PseudoLd as PseudoLd_, Src as Src_, aluOpOf as aluOpOf_, classOf as classOf_, modeOf as modeOf_, sizeBytes as sizeBytes_, sizeOf as sizeOf_ } from '../isa/opcodes';
import { Atomic as Atomic_ } from '../isa/opcodes';
import type { Env } from './env';
import { type HistNode, type VState, NOT_INIT, constReg, newFrame, ptrReg, typeName } from './state';
import { checkAlu } from './alu';
import { checkMemAccess } from './mem';
import { checkCondJmp } from './jmp';
import { checkExit, checkHelperCall, checkKfuncCall, checkLocalCall } from './calls';
import { isStateVisited, pathEnded } from './prune';
import { reservedFieldError, jumpTarget } from './cfg';
import { logInsn } from './disasm';
import { alignComment, frameText } from './log';
// Module-local copies: reads of imported bindings go through getters in some loaders.
const Class = { ...Class_ };
const Jmp = { ...Jmp_ };
const Mode = { ...Mode_ };
const PseudoCall = { ...PseudoCall_ };
const PseudoLd = { ...PseudoLd_ };
const Src = { ...Src_ };
const aluOpOf = aluOpOf_;
const classOf = classOf_;
const modeOf = modeOf_;
const sizeBytes = sizeBytes_;
const sizeOf = sizeOf_;
const Atomic = { ...Atomic_ };

function initialState(env: Env): VState {
  const f = newFrame(-1, 0, 0);
  if (env.spec.type === 'raw') {
    f.regs[1] = ptrReg('mem', { memSize: env.spec.ctx.size });
    f.regs[2] = constReg(BigInt(env.spec.ctx.size));
  } else {
    f.regs[1] = ptrReg('ctx');
  }
  return { frames: [f], hist: null, refs: [], parent: null, branches: 0, insn: 0, jmpsAt: 0, insnsAt: 0, hits: 0, misses: 0, callbackUnrollDepth: 0 };
}

/** Takes the next queued branch; false when none is left. */
function popBranch(env: Env): boolean {
  const next = env.pending.pop();
  if (!next) {
    // Level 1 keeps the failing path only: an accepted program's log is its summary.
    if (env.level === 1) env.log.truncate(0);
    return false;
  }
  // At level 1 the path that just ended well is dropped from the log.
  if (env.level === 1) env.log.truncate(next.logMark);
  env.cur = next.state;
  env.prevInsnIdx = next.from;
  env.printState = true;
  return true;
}

export function walk(env: Env): void {
  env.cur = initialState(env);
  const insns = env.insns;
  const mapName = (i: number): string => String(i);
  for (;;) {
    const idx = env.cur.insn;
    env.insnIdx = idx;
    env.curNode = null;
    if (++env.processed > env.limits.maxInsns) {
      env.reject(`BPF program is too large. Processed ${env.processed} insn`);
    }
    if (env.cfg.prunePoint[idx] && isStateVisited(env, idx)) {
      if (env.level >= 1) {
        if (env.printState && env.prevInsnIdx >= 0) env.log.line(`from ${env.prevInsnIdx} to ${idx}: safe`);
        else env.log.line(`${idx}: safe`);
      }
      pathEnded(env, env.cur);
      if (!popBranch(env)) return;
      continue;
    }
    if (env.level >= 1 && env.printState) env.log.line(env.prevInsnIdx >= 0 ? `from ${env.prevInsnIdx} to ${idx}: ${env.stateText()}` : `${idx}: ${env.stateText()}`);
    env.printState = false;
    env.seen[idx] = 1;
    const insn = insns[idx];
    const text = env.level >= 1 ? `${idx}: ${logInsn(insns, idx, mapName)}` : '';
    if (env.level >= 1) env.log.line(text);
    const reserved = reservedFieldError(insn);
    if (reserved) env.reject(reserved);
    const node: HistNode = { idx, frame: env.frameIndex(), slot: -1, linked: false, prev: env.cur.hist };
    env.cur.hist = node;
    env.curNode = node;
    const cls = classOf(insn.code);
    let ended = false;
    switch (cls) {
      case Class.ALU:
      case Class.ALU64:
        checkAlu(env, insn);
        env.cur.insn = idx + 1;
        break;
      case Class.LDX: {
        env.readReg(insn.src);
        env.checkWritable(insn.dst);
        checkMemAccess(env, insn.src, insn.off, sizeBytes(sizeOf(insn.code)), 'read', { regno: insn.dst, signed: modeOf(insn.code) === Mode.MEMSX });
        env.cur.insn = idx + 1;
        break;
      }
      case Class.ST:
        env.readReg(insn.dst);
        checkMemAccess(env, insn.dst, insn.off, sizeBytes(sizeOf(insn.code)), 'write', { regno: -1, imm: insn.imm });
        env.cur.insn = idx + 1;
        break;
      case Class.STX:
        if (modeOf(insn.code) === Mode.ATOMIC) checkAtomic(env, idx);
        else {
          env.readReg(insn.src);
          env.readReg(insn.dst);
          checkMemAccess(env, insn.dst, insn.off, sizeBytes(sizeOf(insn.code)), 'write', { regno: insn.src });
        }
        env.cur.insn = idx + 1;
        break;
      case Class.LD:
        checkLdImm64(env, idx);
        env.cur.insn = idx + 2;
        break;
      case Class.JMP:
      case Class.JMP32: {
        env.jmpsProcessed++;
        const op = aluOpOf(insn.code);
        if (cls === Class.JMP && op === Jmp.CALL) {
          if ((insn.code & Src.X) !== 0) {
            // callx: allowed when the register holds a known helper number (Linux has no callx).
            const target = env.readReg(insn.dst);
            if (target.type !== 'scalar' || target.var.mask !== 0n) env.reject(`R${insn.dst} callx target is not a known helper number`);
            checkHelperCall(env, { ...insn, code: Class.JMP | Jmp.CALL, dst: 0, imm: Number(BigInt.asIntN(32, target.var.value)) });
          } else if (insn.src === PseudoCall.LOCAL) checkLocalCall(env, insn);
          else if (insn.src === PseudoCall.KFUNC) checkKfuncCall(env, insn);
          else checkHelperCall(env, insn);
        } else if (cls === Class.JMP && op === Jmp.EXIT) {
          ended = checkExit(env);
        } else if (op === Jmp.JA) {
          env.cur.insn = jumpTarget(insn, idx)!;
        } else {
          checkCondJmp(env, insn);
        }
        break;
      }
      default:
        env.reject(`unknown opcode ${insn.code.toString(16).padStart(2, '0')}`);
    }
    if (env.level >= 1 && !ended) {
      const f = env.frame();
      const touched = touchedRegs(insn).filter((r) => f.regs[r].type !== 'not_init');
      const slots: number[] = [];
      if (cls === Class.ST || cls === Class.STX) {
        const base = f.regs[insn.dst];
        if (base.type === 'fp' && base.var.mask === 0n && base.frameno === env.frameIndex()) {
          const off = base.off + insn.off + Number(BigInt.asIntN(64, base.var.value));
          if (off >= -512 && off < 0) slots.push((512 + off) >> 3);
        }
      }
      const st = frameText(f, env.spec.maps, touched.sort((a, b) => a - b), slots);
      if (st) env.log.append(alignComment(text.length) + st);
    }
    if (ended) {
      pathEnded(env, env.cur);
      if (!popBranch(env)) return;
    }
  }
}

function checkLdImm64(env: Env, idx: number): void {
  const insn = env.insns[idx];
  if (!isLddw(insn)) env.reject(`unknown opcode ${insn.code.toString(16)}`);
  env.checkWritable(insn.dst);
  switch (insn.src) {
    case PseudoLd.IMM64:
      env.setReg(insn.dst, constReg(lddwImm(env.insns, idx)));
      return;
    case PseudoLd.MAP_FD:
    case PseudoLd.MAP_IDX:
      env.setReg(insn.dst, ptrReg('map_ptr', { map: insn.imm }));
      return;
    case PseudoLd.MAP_VALUE:
    case PseudoLd.MAP_IDX_VALUE:
      env.setReg(insn.dst, ptrReg('map_value', { map: insn.imm, off: env.insns[idx + 1].imm >>> 0 }));
      return;
    case PseudoLd.FUNC:
      env.setReg(insn.dst, ptrReg('func', { subprog: idx + insn.imm + 1 }));
      return;
    default:
      env.reject('unrecognized bpf_ld_imm64 insn');
  }
}

function checkAtomic(env: Env, idx: number): void {
  const insn = env.insns[idx];
  const size = sizeBytes(sizeOf(insn.code));
  if (size !== 4 && size !== 8) env.reject('invalid atomic operand size');
  env.readReg(insn.src);
  const dst = env.readReg(insn.dst);
  if (insn.imm === Atomic.CMPXCHG) env.readReg(0);
  if (dst.type === 'ctx') env.reject(`BPF_ATOMIC stores into R${insn.dst} ${typeName(dst)} is not allowed`);
  let loadReg = -1;
  if (insn.imm & Atomic.FETCH) {
    loadReg = insn.imm === Atomic.CMPXCHG ? 0 : insn.src;
    env.checkWritable(loadReg);
  }
  checkMemAccess(env, insn.dst, insn.off, size, 'read', { regno: -1, strict: true });
  if (loadReg >= 0) checkMemAccess(env, insn.dst, insn.off, size, 'read', { regno: loadReg, strict: true });
  checkMemAccess(env, insn.dst, insn.off, size, 'write', { regno: -1, strict: true });
  void NOT_INIT;
}

/** Registers an instruction reads or writes, for the state comment after it. */
function touchedRegs(insn: Insn): number[] {
  const cls = classOf(insn.code);
  const x = (insn.code & Src.X) !== 0;
  let regs: number[];
  switch (cls) {
    case Class.ALU:
    case Class.ALU64:
    case Class.JMP32:
      regs = x ? [insn.dst, insn.src] : [insn.dst];
      break;
    case Class.JMP: {
      const op = aluOpOf(insn.code);
      if (op === Jmp.CALL) regs = [0];
      else if (op === Jmp.EXIT || op === Jmp.JA) regs = [];
      else regs = x ? [insn.dst, insn.src] : [insn.dst];
      break;
    }
    case Class.LDX:
    case Class.STX:
      regs = [insn.dst, insn.src];
      break;
    default:
      regs = [insn.dst];
  }
  return [...new Set(regs.filter((r) => r <= 10))].sort((a, b) => a - b);
}
