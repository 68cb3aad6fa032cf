// The WebAssembly text printer behind `bpfvm run --dump-jit` and `-d jit`: it reads a
// binary module (the sections the JIT writes: types, imports, functions, globals,
// exports, code, the `name` section for readable identifiers and the `bpf.slots` section
// for eBPF instruction comments) and prints it in the text format, one instruction a
// line, indented by block nesting. It reads what
// module.ts writes, so it doubles as a check of the encoder; anything it does not know
// (an opcode outside opcodes.ts, an unexpected section) is an error naming the offset.
import { BLOCK_VOID, ExternKind, Imm, OP_INFO, Section, VALTYPE_NAMES, alignOf } from './opcodes';
import { SLOTS_SECTION } from './module';

export class WasmReadError extends Error {}

class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.b.length;
  }

  byte(): number {
    if (this.at >= this.b.length) throw new WasmReadError(`unexpected end of module at byte ${this.at}`);
    return this.b[this.at++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmReadError(`u32 too long at byte ${this.at}`);
    }
  }

  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }

  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
}

const valtype = (b: number): string => {
  const t = VALTYPE_NAMES[b];
  if (!t) throw new WasmReadError(`unknown value type 0x${b.toString(16)}`);
  return t;
};

interface Sig {
  params: string[];
  results: string[];
}

const sigText = (s: Sig, paramNames?: (string | undefined)[]): string => {
  const named = paramNames?.some((n) => n !== undefined);
  const params = named ? s.params.map((p, i) => (paramNames?.[i] ? `(param $${paramNames[i]} ${p})` : `(param ${p})`)) : s.params.length ? [`(param ${s.params.join(' ')})`] : [];
  return [...params, ...(s.results.length ? [`(result ${s.results.join(' ')})`] : [])].join(' ');
};

/**
 * Prints a binary module as WebAssembly text. Where the module says which eBPF slot a
 * stretch of code implements, a `;; slot` comment precedes it, with `describe(slot)`
 * (the instruction's text) when given.
 */
export function printModule(bytes: Uint8Array, describe?: (slot: number) => string): string {
  const r = new Reader(bytes);
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const m of magic) if (r.byte() !== m) throw new WasmReadError('not a WebAssembly 1.0 module');
  const types: Sig[] = [];
  const imports: string[] = [];
  const funcTypes: number[] = [];
  let importedFuncs = 0;
  const globals: string[] = [];
  const exports: string[] = [];
  const bodies: { locals: string[]; code: Uint8Array; offset: number }[] = [];
  const fnNames = new Map<number, string>();
  const localNames = new Map<number, Map<number, string>>();
  const globalNames = new Map<number, string>();
  const slotMarks = new Map<number, Map<number, number>>();
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    const s = new Reader(bytes.subarray(r.at, end));
    switch (id) {
      case Section.TYPE:
        for (let n = s.u32(); n > 0; n--) {
          if (s.byte() !== 0x60) throw new WasmReadError('expected a function type');
          const params = Array.from({ length: s.u32() }, () => valtype(s.byte()));
          const results = Array.from({ length: s.u32() }, () => valtype(s.byte()));
          types.push({ params, results });
        }
        break;
      case Section.IMPORT:
        for (let n = s.u32(); n > 0; n--) {
          const mod = s.name();
          const name = s.name();
          const kind = s.byte();
          if (kind === ExternKind.FUNC) {
            funcTypes.push(s.u32());
            imports.push(`(import "${mod}" "${name}" (func FUNC${importedFuncs++}))`);
          } else if (kind === ExternKind.MEMORY) {
            const flags = s.byte();
            const min = s.u32();
            const max = flags & 1 ? ` ${s.u32()}` : '';
            imports.push(`(import "${mod}" "${name}" (memory ${min}${max}))`);
          } else throw new WasmReadError(`unexpected import kind ${kind}`);
        }
        break;
      case Section.FUNCTION:
        for (let n = s.u32(); n > 0; n--) funcTypes.push(s.u32());
        break;
      case Section.GLOBAL:
        for (let n = s.u32(); n > 0; n--) {
          const t = valtype(s.byte());
          const mut = s.byte() === 1;
          s.byte(); // i32.const or i64.const
          const init = s.s64();
          if (s.byte() !== 0x0b) throw new WasmReadError('expected the end of a global initialiser');
          globals.push(`${mut ? `(mut ${t})` : t} (${t}.const ${init})`);
        }
        break;
      case Section.EXPORT:
        for (let n = s.u32(); n > 0; n--) {
          const name = s.name();
          const kind = s.byte();
          const idx = s.u32();
          exports.push(kind === ExternKind.FUNC ? `(export "${name}" (func FUNC${idx}))` : kind === ExternKind.GLOBAL ? `(export "${name}" (global GLOBAL${idx}))` : `(export "${name}" (memory ${idx}))`);
        }
        break;
      case Section.CODE:
        for (let n = s.u32(); n > 0; n--) {
          const len = s.u32();
          const b = new Reader(bytes.subarray(r.at + s.at, r.at + s.at + len));
          const locals: string[] = [];
          for (let runs = b.u32(); runs > 0; runs--) {
            const count = b.u32();
            const t = valtype(b.byte());
            for (let k = 0; k < count; k++) locals.push(t);
          }
          bodies.push({ locals, code: b.b.subarray(b.at), offset: r.at + s.at + b.at });
          s.at += len;
        }
        break;
      case Section.CUSTOM: {
        const custom = s.name();
        if (custom === SLOTS_SECTION) {
          for (let k = s.u32(); k > 0; k--) {
            const f = s.u32();
            const m = new Map<number, number>();
            for (let j = s.u32(); j > 0; j--) m.set(s.u32(), s.u32());
            slotMarks.set(f, m);
          }
          break;
        }
        if (custom !== 'name') break;
        while (!s.done) {
          const sub = s.byte();
          const subEnd = s.u32() + s.at;
          if (sub === 1) for (let k = s.u32(); k > 0; k--) fnNames.set(s.u32(), s.name());
          else if (sub === 2) {
            for (let k = s.u32(); k > 0; k--) {
              const f = s.u32();
              const m = new Map<number, string>();
              for (let j = s.u32(); j > 0; j--) m.set(s.u32(), s.name());
              localNames.set(f, m);
            }
          } else if (sub === 7) for (let k = s.u32(); k > 0; k--) globalNames.set(s.u32(), s.name());
          s.at = subEnd;
        }
        break;
      }
      default:
        throw new WasmReadError(`unexpected section ${id}`);
    }
    r.at = end;
  }
  const fname = (i: number): string => `$${fnNames.get(i) ?? `f${i}`}`;
  const gname = (i: number): string => `$${globalNames.get(i) ?? `g${i}`}`;
  const out: string[] = ['(module'];
  types.forEach((t, i) => out.push(`  (type (;${i};) (func ${sigText(t)}))`.replace(' )', ')')));
  const subst = (line: string): string => line.replace(/FUNC(\d+)/g, (_, i) => `${fname(+i)}${funcTypes[+i] !== undefined && line.startsWith('(import') ? ` (type ${funcTypes[+i]})` : ''}`).replace(/GLOBAL(\d+)/g, (_, i) => gname(+i));
  for (const line of imports) out.push('  ' + subst(line));
  globals.forEach((g, i) => out.push(`  (global ${gname(i)} ${g})`));
  bodies.forEach((body, k) => {
    const idx = importedFuncs + k;
    const sig = types[funcTypes[idx]];
    const names = localNames.get(idx) ?? new Map<number, string>();
    const paramNames = sig.params.map((_, i) => names.get(i));
    out.push(`  (func ${fname(idx)} (type ${funcTypes[idx]}) ${sigText(sig, paramNames)}`.trimEnd());
    body.locals.forEach((t, j) => {
      const n = names.get(sig.params.length + j);
      out.push(`    (local ${n ? `$${n} ` : ''}${t})`);
    });
    const local = (i: number): string => (names.has(i) ? `$${names.get(i)}` : `${i}`);
    const marks = slotMarks.get(idx);
    const note = marks && ((at: number): string | undefined => {
      const slot = marks.get(at);
      return slot === undefined ? undefined : `;; ${slot}: ${describe ? describe(slot) : `slot ${slot}`}`;
    });
    printCode(body.code, body.offset, out, { fname, gname, local, note });
    out.push('  )');
  });
  for (const line of exports) out.push('  ' + subst(line));
  out.push(')');
  return out.join('\n') + '\n';
}

interface Namers {
  fname(i: number): string;
  gname(i: number): string;
  local(i: number): string;
  /** A comment for the code at a byte offset, if any. */
  note?: (at: number) => string | undefined;
}

function printCode(code: Uint8Array, offset: number, out: string[], n: Namers): void {
  const r = new Reader(code);
  let depth = 0;
  while (!r.done) {
    const at = r.at;
    const byte = r.byte();
    const info = OP_INFO[byte];
    if (!info) throw new WasmReadError(`unknown opcode 0x${byte.toString(16)} at byte ${offset + at}`);
    // The function's closing `end` is not printed: the `)` closes the func.
    if (info.name === 'end' && depth === 0 && r.done) break;
    if (info.name === 'end' || info.name === 'else') depth--;
    const comment = n.note?.(at);
    if (comment) out.push('    ' + '  '.repeat(Math.max(depth, 0)) + comment);
    let text: string = info.name;
    switch (info.imm) {
      case Imm.NONE:
        break;
      case Imm.BLOCK: {
        const t = r.byte();
        if (t !== BLOCK_VOID) text += ` (result ${valtype(t)})`;
        break;
      }
      case Imm.LABEL:
        text += ` ${r.u32()}`;
        break;
      case Imm.TABLE: {
        const labels = Array.from({ length: r.u32() }, () => r.u32());
        text += ` ${[...labels, r.u32()].join(' ')}`;
        break;
      }
      case Imm.FUNC:
        text += ` ${n.fname(r.u32())}`;
        break;
      case Imm.LOCAL:
        text += ` ${n.local(r.u32())}`;
        break;
      case Imm.GLOBAL:
        text += ` ${n.gname(r.u32())}`;
        break;
      case Imm.MEMARG: {
        const align = r.u32();
        const off = r.u32();
        const width = /(8|16|32)_[su]$|(8|16|32)$/.exec(info.name);
        const bytes = width ? Number(width[1] ?? width[2]) / 8 : info.name.startsWith('i64') ? 8 : 4;
        if (off) text += ` offset=${off}`;
        if (align !== alignOf(bytes)) text += ` align=${2 ** align}`;
        break;
      }
      case Imm.I32:
      case Imm.I64:
        text += ` ${r.s64()}`;
        break;
      case Imm.MEMIDX:
        r.byte();
        break;
      default: {
        const never: never = info.imm;
        throw new WasmReadError(`unhandled immediate ${String(never)}`);
      }
    }
    out.push('    ' + '  '.repeat(Math.max(depth, 0)) + text);
    if (info.name === 'block' || info.name === 'loop' || info.name === 'if' || info.name === 'else') depth++;
  }
}
