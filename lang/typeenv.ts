// The type environment of one compilation: the catalogue's BTF-like type table plus the
// structs, unions and enums a script defines, the records synthesized for tracepoint and
// function arguments, C type spellings (`unsigned long`, `u32`, typedefs) and the
// conversion of C types to bpftrace types (char arrays become strings, enums integers).
// Layout of script-defined structs is computed here with C rules.
import type { CType, EnumDef, FieldDef, RecordDef, Catalogue } from './catalogue';
import { type AddrSpace, type IntBits, type StructTy, type Ty, BOOL, NONE, VOID, int, ptr } from './types';

/** C spellings every compiler knows, beside the catalogue's typedefs. */
const C_WORDS: Readonly<Record<string, CType>> = {
  char: { kind: 'int', size: 1, signed: true, name: 'char' },
  'signed char': { kind: 'int', size: 1, signed: true, name: 'signed char' },
  'unsigned char': { kind: 'int', size: 1, signed: false, name: 'unsigned char' },
  short: { kind: 'int', size: 2, signed: true, name: 'short' },
  'short int': { kind: 'int', size: 2, signed: true, name: 'short' },
  'unsigned short': { kind: 'int', size: 2, signed: false, name: 'unsigned short' },
  'unsigned short int': { kind: 'int', size: 2, signed: false, name: 'unsigned short' },
  int: { kind: 'int', size: 4, signed: true, name: 'int' },
  signed: { kind: 'int', size: 4, signed: true, name: 'int' },
  'signed int': { kind: 'int', size: 4, signed: true, name: 'int' },
  unsigned: { kind: 'int', size: 4, signed: false, name: 'unsigned int' },
  'unsigned int': { kind: 'int', size: 4, signed: false, name: 'unsigned int' },
  long: { kind: 'int', size: 8, signed: true, name: 'long' },
  'long int': { kind: 'int', size: 8, signed: true, name: 'long' },
  'unsigned long': { kind: 'int', size: 8, signed: false, name: 'unsigned long' },
  'unsigned long int': { kind: 'int', size: 8, signed: false, name: 'unsigned long' },
  'long long': { kind: 'int', size: 8, signed: true, name: 'long long' },
  'long long int': { kind: 'int', size: 8, signed: true, name: 'long long' },
  'unsigned long long': { kind: 'int', size: 8, signed: false, name: 'unsigned long long' },
  'unsigned long long int': { kind: 'int', size: 8, signed: false, name: 'unsigned long long' },
  _Bool: { kind: 'bool' },
  bool: { kind: 'bool' },
  void: { kind: 'void' },
};

/** Fixed-width names used when the catalogue lacks them (kernel and stdint spellings). */
const FIXED: Readonly<Record<string, [1 | 2 | 4 | 8, boolean]>> = {
  u8: [1, false], u16: [2, false], u32: [4, false], u64: [8, false],
  s8: [1, true], s16: [2, true], s32: [4, true], s64: [8, true],
  __u8: [1, false], __u16: [2, false], __u32: [4, false], __u64: [8, false],
  __s8: [1, true], __s16: [2, true], __s32: [4, true], __s64: [8, true],
  uint8_t: [1, false], uint16_t: [2, false], uint32_t: [4, false], uint64_t: [8, false],
  int8_t: [1, true], int16_t: [2, true], int32_t: [4, true], int64_t: [8, true],
  size_t: [8, false], ssize_t: [8, true], pid_t: [4, true], uid_t: [4, false], gid_t: [4, false],
  loff_t: [8, true], off_t: [8, true], umode_t: [2, false], dev_t: [4, false], sector_t: [8, false],
  __be16: [2, false], __be32: [4, false], __be64: [8, false], __le16: [2, false], __le32: [4, false], __le64: [8, false],
  uintptr_t: [8, false], intptr_t: [8, true], gfp_t: [4, false], time64_t: [8, true], ktime_t: [8, true],
  // bpftrace's own integer names
  uint8: [1, false], uint16: [2, false], uint32: [4, false], uint64: [8, false],
  int8: [1, true], int16: [2, true], int32: [4, true], int64: [8, true],
};

export interface EnumConstant {
  value: bigint;
  enumName: string;
  size: 4 | 8;
}

export interface FieldInfo {
  name: string;
  ty: Ty;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
}

export class TypeEnv {
  private readonly records = new Map<string, RecordDef>();
  private readonly enums = new Map<string, EnumDef>();
  private readonly constants = new Map<string, EnumConstant>();
  private readonly typedefs = new Map<string, CType>();
  private readonly alignCache = new Map<string, number>();

  constructor(readonly catalogue: Catalogue) {
    for (const e of catalogue.types.enums.values()) this.indexEnum(e);
  }

  private indexEnum(e: EnumDef): void {
    for (const [k, v] of Object.entries(e.values)) {
      if (!this.constants.has(k)) this.constants.set(k, { value: BigInt(v), enumName: e.name, size: e.size });
    }
  }

  // -------------------------------------------------------------------------------------
  // Lookups.

  /** A struct or union by `struct foo`, `union foo` or a bare `foo` (typedef or tag). */
  findRecord(name: string): RecordDef | undefined {
    const m = /^(struct|union)\s+(.+)$/.exec(name);
    const kind = m?.[1];
    const bare = m ? m[2] : name;
    const user = this.records.get(`${kind ?? 'struct'} ${bare}`) ?? (!kind ? this.records.get(`union ${bare}`) : undefined);
    if (user) return user;
    const recs = this.catalogue.types.records;
    const r = recs.get(bare) ?? recs.get(`${kind ?? 'struct'} ${bare}`);
    if (r && (!kind || r.kind === kind)) return r;
    if (!kind) {
      const td = this.typedef(bare);
      if (td && (td.kind === 'struct' || td.kind === 'union')) return this.findRecord(`${td.kind} ${td.name}`);
    }
    return undefined;
  }

  /** The full name (`struct foo`) of a record found by any spelling. */
  recordName(def: RecordDef): string {
    return `${def.kind} ${def.name}`;
  }

  addRecord(def: RecordDef): void {
    this.records.set(`${def.kind} ${def.name}`, def);
    this.alignCache.delete(`${def.kind} ${def.name}`);
  }

  addEnum(def: EnumDef): void {
    this.enums.set(def.name, def);
    for (const [k, v] of Object.entries(def.values)) this.constants.set(k, { value: BigInt(v), enumName: def.name, size: def.size });
  }

  findEnum(name: string): EnumDef | undefined {
    return this.enums.get(name) ?? this.catalogue.types.enums.get(name);
  }

  enumConstant(name: string): EnumConstant | undefined {
    return this.constants.get(name);
  }

  addTypedef(name: string, t: CType): void {
    this.typedefs.set(name, t);
  }

  typedef(name: string): CType | undefined {
    return this.typedefs.get(name) ?? this.catalogue.types.typedefs.get(name);
  }

  /** A C type from its spelling (`unsigned int`, `const char`, `u32`, `pid_t`), without pointers. */
  cType(words: string): CType | undefined {
    const w = words
      .split(/\s+/)
      .filter((x) => x && x !== 'const' && x !== 'volatile' && x !== 'restrict')
      .join(' ');
    if (C_WORDS[w]) return C_WORDS[w];
    const td = this.typedef(w);
    if (td) return { kind: 'typedef', name: w };
    const f = FIXED[w];
    if (f) return { kind: 'int', size: f[0], signed: f[1], name: w };
    if (this.findRecord(w)) {
      const r = this.findRecord(w)!;
      return { kind: r.kind, name: r.name };
    }
    return undefined;
  }

  /** Follows typedefs to the underlying C type. */
  resolve(t: CType, depth = 0): CType {
    if (t.kind !== 'typedef' || depth > 16) return t;
    const td = this.typedef(t.name);
    if (td) return this.resolve(td, depth + 1);
    const f = FIXED[t.name];
    return f ? { kind: 'int', size: f[0], signed: f[1], name: t.name } : { kind: 'void' };
  }

  // -------------------------------------------------------------------------------------
  // C types to bpftrace types.

  fromC(t: CType, as: AddrSpace): Ty {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'void':
      case 'func':
        return VOID;
      case 'bool':
        return BOOL;
      case 'int':
        return int((r.size * 8) as IntBits, r.signed);
      case 'enum': {
        const def = this.findEnum(r.name);
        const size = def?.size ?? r.size;
        return { ...int((size * 8) as IntBits, false), enumName: r.name || undefined };
      }
      case 'ptr': {
        const to = this.resolve(r.to);
        return ptr(to.kind === 'func' ? VOID : this.fromC(r.to, as), as);
      }
      case 'array': {
        const of = this.resolve(r.of);
        if (of.kind === 'int' && of.size === 1 && isCharName(of.name, of.signed)) return { k: 'string', size: r.len };
        return { k: 'array', of: this.fromC(r.of, as), len: r.len, as };
      }
      case 'struct':
      case 'union': {
        const def = this.findRecord(`${r.kind} ${r.name}`);
        return { k: 'struct', name: `${r.kind} ${r.name}`, size: def?.size ?? 0, as };
      }
      default:
        return NONE;
    }
  }

  /** The bpftrace type of a record (struct value). */
  recordTy(def: RecordDef, as: AddrSpace): StructTy {
    return { k: 'struct', name: this.recordName(def), size: def.size, as };
  }

  /** A field of a struct type, with its bpftrace type and layout. */
  field(s: StructTy, name: string): FieldInfo | undefined {
    const def = this.findRecord(s.name);
    const f = def?.fields.find((x) => x.name === name);
    if (!f) return undefined;
    return this.fieldInfo(f, s.as ?? 'none');
  }

  fieldInfo(f: FieldDef, as: AddrSpace): FieldInfo {
    const ty = this.fromC(f.type, as);
    return { name: f.name, ty, offset: f.offset, size: this.cSize(f.type), bitOffset: f.bitSize !== undefined ? (f.bitOffset ?? 0) : undefined, bitSize: f.bitSize };
  }

  // -------------------------------------------------------------------------------------
  // C sizes and layout.

  cSize(t: CType): number {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'void':
      case 'func':
        return 0;
      case 'bool':
        return 1;
      case 'int':
        return r.size;
      case 'enum':
        return this.findEnum(r.name)?.size ?? r.size;
      case 'ptr':
        return 8;
      case 'array':
        return r.len * this.cSize(r.of);
      case 'struct':
      case 'union':
        return this.findRecord(`${r.kind} ${r.name}`)?.size ?? 0;
      default:
        return 0;
    }
  }

  cAlign(t: CType): number {
    const r = this.resolve(t);
    switch (r.kind) {
      case 'array':
        return this.cAlign(r.of);
      case 'struct':
      case 'union': {
        const key = `${r.kind} ${r.name}`;
        const cached = this.alignCache.get(key);
        if (cached) return cached;
        this.alignCache.set(key, 1);
        const def = this.findRecord(key);
        const a = def ? Math.max(1, ...def.fields.map((f) => this.cAlign(f.type))) : 1;
        this.alignCache.set(key, a);
        return a;
      }
      default:
        return Math.max(1, Math.min(8, this.cSize(r)));
    }
  }

  /**
   * Lays out fields in C order (natural alignment, bitfields packed into units of their
   * declared type) and returns the record. Unions overlay every field at offset 0.
   */
  layout(kind: 'struct' | 'union', name: string, fields: readonly { name: string; type: CType; bits?: number }[]): RecordDef {
    const out: FieldDef[] = [];
    let bitPos = 0;
    let maxAlign = 1;
    let unionSize = 0;
    for (const f of fields) {
      const size = this.cSize(f.type);
      const align = this.cAlign(f.type);
      maxAlign = Math.max(maxAlign, align);
      if (kind === 'union') {
        out.push(f.bits !== undefined ? { name: f.name, type: f.type, offset: 0, bitOffset: 0, bitSize: f.bits } : { name: f.name, type: f.type, offset: 0 });
        unionSize = Math.max(unionSize, size);
        continue;
      }
      if (f.bits !== undefined) {
        const unit = Math.max(1, size) * 8;
        const unitStart = Math.floor(bitPos / unit) * unit;
        if (f.bits === 0 || bitPos + f.bits > unitStart + unit) bitPos = unitStart + unit;
        if (f.bits > 0) out.push({ name: f.name, type: f.type, offset: bitPos >> 3, bitOffset: bitPos & 7, bitSize: f.bits });
        bitPos += f.bits;
        continue;
      }
      let off = Math.ceil(bitPos / 8);
      off = Math.ceil(off / align) * align;
      out.push({ name: f.name, type: f.type, offset: off });
      bitPos = (off + size) * 8;
    }
    const raw = kind === 'union' ? unionSize : Math.ceil(bitPos / 8);
    const def: RecordDef = { kind, name, size: Math.ceil(raw / maxAlign) * maxAlign, fields: out };
    this.addRecord(def);
    this.alignCache.set(`${kind} ${name}`, maxAlign);
    return def;
  }
}

function isCharName(name: string | undefined, signed: boolean): boolean {
  if (name === undefined) return signed;
  return name === 'char' || name === 'signed char' || name === 'const char';
}
