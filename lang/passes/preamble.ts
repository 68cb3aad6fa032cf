// Pass `preamble`: the script's C-level definitions. Struct and union definitions are
// laid out (C rules) into the type environment, enums become constants, object-like
// `#define`s are recorded for the name pass, and `#include`s bring in the macros the
// header table (`lang/headers.ts`) lists for them; their types are not read: the
// catalogue's BTF type table already provides the kernel's types.
import type * as A from '../ast';
import type { CType } from '../catalogue';
import { constInt } from '../consteval';
import type { Ctx, Pass } from '../context';
import { headerMacros } from '../headers';
import { printType } from '../printer';

const NAMED_C: Readonly<Record<string, CType>> = {
  int8: { kind: 'int', size: 1, signed: true, name: 'int8' },
  int16: { kind: 'int', size: 2, signed: true, name: 'int16' },
  int32: { kind: 'int', size: 4, signed: true, name: 'int32' },
  int64: { kind: 'int', size: 8, signed: true, name: 'int64' },
  uint8: { kind: 'int', size: 1, signed: false, name: 'uint8' },
  uint16: { kind: 'int', size: 2, signed: false, name: 'uint16' },
  uint32: { kind: 'int', size: 4, signed: false, name: 'uint32' },
  uint64: { kind: 'int', size: 8, signed: false, name: 'uint64' },
  bool: { kind: 'bool' },
  void: { kind: 'void' },
};

/** The C type a type expression names, or an error message. */
export function typeExprToC(ctx: Ctx, t: A.TypeExpr, owner: string, fieldIndex: number): CType | string {
  switch (t.kind) {
    case 'namedType': {
      const c = NAMED_C[t.name];
      return c ?? `Cannot use type "${printType(t)}" in a C definition`;
    }
    case 'identType': {
      const c = ctx.env.cType(t.name);
      return c ?? `Cannot resolve unknown type "${t.name}"`;
    }
    case 'structType':
      if (t.keyword === 'enum') {
        const e = ctx.env.findEnum(t.name);
        return { kind: 'enum', name: t.name, size: e?.size ?? 4 };
      }
      return { kind: t.keyword, name: t.name };
    case 'pointerType': {
      const to = typeExprToC(ctx, t.to, owner, fieldIndex);
      // Pointers to types not (yet) defined are fine, as in C.
      if (typeof to === 'string') return t.to.kind === 'identType' ? { kind: 'ptr', to: { kind: 'void' } } : to;
      return { kind: 'ptr', to };
    }
    case 'arrayType': {
      const of = typeExprToC(ctx, t.of, owner, fieldIndex);
      return typeof of === 'string' ? of : { kind: 'array', of, len: t.len ?? 0 };
    }
    case 'inlineStruct': {
      const name = t.def.name || `${owner}::${fieldIndex}`;
      defineStruct(ctx, { ...t.def, name });
      return { kind: t.def.keyword, name };
    }
    default:
      return `Cannot resolve unknown type`;
  }
}

function defineStruct(ctx: Ctx, def: A.CStructDef): void {
  const fields: { name: string; type: CType; bits?: number }[] = [];
  const anonymous: { index: number; type: CType }[] = [];
  def.fields.forEach((f, i) => {
    const c = typeExprToC(ctx, f.type, `${def.keyword} ${def.name}`, i);
    if (typeof c === 'string') {
      ctx.diags.error(c, f.type.span);
      return;
    }
    if (c.kind === 'struct' || c.kind === 'union') {
      if (!ctx.env.findRecord(`${c.kind} ${c.name}`)) {
        ctx.diags.error(`Cannot resolve unknown type "${c.kind} ${c.name}"`, f.type.span);
        return;
      }
    }
    if (!f.name) anonymous.push({ index: fields.length, type: c });
    fields.push({ name: f.name, type: c, bits: f.bits });
  });
  const rec = ctx.env.layout(def.keyword, def.name, fields);
  if (anonymous.length === 0) return;
  // Members of anonymous structs and unions are reached directly: flatten them.
  const flat = rec.fields.flatMap((f) => {
    if (f.name) return [f];
    const inner = f.type.kind === 'struct' || f.type.kind === 'union' ? ctx.env.findRecord(`${f.type.kind} ${f.type.name}`) : undefined;
    return inner ? inner.fields.map((g) => ({ ...g, offset: g.offset + f.offset })) : [];
  });
  ctx.env.addRecord({ ...rec, fields: flat });
}

function defineEnum(ctx: Ctx, def: A.CEnumDef, index: number): void {
  const values: Record<string, number> = {};
  let next = 0n;
  for (const v of def.values) {
    if (v.value) {
      const n = constInt(v.value, (name) => (name in values ? BigInt(values[name]) : ctx.env.enumConstant(name)?.value));
      if (n === undefined) {
        ctx.diags.error(`Invalid value for enum variant ${v.name}: not an integer constant`, v.value.span);
        continue;
      }
      next = n;
    }
    values[v.name] = Number(next);
    next++;
  }
  const big = Object.values(values).some((x) => x > 0xffffffff || x < -0x80000000);
  ctx.env.addEnum({ name: def.name ?? `(anonymous enum ${index})`, size: big ? 8 : 4, values });
}

/** The macros of a known header become defines (a later `#define` of the same name wins). */
function include(ctx: Ctx, item: A.IncludeItem): void {
  const macros = headerMacros(item.path);
  const shown = item.system ? `<${item.path}>` : `"${item.path}"`;
  if (macros.length === 0) {
    ctx.notes.push(`#include ${shown} ignored: kernel types come from the BTF type table`);
    return;
  }
  for (const [name, v] of macros) {
    const value: A.IntLit = { kind: 'int', span: item.span, value: BigInt(Math.abs(v)), raw: String(v), ...(v < 0 ? { negative: true } : {}) };
    ctx.defines.set(name, { value, text: String(v) });
  }
  ctx.notes.push(`#include ${shown}: ${macros.length} macros from the header table; kernel types come from the BTF type table`);
}

export const preamblePass: Pass = {
  name: 'preamble',
  run(ctx) {
    let enumIndex = 0;
    for (const item of ctx.program.items) {
      switch (item.kind) {
        case 'include':
          include(ctx, item);
          break;
        case 'define':
          ctx.defines.set(item.name, { value: item.value, text: item.text, params: item.params });
          break;
        case 'preproc':
          ctx.notes.push(`${item.text.split(/\s/)[0]} directive ignored`);
          break;
        case 'cstruct':
          defineStruct(ctx, item);
          break;
        case 'cenum':
          defineEnum(ctx, item, enumIndex++);
          break;
        default:
          break;
      }
    }
  },
};
