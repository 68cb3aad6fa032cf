// The imports of a compiled module: what each is bound to (a fault or budget report, the
// page-cache miss handler, callx, a helper of the machine's table, or a fast-path
// import) and its WebAssembly type, declared in a fixed order from the plans of all
// functions, so that only what the program uses is imported. Binding them to JavaScript
// is runtime.ts's job.
import type { ModuleBuilder, FuncType } from './wasm/module';
import { ValType } from './wasm/opcodes';
import type { BpfMap } from '../maps/map';
import type { HelperRuntime } from '../helpers/runtime';
import { helperById } from '../helpers/protos';
import type { FnPlan } from './plan';
import { fastImportOf, type FastImport } from './fast-helpers';
import type { ModCtx } from './context';

/** What an import is bound to. */
export type ImportSpec =
  | { k: 'fault' }
  | { k: 'budget' }
  | { k: 'miss' }
  | { k: 'callx' }
  | { k: 'helper'; id: number }
  | { k: 'fast'; f: FastImport };

const I64 = ValType.i64;
const I32 = ValType.i32;

const FIXED: Record<'fault' | 'budget' | 'miss' | 'callx', FuncType> = {
  /** fault(index into the fault table) */
  fault: { params: [I32], results: [] },
  /** budget(first slot of the segment, instructions of it already run) */
  budget: { params: [I32, I32], results: [] },
  /** miss(linear offset, upper half, bytes, what, slot) -> page base, or -1 when the access spans two pages */
  miss: { params: [I32, I32, I32, I32, I32], results: [I32] },
  /** callx(helper number, r1..r5) -> r0 */
  callx: { params: [I32, I64, I64, I64, I64, I64], results: [I64] },
};

function fastType(f: FastImport): FuncType {
  switch (f.k) {
    case 'lookup':
      return { params: [I32], results: [I64] };
    case 'update':
      return { params: [I32, I32, I32], results: [I32] };
    case 'comm':
      return { params: [I32, I32], results: [I32] };
    case 'cpu':
      return { params: [], results: [I32] };
    default: {
      const never: never = f;
      throw new Error(`unhandled fast import ${String(never)}`);
    }
  }
}

function fastName(f: FastImport): string {
  switch (f.k) {
    case 'lookup':
    case 'update':
      return `${f.k}_${f.map.spec.name.replace(/[^\w@]/g, '_')}_${f.map.lin.toString(16)}`;
    case 'comm':
    case 'cpu':
      return f.k;
    default: {
      const never: never = f;
      throw new Error(`unhandled fast import ${String(never)}`);
    }
  }
}

/** Declares every import the plans need on the module; returns them in order with their indices. */
export function declareImports(m: ModuleBuilder, plans: Iterable<FnPlan>, usesCallx: boolean, rt: HelperRuntime): { list: { name: string; spec: ImportSpec }[]; imp: ModCtx['imp'] } {
  let anyChecked = false;
  const helperIds = new Set<number>();
  const fast = new Map<string, FastImport>();
  for (const plan of plans) {
    for (const a of plan.access.values()) if (a.k === 'checked') anyChecked = true;
    for (const c of plan.calls.values()) {
      if (c.k === 'generic') helperIds.add(c.id);
      const f = c.k === 'fast' ? fastImportOf(c.path) : null;
      if (f) fast.set(fastName(f), f);
    }
  }
  const list: { name: string; spec: ImportSpec }[] = [];
  const add = (spec: ImportSpec, name: string, t: FuncType): number => {
    list.push({ name, spec });
    return m.importFunc('env', name, t);
  };
  const imp: ModCtx['imp'] = {
    fault: add({ k: 'fault' }, 'fault', FIXED.fault),
    budget: add({ k: 'budget' }, 'budget', FIXED.budget),
    miss: anyChecked ? add({ k: 'miss' }, 'miss', FIXED.miss) : -1,
    callx: usesCallx ? add({ k: 'callx' }, 'callx', FIXED.callx) : -1,
    cpu: -1,
    comm: -1,
    helper: new Map<number, number>(),
    lookup: new Map<BpfMap, number>(),
    update: new Map<BpfMap, number>(),
  };
  for (const id of [...helperIds].sort((a, b) => a - b)) {
    const name = helperById(id) ? `bpf_${helperById(id)!.name}` : `helper_${id}`;
    imp.helper.set(id, add({ k: 'helper', id }, name, { params: new Array(rt.arity[id] ?? 5).fill(I64), results: [I64] }));
  }
  for (const [name, f] of fast) {
    const idx = add({ k: 'fast', f }, name, fastType(f));
    if (f.k === 'lookup') imp.lookup.set(f.map, idx);
    else if (f.k === 'update') imp.update.set(f.map, idx);
    else if (f.k === 'cpu') imp.cpu = idx;
    else imp.comm = idx;
  }
  return { list, imp };
}
