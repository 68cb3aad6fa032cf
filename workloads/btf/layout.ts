// Lays out parsed C declarations with the x86-64 System V rules (natural alignment,
// bitfields packed into storage units of their declared type, unions at offset 0,
// anonymous members hoisted into their parent) and builds the BTF-like TypeTable the
// compiler reads. It also answers sizeof/alignof and field-path offsets for the kernel
// code that writes objects. The declarations themselves live in types-*.ts.
import type { CType, EnumDef, FieldDef, RecordDef, TypeTable } from '../../lang/catalogue';
import { parseDecl, parseDecls, type DeclFile, type RecordDecl } from './cparse';

/** A finished table as plain data (the bundle carries one, see prebuilt.ts). */
export interface TypeTableSnapshot {
  records: RecordDef[];
  enums: EnumDef[];
  typedefs: [string, CType][];
  /** Alignment per record, in records order. */
  aligns: number[];
}

export class TypeBuilder implements TypeTable {
  readonly records = new Map<string, RecordDef>();
  readonly enums = new Map<string, EnumDef>();
  readonly typedefs = new Map<string, CType>();
  private pending = new Map<string, RecordDecl>();
  private aligns = new Map<string, number>();
  /** Per record, its fields by name (the first of a name), made when a path first goes through it. */
  private fieldIndex = new Map<RecordDef, Map<string, FieldDef>>();

  /** Adds a file of declarations; records are laid out once every file is in (finish()). */
  add(src: string): this {
    const f: DeclFile = parseDecls(src, (n) => this.typedefs.has(n));
    for (const t of f.typedefs) this.typedefs.set(t.name, t.type);
    for (const e of f.enums) this.enums.set(e.name, { name: e.name, size: 4, values: Object.fromEntries(e.values) });
    for (const r of f.records) this.pending.set(r.name, r);
    return this;
  }

  /** A finished table rebuilt from its snapshot. */
  static fromSnapshot(snap: TypeTableSnapshot): TypeBuilder {
    const t = new TypeBuilder();
    for (let i = 0; i < snap.records.length; i++) {
      const r = snap.records[i];
      t.records.set(r.name, r);
      t.aligns.set(r.name, snap.aligns[i]);
    }
    for (const e of snap.enums) t.enums.set(e.name, e);
    for (const [name, type] of snap.typedefs) t.typedefs.set(name, type);
    return t;
  }

  /** This table as plain data (every record laid out). */
  snapshot(): TypeTableSnapshot {
    this.finish();
    const records = [...this.records.values()];
    return { records, enums: [...this.enums.values()], typedefs: [...this.typedefs], aligns: records.map((r) => this.aligns.get(r.name)!) };
  }

  /** Lays out every pending record. */
  finish(): this {
    for (const name of [...this.pending.keys()]) this.layout(name);
    return this;
  }

  private layout(name: string): RecordDef {
    const done = this.records.get(name);
    if (done) return done;
    const decl = this.pending.get(name);
    if (!decl) throw new Error(`type table: struct/union '${name}' is used by value but never defined`);
    this.pending.delete(name);
    const fields: FieldDef[] = [];
    let bit = 0; // current position in bits (structs)
    let size = 0;
    let align = 1;
    for (const m of decl.members) {
      const msize = this.sizeOf(m.type);
      const malign = this.alignOf(m.type);
      align = Math.max(align, malign);
      let off: number;
      if (decl.kind === 'union') {
        off = 0;
        size = Math.max(size, msize);
      } else if (m.bits !== undefined) {
        const unit = msize * 8;
        if (m.bits === 0 || Math.floor(bit / unit) !== Math.floor((bit + m.bits - 1) / unit)) bit = Math.ceil(bit / unit) * unit;
        const byte = Math.floor(bit / 8);
        fields.push({ name: m.name, type: m.type, offset: byte, bitOffset: bit % 8, bitSize: m.bits });
        bit += m.bits;
        size = Math.ceil(bit / 8);
        continue;
      } else {
        bit = Math.ceil(bit / (malign * 8)) * (malign * 8);
        off = bit / 8;
        bit += msize * 8;
        size = bit / 8;
      }
      if (m.anon) {
        const inner = this.layout(m.anon.name);
        for (const f of inner.fields) fields.push({ ...f, offset: f.offset + off });
      } else {
        fields.push({ name: m.name, type: m.type, offset: off });
      }
    }
    size = Math.ceil(size / align) * align;
    const rec: RecordDef = { kind: decl.kind, name, size, fields };
    this.records.set(name, rec);
    this.aligns.set(name, align);
    return rec;
  }

  resolve(t: CType): CType {
    while (t.kind === 'typedef') {
      const to = this.typedefs.get(t.name);
      if (!to) throw new Error(`type table: unknown typedef '${t.name}'`);
      t = to;
    }
    return t;
  }

  sizeOf(t: CType): number {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'void':
        return 1;
      case 'bool':
        return 1;
      case 'int':
        return r.size;
      case 'ptr':
        return 8;
      case 'func':
        return 8;
      case 'enum':
        return r.size;
      case 'array':
        return r.len * this.sizeOf(r.of);
      case 'struct':
      case 'union':
        return this.layout(r.name).size;
      case 'typedef':
        throw new Error('unreachable: typedef after resolve');
      default: {
        const never: never = r;
        throw new Error(`unknown type ${JSON.stringify(never)}`);
      }
    }
  }

  alignOf(t: CType): number {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'array':
        return this.alignOf(r.of);
      case 'struct':
      case 'union':
        this.layout(r.name);
        return this.aligns.get(r.name)!;
      default:
        return Math.min(8, this.sizeOf(r));
    }
  }

  /** Parses a single declaration against this table's typedefs. */
  decl(src: string): { name: string; type: CType } {
    return parseDecl(src, (n) => this.typedefs.has(n));
  }

  /** Byte offset and type of a dotted field path (`se.cfs_rq`, `__sk_common.skc_dport`) in a record. */
  field(record: string, path: string): { offset: number; type: CType } {
    let rec = this.records.get(record);
    if (!rec) throw new Error(`type table: no struct '${record}'`);
    let offset = 0;
    let type: CType = { kind: 'struct', name: record };
    for (const part of path.split('.')) {
      if (!rec) throw new Error(`type table: '${path}' goes through a non-record in '${record}'`);
      const f = this.fieldsByName(rec).get(part);
      if (!f) throw new Error(`type table: struct ${rec.name} has no field '${part}' (path '${path}')`);
      offset += f.offset;
      type = f.type;
      const r = this.resolve(type);
      rec = r.kind === 'struct' || r.kind === 'union' ? this.records.get(r.name) : undefined;
    }
    return { offset, type };
  }

  private fieldsByName(rec: RecordDef): Map<string, FieldDef> {
    let m = this.fieldIndex.get(rec);
    if (!m) {
      m = new Map();
      for (const f of rec.fields) if (!m.has(f.name)) m.set(f.name, f);
      this.fieldIndex.set(rec, m);
    }
    return m;
  }

  /** Offsets of several field paths of one record, as an object (for hot kernel code). */
  offsets<const K extends string>(record: string, paths: readonly K[]): Readonly<Record<K, number>> & { readonly SIZE: number } {
    const out: Record<string, number> = { SIZE: this.records.get(record)?.size ?? 0 };
    if (!this.records.has(record)) throw new Error(`type table: no struct '${record}'`);
    for (const p of paths) out[p] = this.field(record, p).offset;
    return out as Readonly<Record<K, number>> & { SIZE: number };
  }

  /** The C spelling of a type, as btf_dump prints it (`struct file *`, `char[16]`). */
  print(t: CType): string {
    switch (t.kind) {
      case 'void':
        return 'void';
      case 'bool':
        return '_Bool';
      case 'int':
        return t.name ?? `${t.signed ? '' : 'unsigned '}int${t.size * 8}`;
      case 'ptr': {
        const inner = this.print(t.to);
        return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
      }
      case 'array':
        return `${this.print(t.of)}[${t.len}]`;
      case 'struct':
        return `struct ${t.name}`;
      case 'union':
        return `union ${t.name}`;
      case 'enum':
        return `enum ${t.name}`;
      case 'typedef':
        return t.name;
      case 'func':
        return 'void (*)(void)';
      default: {
        const never: never = t;
        return String(never);
      }
    }
  }
}
