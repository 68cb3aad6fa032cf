// The eBPF instruction set (RFC 9669, cpu v4) as named constants, with the bit layouts
// they come from. Everything else (encoding, names, the assembler, the verifier, the
// interpreter and the JIT) reads these constants; nothing retypes them.
//
// An instruction is one 64-bit slot (two for `lddw`), little-endian:
//
//   63                              32 31            16 15  12 11   8 7            0
//   +---------------------------------+----------------+------+------+--------------+
//   |            imm (s32)            |   off (s16)    | src  | dst  |    opcode    |
//   +---------------------------------+----------------+------+------+--------------+
//
// The opcode byte splits by class. Arithmetic and jumps:
//
//   7        4   3    2      0
//   +--------+-----+---------+
//   |   op   | src |  class  |      src: K = use imm, X = use the src register
//   +--------+-----+---------+
//
// Loads and stores:
//
//   7      5 4    3 2      0
//   +-------+------+--------+
//   | mode  | size | class  |
//   +-------+------+--------+

/** Instruction classes (the low three bits of the opcode). */
export const Class = {
  /** Non-standard loads; only `lddw` (imm64) is used here (ABS/IND are legacy packet loads). */
  LD: 0x00,
  /** Load from memory into a register: `dst = *(size *)(src + off)`. */
  LDX: 0x01,
  /** Store an immediate: `*(size *)(dst + off) = imm`. */
  ST: 0x02,
  /** Store a register, and the atomic operations: `*(size *)(dst + off) = src`. */
  STX: 0x03,
  /** 32-bit arithmetic; results are zero-extended to 64 bits. */
  ALU: 0x04,
  /** 64-bit jumps, calls and exit. */
  JMP: 0x05,
  /** Jumps that compare the low 32 bits. */
  JMP32: 0x06,
  /** 64-bit arithmetic. */
  ALU64: 0x07,
} as const;

/** Operand source bit for arithmetic and jumps. */
export const Src = {
  /** Use the 32-bit immediate (sign-extended to 64 bits for 64-bit operations). */
  K: 0x00,
  /** Use the source register. */
  X: 0x08,
} as const;

/** Arithmetic operations (the high four bits of the opcode). */
export const Alu = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  /** Unsigned division when off = 0, signed (sdiv) when off = 1; x / 0 = 0. */
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  /** Shift counts are masked to 5 bits (ALU) or 6 bits (ALU64). */
  LSH: 0x60,
  RSH: 0x70,
  /** dst = -dst (source bit must be K, imm 0). */
  NEG: 0x80,
  /** Unsigned modulo when off = 0, signed (smod) when off = 1; x % 0 = x. */
  MOD: 0x90,
  XOR: 0xa0,
  /** off = 0: plain move; off = 8, 16, 32: sign-extending move (movsx). */
  MOV: 0xb0,
  ARSH: 0xc0,
  /** Byte swap. ALU class: source K = to little-endian, X = to big-endian; ALU64 class with K: unconditional bswap. imm = 16, 32 or 64. */
  END: 0xd0,
} as const;

/** Jump operations (the high four bits of the opcode). */
export const Jmp = {
  /** Unconditional jump by off (JMP class) or by imm (JMP32 class: `gotol`). */
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  /** Jump if dst & src != 0. */
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  /** src = 0: helper call by number in imm; src = 1: local call, imm = relative target; source X: callx. */
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
} as const;

/** Access sizes for loads and stores. */
export const Size = {
  W: 0x00,
  H: 0x08,
  B: 0x10,
  DW: 0x18,
} as const;

/** Addressing modes for loads and stores. */
export const Mode = {
  /** With class LD and size DW: the two-slot 64-bit immediate load `lddw`. */
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  /** Regular memory access. */
  MEM: 0x60,
  /** Sign-extending load (LDX only). */
  MEMSX: 0x80,
  /** Atomic read-modify-write (STX only, sizes W and DW); the operation is in imm. */
  ATOMIC: 0xc0,
} as const;

/** Atomic operations, held in the imm field of an ATOMIC store. */
export const Atomic = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  /** Flag: also return the old value in src (for 32-bit ops, zero-extended). */
  FETCH: 0x01,
  /** Exchange: src = xchg(*(dst + off), src). Always fetches. */
  XCHG: 0xe0 | 0x01,
  /** Compare and exchange: r0 = cmpxchg(*(dst + off), r0, src). Always fetches. */
  CMPXCHG: 0xf0 | 0x01,
} as const;

/** The src field of `lddw`: what the 64-bit immediate means (Linux's BPF_PSEUDO_*). */
export const PseudoLd = {
  /** A plain 64-bit constant. */
  IMM64: 0,
  /** imm holds a map file descriptor; the register gets the map pointer. */
  MAP_FD: 1,
  /** imm holds a map fd, the second slot's imm an offset; the register gets a pointer into the map's value. */
  MAP_VALUE: 2,
  /** imm holds a BTF id of a kernel variable. */
  BTF_ID: 3,
  /** imm holds the relative instruction index of a local function (for callbacks). */
  FUNC: 4,
  /** imm holds an index into the program's map array. */
  MAP_IDX: 5,
  /** As MAP_VALUE, with an index into the program's map array. */
  MAP_IDX_VALUE: 6,
} as const;

/** The src field of a call instruction. */
export const PseudoCall = {
  HELPER: 0,
  /** A bpf-to-bpf call; imm is the target's index relative to the next instruction. */
  LOCAL: 1,
  KFUNC: 2,
} as const;

/** eBPF registers. r0 holds return values, r1-r5 arguments (clobbered by calls), r6-r9 are callee-saved, r10 is the read-only frame pointer. */
export const Reg = { R0: 0, R1: 1, R2: 2, R3: 3, R4: 4, R5: 5, R6: 6, R7: 7, R8: 8, R9: 9, R10: 10 } as const;

/** Architectural limits. */
export const Limits = {
  /** Bytes of stack per frame. */
  STACK_SIZE: 512,
  /** Nested bpf-to-bpf call frames, the main program's included. */
  MAX_CALL_FRAMES: 8,
  /** Instructions in a privileged program (BPF_COMPLEXITY_LIMIT_INSNS). */
  MAX_INSNS: 1_000_000,
} as const;

export const classOf = (code: number): number => code & 0x07;
export const aluOpOf = (code: number): number => code & 0xf0;
export const srcOf = (code: number): number => code & 0x08;
export const sizeOf = (code: number): number => code & 0x18;
export const modeOf = (code: number): number => code & 0xe0;

/** Bytes moved by a load or store of the given size bits. */
export function sizeBytes(size: number): 1 | 2 | 4 | 8 {
  switch (size) {
    case Size.B:
      return 1;
    case Size.H:
      return 2;
    case Size.W:
      return 4;
    default:
      return 8;
  }
}

/** Reverse tables, derived rather than typed twice: opcode field value -> lower-case name. */
function invert<T extends Record<string, number>>(table: T): Map<number, string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k.toLowerCase()]));
}
export const ALU_NAMES = invert(Alu);
export const JMP_NAMES = invert(Jmp);
export const SIZE_NAMES = invert(Size);
export const CLASS_NAMES = invert(Class);

/** Frequently used whole opcodes. */
export const Op = {
  LDDW: Class.LD | Size.DW | Mode.IMM,
  CALL: Class.JMP | Jmp.CALL,
  CALLX: Class.JMP | Jmp.CALL | Src.X,
  EXIT: Class.JMP | Jmp.EXIT,
  JA: Class.JMP | Jmp.JA,
  JA32: Class.JMP32 | Jmp.JA,
} as const;
