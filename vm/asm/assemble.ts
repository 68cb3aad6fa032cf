// The assembler driver: splits text into lines, strips comments and llvm-objdump
// decorations (slot indices, raw bytes, `<label>:` headers, relocation lines) or
// bpftool's (`3: (85) call bpf_map_lookup_elem#1`, `goto pc+2`), collects
// labels, hands each instruction to the syntax that recognises it (pseudo-C in
// syntax-c.ts, the conformance suite's mnemonics in syntax-ubpf.ts), then resolves labels
// into jump offsets and named maps into map indices. Errors name the line.
//
// Directives: `.raw 0x<16 hex digits>` emits one slot given as the little-endian u64 the
// conformance suite's `-- raw` sections use (the disassembler prints it for slots no
// mnemonic describes exactly).
//
// Map references: `rN = map[NAME] ll` loads a map pointer (lddw src=MAP_FD) whose imm is
// the index of NAME among the maps the text names, in order of first use (ProgramSpec's
// map array); `rN = map_value[NAME] + OFF ll` points into its value (src=MAP_VALUE).
// Numbered forms take the index directly: `map_fd(N)`, `map_idx(N)`, `map_value(N) + OFF`,
// `map_idx_value(N) + OFF`, `btf_id(N)`, and `func(LABEL)` for a callback (src=FUNC).
// As in the conformance suite, a jump to the undefined label `exit` goes to the last slot.
// A `R_BPF_64_64 NAME` relocation line under an `lddw`, as `llvm-objdump -dr` prints
// it, names that lddw's map; other relocation lines are skipped.
import { PseudoLd } from '../isa/opcodes';
import { isLddw, type Insn } from '../isa/insn';
import type { Draft } from './draft';
import { AsmSyntaxError, isLabel } from './operands';
import { looksLikeC, parseC } from './syntax-c';
import { parseUbpf } from './syntax-ubpf';

/** An assembly error, with the 1-based line it comes from. */
export class AsmError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'AsmError';
  }
}

export interface AsmResult {
  insns: Insn[];
  /** Label -> slot index. */
  labels: Map<string, number>;
  /** Map names used with `map[NAME]`, in index order. */
  maps: string[];
  /** The 1-based source line of every slot (both slots of an lddw share one). */
  lines: number[];
}

interface Placed {
  draft: Draft;
  slot: number;
  line: number;
}

const OBJDUMP_IGNORED = /^(Disassembly of section .*:|.*:\s+file format .*)$/;
const OBJDUMP_HEADER = /^(?:[0-9a-f]+\s+)?<([^>]+)>:$/i;
const RELOCATION = /^[0-9a-f]+:\s+(R_BPF_\w+)\s+(\S+)$/i;
const SLOT_PREFIX = /^\d+:\s+(?:(?:[0-9a-f]{2} ){7}[0-9a-f]{2}(?:\s+(?:[0-9a-f]{2} ){7}[0-9a-f]{2})?(?:\s+|$))?/i;
/** `bpftool prog dump xlated` decorations: `3: (85) call bpf_map_lookup_elem#1`, `goto pc+2`. */
const BPFTOOL_PREFIX = /^\d+:\s+\([0-9a-f]{2}\)\s+/i;
const LABEL_DEF = /^([A-Za-z_.$][\w.$]*):\s*(.*)$/;

function stripComment(line: string): string {
  let cut = line.length;
  for (const marker of ['#', '//', ';']) {
    const at = line.indexOf(marker);
    if (at >= 0 && at < cut) cut = at;
  }
  return line.slice(0, cut).trim();
}

function rawSlot(text: string): Insn {
  const m = /^0x([0-9a-f]{1,16})$/i.exec(text.trim());
  if (!m) throw new AsmSyntaxError(`.raw takes one 64-bit hex value, got '${text.trim()}'`);
  const v = BigInt('0x' + m[1]);
  const lo = Number(v & 0xffffffffn);
  const hi = Number(v >> 32n);
  return { code: lo & 0xff, dst: (lo >>> 8) & 0xf, src: (lo >>> 12) & 0xf, off: (lo >>> 16) << 16 >> 16, imm: hi | 0 };
}

/** Parses one instruction's text (no label, no comment) into a draft. */
export function parseInstruction(text: string): Draft {
  const t = text.replace(/%([rw]\d+)/g, '$1').replace(/\s+/g, ' ').trim();
  const raw = /^\.raw\s+(.*)$/.exec(t);
  if (raw) return { insns: [rawSlot(raw[1])] };
  if (looksLikeC(t)) return parseC(t);
  const sp = t.indexOf(' ');
  const mnemonic = (sp < 0 ? t : t.slice(0, sp)).toLowerCase();
  return parseUbpf(mnemonic, sp < 0 ? '' : t.slice(sp + 1));
}

/** The slots of one instruction whose targets are numeric (no labels, no named maps). */
export function assembleOne(text: string): Insn[] {
  const draft = parseInstruction(text);
  const slots = draft.insns.map((i) => ({ ...i }));
  if (draft.mapRef) throw new AsmSyntaxError(`a named map needs the whole program`);
  const to = draft.target?.to;
  if (to?.kind === 'label') throw new AsmSyntaxError(`label '${to.name}' needs the whole program`);
  if (to && draft.target?.field === 'off') slots[0].off = to.rel;
  else if (to) slots[0].imm = to.rel | 0;
  return slots;
}

/** Assembles text in either syntax; throws AsmError naming the line of the first problem. */
export function assemble(text: string): AsmResult {
  const placed: Placed[] = [];
  const labels = new Map<string, number>();
  let slot = 0;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const raw = lines[n].trim();
    if (OBJDUMP_IGNORED.test(raw)) continue;
    const reloc = RELOCATION.exec(raw);
    if (reloc) {
      const last = placed[placed.length - 1];
      if (reloc[1] === 'R_BPF_64_64' && last && isLddw(last.draft.insns[0]) && !last.draft.mapRef) {
        const first = last.draft.insns[0];
        if (first.src === PseudoLd.IMM64) first.src = PseudoLd.MAP_FD;
        last.draft.mapRef = { name: reloc[2] };
      }
      continue;
    }
    let body = stripComment(raw);
    const header = OBJDUMP_HEADER.exec(body);
    if (header) body = `${header[1]}:`;
    if (BPFTOOL_PREFIX.test(body)) body = body.replace(BPFTOOL_PREFIX, '').replace(/\bpc([+-]\d+)/g, '$1').replace(/^call\s+[\w.]+#(\d+)$/, 'call $1');
    body = body.replace(SLOT_PREFIX, '').trim();
    for (let m = LABEL_DEF.exec(body); m; m = LABEL_DEF.exec(body)) {
      if (labels.has(m[1])) throw new AsmError(lineNo, `label '${m[1]}' defined twice`);
      labels.set(m[1], slot);
      body = m[2].trim();
    }
    if (body === '') continue;
    try {
      const draft = parseInstruction(body);
      placed.push({ draft, slot, line: lineNo });
      slot += draft.insns.length;
    } catch (e) {
      if (e instanceof AsmSyntaxError) throw new AsmError(lineNo, e.message);
      throw e;
    }
  }
  return resolve(placed, labels);
}

function resolve(placed: Placed[], labels: Map<string, number>): AsmResult {
  const insns: Insn[] = [];
  const lineOf: number[] = [];
  const maps: string[] = [];
  const last = placed[placed.length - 1];
  const lastSlot = last ? last.slot + last.draft.insns.length - 1 : 0;
  for (const { draft, slot, line } of placed) {
    const first = { ...draft.insns[0] };
    if (draft.target) {
      const to = draft.target.to;
      let rel: number;
      if (to.kind === 'rel') rel = to.rel;
      else {
        const at = labels.get(to.name) ?? (to.name === 'exit' ? lastSlot : undefined);
        if (at === undefined) throw new AsmError(line, `unknown label '${to.name}'`);
        rel = at - (slot + 1);
      }
      if (draft.target.field === 'off') {
        if (rel < -32768 || rel > 32767) throw new AsmError(line, `jump offset ${rel} does not fit in 16 bits`);
        first.off = rel;
      } else first.imm = rel | 0;
    }
    if (draft.mapRef) {
      if (!isLabel(draft.mapRef.name)) throw new AsmError(line, `bad map name '${draft.mapRef.name}'`);
      let idx = maps.indexOf(draft.mapRef.name);
      if (idx < 0) idx = maps.push(draft.mapRef.name) - 1;
      first.imm = idx;
    }
    insns.push(first, ...draft.insns.slice(1).map((i) => ({ ...i })));
    for (let k = 0; k < draft.insns.length; k++) lineOf.push(line);
  }
  return { insns, labels, maps, lines: lineOf };
}
