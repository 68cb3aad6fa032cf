// The user binaries as a table of symbols with addresses, sizes and (where a prototype
// is given) typed arguments: what uprobe matching, `-lv` listing and usym resolution read.
// Executables are laid out from 0x2000 (PIE, relative to their load base) and libraries
// likewise; a process maps them at per-process bases (see user/process-maps.ts).
import type { CType, UserBinary, UserSymbol } from '../../lang/catalogue';
import { parsePrototype, typeText } from '../btf/cparse';
import { kernelTypes } from '../btf/table';
import { strHash } from '../kernel/kfuncs';
import { BINARY_TABLE, type BinaryDef } from './binary-table';

export interface UserSymbolInfo extends UserSymbol {
  /** Argument declarations as DWARF-based listing prints them (`const char * prompt`). */
  argTexts?: readonly string[];
}

export interface BinaryInfo extends UserBinary {
  kind: 'exe' | 'lib';
  needs: readonly string[];
  symbols: readonly UserSymbolInfo[];
  /** Bytes of text spanned by the symbols (the mapping size used for code). */
  textSize: number;
}

const USER_TYPEDEFS = new Set(['size_t', 'ssize_t', 'pid_t', 'uid_t', 'bool']);

function parseSymbol(src: string): { name: string; args: { name: string; type: CType; text: string }[]; ret: CType } {
  const t = kernelTypes();
  const p = parsePrototype(src, (n) => USER_TYPEDEFS.has(n) || t.typedefs.has(n));
  return { name: p.name, args: p.args, ret: p.ret };
}

/** The function name of a prototype: the identifier before its argument list. */
function prototypeName(src: string): string {
  const m = /([A-Za-z_]\w*)\s*\($/.exec(src.slice(0, src.indexOf('(') + 1));
  if (!m) throw new Error(`binary table: no function name in '${src}'`);
  return m[1];
}

/** Gives `sym` the typed arguments of its prototype, parsed the first time they are read. */
function typedLazily(sym: UserSymbolInfo, src: string): void {
  let parsed: Pick<UserSymbolInfo, 'args' | 'ret' | 'argTexts'> | undefined;
  const get = (): Pick<UserSymbolInfo, 'args' | 'ret' | 'argTexts'> => {
    if (!parsed) {
      const p = parseSymbol(src);
      if (p.name !== sym.name) throw new Error(`binary table: '${src}' names ${p.name}, laid out as ${sym.name}`);
      parsed = { args: p.args.map((a) => ({ name: a.name, type: a.type })), ret: p.ret, argTexts: p.args.map((a) => `${typeText(a.text, a.name)} ${a.name}`) };
    }
    return parsed;
  };
  for (const key of ['args', 'ret', 'argTexts'] as const) Object.defineProperty(sym, key, { enumerable: true, get: () => get()[key] });
}

function layout(def: BinaryDef): BinaryInfo {
  let at = def.kind === 'exe' ? 0x2a000 + (strHash(def.path) % 0x10) * 0x1000 : 0x28000;
  const symbols: UserSymbolInfo[] = [];
  for (const src of def.symbols) {
    // A bare name, or a C prototype (parsed only when its types are first read).
    const proto = /\s/.test(src);
    const name = proto ? prototypeName(src) : src;
    const size = 0x30 + (strHash(`${def.path}:${name}`) % 0x600);
    const sym: UserSymbolInfo = { name, addr: at, size };
    if (proto) typedLazily(sym, src);
    symbols.push(sym);
    at += (size + 0x3f) & ~0xf;
  }
  return { path: def.path, kind: def.kind, needs: def.needs ?? [], symbols, textSize: at };
}

let all: BinaryInfo[] | undefined;
/** Binaries laid out so far, by path (each is laid out on first use, independently of the others). */
const byPath = new Map<string, BinaryInfo>();
let defs: Map<string, BinaryDef> | undefined;

export function binaries(): readonly BinaryInfo[] {
  all ??= BINARY_TABLE.map((d) => binary(d.path)!);
  return all;
}

export function binary(path: string): BinaryInfo | undefined {
  let b = byPath.get(path);
  if (!b) {
    defs ??= new Map(BINARY_TABLE.map((d) => [d.path, d]));
    const d = defs.get(path);
    if (!d) return undefined;
    byPath.set(path, (b = layout(d)));
  }
  return b;
}

/** A symbol of a binary by name (throws when missing: kernel code names symbols statically). */
export function usymbol(path: string, name: string): UserSymbolInfo {
  const b = binary(path);
  const s = b?.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`binary ${path} has no symbol ${name}`);
  return s;
}

/** Resolves an offset inside a binary to `name+off`. */
export function symbolizeIn(b: BinaryInfo, off: number): { name: string; offset: number } | undefined {
  const s = b.symbols;
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (off < s[mid].addr) hi = mid - 1;
    else if (off >= s[mid].addr + s[mid].size) lo = mid + 1;
    else return { name: s[mid].name, offset: off - s[mid].addr };
  }
  return undefined;
}

const synthetic = new Map<string, BinaryInfo>();

/**
 * The binary info of an executable without a symbol table (a file in the tree that no
 * table describes): dynamically linked against libc, with no symbols of its own.
 */
export function binaryOrGeneric(path: string): BinaryInfo {
  const b = binary(path);
  if (b) return b;
  let g = synthetic.get(path);
  if (!g) synthetic.set(path, (g = { path, kind: 'exe', needs: ['/usr/lib/x86_64-linux-gnu/libc.so.6'], symbols: [], textSize: 0x20000 }));
  return g;
}
