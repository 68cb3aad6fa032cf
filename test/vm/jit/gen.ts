// Random programs for the JIT's property tests (fast-check arbitraries), two kinds:
// - `rawProgram`: anything goes within reason: every ALU form with edge-case operands,
//   movsx, byte swaps, loads and stores around the stack and the input record, atomics,
//   helper and local calls, jumps anywhere (loops, jumps out of the program, into an
//   lddw), occasional writes to r10; the budget bounds every run.
// - `verifiableProgram`: built to pass the verifier, as a compiler's output would:
//   registers and stack initialised first, forward branches and counted loops, stack
//   accesses in bounds, map lookups with null checks then value accesses, helper calls
//   followed by fresh r1-r5. Used with the verifier's facts (its own generator did not
//   exist when these were written).
import fc from 'fast-check';
import { insn, type Insn } from '../../../vm/isa/insn';
import { aluImm, aluReg, atomic, call, callLocal, exit, jmpImm, jmpReg, lddw, ldMapFd, ldx, movImm, movReg, st, stx, type AluOp, type AtomicOp, type JmpOp, type SizeName } from '../../../vm/isa/build';
import { Alu, Class, Src } from '../../../vm/isa/opcodes';
import { MapType, type MapSpec } from '../../../vm/maps/types';

const ALU_OPS: AluOp[] = ['ADD', 'SUB', 'MUL', 'DIV', 'OR', 'AND', 'LSH', 'RSH', 'MOD', 'XOR', 'ARSH'];
const JMP_OPS: JmpOp[] = ['JEQ', 'JNE', 'JGT', 'JGE', 'JLT', 'JLE', 'JSGT', 'JSGE', 'JSLT', 'JSLE', 'JSET'];
const SIZES: SizeName[] = ['B', 'H', 'W', 'DW'];
const BYTES: Record<SizeName, number> = { B: 1, H: 2, W: 4, DW: 8 };
const ATOMICS: AtomicOp[] = ['ADD', 'OR', 'AND', 'XOR', 'XCHG', 'CMPXCHG'];

const imm32 = fc.oneof(
  fc.integer({ min: -4, max: 4 }),
  fc.constantFrom(0, 1, -1, 8, 16, 31, 32, 33, 63, 64, 0xff, 0xffff, 0x7fffffff, -0x80000000),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
);
const imm64 = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(0n, -1n, 1n << 63n, (1n << 32n) - 1n, 1n << 32n));
const reg = fc.integer({ min: 0, max: 9 });
/** Writes to r10 are rare but possible. */
const dstReg = fc.oneof({ weight: 30, arbitrary: reg }, { weight: 1, arbitrary: fc.constant(10) });
const srcReg = fc.integer({ min: 0, max: 10 });

/** One item of a raw program: slots, where a jump's offset is filled in at layout. */
type Item = { insns: Insn[]; jump?: { field: 'off' | 'imm'; rel: number } };

const aluItem = fc.record({ op: fc.constantFrom(...ALU_OPS), w32: fc.boolean(), k: fc.boolean(), d: dstReg, s: srcReg, imm: imm32, signed: fc.boolean() }).map(({ op, w32, k, d, s, imm, signed }): Item => {
  const off = (op === 'DIV' || op === 'MOD') && signed ? 1 : 0;
  return { insns: [k ? aluImm(op, d, imm, w32, off) : aluReg(op, d, s, w32, off)] };
});
const movItem = fc.record({ w32: fc.boolean(), d: dstReg, s: srcReg, sx: fc.constantFrom(0, 8, 16, 32), k: fc.boolean(), imm: imm32 }).map(({ w32, d, s, sx, k, imm }): Item => ({
  insns: [k ? movImm(d, imm, w32) : aluReg('MOV', d, s, w32, w32 && sx === 32 ? 0 : sx)],
}));
const unaryItem = fc.record({ d: dstReg, kind: fc.constantFrom('neg64', 'neg32', 'le', 'be', 'bswap'), width: fc.constantFrom(16, 32, 64) }).map(({ d, kind, width }): Item => {
  if (kind === 'neg64' || kind === 'neg32') return { insns: [aluImm('NEG', d, 0, kind === 'neg32')] };
  const cls = kind === 'bswap' ? Class.ALU64 : Class.ALU;
  return { insns: [insn(cls | Alu.END | (kind === 'be' ? Src.X : Src.K), d, 0, 0, width)] };
});
const lddwItem = fc.record({ d: dstReg, v: imm64 }).map(({ d, v }): Item => ({ insns: lddw(d, v) }));
/** A stack or input access: base r10 mostly in the frame, or r1 (the 16-byte input, when it was not overwritten). */
const memTarget = fc.oneof(
  { weight: 6, arbitrary: fc.record({ base: fc.constant(10), off: fc.integer({ min: -72, max: -1 }) }) },
  { weight: 1, arbitrary: fc.record({ base: fc.constant(10), off: fc.integer({ min: -600, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ base: fc.constant(1), off: fc.integer({ min: -2, max: 18 }) }) },
  { weight: 1, arbitrary: fc.record({ base: reg, off: fc.integer({ min: -8, max: 8 }) }) },
);
const memItem = fc.record({ t: memTarget, size: fc.constantFrom(...SIZES), kind: fc.constantFrom('ld', 'ldsx', 'st', 'stx'), d: dstReg, s: srcReg, imm: imm32 }).map(({ t, size, kind, d, s, imm }): Item => {
  if (kind === 'ld' || (kind === 'ldsx' && size === 'DW')) return { insns: [ldx(size, d, t.base, t.off)] };
  if (kind === 'ldsx') return { insns: [ldx(size, d, t.base, t.off, true)] };
  if (kind === 'st') return { insns: [st(size, t.base, t.off, imm)] };
  return { insns: [stx(size, t.base, t.off, s)] };
});
const atomicItem = fc.record({ op: fc.constantFrom(...ATOMICS), dw: fc.boolean(), t: memTarget, s: srcReg, fetch: fc.boolean() }).map(({ op, dw, t, s, fetch }): Item => ({
  insns: [atomic(op, dw ? 'DW' : 'W', t.base, t.off, s, fetch)],
}));
const jumpItem = fc.record({ op: fc.constantFrom(...JMP_OPS), w32: fc.boolean(), k: fc.boolean(), d: srcReg, s: srcReg, imm: imm32, rel: fc.integer({ min: -8, max: 8 }) }).map(({ op, w32, k, d, s, imm, rel }): Item => ({
  insns: [k ? jmpImm(op, d, imm, 0, w32) : jmpReg(op, d, s, 0, w32)],
  jump: { field: 'off', rel },
}));
const gotoItem = fc.record({ rel: fc.integer({ min: -6, max: 6 }), long: fc.boolean() }).map(({ rel, long }): Item => ({
  insns: [insn(long ? Class.JMP32 : Class.JMP, 0, 0, 0, 0)],
  jump: { field: long ? 'imm' : 'off', rel },
}));
const callItem = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(5, 7, 8, 14, 15).map((id): Item => ({ insns: [call(id)] })) },
  { weight: 1, arbitrary: fc.constantFrom(0, 9999).map((id): Item => ({ insns: [call(id)] })) },
  { weight: 2, arbitrary: fc.integer({ min: -6, max: 6 }).map((rel): Item => ({ insns: [callLocal(0)], jump: { field: 'imm', rel } })) },
);
const exitItem = fc.constant<Item>({ insns: [exit()] });

const rawItem: fc.Arbitrary<Item> = fc.oneof(
  { weight: 8, arbitrary: aluItem },
  { weight: 3, arbitrary: movItem },
  { weight: 2, arbitrary: unaryItem },
  { weight: 2, arbitrary: lddwItem },
  { weight: 5, arbitrary: memItem },
  { weight: 2, arbitrary: atomicItem },
  { weight: 4, arbitrary: jumpItem },
  { weight: 1, arbitrary: gotoItem },
  { weight: 2, arbitrary: callItem },
  { weight: 1, arbitrary: exitItem },
);

/** Lays items out into slots, turning each jump's item-relative target into a slot offset (targets may fall outside). */
function layout(items: Item[]): Insn[] {
  const start: number[] = [];
  let n = 0;
  for (const it of items) {
    start.push(n);
    n += it.insns.length;
  }
  const out: Insn[] = [];
  items.forEach((it, i) => {
    const slots = it.insns.map((x) => ({ ...x }));
    if (it.jump) {
      const t = i + 1 + it.jump.rel;
      const targetSlot = t < 0 ? t : t >= items.length ? n + (t - items.length) : start[t];
      slots[0][it.jump.field] = targetSlot - (start[i] + 1);
    }
    out.push(...slots);
  });
  return out;
}

/** A raw program: 1 to 40 items, then an exit. */
export const rawProgram: fc.Arbitrary<Insn[]> = fc.array(rawItem, { minLength: 1, maxLength: 40 }).map((items) => layout([...items, { insns: [exit()] }]));

// ---- programs the verifier accepts ----

export const VERIFIABLE_MAPS: MapSpec[] = [
  { name: 'arr', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 4 },
  { name: 'hash', type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 8 },
];

/** A piece of a verifiable program; `skip` is a forward jump over the next `skip` pieces from its first slot. */
type Piece = { insns: Insn[]; skip?: number };

const vReg = fc.constantFrom(0, 6, 7, 8);
const fillArgs = (): Insn[] => [1, 2, 3, 4, 5].map((r) => movImm(r, r * 3));

/** ALU on initialised registers; immediates the kernel would refuse (a shift past the width, division by zero) are adjusted. */
const vAlu = fc.record({ op: fc.constantFrom(...ALU_OPS), w32: fc.boolean(), k: fc.boolean(), d: vReg, s: vReg, imm: imm32, signed: fc.boolean() }).map(({ op, w32, k, d, s, imm, signed }): Piece => {
  const div = op === 'DIV' || op === 'MOD';
  const off = div && signed ? 1 : 0;
  let v = imm;
  if (op === 'LSH' || op === 'RSH' || op === 'ARSH') v = imm & (w32 ? 31 : 63);
  if (div && v === 0) v = 7;
  return { insns: [k ? aluImm(op, d, v, w32, off) : aluReg(op, d, s, w32, off)] };
});
const vMov = fc.record({ d: vReg, s: vReg, sx: fc.constantFrom(0, 8, 16, 32), v: imm64, kind: fc.constantFrom('reg', 'lddw', 'swap') }).map(({ d, s, sx, v, kind }): Piece => {
  if (kind === 'lddw') return { insns: lddw(d, v) };
  if (kind === 'swap') return { insns: [insn(Class.ALU64 | Alu.END, d, 0, 0, [16, 32, 64][sx % 3])] };
  return { insns: [aluReg('MOV', d, s, false, sx === 32 ? 0 : sx), aluReg('MOV', d, s, true, sx)] };
});
const vStack = fc.record({ slot: fc.integer({ min: 1, max: 8 }), size: fc.constantFrom(...SIZES), sub: fc.integer({ min: 0, max: 7 }), load: fc.boolean(), signed: fc.boolean(), r: vReg }).map(({ slot, size, sub, load, signed, r }): Piece => {
  const b = BYTES[size];
  const off = -8 * slot + (Math.floor(sub / b) * b) % 8;
  return { insns: [load ? ldx(size, r, 10, off, signed && size !== 'DW') : stx(size, 10, off, r)] };
});
const vAtomic = fc.record({ op: fc.constantFrom(...ATOMICS), dw: fc.boolean(), slot: fc.integer({ min: 1, max: 8 }), r: fc.constantFrom(6, 7, 8), fetch: fc.boolean() }).map(({ op, dw, slot, r, fetch }): Piece => ({
  insns: [atomic(op, dw ? 'DW' : 'W', 10, -8 * slot, r, fetch)],
}));
const vHelper = fc.constantFrom(5, 7, 8, 14, 15).map((id): Piece => ({ insns: [call(id), ...fillArgs()] }));
/** A lookup in the array (key 0-5; 4 and 5 miss) or the hash, then an access through the value under a null check. */
const vLookup = fc.record({ hash: fc.boolean(), key: fc.integer({ min: 0, max: 5 }), access: fc.constantFrom('load', 'store', 'atomic'), r: fc.constantFrom(6, 7, 8) }).map(({ hash, key, access, r }): Piece => {
  const map = hash ? 1 : 0;
  const setKey = hash ? [st('DW', 10, -80, key)] : [st('W', 10, -80, key)];
  const upd = hash ? [...ldMapFd(1, map), movReg(2, 10), aluImm('ADD', 2, -80), movReg(3, 10), aluImm('ADD', 3, -72), movImm(4, 0), call(2)] : [];
  const use = access === 'load' ? ldx('DW', r, 0, 0) : access === 'store' ? stx('DW', 0, 0, r) : atomic('ADD', 'DW', 0, 0, r);
  return { insns: [...setKey, ...upd, ...ldMapFd(1, map), movReg(2, 10), aluImm('ADD', 2, -80), call(1), jmpImm('JEQ', 0, 0, 1), use, ...fillArgs(), movImm(0, key)] };
});
const vBranch = fc.record({ op: fc.constantFrom(...JMP_OPS), w32: fc.boolean(), k: fc.boolean(), d: vReg, s: vReg, imm: imm32, skip: fc.integer({ min: 1, max: 4 }) }).map(({ op, w32, k, d, s, imm, skip }): Piece => ({
  insns: [k ? jmpImm(op, d, imm, 0, w32) : jmpReg(op, d, s, 0, w32)],
  skip,
}));
/** `r9 = n; loop: body; r9 -= 1; if r9 != 0 goto loop` with a few ALU operations as the body. */
const vLoop = fc.record({ n: fc.integer({ min: 1, max: 5 }), body: fc.array(vAlu, { minLength: 1, maxLength: 4 }) }).map(({ n, body }): Piece => {
  const inner = body.flatMap((p) => p.insns);
  return { insns: [movImm(9, n), ...inner, aluImm('SUB', 9, 1), jmpImm('JNE', 9, 0, -(inner.length + 2))] };
});

const vPiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: vAlu },
  { weight: 2, arbitrary: vMov },
  { weight: 4, arbitrary: vStack },
  { weight: 2, arbitrary: vAtomic },
  { weight: 2, arbitrary: vHelper },
  { weight: 3, arbitrary: vLookup },
  { weight: 3, arbitrary: vBranch },
  { weight: 1, arbitrary: vLoop },
);

/** A verifiable program over VERIFIABLE_MAPS (map fds are indices into that array). */
export const verifiableProgram: fc.Arbitrary<Insn[]> = fc
  .record({ init: fc.array(imm64, { minLength: 5, maxLength: 5 }), pieces: fc.array(vPiece, { minLength: 1, maxLength: 24 }) })
  .map(({ init, pieces }) => {
    const head: Insn[] = [];
    [0, 6, 7, 8, 9].forEach((r, i) => head.push(...lddw(r, init[i])));
    head.push(...fillArgs());
    for (let slot = 1; slot <= 10; slot++) head.push(st('DW', 10, -8 * slot, slot));
    const starts: number[] = [];
    let n = head.length;
    for (const p of pieces) {
      starts.push(n);
      n += p.insns.length;
    }
    const out = [...head];
    pieces.forEach((p, i) => {
      const slots = p.insns.map((x) => ({ ...x }));
      if (p.skip !== undefined) {
        const t = Math.min(i + 1 + p.skip, pieces.length);
        slots[0].off = (t < pieces.length ? starts[t] : n) - (starts[i] + 1);
      }
      out.push(...slots);
    });
    out.push(exit());
    return out;
  });
