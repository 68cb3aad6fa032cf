// A minimal BTF reader: enough of the type section to decode BTF-defined map
// declarations in `.maps` (`__uint(type, ...)`, `__uint(max_entries, ...)`,
// `__type(key, ...)`, `__type(value, ...)`, `__uint(key_size, ...)`, ...). Other kinds are
// skipped over by their documented sizes.

export class BtfError extends Error {}

export const BtfKind = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10,
  RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;

export interface BtfType {
  id: number;
  kind: number;
  name: string;
  /** size for sized kinds, the referenced type otherwise. */
  sizeOrType: number;
  vlen: number;
  /** ARRAY: element type and count. */
  array?: { type: number; nelems: number };
  /** STRUCT/UNION members; DATASEC entries (name empty, type = the VAR, offset and size in bytes). */
  members?: { name: string; type: number; offset: number; size?: number }[];
}

export interface Btf {
  types: BtfType[];
  byId(id: number): BtfType | undefined;
  /** Byte size of a type, following typedefs and qualifiers. */
  sizeOf(id: number): number;
  /** The type behind typedefs and qualifiers. */
  resolve(id: number): BtfType | undefined;
}

export function readBtf(bytes: Uint8Array): Btf {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24 || dv.getUint16(0, true) !== 0xeb9f) throw new BtfError('bad BTF magic');
  const hdrLen = dv.getUint32(4, true);
  const typeOff = hdrLen + dv.getUint32(8, true);
  const typeLen = dv.getUint32(12, true);
  const strOff = hdrLen + dv.getUint32(16, true);
  const strLen = dv.getUint32(20, true);
  if (typeOff + typeLen > bytes.length || strOff + strLen > bytes.length) throw new BtfError('BTF sections outside the data');
  const str = (off: number): string => {
    let end = strOff + off;
    while (end < strOff + strLen && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(strOff + off, end));
  };
  const types: BtfType[] = [{ id: 0, kind: 0, name: 'void', sizeOrType: 0, vlen: 0 }];
  let at = typeOff;
  while (at < typeOff + typeLen) {
    const info = dv.getUint32(at + 4, true);
    const t: BtfType = { id: types.length, kind: (info >> 24) & 0x1f, name: str(dv.getUint32(at, true)), sizeOrType: dv.getUint32(at + 8, true), vlen: info & 0xffff };
    at += 12;
    switch (t.kind) {
      case BtfKind.INT:
      case BtfKind.VAR:
      case BtfKind.DECL_TAG:
        at += 4;
        break;
      case BtfKind.ARRAY:
        t.array = { type: dv.getUint32(at, true), nelems: dv.getUint32(at + 8, true) };
        at += 12;
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        t.members = [];
        for (let i = 0; i < t.vlen; i++, at += 12) t.members.push({ name: str(dv.getUint32(at, true)), type: dv.getUint32(at + 4, true), offset: dv.getUint32(at + 8, true) });
        break;
      case BtfKind.DATASEC:
        t.members = [];
        for (let i = 0; i < t.vlen; i++, at += 12) t.members.push({ name: '', type: dv.getUint32(at, true), offset: dv.getUint32(at + 4, true), size: dv.getUint32(at + 8, true) });
        break;
      case BtfKind.ENUM:
      case BtfKind.FUNC_PROTO:
        at += 8 * t.vlen;
        break;
      case BtfKind.ENUM64:
        at += 12 * t.vlen;
        break;
      case BtfKind.PTR:
      case BtfKind.FWD:
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.FUNC:
      case BtfKind.FLOAT:
      case BtfKind.TYPE_TAG:
        break;
      default:
        throw new BtfError(`unknown BTF kind ${t.kind}`);
    }
    types.push(t);
  }
  const byId = (id: number): BtfType | undefined => types[id];
  const resolve = (id: number): BtfType | undefined => {
    let t = types[id];
    for (let guard = 0; t && guard < 64; guard++) {
      if (t.kind === BtfKind.TYPEDEF || t.kind === BtfKind.VOLATILE || t.kind === BtfKind.CONST || t.kind === BtfKind.RESTRICT || t.kind === BtfKind.TYPE_TAG) t = types[t.sizeOrType];
      else return t;
    }
    return undefined;
  };
  const sizeOf = (id: number): number => {
    const t = resolve(id);
    if (!t) throw new BtfError(`BTF type ${id} has no size`);
    switch (t.kind) {
      case BtfKind.INT:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FLOAT:
      case BtfKind.DATASEC:
        return t.sizeOrType;
      case BtfKind.PTR:
        return 8;
      case BtfKind.ARRAY:
        return sizeOf(t.array!.type) * t.array!.nelems;
      default:
        throw new BtfError(`BTF type ${t.name || id} has no size`);
    }
  };
  return { types, byId, resolve, sizeOf };
}
