// Operand parsing shared by both assembler syntaxes: registers, numbers, memory operands
// and jump targets. Each function throws AsmSyntaxError with a message that names the
// offending text; the driver (assemble.ts) adds the line number.

export class AsmSyntaxError extends Error {}

/** A jump or call target: a relative slot count, or a label resolved by the driver. */
export type Target = { kind: 'rel'; rel: number } | { kind: 'label'; name: string };

const REG_RE = /^([rw])(\d+)$/;

/** A register `rN`/`wN` (0-10); `wide` tells whether it was spelled as a 64-bit `r` register. */
export function parseReg(text: string): { reg: number; wide: boolean } {
  const m = REG_RE.exec(text.trim());
  if (!m) throw new AsmSyntaxError(`expected a register, got '${text.trim()}'`);
  const reg = Number(m[2]);
  if (reg > 10) throw new AsmSyntaxError(`unknown register '${text.trim()}'`);
  return { reg, wide: m[1] === 'r' };
}

export function isReg(text: string): boolean {
  return REG_RE.test(text.trim());
}

const NUM_RE = /^([+-]?)\s*(0x[0-9a-f]+|\d+)$/i;

export function isNumber(text: string): boolean {
  return NUM_RE.test(text.trim());
}

/** A decimal or hexadecimal integer with an optional sign, as a bigint. */
export function parseNumber(text: string): bigint {
  const m = NUM_RE.exec(text.trim());
  if (!m) throw new AsmSyntaxError(`expected a number, got '${text.trim()}'`);
  const v = BigInt(m[2]);
  return m[1] === '-' ? -v : v;
}

/** A 32-bit immediate: any value in [-2^31, 2^32) (unsigned spellings wrap to the signed field). */
export function parseImm32(text: string): number {
  const v = parseNumber(text);
  if (v < -(1n << 31n) || v >= 1n << 32n) throw new AsmSyntaxError(`immediate ${text.trim()} does not fit in 32 bits`);
  return Number(BigInt.asIntN(32, v));
}

/** A 64-bit immediate: any value in [-2^63, 2^64), returned as the unsigned bit pattern. */
export function parseImm64(text: string): bigint {
  const v = parseNumber(text);
  if (v < -(1n << 63n) || v >= 1n << 64n) throw new AsmSyntaxError(`immediate ${text.trim()} does not fit in 64 bits`);
  return BigInt.asUintN(64, v);
}

/** A signed 16-bit offset. */
export function parseOff16(text: string): number {
  const v = parseNumber(text);
  if (v < -32768n || v > 32767n) throw new AsmSyntaxError(`offset ${text.trim()} does not fit in 16 bits`);
  return Number(v);
}

const LABEL_RE = /^[A-Za-z_.$][\w.$]*$/;

export function isLabel(text: string): boolean {
  return LABEL_RE.test(text);
}

/** A jump target: `+N`, `-N`, `N`, or a label (an llvm-objdump `<LBB0_1>` annotation after it is ignored). */
export function parseTarget(text: string): Target {
  const t = text.trim().replace(/\s*<[^>]*>$/, '');
  if (isNumber(t)) return { kind: 'rel', rel: Number(parseNumber(t)) };
  if (isLabel(t)) return { kind: 'label', name: t };
  throw new AsmSyntaxError(`expected a jump target (+N, -N or a label), got '${t}'`);
}

/**
 * A memory operand `BASE + OFF`, `BASE - OFF` or `BASE` (base a register), as both syntaxes
 * write it inside their brackets: `[%r1+4]` and `(r1 + 4)`.
 */
export function parseBaseOff(text: string): { base: number; off: number } {
  const m = /^\s*([rw]\d+)\s*(?:([+-])\s*(0x[0-9a-f]+|\d+|-\s*(?:0x[0-9a-f]+|\d+)))?\s*$/i.exec(text);
  if (!m) throw new AsmSyntaxError(`expected a memory operand like 'r1 + 8', got '${text.trim()}'`);
  const { reg } = parseReg(m[1]);
  let off = 0;
  if (m[2]) {
    const n = parseNumber(m[3].replace(/\s+/g, ''));
    off = Number(m[2] === '-' ? -n : n);
    if (off < -32768 || off > 32767) throw new AsmSyntaxError(`offset ${off} does not fit in 16 bits`);
  }
  return { base: reg, off };
}

/** Splits an operand list on top-level commas (commas inside brackets or parentheses stay). */
export function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '' || out.length) out.push(cur.trim());
  return out;
}
