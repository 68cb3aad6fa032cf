// The code generator for one function: the structurer (structure.ts) asks it for each
// basic block's straight-line code, the condition of a closing conditional jump, exits
// and faults. It also keeps the instruction budget exact: a block is cut into segments
// that end at the first operation with an effect or a possible fault (a store, atomic,
// call or checked load), and each segment subtracts its length on entry. When the
// budget cannot cover a segment, the program faults at exactly the slot where the
// interpreter would stop, since everything before it in the segment only changes
// registers.
import type { Block } from './cfg';
import type { BlockEmitter } from './structure';
import type { Op } from './decode';
import { endsSegment } from './plan';
import { Loc, RESULT_REGS, type FnCtx } from './context';
import { emitAlu, emitCond, emitLe, emitMov, emitNeg, emitSwap } from './emit-alu';
import { emitAtomic, emitAtomicBadAddress, emitLoad, emitStore } from './emit-mem';
import { emitBudget, emitCallx, emitFault, emitHelperCall, emitLocalCall, emitOutside, syncLeft } from './emit-call';

export class FnEmitter implements BlockEmitter {
  constructor(private readonly f: FnCtx) {}

  /** The function's first instructions: load the budget, derive the frame base. */
  prologue(): void {
    const { w, mod } = this.f;
    w.gget(mod.g.left).set(Loc.LEFT);
    if (mod.staticFp) w.get(10).op('i32.wrap_i64').i32(512).op('i32.sub').set(Loc.FPB);
  }

  body(b: Block): void {
    const ops = b.ops;
    const closing = b.term.k === 'fall' ? ops.length : ops.length - 1;
    let segStart = 0;
    for (let i = 0; i < ops.length; i++) {
      if (i === segStart) {
        let end = i;
        while (end < ops.length - 1 && !endsSegment(ops[end].op, this.f.plan.access.get(ops[end].pc))) end++;
        this.f.w.mark(ops[i].pc);
        emitBudget(this.f, ops[i].pc, end - i + 1);
        segStart = end + 1;
      }
      this.f.w.mark(ops[i].pc);
      if (i < closing) this.op(ops[i].pc, ops[i].op);
    }
  }

  private op(pc: number, op: Op): void {
    const { f } = this;
    const w = f.w;
    switch (op.t) {
      case 'alu':
        emitAlu(w, op);
        return;
      case 'mov':
        emitMov(w, op);
        return;
      case 'neg':
        emitNeg(w, op);
        return;
      case 'le':
        emitLe(w, op);
        return;
      case 'swap':
        emitSwap(w, op);
        return;
      case 'lddw':
        w.i64(op.value).set(op.dst);
        return;
      case 'load':
        emitLoad(f, pc, op);
        return;
      case 'store':
        emitStore(f, pc, op);
        return;
      case 'atomic':
        emitAtomic(f, pc, op);
        return;
      case 'helper':
        emitHelperCall(f, pc, f.plan.calls.get(pc));
        return;
      case 'callx':
        emitCallx(f, pc, op.reg);
        return;
      case 'local_call':
        emitLocalCall(f, pc, op.target);
        return;
      case 'atomic_bad':
      case 'bad':
      case 'ja':
      case 'jcond':
      case 'exit':
        throw new Error(`slot ${pc}: ${op.t} only closes a block`);
      default: {
        const never: never = op;
        throw new Error(`unhandled op ${String(never)}`);
      }
    }
  }

  cond(b: Block): void {
    const last = b.ops[b.ops.length - 1].op;
    if (last.t !== 'jcond') throw new Error(`block at slot ${b.start} does not end in a conditional jump`);
    emitCond(this.f.w, last);
  }

  exit(): void {
    const { w } = this.f;
    syncLeft(this.f);
    for (let r = 0; r < RESULT_REGS; r++) w.get(r);
    w.op('return');
  }

  fault(b: Block): void {
    const { pc, op } = b.ops[b.ops.length - 1];
    if (op.t === 'atomic_bad') {
      emitAtomicBadAddress(this.f, pc, op);
      emitFault(this.f, 'bad_insn', `unknown atomic operation 0x${op.imm.toString(16)}`, pc);
    } else if (op.t === 'bad') emitFault(this.f, 'bad_insn', op.message, pc);
    else throw new Error(`block at slot ${b.start} does not end in a fault`);
  }

  outside(target: number): void {
    emitOutside(this.f, target);
  }
}
