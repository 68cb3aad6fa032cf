// The control-flow graph of one function (the slots reachable from an entry without
// following calls): basic blocks, reverse postorder, dominators (Cooper, Harvey and
// Kennedy's iterative algorithm), back edges, loop headers, merge nodes, and whether
// the graph is reducible. A function that runs off its own end into another one simply
// contains that code too, as the interpreter would run it. Control leaving the program
// (a jump target or fall-through outside it) is an edge to no block: the code generator
// emits a 'bad_jump' fault there. How the graph becomes WebAssembly is in structure.ts.
import type { Insn } from '../isa/insn';
import { decodeAt, flowOf, widthAt, type Op } from './decode';

export type Terminator =
  /** Runs on into the next slot (which starts another block, or lies outside the program). */
  | { k: 'fall'; to: number }
  | { k: 'jump'; to: number }
  | { k: 'cond'; taken: number; fall: number }
  | { k: 'exit' }
  | { k: 'fault' };

export interface Block {
  id: number;
  start: number;
  /** The block's operations with their slots, the terminating one included. */
  ops: { pc: number; op: Op }[];
  term: Terminator;
  /** Successor block ids (one per edge to a slot inside the program). */
  succs: number[];
  preds: number[];
}

export interface Cfg {
  entry: number;
  blocks: Block[];
  /** The id of the block starting at a slot, or -1 (not a leader, or outside the program). */
  blockAt(pc: number): number;
  /** Block ids in reverse postorder; rpo[0] is the entry block. */
  rpo: number[];
  /** Position of each block in rpo. */
  rpoIndex: Int32Array;
  /** Immediate dominator of each block (the entry block is its own). */
  idom: Int32Array;
  /** Dominator-tree children of each block. */
  children: number[][];
  loopHeader: Uint8Array;
  /** Blocks with two or more forward in-edges. */
  merge: Uint8Array;
  reducible: boolean;
}

/** Builds the graph of the function entered at slot `entry` (which must be inside the program). */
export function buildCfg(insns: readonly Insn[], entry: number, decoded: (Op | undefined)[] = []): Cfg {
  const n = insns.length;
  const op = (pc: number): Op => (decoded[pc] ??= decodeAt(insns, pc));
  // 1. Reachable slots and leaders.
  const leader = new Uint8Array(n);
  const seen = new Uint8Array(n);
  leader[entry] = 1;
  const work = [entry];
  const reach = (pc: number): void => {
    if (pc >= 0 && pc < n && !seen[pc]) work.push(pc);
  };
  const lead = (pc: number): void => {
    if (pc >= 0 && pc < n) leader[pc] = 1;
  };
  while (work.length) {
    const pc = work.pop()!;
    if (seen[pc]) continue;
    seen[pc] = 1;
    const o = op(pc);
    if (o.t === 'ja') {
      lead(o.target);
      reach(o.target);
    } else if (o.t === 'jcond') {
      lead(o.target);
      lead(pc + 1);
      reach(o.target);
      reach(pc + 1);
    } else if (flowOf(o) === 'next') reach(pc + widthAt(insns, pc));
  }
  // 2. Blocks, numbered in slot order.
  const blocks: Block[] = [];
  const blockAt = new Int32Array(n).fill(-1);
  for (let pc = 0; pc < n; pc++) if (leader[pc]) blockAt[pc] = blocks.push({ id: blocks.length, start: pc, ops: [], term: { k: 'exit' }, succs: [], preds: [] }) - 1;
  const idOf = (pc: number): number => (pc >= 0 && pc < n ? blockAt[pc] : -1);
  for (const b of blocks) {
    let pc = b.start;
    for (;;) {
      const o = op(pc);
      b.ops.push({ pc, op: o });
      const flow = flowOf(o);
      if (flow === 'next') {
        const next = pc + widthAt(insns, pc);
        if (next >= n || leader[next]) {
          b.term = { k: 'fall', to: next };
          break;
        }
        pc = next;
        continue;
      }
      if (o.t === 'ja') b.term = { k: 'jump', to: o.target };
      else if (o.t === 'jcond') b.term = o.target === pc + 1 ? { k: 'jump', to: o.target } : { k: 'cond', taken: o.target, fall: pc + 1 };
      else b.term = flow === 'exit' ? { k: 'exit' } : { k: 'fault' };
      break;
    }
    const t = b.term;
    const targets = t.k === 'fall' || t.k === 'jump' ? [t.to] : t.k === 'cond' ? [t.taken, t.fall] : [];
    for (const target of targets) if (idOf(target) >= 0) b.succs.push(idOf(target));
  }
  for (const b of blocks) for (const s of b.succs) blocks[s].preds.push(b.id);
  return analyse(blocks, idOf, blockAt[entry]);
}

function analyse(blocks: Block[], blockAt: (pc: number) => number, entry: number): Cfg {
  const n = blocks.length;
  // Reverse postorder by an iterative depth-first search.
  const post: number[] = [];
  const visited = new Uint8Array(n);
  const stack: [number, number][] = [[entry, 0]];
  visited[entry] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const b = blocks[top[0]];
    if (top[1] < b.succs.length) {
      const s = b.succs[top[1]++];
      if (!visited[s]) {
        visited[s] = 1;
        stack.push([s, 0]);
      }
    } else {
      post.push(top[0]);
      stack.pop();
    }
  }
  const rpo = post.reverse();
  const rpoIndex = new Int32Array(n).fill(-1);
  rpo.forEach((b, i) => (rpoIndex[b] = i));
  // Dominators.
  const idom = new Int32Array(n).fill(-1);
  idom[entry] = entry;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rpoIndex[a] > rpoIndex[b]) a = idom[a];
      while (rpoIndex[b] > rpoIndex[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of rpo) {
      if (b === entry) continue;
      let d = -1;
      for (const p of blocks[b].preds) if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
      if (d !== idom[b]) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  const children: number[][] = blocks.map(() => []);
  for (const b of rpo) if (b !== entry) children[idom[b]].push(b);
  const dominates = (a: number, b: number): boolean => {
    for (;;) {
      if (a === b) return true;
      if (b === entry) return false;
      b = idom[b];
    }
  };
  const loopHeader = new Uint8Array(n);
  const merge = new Uint8Array(n);
  const forwardIn = new Int32Array(n);
  let reducible = true;
  for (const b of rpo) {
    for (const s of blocks[b].succs) {
      if (rpoIndex[s] <= rpoIndex[b]) {
        loopHeader[s] = 1;
        if (!dominates(s, b)) reducible = false;
      } else forwardIn[s]++;
    }
  }
  for (let b = 0; b < n; b++) if (forwardIn[b] >= 2) merge[b] = 1;
  return { entry, blocks, blockAt, rpo, rpoIndex, idom, children, loopHeader, merge, reducible };
}
