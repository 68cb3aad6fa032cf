// Decisions made before any code is emitted, per function and slot: how each memory
// access finds its linear address (a fixed offset in the current stack frame, an
// unchecked wrap where the verifier proved the region, or a checked translation), and
// which path each helper call takes (the generic import that receives BigInts, or one of
// the fast paths of fast-helpers.ts when the map and the stack buffers are known at
// compile time). Knowledge comes from a small forward pass over each basic block that
// tracks registers holding constants or `r10 + K`; it starts from nothing at every block
// entry, so it never needs a fixed point. The verifier's proofs arrive as AccessFacts.
import type { Op } from './decode';
import type { Block, Cfg } from './cfg';
import type { AccessFact } from '../verifier/facts';
import { Limits } from '../isa/opcodes';
import { MapType, type MapSpec } from '../maps/types';
import { round8 } from '../maps/map';
import { PAGE_SIZE } from '../memory/memory';
import { fastPathFor, type FastPath, type FastEnv } from './fast-helpers';
import { inFrame, type Known } from './known';

/** How a load, store or atomic reaches memory. */
export type Access =
  /** Inside the current 512-byte frame: `fpb` (frame pointer - 512) plus this non-negative offset. */
  | { k: 'frame'; offset: number }
  /** Proven by the verifier: the register's low 32 bits plus off, unchecked. */
  | { k: 'proven' }
  /** Translated and checked at run time (per-site page cache, exact fault otherwise). */
  | { k: 'checked' };

export type CallPlan = { k: 'generic'; id: number } | { k: 'unknown'; id: number } | { k: 'fast'; path: FastPath };

export interface FnPlan {
  access: Map<number, Access>;
  calls: Map<number, CallPlan>;
}

/** Regions whose accesses the verifier proves in bounds (btf_id loads may fault by design; 'mixed' is not trusted). */
const PROVEN_REGIONS = new Set<AccessFact['region']>(['stack', 'ctx', 'map_value', 'map_key', 'ringbuf_mem']);

/**
 * Whether a map's keys and values stay mapped for as long as a program may hold a pointer to one.
 * Hash elements above half a page are whole-page allocations that a delete or an LRU
 * eviction unmaps (the kernel keeps them alive until the program ends; the machine
 * does not), so accesses to them keep their check. Arrays and small elements never
 * lose their pages.
 */
export function stableValues(m: MapSpec | undefined, nrCpus: number): boolean {
  if (!m) return false;
  const hash = m.type === MapType.HASH || m.type === MapType.PERCPU_HASH || m.type === MapType.LRU_HASH || m.type === MapType.LRU_PERCPU_HASH;
  if (!hash) return true;
  const perCpu = m.type === MapType.PERCPU_HASH || m.type === MapType.LRU_PERCPU_HASH;
  return round8(m.keySize) + round8(m.valueSize) * (perCpu ? nrCpus : 1) <= PAGE_SIZE / 2;
}

export interface PlanEnv extends FastEnv {
  /** r10 is never written anywhere in the program, so it always holds its frame's pointer. */
  staticFp: boolean;
  facts?: readonly (AccessFact | undefined)[];
  /** The program's maps, for the map indices of map_value and map_key facts (without them those facts are not trusted). */
  mapSpecs?: readonly MapSpec[];
  /** Helpers the machine provides, by number. */
  hasHelper(id: number): boolean;
  fastHelpers: boolean;
}

export function planFunction(cfg: Cfg, env: PlanEnv): FnPlan {
  const plan: FnPlan = { access: new Map(), calls: new Map() };
  for (const b of cfg.blocks) planBlock(b, env, plan);
  return plan;
}

function planBlock(b: Block, env: PlanEnv, plan: FnPlan): void {
  const regs: Known[] = new Array(11).fill(null);
  if (env.staticFp) regs[10] = { k: 'fp', off: 0 };
  const access = (pc: number, base: number, off: number, bytes: number): void => {
    const r = regs[base];
    if (r && r.k === 'fp' && inFrame(r.off + off, bytes)) plan.access.set(pc, { k: 'frame', offset: r.off + off + Limits.STACK_SIZE });
    else {
      const fact = env.facts?.[pc];
      const proven = fact !== undefined && PROVEN_REGIONS.has(fact.region) && (fact.region !== 'map_value' && fact.region !== 'map_key' ? true : stableValues(env.mapSpecs?.[fact.map ?? -1], env.nrCpus));
      plan.access.set(pc, proven ? { k: 'proven' } : { k: 'checked' });
    }
  };
  for (const { pc, op } of b.ops) {
    switch (op.t) {
      case 'load':
        access(pc, op.base, op.off, op.bytes);
        regs[op.dst] = null;
        break;
      case 'store':
      case 'atomic_bad':
        access(pc, op.base, op.off, op.bytes);
        break;
      case 'atomic':
        access(pc, op.base, op.off, op.bytes);
        if (op.op === 'cmpxchg') regs[0] = null;
        else if (op.fetch) regs[op.src] = null;
        break;
      case 'helper': {
        const fast = env.fastHelpers ? fastPathFor(op.id, regs, env) : null;
        plan.calls.set(pc, fast ? { k: 'fast', path: fast } : env.hasHelper(op.id) ? { k: 'generic', id: op.id } : { k: 'unknown', id: op.id });
        regs[0] = null;
        break;
      }
      case 'callx':
        regs[0] = null;
        break;
      case 'local_call':
        for (let r = 0; r <= 5; r++) regs[r] = null;
        break;
      case 'lddw':
        regs[op.dst] = { k: 'const', v: op.value };
        break;
      case 'mov':
        if (!op.w64 || op.sx !== 0) regs[op.dst] = 'imm' in op.src && !op.w64 ? { k: 'const', v: BigInt(op.src.imm >>> 0) } : null;
        else regs[op.dst] = 'imm' in op.src ? { k: 'const', v: BigInt.asUintN(64, BigInt(op.src.imm)) } : regs[op.src.reg];
        break;
      case 'alu': {
        const cur = regs[op.dst];
        if (op.w64 && op.op === 'add' && 'imm' in op.src && cur) {
          regs[op.dst] = cur.k === 'fp' ? { k: 'fp', off: cur.off + op.src.imm } : { k: 'const', v: BigInt.asUintN(64, cur.v + BigInt(op.src.imm)) };
        } else if (op.w64 && op.op === 'sub' && 'imm' in op.src && cur && cur.k === 'fp') {
          regs[op.dst] = { k: 'fp', off: cur.off - op.src.imm };
        } else regs[op.dst] = null;
        break;
      }
      case 'neg':
      case 'le':
      case 'swap':
        regs[op.dst] = null;
        break;
      case 'ja':
      case 'jcond':
      case 'exit':
      case 'bad':
        break;
      default: {
        const never: never = op;
        throw new Error(`unhandled op ${String(never)}`);
      }
    }
  }
}

/** True when an operation is the last of a budget segment: it has an effect, or may fault. */
export function endsSegment(op: Op, access: Access | undefined): boolean {
  switch (op.t) {
    case 'store':
    case 'atomic':
    case 'atomic_bad':
    case 'helper':
    case 'callx':
    case 'local_call':
    case 'bad':
      return true;
    case 'load':
      return access?.k === 'checked';
    default:
      return false;
  }
}
