// The WebAssembly instructions the JIT emits, as one table read by both the binary
// writer (name -> opcode byte) and the text printer (opcode byte -> name and immediate
// kind). Only what the JIT emits is listed (control flow, locals and globals, integer
// loads, stores and arithmetic, the sign-extension operators); floats, tables, SIMD and
// the prefixed groups are left out, and the printer reports any opcode it does not know.

/** What follows an opcode in the binary encoding. */
export const Imm = {
  NONE: 0,
  /** A block type: 0x40 (empty) or a value type. */
  BLOCK: 1,
  /** A label index (u32). */
  LABEL: 2,
  /** A label vector and a default label (br_table). */
  TABLE: 3,
  /** A function index (u32). */
  FUNC: 4,
  /** A local index (u32). */
  LOCAL: 5,
  /** A global index (u32). */
  GLOBAL: 6,
  /** Alignment exponent and offset (u32, u32). */
  MEMARG: 7,
  /** A signed LEB128 i32. */
  I32: 8,
  /** A signed LEB128 i64. */
  I64: 9,
  /** A memory index byte (memory.size, memory.grow). */
  MEMIDX: 10,
} as const;
export type ImmKind = (typeof Imm)[keyof typeof Imm];

const TABLE = [
  [0x00, 'unreachable', Imm.NONE],
  [0x01, 'nop', Imm.NONE],
  [0x02, 'block', Imm.BLOCK],
  [0x03, 'loop', Imm.BLOCK],
  [0x04, 'if', Imm.BLOCK],
  [0x05, 'else', Imm.NONE],
  [0x0b, 'end', Imm.NONE],
  [0x0c, 'br', Imm.LABEL],
  [0x0d, 'br_if', Imm.LABEL],
  [0x0e, 'br_table', Imm.TABLE],
  [0x0f, 'return', Imm.NONE],
  [0x10, 'call', Imm.FUNC],
  [0x1a, 'drop', Imm.NONE],
  [0x1b, 'select', Imm.NONE],
  [0x20, 'local.get', Imm.LOCAL],
  [0x21, 'local.set', Imm.LOCAL],
  [0x22, 'local.tee', Imm.LOCAL],
  [0x23, 'global.get', Imm.GLOBAL],
  [0x24, 'global.set', Imm.GLOBAL],
  [0x28, 'i32.load', Imm.MEMARG],
  [0x29, 'i64.load', Imm.MEMARG],
  [0x2c, 'i32.load8_s', Imm.MEMARG],
  [0x2d, 'i32.load8_u', Imm.MEMARG],
  [0x2e, 'i32.load16_s', Imm.MEMARG],
  [0x2f, 'i32.load16_u', Imm.MEMARG],
  [0x30, 'i64.load8_s', Imm.MEMARG],
  [0x31, 'i64.load8_u', Imm.MEMARG],
  [0x32, 'i64.load16_s', Imm.MEMARG],
  [0x33, 'i64.load16_u', Imm.MEMARG],
  [0x34, 'i64.load32_s', Imm.MEMARG],
  [0x35, 'i64.load32_u', Imm.MEMARG],
  [0x36, 'i32.store', Imm.MEMARG],
  [0x37, 'i64.store', Imm.MEMARG],
  [0x3a, 'i32.store8', Imm.MEMARG],
  [0x3b, 'i32.store16', Imm.MEMARG],
  [0x3c, 'i64.store8', Imm.MEMARG],
  [0x3d, 'i64.store16', Imm.MEMARG],
  [0x3e, 'i64.store32', Imm.MEMARG],
  [0x3f, 'memory.size', Imm.MEMIDX],
  [0x41, 'i32.const', Imm.I32],
  [0x42, 'i64.const', Imm.I64],
  [0x45, 'i32.eqz', Imm.NONE],
  [0x46, 'i32.eq', Imm.NONE],
  [0x47, 'i32.ne', Imm.NONE],
  [0x48, 'i32.lt_s', Imm.NONE],
  [0x49, 'i32.lt_u', Imm.NONE],
  [0x4a, 'i32.gt_s', Imm.NONE],
  [0x4b, 'i32.gt_u', Imm.NONE],
  [0x4c, 'i32.le_s', Imm.NONE],
  [0x4d, 'i32.le_u', Imm.NONE],
  [0x4e, 'i32.ge_s', Imm.NONE],
  [0x4f, 'i32.ge_u', Imm.NONE],
  [0x50, 'i64.eqz', Imm.NONE],
  [0x51, 'i64.eq', Imm.NONE],
  [0x52, 'i64.ne', Imm.NONE],
  [0x53, 'i64.lt_s', Imm.NONE],
  [0x54, 'i64.lt_u', Imm.NONE],
  [0x55, 'i64.gt_s', Imm.NONE],
  [0x56, 'i64.gt_u', Imm.NONE],
  [0x57, 'i64.le_s', Imm.NONE],
  [0x58, 'i64.le_u', Imm.NONE],
  [0x59, 'i64.ge_s', Imm.NONE],
  [0x5a, 'i64.ge_u', Imm.NONE],
  [0x67, 'i32.clz', Imm.NONE],
  [0x68, 'i32.ctz', Imm.NONE],
  [0x6a, 'i32.add', Imm.NONE],
  [0x6b, 'i32.sub', Imm.NONE],
  [0x6c, 'i32.mul', Imm.NONE],
  [0x6d, 'i32.div_s', Imm.NONE],
  [0x6e, 'i32.div_u', Imm.NONE],
  [0x6f, 'i32.rem_s', Imm.NONE],
  [0x70, 'i32.rem_u', Imm.NONE],
  [0x71, 'i32.and', Imm.NONE],
  [0x72, 'i32.or', Imm.NONE],
  [0x73, 'i32.xor', Imm.NONE],
  [0x74, 'i32.shl', Imm.NONE],
  [0x75, 'i32.shr_s', Imm.NONE],
  [0x76, 'i32.shr_u', Imm.NONE],
  [0x77, 'i32.rotl', Imm.NONE],
  [0x78, 'i32.rotr', Imm.NONE],
  [0x79, 'i64.clz', Imm.NONE],
  [0x7a, 'i64.ctz', Imm.NONE],
  [0x7c, 'i64.add', Imm.NONE],
  [0x7d, 'i64.sub', Imm.NONE],
  [0x7e, 'i64.mul', Imm.NONE],
  [0x7f, 'i64.div_s', Imm.NONE],
  [0x80, 'i64.div_u', Imm.NONE],
  [0x81, 'i64.rem_s', Imm.NONE],
  [0x82, 'i64.rem_u', Imm.NONE],
  [0x83, 'i64.and', Imm.NONE],
  [0x84, 'i64.or', Imm.NONE],
  [0x85, 'i64.xor', Imm.NONE],
  [0x86, 'i64.shl', Imm.NONE],
  [0x87, 'i64.shr_s', Imm.NONE],
  [0x88, 'i64.shr_u', Imm.NONE],
  [0x89, 'i64.rotl', Imm.NONE],
  [0x8a, 'i64.rotr', Imm.NONE],
  [0xa7, 'i32.wrap_i64', Imm.NONE],
  [0xac, 'i64.extend_i32_s', Imm.NONE],
  [0xad, 'i64.extend_i32_u', Imm.NONE],
  [0xc0, 'i32.extend8_s', Imm.NONE],
  [0xc1, 'i32.extend16_s', Imm.NONE],
  [0xc2, 'i64.extend8_s', Imm.NONE],
  [0xc3, 'i64.extend16_s', Imm.NONE],
  [0xc4, 'i64.extend32_s', Imm.NONE],
] as const;

export type OpName = (typeof TABLE)[number][1];

/** Opcode byte by instruction name. */
export const OP = Object.fromEntries(TABLE.map(([code, name]) => [name, code])) as Record<OpName, number>;

/** Name and immediate kind by opcode byte (undefined for bytes the JIT never emits). */
export const OP_INFO: readonly ({ name: OpName; imm: ImmKind } | undefined)[] = (() => {
  const out: ({ name: OpName; imm: ImmKind } | undefined)[] = new Array(256).fill(undefined);
  for (const [code, name, imm] of TABLE) out[code] = { name, imm };
  return out;
})();

/** Value types. */
export const ValType = { i32: 0x7f, i64: 0x7e } as const;
export type ValTypeCode = (typeof ValType)[keyof typeof ValType];

export const VALTYPE_NAMES: Readonly<Record<number, string>> = { 0x7f: 'i32', 0x7e: 'i64' };

/** The empty block type. */
export const BLOCK_VOID = 0x40;

/** Section ids in the order they must appear. */
export const Section = { CUSTOM: 0, TYPE: 1, IMPORT: 2, FUNCTION: 3, TABLE: 4, MEMORY: 5, GLOBAL: 6, EXPORT: 7, START: 8, ELEMENT: 9, CODE: 10, DATA: 11 } as const;

/** Import and export kinds. */
export const ExternKind = { FUNC: 0, TABLE: 1, MEMORY: 2, GLOBAL: 3 } as const;

/** Natural alignment exponent for a memory access of 1, 2, 4 or 8 bytes. */
export function alignOf(bytes: number): number {
  return bytes === 8 ? 3 : bytes === 4 ? 2 : bytes === 2 ? 1 : 0;
}
