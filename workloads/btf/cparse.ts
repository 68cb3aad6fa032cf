// A small parser for the subset of C declarations the kernel's type tables are written
// in: typedefs, struct/union definitions (with anonymous members, inline member types,
// bitfields and arrays), enums, single declarations such as `const char * filename`
// and function prototypes such as `ssize_t vfs_read(struct file *file, char *buf)`.
// It produces CType values and declaration records; layout (offsets, sizes) is computed
// by layout.ts. It does not handle function pointers, initialisers or expressions.
// Single declarations and prototypes are parsed once per text (the bundle carries those
// of the static tables already parsed, see prebuilt.ts).
import type { CType } from '../../lang/catalogue';
import { prebuiltTables } from './prebuilt';

type Tok = { t: 'id' | 'num' | 'p'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|([A-Za-z_][A-Za-z0-9_]*)|(0x[0-9a-fA-F]+|-?\d+)|(\.\.\.|[{}();,*[\]:=])/y;
  let at = 0;
  while (at < src.length) {
    re.lastIndex = at;
    const m = re.exec(src);
    if (!m) throw new SyntaxError(`C parse: unexpected character '${src[at]}' at ${at} in: ${src.slice(Math.max(0, at - 30), at + 30)}`);
    at = re.lastIndex;
    if (m[1]) out.push({ t: 'id', v: m[1] });
    else if (m[2]) out.push({ t: 'num', v: m[2] });
    else if (m[3]) out.push({ t: 'p', v: m[3] });
  }
  return out;
}

/** A member of a struct or union as written, before layout. */
export interface MemberDecl {
  /** Empty for an anonymous struct/union member, whose fields are hoisted into the parent. */
  name: string;
  type: CType;
  bits?: number;
  /** For anonymous members: the inline record's own members. */
  anon?: RecordDecl;
}

export interface RecordDecl {
  kind: 'struct' | 'union';
  name: string;
  members: MemberDecl[];
}

export interface EnumDecl {
  name: string;
  values: [string, number][];
}

export interface TypedefDecl {
  name: string;
  type: CType;
}

export interface DeclFile {
  records: RecordDecl[];
  enums: EnumDecl[];
  typedefs: TypedefDecl[];
}

const QUALIFIERS = new Set(['const', 'volatile', 'static', 'extern', 'inline', '__user', '__rcu', '__percpu', '__iomem', 'restrict', '__restrict']);
const BASE_WORDS = new Set(['signed', 'unsigned', 'char', 'short', 'int', 'long', '_Bool', 'void', 'float', 'double']);

/** The canonical spelling and size of a base type given its words. */
function baseType(words: string[]): CType {
  const has = (w: string) => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  if (has('void')) return { kind: 'void' };
  if (has('_Bool')) return { kind: 'bool' };
  const unsigned = has('unsigned');
  if (has('char')) return { kind: 'int', size: 1, signed: !unsigned, name: unsigned ? 'unsigned char' : has('signed') ? 'signed char' : 'char' };
  if (has('short')) return { kind: 'int', size: 2, signed: !unsigned, name: unsigned ? 'unsigned short' : 'short' };
  if (longs === 2) return { kind: 'int', size: 8, signed: !unsigned, name: unsigned ? 'unsigned long long' : 'long long' };
  if (longs === 1) return { kind: 'int', size: 8, signed: !unsigned, name: unsigned ? 'unsigned long' : 'long' };
  return { kind: 'int', size: 4, signed: !unsigned, name: unsigned ? 'unsigned int' : 'int' };
}

class Parser {
  private i = 0;
  private anonCount = 0;
  readonly records: RecordDecl[] = [];
  readonly enums: EnumDecl[] = [];
  readonly typedefs: TypedefDecl[] = [];

  constructor(
    private readonly toks: Tok[],
    private readonly known: (name: string) => boolean,
    private readonly src: string,
  ) {}

  private err(msg: string): never {
    const near = this.toks
      .slice(Math.max(0, this.i - 5), this.i + 5)
      .map((t) => t.v)
      .join(' ');
    throw new SyntaxError(`C parse: ${msg} near '${near}' in: ${this.src.slice(0, 80)}`);
  }
  peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }
  atEnd(): boolean {
    return this.i >= this.toks.length;
  }
  isP(v: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.t === 'p' && t.v === v;
  }
  isId(v: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.t === 'id' && t.v === v;
  }
  expectP(v: string): void {
    if (!this.isP(v)) this.err(`expected '${v}'`);
    this.i++;
  }
  ident(): string {
    const t = this.peek();
    if (!t || t.t !== 'id') this.err('expected an identifier');
    this.i++;
    return t.v;
  }
  num(): number {
    const t = this.peek();
    if (!t || t.t !== 'num') this.err('expected a number');
    this.i++;
    return Number(t.v);
  }
  private skipQualifiers(): void {
    while (this.peek()?.t === 'id' && QUALIFIERS.has(this.peek()!.v)) this.i++;
  }

  /**
   * A type specifier. Inline record bodies (`struct { ... }`) are parsed and registered
   * under a synthetic name derived from `context`; the returned `anon` holds the body.
   */
  typeSpec(context: string): { type: CType; anon?: RecordDecl } {
    this.skipQualifiers();
    const t = this.peek();
    if (!t || t.t !== 'id') this.err('expected a type');
    if (t.v === 'struct' || t.v === 'union') {
      this.i++;
      const kind = t.v;
      let name = '';
      if (this.peek()?.t === 'id') name = this.ident();
      if (this.isP('{')) {
        const rec: RecordDecl = { kind, name: name || `${context}::(anon${this.anonCount++})`, members: [] };
        this.recordBody(rec);
        this.records.push(rec);
        this.skipQualifiers();
        return { type: { kind, name: rec.name }, anon: name ? undefined : rec };
      }
      if (!name) this.err(`${kind} without a name or body`);
      this.skipQualifiers();
      return { type: { kind, name } };
    }
    if (t.v === 'enum') {
      this.i++;
      const name = this.ident();
      if (this.isP('{')) this.enumBody(name);
      this.skipQualifiers();
      return { type: { kind: 'enum', name, size: 4 } };
    }
    if (BASE_WORDS.has(t.v)) {
      const words: string[] = [];
      while (this.peek()?.t === 'id' && (BASE_WORDS.has(this.peek()!.v) || QUALIFIERS.has(this.peek()!.v))) {
        const w = this.ident();
        if (!QUALIFIERS.has(w)) words.push(w);
      }
      return { type: baseType(words) };
    }
    if (!this.known(t.v)) this.err(`unknown type name '${t.v}'`);
    this.i++;
    this.skipQualifiers();
    return { type: { kind: 'typedef', name: t.v } };
  }

  /** `*`s, an optional name, and array suffixes. */
  declarator(base: CType, needName: boolean): { name: string; type: CType } {
    let type = base;
    while (this.isP('*')) {
      this.i++;
      type = { kind: 'ptr', to: type };
      this.skipQualifiers();
    }
    let name = '';
    if (this.peek()?.t === 'id') name = this.ident();
    else if (needName) this.err('expected a declarator name');
    const dims: number[] = [];
    while (this.isP('[')) {
      this.i++;
      dims.push(this.isP(']') ? 0 : this.num());
      this.expectP(']');
    }
    for (let d = dims.length - 1; d >= 0; d--) type = { kind: 'array', of: type, len: dims[d] };
    return { name, type };
  }

  recordBody(rec: RecordDecl): void {
    this.expectP('{');
    while (!this.isP('}')) {
      const { type, anon } = this.typeSpec(rec.name);
      if (anon && this.isP(';')) {
        this.i++;
        rec.members.push({ name: '', type, anon });
        continue;
      }
      for (;;) {
        const d = this.declarator(type, true);
        const m: MemberDecl = { name: d.name, type: d.type };
        if (this.isP(':')) {
          this.i++;
          m.bits = this.num();
        }
        rec.members.push(m);
        if (this.isP(',')) {
          this.i++;
          continue;
        }
        break;
      }
      this.expectP(';');
    }
    this.expectP('}');
  }

  enumBody(name: string): void {
    this.expectP('{');
    const values: [string, number][] = [];
    let next = 0;
    while (!this.isP('}')) {
      const id = this.ident();
      if (this.isP('=')) {
        this.i++;
        next = this.num();
      }
      values.push([id, next++]);
      if (this.isP(',')) this.i++;
    }
    this.expectP('}');
    this.enums.push({ name, values });
  }

  /** Top-level items up to the end of input. */
  file(onTypedef: (name: string) => void): void {
    while (!this.atEnd()) {
      if (this.isId('typedef')) {
        this.i++;
        const { type } = this.typeSpec('typedef');
        const d = this.declarator(type, true);
        this.typedefs.push({ name: d.name, type: d.type });
        onTypedef(d.name);
        // An anonymous record defined in a typedef takes the typedef's name.
        if ((type.kind === 'struct' || type.kind === 'union') && type.name.startsWith('typedef::')) {
          const rec = this.records.find((r) => r.name === type.name)!;
          rec.name = d.name;
          const td = this.typedefs[this.typedefs.length - 1];
          td.type = renameRecord(td.type, type.name, d.name);
        }
        this.expectP(';');
        continue;
      }
      if ((this.isId('struct') || this.isId('union')) && this.peek(1)?.t === 'id' && this.isP('{', 2)) {
        const kind = this.ident() as 'struct' | 'union';
        const rec: RecordDecl = { kind, name: this.ident(), members: [] };
        this.recordBody(rec);
        this.records.push(rec);
        this.expectP(';');
        continue;
      }
      if ((this.isId('struct') || this.isId('union')) && this.peek(1)?.t === 'id' && this.isP(';', 2)) {
        this.i += 3; // forward declaration
        continue;
      }
      if (this.isId('enum')) {
        this.i++;
        const name = this.peek()?.t === 'id' ? this.ident() : `(anon enum ${this.enums.length})`;
        this.enumBody(name);
        this.expectP(';');
        continue;
      }
      this.err('expected a typedef, struct, union or enum');
    }
  }
}

function renameRecord(t: CType, from: string, to: string): CType {
  if ((t.kind === 'struct' || t.kind === 'union') && t.name === from) return { kind: t.kind, name: to };
  if (t.kind === 'ptr') return { kind: 'ptr', to: renameRecord(t.to, from, to) };
  if (t.kind === 'array') return { kind: 'array', of: renameRecord(t.of, from, to), len: t.len };
  return t;
}

/**
 * Parses a file of declarations. `known` says which identifiers are typedef names
 * declared elsewhere; typedefs declared in the file become known as they are read.
 */
export function parseDecls(src: string, known: (name: string) => boolean): DeclFile {
  const local = new Set<string>();
  const p = new Parser(tokenize(src), (n) => local.has(n) || known(n), src);
  p.file((n) => local.add(n));
  return { records: p.records, enums: p.enums, typedefs: p.typedefs };
}

/** A declaration's name and type. */
export interface Decl {
  name: string;
  type: CType;
}

const declMemo = new Map<string, Decl>();
const protoMemo = new Map<string, Prototype>();
let prebuiltLoaded = false;

/** Fills the memos with the bundle's parsed declarations, once. */
function loadPrebuilt(): void {
  prebuiltLoaded = true;
  const pre = prebuiltTables();
  if (!pre) return;
  for (const [text, d] of pre.decls) declMemo.set(text, d);
  for (const [text, p] of pre.protos) protoMemo.set(text, p);
}

/** Whether every typedef name a parsed type refers to is known (as the parse required). */
function typedefsKnown(t: CType, known: (name: string) => boolean): boolean {
  switch (t.kind) {
    case 'typedef':
      return known(t.name);
    case 'ptr':
      return typedefsKnown(t.to, known);
    case 'array':
      return typedefsKnown(t.of, known);
    default:
      return true;
  }
}

/**
 * A memoised parse: the earlier result for the same text holds when the typedef names it
 * refers to are known here too (the only way `known` affects a successful parse).
 */
function memoised<T>(memo: Map<string, T>, src: string, types: (v: T) => CType[], known: (name: string) => boolean, parse: () => T): T {
  if (!prebuiltLoaded) loadPrebuilt();
  const hit = memo.get(src);
  if (hit !== undefined && types(hit).every((t) => typedefsKnown(t, known))) return hit;
  const v = parse();
  memo.set(src, v);
  return v;
}

/** Every declaration and prototype parsed so far, by text (what the bundle's snapshot carries). */
export function parsedTexts(): { decls: [string, Decl][]; protos: [string, Prototype][] } {
  return { decls: [...declMemo], protos: [...protoMemo] };
}

/** Parses one declaration such as `const char * filename` or `char comm[16]`. */
export function parseDecl(src: string, known: (name: string) => boolean): Decl {
  return memoised(declMemo, src, (d) => [d.type], known, () => parseDeclText(src, known));
}

function parseDeclText(src: string, known: (name: string) => boolean): Decl {
  const p = new Parser(tokenize(src), known, src);
  const { type } = p.typeSpec('decl');
  const d = p.declarator(type, false);
  if (!p.atEnd()) throw new SyntaxError(`C parse: trailing tokens in declaration '${src}'`);
  return d;
}

export interface Prototype {
  name: string;
  ret: CType;
  args: { name: string; type: CType; text: string }[];
}

/** Parses a prototype such as `ssize_t vfs_read(struct file *file, char *buf, size_t count)`. */
export function parsePrototype(src: string, known: (name: string) => boolean): Prototype {
  return memoised(protoMemo, src, (p) => [p.ret, ...p.args.map((a) => a.type)], known, () => parsePrototypeText(src, known));
}

function parsePrototypeText(src: string, known: (name: string) => boolean): Prototype {
  const open = src.indexOf('(');
  const close = src.lastIndexOf(')');
  if (open < 0 || close < open) throw new SyntaxError(`C parse: not a prototype: '${src}'`);
  const head = parseDeclText(src.slice(0, open), known);
  const inner = src.slice(open + 1, close).trim();
  const args = inner === '' || inner === 'void' ? [] : splitTopLevel(inner).map((a) => ({ ...parseDeclText(a, known), text: a.trim() }));
  return { name: head.name, ret: head.type, args };
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Normalises a declaration's type text the way libbpf's btf_dump prints it: `char *`, `struct inode **`. */
export function typeText(decl: string, name: string): string {
  let t = decl.trim();
  if (name && t.endsWith(name)) t = t.slice(0, -name.length);
  t = t.replace(/\b(__user|__rcu|volatile|restrict)\b/g, '').replace(/\s*\*\s*/g, ' *').replace(/\s+/g, ' ').trim();
  return t.replace(/\* \*/g, '**').replace(/\* \*/g, '**');
}
