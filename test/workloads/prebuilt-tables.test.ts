// The snapshot of the kernel's static tables that the bundle carries instead of parsing
// the C declarations at start-up: the tables rebuilt from its JSON equal the ones built
// from source (records with their layout and alignment, enums, typedefs, the traceable
// functions and kallsyms, the declarations other tables parse), and memoised parses
// still refuse a typedef name the caller does not know.
import { describe, expect, it } from 'vitest';
import type { CType } from '../../lang/catalogue';
import { parseDecl, parsePrototype } from '../../workloads/btf/cparse';
import { TypeBuilder } from '../../workloads/btf/layout';
import { type PooledTables, unpoolTables } from '../../workloads/btf/prebuilt';
import { tablesSnapshotJson } from '../../workloads/btf/snapshot';
import { kernelTypesFromSource } from '../../workloads/btf/table';
import { kallsymsFromSnapshot, kallsymsFromSource, kernelFuncsFromSource } from '../../workloads/kernel/kfuncs';

const source = kernelTypesFromSource();
const json = tablesSnapshotJson();
const snap = unpoolTables(JSON.parse(json) as PooledTables);
const rebuilt = TypeBuilder.fromSnapshot(snap.types);

describe('prebuilt kernel tables', () => {
  it('rebuild every record with its layout and alignment', () => {
    expect(source.records.size).toBeGreaterThan(100);
    expect([...rebuilt.records.keys()]).toEqual([...source.records.keys()]);
    for (const [name, rec] of source.records) {
      expect(rebuilt.records.get(name), name).toEqual(rec);
      const t: CType = { kind: rec.kind, name };
      expect([rebuilt.sizeOf(t), rebuilt.alignOf(t)], name).toEqual([source.sizeOf(t), source.alignOf(t)]);
    }
  });

  it('rebuild enums and typedefs, and parse declarations against the same names', () => {
    expect([...rebuilt.enums]).toEqual([...source.enums]);
    expect([...rebuilt.typedefs]).toEqual([...source.typedefs]);
    for (const d of ['const char * filename', 'struct task_struct *curr', 'u64 ts[4]', 'pid_t pid']) expect(rebuilt.decl(d)).toEqual(source.decl(d));
    expect(rebuilt.field('task_struct', 'se.vruntime')).toEqual(source.field('task_struct', 'se.vruntime'));
  });

  it('store each distinct type once', () => {
    const pooled = JSON.parse(json) as PooledTables;
    const keys = pooled.pool.map((t) => JSON.stringify(t));
    expect(new Set(keys).size).toBe(keys.length);
    expect(pooled.pool.length).toBeLessThan(2000);
    // Types that are the same are one object once unpooled.
    const arg0 = (fn: string) => snap.kfuncs.find((f) => f.name === fn)!.args[0].type;
    expect(arg0('vfs_read')).toEqual({ kind: 'ptr', to: { kind: 'struct', name: 'file' } });
    expect(arg0('vfs_read')).toBe(arg0('vfs_write'));
  });

  it('carry the traceable functions and kallsyms as built from source', () => {
    const fns = kernelFuncsFromSource(source);
    expect(fns.length).toBeGreaterThan(500);
    expect(snap.kfuncs).toEqual(fns);
    const syms = kallsymsFromSource(fns);
    expect(kallsymsFromSnapshot(snap.ksyms)).toEqual(syms);
    // Addresses rise with no overlap, every traceable function among them.
    for (let i = 1; i < syms.length; i++) expect(syms[i].addr >= syms[i - 1].addr + BigInt(syms[i - 1].size)).toBe(true);
    const names = new Set(syms.map((s) => s.name));
    expect(fns.filter((f) => !names.has(f.name))).toEqual([]);
  });
});

describe('parsed declarations', () => {
  const known = (n: string) => source.typedefs.has(n);

  it('the snapshot carries the tracepoint fields and user symbols as parsed from their text', () => {
    expect(snap.decls.length).toBeGreaterThan(300);
    expect(snap.protos.length).toBeGreaterThan(50);
    for (const [text, d] of snap.decls) expect(JSON.parse(JSON.stringify(parseDecl(text, known))), text).toEqual(d);
    const user = (n: string) => known(n) || ['size_t', 'ssize_t', 'pid_t', 'uid_t', 'bool'].includes(n);
    for (const [text, p] of snap.protos) expect(JSON.parse(JSON.stringify(parsePrototype(text, user))), text).toEqual(p);
  });

  it('a text parsed before is parsed again, and refused, under names that do not know its typedefs', () => {
    expect(parseDecl('pid_t pid', known).type).toEqual({ kind: 'typedef', name: 'pid_t' });
    expect(() => parseDecl('pid_t pid', () => false)).toThrow(/unknown type name 'pid_t'/);
    expect(parsePrototype('int f(pid_t p)', known).args[0].type).toEqual({ kind: 'typedef', name: 'pid_t' });
    expect(() => parsePrototype('int f(pid_t p)', (n) => n !== 'pid_t')).toThrow(/unknown type name 'pid_t'/);
  });
});
