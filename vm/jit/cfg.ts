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
  /** Block id starting at each slot (leaders only). */
  blockAt: Map<number, number>;
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

const inside = (insns: readonly Insn[], pc: number): boolean => pc >= 0 && pc < insns.length;

/** Builds the graph of the function entered at slot `entry` (which must be inside the program). */
export function buildCfg(insns: readonly Insn[], entry: number, decoded: (Op | undefined)[] = []): Cfg {
  const op = (pc: number): Op => (decoded[pc] ??= decodeAt(insns, pc));
  // 1. Reachable slots and leaders.
  const leaders = new Set<number>([entry]);
  const seen = new Set<number>();
  const work = [entry];
  const reach = (pc: number): void => {
    if (inside(insns, pc) && !seen.has(pc)) work.push(pc);
  };
  while (work.length) {
    const pc = work.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const o = op(pc);
    switch (flowOf(o)) {
      case 'next':
        reach(pc + widthAt(insns, pc));
        break;
      case 'jump':
        if (o.t === 'ja') {
          if (inside(insns, o.target)) leaders.add(o.target);
          reach(o.target);
        }
        break;
      case 'cond':
        if (o.t === 'jcond') {
          if (inside(insns, o.target)) leaders.add(o.target);
          if (inside(insns, pc + 1)) leaders.add(pc + 1);
          reach(o.target);
          reach(pc + 1);
        }
        break;
      case 'exit':
      case 'fault':
        break;
    }
  }
  // 2. Blocks.
  const blocks: Block[] = [];
  const blockAt = new Map<number, number>();
  for (const start of [...leaders].sort((a, b) => a - b)) blockAt.set(start, blockAt.size);
  for (const [start, id] of blockAt) {
    const ops: Block['ops'] = [];
    let pc = start;
    let term: Terminator;
    for (;;) {
      const o = op(pc);
      ops.push({ pc, op: o });
      const flow = flowOf(o);
      if (flow === 'next') {
        const next = pc + widthAt(insns, pc);
        if (!inside(insns, next) || leaders.has(next)) {
          term = { k: 'fall', to: next };
          break;
        }
        pc = next;
        continue;
      }
      if (o.t === 'ja') term = { k: 'jump', to: o.target };
      else if (o.t === 'jcond') term = o.target === pc + 1 ? { k: 'jump', to: o.target } : { k: 'cond', taken: o.target, fall: pc + 1 };
      else if (flow === 'exit') term = { k: 'exit' };
      else term = { k: 'fault' };
      break;
    }
    const targets = term.k === 'fall' || term.k === 'jump' ? [term.to] : term.k === 'cond' ? [term.taken, term.fall] : [];
    const succs = targets.filter((t) => inside(insns, t)).map((t) => blockAt.get(t)!);
    blocks[id] = { id, start, ops, term, succs, preds: [] };
  }
  for (const b of blocks) for (const s of b.succs) blocks[s].preds.push(b.id);
  return analyse(blocks, blockAt, blockAt.get(entry)!);
}

function analyse(blocks: Block[], blockAt: Map<number, number>, entry: number): Cfg {
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
