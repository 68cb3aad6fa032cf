// Turning a function's control-flow graph into WebAssembly's structured control flow.
// Reducible graphs follow Norman Ramsey's "Beyond Relooper" (ICFP 2022): walk the
// dominator tree; a loop header opens a `loop`, each merge node (two or more forward
// in-edges) gets a `block` that it follows, nested so that lower reverse-postorder
// numbers sit innermost; a forward edge to a block dominated only by its source is
// emitted in place, any other edge is a `br` to the enclosing loop or block. Irreducible
// graphs fall back to a dispatcher: one `loop` around a `br_table` over a block-number
// local. What each block's code and conditions are is the emitter's business.
import type { CodeWriter } from './wasm/writer';
import type { Block, Cfg } from './cfg';

/** What the structurer asks the code generator for. */
export interface BlockEmitter {
  /** The block's straight-line code (everything but a terminating jump, exit or fault). */
  body(b: Block): void;
  /** Pushes the i32 condition of the block's terminating conditional jump (nonzero: taken). */
  cond(b: Block): void;
  /** Leaves the function at an exit. */
  exit(b: Block): void;
  /** Ends the program with the block's fault (must leave the stack polymorphic, e.g. with `unreachable`). */
  fault(b: Block): void;
  /** Ends the program with a 'bad_jump' fault: control reached slot `target`, outside the program. */
  outside(target: number): void;
}

type Ctx = ({ k: 'if' } | { k: 'loop'; node: number } | { k: 'block'; node: number })[];

/** Emits the whole function body for `cfg` into `w`; `label` is an i32 local the dispatcher fallback may use. */
export function emitStructured(cfg: Cfg, w: CodeWriter, em: BlockEmitter, label: () => number): void {
  if (cfg.reducible) new Ramsey(cfg, w, em).run(cfg.entry);
  else dispatcher(cfg, w, em, label());
  // Every path ends in a return, branch or fault; tell the validator so.
  w.op('unreachable');
}

/** The structurer's pending work, run from a stack so that deep graphs need no deep recursion. */
type Task =
  | { k: 'tree'; x: number }
  | { k: 'within'; x: number; merges: number[] }
  | { k: 'branch'; from: number; to: number }
  /** `else`, then the fall-through branch of a conditional. */
  | { k: 'else'; from: number; to: number }
  /** Closes the innermost block, loop or if. */
  | { k: 'close' };

class Ramsey {
  private readonly ctx: Ctx = [];
  private readonly todo: Task[] = [];

  constructor(
    private readonly cfg: Cfg,
    private readonly w: CodeWriter,
    private readonly em: BlockEmitter,
  ) {}

  run(entry: number): void {
    this.todo.push({ k: 'tree', x: entry });
    // Tasks are pushed in reverse order of execution.
    for (let t = this.todo.pop(); t; t = this.todo.pop()) {
      switch (t.k) {
        case 'tree':
          this.tree(t.x);
          break;
        case 'within':
          this.within(t.x, t.merges);
          break;
        case 'branch':
          this.branch(t.from, t.to);
          break;
        case 'else':
          this.w.else_();
          this.todo.push({ k: 'branch', from: t.from, to: t.to });
          break;
        case 'close':
          this.ctx.pop();
          this.w.end();
          break;
        default: {
          const never: never = t;
          throw new Error(`unhandled task ${String(never)}`);
        }
      }
    }
  }

  /** A dominator-tree node: inside a `loop` if it heads one, its merge children following it in blocks. */
  private tree(x: number): void {
    const { cfg } = this;
    const merges = cfg.children[x].filter((c) => cfg.merge[c]).sort((a, b) => cfg.rpoIndex[b] - cfg.rpoIndex[a]);
    if (cfg.loopHeader[x]) {
      this.w.loop();
      this.ctx.push({ k: 'loop', node: x });
      this.todo.push({ k: 'close' });
    }
    this.todo.push({ k: 'within', x, merges });
  }

  private within(x: number, merges: number[]): void {
    if (merges.length) {
      const [y, ...rest] = merges;
      this.w.block();
      this.ctx.push({ k: 'block', node: y });
      this.todo.push({ k: 'tree', x: y }, { k: 'close' }, { k: 'within', x, merges: rest });
      return;
    }
    const b = this.cfg.blocks[x];
    this.em.body(b);
    const t = b.term;
    switch (t.k) {
      case 'fall':
      case 'jump':
        this.todo.push({ k: 'branch', from: x, to: t.to });
        break;
      case 'cond': {
        this.em.cond(b);
        const taken = this.labelOf(x, t.taken);
        const fall = this.labelOf(x, t.fall);
        if (taken >= 0) {
          this.w.brIf(taken);
          this.todo.push({ k: 'branch', from: x, to: t.fall });
        } else if (fall >= 0) {
          this.w.op('i32.eqz').brIf(fall);
          this.todo.push({ k: 'branch', from: x, to: t.taken });
        } else {
          this.w.if_();
          this.ctx.push({ k: 'if' });
          this.todo.push({ k: 'close' }, { k: 'else', from: x, to: t.fall }, { k: 'branch', from: x, to: t.taken });
        }
        break;
      }
      case 'exit':
        this.em.exit(b);
        break;
      case 'fault':
        this.em.fault(b);
        break;
      default: {
        const never: never = t;
        throw new Error(`unhandled terminator ${String(never)}`);
      }
    }
  }

  /** The br depth for an edge that must be a branch (back edge or merge target), or -1 when it is emitted in place. */
  private labelOf(from: number, toSlot: number): number {
    const to = this.cfg.blockAt(toSlot);
    if (to < 0) return -1;
    const back = this.cfg.rpoIndex[to] <= this.cfg.rpoIndex[from];
    if (!back && !this.cfg.merge[to]) return -1;
    const want = back ? 'loop' : 'block';
    const ctx = this.ctx;
    for (let i = ctx.length - 1; i >= 0; i--) {
      const c = ctx[i];
      if (c.k === want && c.node === to) return ctx.length - 1 - i;
    }
    throw new Error(`no enclosing ${want} for block ${to}`);
  }

  private branch(from: number, toSlot: number): void {
    const to = this.cfg.blockAt(toSlot);
    if (to < 0) {
      this.em.outside(toSlot);
      return;
    }
    const label = this.labelOf(from, toSlot);
    if (label >= 0) this.w.br(label);
    else this.todo.push({ k: 'tree', x: to });
  }
}

/**
 * The fallback for irreducible graphs:
 *   loop $dispatch
 *     block $bN-1 ... block $b0
 *       local.get $label  br_table 0 1 ... N-1
 *     end  <code of b0>  ...
 *   end
 * A jump sets $label and branches back to $dispatch.
 */
function dispatcher(cfg: Cfg, w: CodeWriter, em: BlockEmitter, label: number): void {
  const order = cfg.rpo;
  const n = order.length;
  const pos = new Map(order.map((b, i) => [b, i]));
  w.i32(pos.get(cfg.entry)!).set(label);
  w.loop();
  for (let i = 0; i < n; i++) w.block();
  w.get(label).brTable(
    order.map((_, i) => i),
    n - 1,
  );
  for (let i = 0; i < n; i++) {
    w.end();
    // Now inside blocks i+1 .. n-1 and the loop: the loop is label n-1-i.
    const b = cfg.blocks[order[i]];
    const loopDepth = (extra: number): number => n - 1 - i + extra;
    const go = (toSlot: number, extra: number): void => {
      const to = cfg.blockAt(toSlot);
      if (to < 0) {
        em.outside(toSlot);
        return;
      }
      w.i32(pos.get(to)!).set(label).br(loopDepth(extra));
    };
    em.body(b);
    const t = b.term;
    switch (t.k) {
      case 'fall':
      case 'jump':
        go(t.to, 0);
        break;
      case 'cond':
        em.cond(b);
        w.if_();
        go(t.taken, 1);
        w.else_();
        go(t.fall, 1);
        w.end();
        w.op('unreachable');
        break;
      case 'exit':
        em.exit(b);
        break;
      case 'fault':
        em.fault(b);
        break;
      default: {
        const never: never = t;
        throw new Error(`unhandled terminator ${String(never)}`);
      }
    }
  }
  w.end();
}
