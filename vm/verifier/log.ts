// The verifier log: kernel-style lines collected as text, and the printing of register
// and stack state in the format of the kernel's print_verifier_state
// (`R1=ctx() R10=fp0`, `R0=map_value_or_null(id=1,ks=4,vs=8)`, `fp-8=0000????`).
// Instruction text comes from disasm.ts; what to print when is decided by check.ts.
import type { MapSpec } from '../maps/types';
import { type Reg, type Frame, Slot, STACK_SLOTS, typeName } from './state';
import { S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, U64_MAX } from './scalar';
import { tnumIsConst, tnumIsUnknown, tnumStr } from './tnum';

export class Log {
  private lines: string[] = [];
  private size = 0;
  /** Lines beyond this many characters are dropped (the log is for people). */
  constructor(readonly level: 0 | 1 | 2, private readonly limit = 16 << 20) {}
  private truncated = false;
  /** Adds a line; past the size limit only forced lines (the error and the summary) are kept. */
  line(s: string, force = false): void {
    if (this.size > this.limit && !force) {
      if (!this.truncated) this.lines.push('... (log truncated)');
      this.truncated = true;
      return;
    }
    this.lines.push(s);
    this.size += s.length + 1;
  }
  /** Appends to the previous line (the ` ; R0=...` state after an instruction). */
  append(s: string): void {
    if (this.lines.length === 0) return this.line(s);
    if (this.truncated) return;
    this.lines[this.lines.length - 1] += s;
    this.size += s.length;
  }
  /** The number of lines so far (a position to truncate back to). */
  mark(): number {
    return this.lines.length;
  }
  /** Drops the lines after a mark: a path that ended well is not kept at log level 1, as in the kernel. */
  truncate(mark: number): void {
    if (mark >= this.lines.length) return;
    for (let i = mark; i < this.lines.length; i++) this.size -= this.lines[i].length + 1;
    this.lines.length = mark;
    this.truncated = false;
  }
  text(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }
}

const unum = (x: bigint): string => (x <= 0xffffn ? `${x}` : `0x${x.toString(16)}`);
const snum = (x: bigint): string => (x >= -32768n && x <= 32767n ? `${x}` : `0x${BigInt.asUintN(64, x).toString(16)}`);
const snum32 = (x: bigint): string => (x >= -32768n && x <= 32767n ? `${x}` : `0x${BigInt.asUintN(32, x).toString(16)}`);

/** `smin=...,smax=umax=...,var_off=(...)` for the non-trivial bounds of a register. */
function rangeText(r: Reg): string[] {
  const m: [string, bigint, boolean, (x: bigint) => string, bigint][] = [
    ['smin', r.smin, r.smin === S64_MIN, snum, BigInt.asUintN(64, r.smin)],
    ['smax', r.smax, r.smax === S64_MAX, snum, BigInt.asUintN(64, r.smax)],
    ['umin', r.umin, r.umin === 0n, unum, r.umin],
    ['umax', r.umax, r.umax === U64_MAX, unum, r.umax],
    ['smin32', r.s32min, r.s32min === S32_MIN, snum32, BigInt.asUintN(64, r.s32min)],
    ['smax32', r.s32max, r.s32max === S32_MAX, snum32, BigInt.asUintN(64, r.s32max)],
    ['umin32', r.u32min, r.u32min === 0n, unum, r.u32min],
    ['umax32', r.u32max, r.u32max === U32_MAX, unum, r.u32max],
  ];
  const done = new Array(m.length).fill(false);
  const out: string[] = [];
  for (let i = 0; i < m.length; i++) {
    if (done[i] || m[i][2]) continue;
    const names = [m[i][0]];
    for (let j = i + 1; j < m.length; j++) {
      if (!done[j] && !m[j][2] && m[j][4] === m[i][4]) {
        names.push(m[j][0]);
        done[j] = true;
      }
    }
    out.push(`${names.join('=')}=${m[i][3](m[i][1])}`);
  }
  if (!tnumIsUnknown(r.var) && !tnumIsConst(r.var)) out.push(`var_off=${tnumStr(r.var)}`);
  return out;
}

/** A register as the log prints it after `R1=`. */
export function regText(r: Reg, maps: readonly MapSpec[]): string {
  if (r.type === 'scalar') {
    if (tnumIsConst(r.var) && r.id === 0) return snum(BigInt.asIntN(64, r.var.value));
    const parts = r.id ? [`id=${r.id}${r.addConst ? (r.off < 0 ? `${r.off}` : `+${r.off}`) : ''}`] : [];
    if (tnumIsConst(r.var)) parts.push(`umin=umax=${unum(r.var.value)}`);
    else parts.push(...rangeText(r));
    return `scalar(${parts.join(',')})`;
  }
  if (r.type === 'fp' && tnumIsConst(r.var) && r.var.value === 0n) return `fp${r.off}`;
  const parts: string[] = [];
  if (r.id) parts.push(`id=${r.id}`);
  if (r.refObjId) parts.push(`ref_obj_id=${r.refObjId}`);
  if (r.type === 'fp' && r.frameno) parts.push(`frame=${r.frameno}`);
  if (r.off) parts.push(`off=${r.off}`);
  if (r.type === 'map_ptr' || r.type === 'map_value' || r.type === 'map_key') {
    const m = maps[r.map];
    if (m) {
      if (m.name) parts.unshift(`map=${m.name.replace(/[^A-Za-z0-9_@.]/g, '_')}`);
      parts.push(`ks=${m.keySize}`, `vs=${m.valueSize}`);
    }
  }
  if (r.type === 'ringbuf_mem') parts.push(`sz=${r.memSize}`);
  if (!tnumIsConst(r.var) || r.var.value !== 0n) parts.push(...rangeText(r));
  return `${typeName(r)}(${parts.join(',')})`;
}

const SLOT_CHAR = ['?', 'm', 'r', '0'];

/** One stack slot as `fp-8=0000????` or `fp-8=map_value(...)`, or '' when untouched. */
export function slotText(f: Frame, s: number, maps: readonly MapSpec[]): string {
  const base = s * 8;
  let any = false;
  for (let b = 0; b < 8; b++) if (f.bytes[base + b] !== Slot.INVALID) any = true;
  if (!any) return '';
  const off = base - 512;
  const sp = f.spilled[s];
  const full = sp && f.bytes.subarray(base, base + 8).every((t) => t === Slot.SPILL);
  if (full && sp) return `fp${off}=${regText(sp, maps)}`;
  let chars = '';
  for (let b = 7; b >= 0; b--) chars += SLOT_CHAR[f.bytes[base + b]];
  return `fp${off}=${chars}${sp ? regText(sp, maps) : ''}`;
}

/** The registers and stack of one frame: `R1=ctx() R10=fp0 fp-8=0000????`; optionally only some registers and slots. */
export function frameText(f: Frame, maps: readonly MapSpec[], onlyRegs?: readonly number[], onlySlots?: readonly number[]): string {
  const parts: string[] = [];
  const regs = onlyRegs ?? f.regs.map((_, i) => i);
  for (const i of regs) {
    const r = f.regs[i];
    if (r.type === 'not_init') continue;
    parts.push(`R${i}=${regText(r, maps)}`);
  }
  const slots = onlySlots ?? (onlyRegs ? [] : Array.from({ length: STACK_SLOTS }, (_, k) => STACK_SLOTS - 1 - k));
  for (const s of slots) {
    const t = slotText(f, s, maps);
    if (t) parts.push(t);
  }
  return parts.join(' ');
}

/** Pads an instruction line so that the state comment lines up, as the kernel does. */
export function alignComment(len: number): string {
  const target = Math.ceil(Math.max(len + 4, 40) / 8) * 8 - 2;
  return ' '.repeat(Math.max(1, target - len)) + '; ';
}
