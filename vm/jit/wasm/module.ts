// A WebAssembly module under construction and its binary encoding: function types
// (deduplicated), imported functions and the imported memory, mutable globals, defined
// functions with their locals, exports, a `name` custom section (function, local and
// global names) and a `bpf.slots` custom section (which eBPF instruction each stretch of
// code implements), both for the text printer. What the functions contain is the JIT's
// business (compile.ts); this file only lays out sections.
import { ByteWriter, type CodeWriter } from './writer';
import { ExternKind, Section, ValType, type ValTypeCode } from './opcodes';

/** The custom section mapping code offsets to the eBPF slots they implement. */
export const SLOTS_SECTION = 'bpf.slots';

export interface FuncType {
  params: readonly ValTypeCode[];
  results: readonly ValTypeCode[];
}

interface ImportedFunc {
  module: string;
  name: string;
  type: number;
  debugName: string;
}

interface DefinedFunc {
  type: number;
  /** Locals after the parameters, in order. */
  locals: ValTypeCode[];
  body: CodeWriter | null;
  debugName: string;
  /** Names of parameters and locals, by index. */
  localNames: string[];
}

interface GlobalDef {
  type: ValTypeCode;
  init: number;
  debugName: string;
}

export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: ImportedFunc[] = [];
  private readonly funcs: DefinedFunc[] = [];
  private readonly globals: GlobalDef[] = [];
  private readonly exports: { name: string; kind: number; index: number }[] = [];
  private memoryImport: { module: string; name: string } | null = null;

  type(t: FuncType): number {
    const key = `${t.params.join(',')}>${t.results.join(',')}`;
    let i = this.typeKeys.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(t);
      this.typeKeys.set(key, i);
    }
    return i;
  }

  importMemory(module: string, name: string): void {
    this.memoryImport = { module, name };
  }

  /** Imports a function; imports must all be added before the first defined function is declared. */
  importFunc(module: string, name: string, t: FuncType, debugName = name): number {
    if (this.funcs.length) throw new Error('imports must precede defined functions');
    this.imports.push({ module, name, type: this.type(t), debugName });
    return this.imports.length - 1;
  }

  /** Declares a function (its index is usable before its body exists). */
  declareFunc(t: FuncType, debugName: string, paramNames: readonly string[] = []): number {
    this.funcs.push({ type: this.type(t), locals: [], body: null, debugName, localNames: [...paramNames] });
    return this.imports.length + this.funcs.length - 1;
  }

  /** Adds a local to a declared function and returns its index. */
  addLocal(fn: number, type: ValTypeCode, name: string): number {
    const f = this.defined(fn);
    const t = this.types[f.type];
    f.locals.push(type);
    f.localNames[t.params.length + f.locals.length - 1] = name;
    return t.params.length + f.locals.length - 1;
  }

  setBody(fn: number, body: CodeWriter): void {
    this.defined(fn).body = body;
  }

  private defined(fn: number): DefinedFunc {
    const f = this.funcs[fn - this.imports.length];
    if (!f) throw new RangeError(`function ${fn} is not a defined function`);
    return f;
  }

  addGlobal(type: ValTypeCode, init: number, debugName: string): number {
    this.globals.push({ type, init, debugName });
    return this.globals.length - 1;
  }

  exportFunc(name: string, fn: number): void {
    this.exports.push({ name, kind: ExternKind.FUNC, index: fn });
  }

  exportGlobal(name: string, g: number): void {
    this.exports.push({ name, kind: ExternKind.GLOBAL, index: g });
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter();
    out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
    const section = (id: number, fill: (w: ByteWriter) => void): void => {
      const w = new ByteWriter();
      fill(w);
      out.byte(id).sized(w);
    };
    section(Section.TYPE, (w) => {
      w.u32(this.types.length);
      for (const t of this.types) {
        w.byte(0x60).u32(t.params.length);
        t.params.forEach((p) => w.byte(p));
        w.u32(t.results.length);
        t.results.forEach((r) => w.byte(r));
      }
    });
    section(Section.IMPORT, (w) => {
      w.u32(this.imports.length + (this.memoryImport ? 1 : 0));
      if (this.memoryImport) w.name(this.memoryImport.module).name(this.memoryImport.name).byte(ExternKind.MEMORY).byte(0x00).u32(0);
      for (const i of this.imports) w.name(i.module).name(i.name).byte(ExternKind.FUNC).u32(i.type);
    });
    section(Section.FUNCTION, (w) => {
      w.u32(this.funcs.length);
      for (const f of this.funcs) w.u32(f.type);
    });
    if (this.globals.length) {
      section(Section.GLOBAL, (w) => {
        w.u32(this.globals.length);
        for (const g of this.globals) {
          w.byte(g.type).byte(0x01);
          if (g.type === ValType.i64) w.byte(0x42).s64(BigInt(g.init));
          else w.byte(0x41).s32(g.init);
          w.byte(0x0b);
        }
      });
    }
    section(Section.EXPORT, (w) => {
      w.u32(this.exports.length);
      for (const e of this.exports) w.name(e.name).byte(e.kind).u32(e.index);
    });
    section(Section.CODE, (w) => {
      w.u32(this.funcs.length);
      for (const f of this.funcs) {
        if (!f.body) throw new Error(`function ${f.debugName} has no body`);
        const b = new ByteWriter();
        // Locals run-length encoded by type.
        const runs: [number, number][] = [];
        for (const t of f.locals) {
          const last = runs[runs.length - 1];
          if (last && last[1] === t) last[0]++;
          else runs.push([1, t]);
        }
        b.u32(runs.length);
        for (const [n, t] of runs) b.u32(n).byte(t);
        b.bytes(f.body.finish()).byte(0x0b);
        w.sized(b);
      }
    });
    section(Section.CUSTOM, (w) => {
      w.name('name');
      const sub = (id: number, fill: (s: ByteWriter) => void): void => {
        const s = new ByteWriter();
        fill(s);
        w.byte(id).sized(s);
      };
      sub(1, (s) => {
        s.u32(this.imports.length + this.funcs.length);
        this.imports.forEach((f, i) => s.u32(i).name(f.debugName));
        this.funcs.forEach((f, i) => s.u32(this.imports.length + i).name(f.debugName));
      });
      sub(2, (s) => {
        s.u32(this.funcs.length);
        this.funcs.forEach((f, i) => {
          const named = f.localNames.map((n, k) => [k, n] as const).filter(([, n]) => n !== undefined);
          s.u32(this.imports.length + i).u32(named.length);
          for (const [k, n] of named) s.u32(k).name(n);
        });
      });
      sub(7, (s) => {
        s.u32(this.globals.length);
        this.globals.forEach((g, i) => s.u32(i).name(g.debugName));
      });
    });
    // Which eBPF slot each stretch of code implements: per function, (offset in its instructions, slot) pairs.
    const marked = this.funcs.map((f, i) => [this.imports.length + i, f.body?.marks ?? []] as const).filter(([, m]) => m.length);
    if (marked.length) {
      section(Section.CUSTOM, (w) => {
        w.name(SLOTS_SECTION).u32(marked.length);
        for (const [fn, marks] of marked) {
          w.u32(fn).u32(marks.length / 2);
          for (const v of marks) w.u32(v);
        }
      });
    }
    return out.finish();
  }
}
