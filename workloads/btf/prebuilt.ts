// The tables the bundle carries precomputed, so that a run does not parse the kernel's C
// declarations and prototypes at start-up: the type table, the traceable functions, the
// kallsyms order and the declarations the other static tables parse. Undefined when
// running from source (see prebuilt-data.ts); how the snapshot is made is in snapshot.ts.
// In the JSON every C type is an index into one pool of distinct types (a type appears
// thousands of times but there are a few hundred of them), which keeps the text, its
// parse and the objects it makes small.
import type { CType, EnumDef, FieldDef } from '../../lang/catalogue';
import type { KFuncInfo } from '../kernel/kfuncs';
import type { Decl, Prototype } from './cparse';
import type { TypeTableSnapshot } from './layout';
import { PREBUILT_JSON } from './prebuilt-data';

export interface TablesSnapshot {
  types: TypeTableSnapshot;
  kfuncs: KFuncInfo[];
  /** kallsyms in address order: name and size (addresses follow from the sizes). */
  ksyms: [string, number][];
  /** Declarations and prototypes the static tables parse (tracepoint fields, user symbols), by text. */
  decls: [string, Decl][];
  protos: [string, Prototype][];
}

/** A type's index in the pool. */
type Ref = number;

/** A pool entry: a type whose inner types are references to earlier entries. */
export type PoolType = Exclude<CType, { kind: 'ptr' } | { kind: 'array' }> | { kind: 'ptr'; to: Ref } | { kind: 'array'; of: Ref; len: number };

/** TablesSnapshot with its types as references into `pool`. */
export interface PooledTables {
  pool: PoolType[];
  types: {
    records: { kind: 'struct' | 'union'; name: string; size: number; fields: (Omit<FieldDef, 'type'> & { type: Ref })[] }[];
    enums: EnumDef[];
    typedefs: [string, Ref][];
    aligns: number[];
  };
  kfuncs: (Omit<KFuncInfo, 'args' | 'ret'> & { args: { name: string; type: Ref }[]; ret: Ref })[];
  ksyms: [string, number][];
  decls: [string, { name: string; type: Ref }][];
  protos: [string, { name: string; ret: Ref; args: { name: string; type: Ref; text: string }[] }][];
}

/** Puts every type of the tables into a pool of distinct types (for the JSON the bundle embeds). */
export function poolTables(t: TablesSnapshot): PooledTables {
  const pool: PoolType[] = [];
  const ids = new Map<string, Ref>();
  const ref = (c: CType): Ref => {
    const e: PoolType = c.kind === 'ptr' ? { kind: 'ptr', to: ref(c.to) } : c.kind === 'array' ? { kind: 'array', of: ref(c.of), len: c.len } : c;
    const key = JSON.stringify(e);
    let i = ids.get(key);
    if (i === undefined) {
      i = pool.push(e) - 1;
      ids.set(key, i);
    }
    return i;
  };
  return {
    types: {
      records: t.types.records.map((r) => ({ ...r, fields: r.fields.map((f) => ({ ...f, type: ref(f.type) })) })),
      enums: t.types.enums,
      typedefs: t.types.typedefs.map(([n, c]) => [n, ref(c)]),
      aligns: t.types.aligns,
    },
    kfuncs: t.kfuncs.map((f) => ({ ...f, args: f.args.map((a) => ({ name: a.name, type: ref(a.type) })), ret: ref(f.ret) })),
    ksyms: t.ksyms,
    decls: t.decls.map(([text, d]) => [text, { name: d.name, type: ref(d.type) }]),
    protos: t.protos.map(([text, p]) => [text, { name: p.name, ret: ref(p.ret), args: p.args.map((a) => ({ name: a.name, type: ref(a.type), text: a.text })) }]),
    pool,
  };
}

/** The tables with their types resolved, reusing the parsed objects in place (each pool type is one object). */
export function unpoolTables(p: PooledTables): TablesSnapshot {
  const ct: CType[] = [];
  for (const e of p.pool) ct.push(e.kind === 'ptr' ? { kind: 'ptr', to: ct[e.to] } : e.kind === 'array' ? { kind: 'array', of: ct[e.of], len: e.len } : e);
  type Slot = { type: Ref | CType };
  const fix = (x: Slot): void => {
    x.type = ct[x.type as Ref];
  };
  for (const r of p.types.records) for (const f of r.fields) fix(f);
  for (const td of p.types.typedefs) (td as unknown as [string, CType])[1] = ct[td[1]];
  for (const f of p.kfuncs) {
    for (const a of f.args) fix(a);
    (f as unknown as { ret: CType }).ret = ct[f.ret];
  }
  for (const [, d] of p.decls) fix(d);
  for (const [, pr] of p.protos) {
    for (const a of pr.args) fix(a);
    (pr as unknown as { ret: CType }).ret = ct[pr.ret];
  }
  return p as unknown as TablesSnapshot;
}

let parsed: TablesSnapshot | undefined;

/** The precomputed tables, or undefined when the tables are to be built from source. */
export function prebuiltTables(): TablesSnapshot | undefined {
  if (PREBUILT_JSON === undefined) return undefined;
  parsed ??= unpoolTables(JSON.parse(PREBUILT_JSON) as PooledTables);
  return parsed;
}
