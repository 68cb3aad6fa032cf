// The snapshot of the kernel's static tables that the bundle carries instead of parsing
// the C declarations at start-up: the tables rebuilt from its JSON equal the ones built
// from source (records with their layout and alignment, enums, typedefs, the traceable
// functions and kallsyms).
import { describe, expect, it } from 'vitest';
import type { CType } from '../../lang/catalogue';
import { TypeBuilder } from '../../workloads/btf/layout';
import type { TablesSnapshot } from '../../workloads/btf/prebuilt';
import { tablesSnapshotJson } from '../../workloads/btf/snapshot';
import { kernelTypesFromSource } from '../../workloads/btf/table';
import { kallsymsFromSnapshot, kallsymsFromSource, kernelFuncsFromSource } from '../../workloads/kernel/kfuncs';

const source = kernelTypesFromSource();
const snap = JSON.parse(tablesSnapshotJson()) as TablesSnapshot;
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
