// Turning a clang `-target bpf` object into ProgramSpecs: every executable section other
// than `.text` is a program; `.text` holds subprograms, appended to each program that
// calls them (R_BPF_64_32 call relocations become bpf-to-bpf call offsets, function
// addresses in lddw become callback references). Maps come from BTF-defined `.maps`
// (decoded through `.BTF`) or the legacy `maps` section (struct bpf_map_def), and
// R_BPF_64_64 relocations against them become lddw map references by index. Global
// data sections (.data, .rodata, .bss) are refused with a clear message.
import { decode, isLddw, type Insn } from '../isa/insn';
import { Class, Jmp, PseudoCall, PseudoLd } from '../isa/opcodes';
import { MAP_TYPE_NAMES, type MapSpec, type MapTypeId } from '../maps/types';
import type { CtxLayout, ProgType, ProgramSpec } from '../program';
import { PERF_EVENT_DATA, PT_REGS } from '../ctx/layouts';
import { BtfKind, readBtf, type Btf } from './btf';
import { dropUnusedFunctions } from './unused-subprogs';
import { ElfError, readElf, SHF_EXECINSTR, SHT_PROGBITS, STT_FUNC, type ElfObject, type ElfRelocation, type ElfSection } from './elf';

export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

export interface ObjectPrograms {
  programs: ProgramSpec[];
  /** The maps every program shares (one array, so loading creates them once). */
  maps: MapSpec[];
  license?: string;
}

/** Program type and ctx from a libbpf-style section name. */
function progTypeOf(section: string): { type: ProgType; ctx: CtxLayout } {
  if (/^(kprobe|kretprobe|uprobe|uretprobe|ksyscall|kretsyscall)(\/|$)/.test(section)) return { type: 'kprobe', ctx: PT_REGS };
  if (/^(tracepoint|tp)(\/|$)/.test(section)) return { type: 'tracepoint', ctx: { name: 'tracepoint record', size: 0, fields: [] } };
  if (/^perf_event(\/|$)/.test(section)) return { type: 'perf_event', ctx: PERF_EVENT_DATA };
  return { type: 'raw', ctx: { name: 'input', size: 0, fields: [] } };
}

function knownMapType(n: number, name: string): MapTypeId {
  if (!MAP_TYPE_NAMES.has(n)) throw new ElfError(`map ${name}: map type ${n} is not supported`);
  return n as MapTypeId;
}

/** Maps by (section index, offset) of their symbol. */
type MapIndex = Map<string, number>;
const mapKey = (shndx: number, off: number): string => `${shndx}:${off}`;

function legacyMaps(elf: ElfObject, sec: ElfSection, maps: MapSpec[], index: MapIndex): void {
  const syms = elf.symbols.filter((s) => s.shndx === sec.index && s.type !== 3).sort((a, b) => a.value - b.value);
  if (!syms.length) return;
  const stride = Math.floor(sec.size / syms.length);
  if (stride < 16) throw new ElfError(`maps section: ${stride}-byte definitions are too short for struct bpf_map_def`);
  const dv = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  for (const s of syms) {
    const at = s.value;
    index.set(mapKey(sec.index, at), maps.length);
    maps.push({
      name: s.name,
      type: knownMapType(dv.getUint32(at, true), s.name),
      keySize: dv.getUint32(at + 4, true),
      valueSize: dv.getUint32(at + 8, true),
      maxEntries: dv.getUint32(at + 12, true),
      flags: stride >= 20 ? dv.getUint32(at + 16, true) : 0,
    });
  }
}

function btfMaps(elf: ElfObject, btf: Btf, sec: ElfSection, maps: MapSpec[], index: MapIndex): void {
  const datasec = btf.types.find((t) => t.kind === BtfKind.DATASEC && t.name === '.maps');
  if (!datasec) throw new ElfError('.maps section without a .maps BTF data section');
  for (const entry of datasec.members ?? []) {
    const v = btf.byId(entry.type);
    if (!v || v.kind !== BtfKind.VAR) continue;
    const def = btf.resolve(v.sizeOrType);
    if (!def || def.kind !== BtfKind.STRUCT) throw new ElfError(`map ${v.name}: its definition is not a struct`);
    const fields = new Map<string, number>();
    let keySize = 0;
    let valueSize = 0;
    for (const m of def.members ?? []) {
      const ptr = btf.resolve(m.type);
      if (!ptr || ptr.kind !== BtfKind.PTR) continue;
      if (m.name === 'key') keySize = btf.sizeOf(ptr.sizeOrType);
      else if (m.name === 'value') valueSize = btf.sizeOf(ptr.sizeOrType);
      else {
        const arr = btf.resolve(ptr.sizeOrType);
        if (arr?.kind === BtfKind.ARRAY) fields.set(m.name, arr.array!.nelems);
      }
    }
    // The symbol gives the offset (clang may leave DATASEC offsets for the loader to fill in).
    const sym = elf.symbols.find((x) => x.shndx === sec.index && x.name === v.name);
    index.set(mapKey(sec.index, sym ? sym.value : entry.offset), maps.length);
    maps.push({
      name: v.name,
      type: knownMapType(fields.get('type') ?? 0, v.name),
      keySize: fields.get('key_size') ?? keySize,
      valueSize: fields.get('value_size') ?? valueSize,
      maxEntries: fields.get('max_entries') ?? 0,
      flags: fields.get('map_flags') ?? 0,
    });
  }
}

interface LinkContext {
  elf: ElfObject;
  textIndex: number;
  mapIndex: MapIndex;
}

/** Applies a section's relocations to its slots; `textBase` is where `.text` starts relative to slot 0 of this block. */
function relocate(ctx: LinkContext, sec: ElfSection, insns: Insn[], textBase: number): void {
  for (const r of ctx.elf.relocations.get(sec.index) ?? []) applyOne(ctx, sec, insns, textBase, r);
}

function applyOne(ctx: LinkContext, sec: ElfSection, insns: Insn[], textBase: number, r: ElfRelocation): void {
  const slot = r.offset / 8;
  const i = insns[slot];
  const where = `${sec.name}+0x${r.offset.toString(16)}`;
  if (!i || r.offset % 8) throw new ElfError(`${where}: relocation outside the instructions`);
  const sym = r.symbol;
  if (r.type === R_BPF_64_64 && isLddw(i)) {
    const map = ctx.mapIndex.get(mapKey(sym.shndx, sym.value + (sym.type === 3 ? i.imm : 0)));
    if (map !== undefined) {
      i.src = PseudoLd.MAP_FD;
      i.imm = map;
      insns[slot + 1].imm = 0;
      return;
    }
    if (sym.shndx === ctx.textIndex) {
      const target = textBase + (sym.value + (sym.type === STT_FUNC ? 0 : i.imm)) / 8;
      i.src = PseudoLd.FUNC;
      i.imm = target - (slot + 1);
      insns[slot + 1].imm = 0;
      return;
    }
    const target = ctx.elf.sections[sym.shndx]?.name ?? '?';
    throw new ElfError(`${where}: reference to ${sym.name || target} in ${target}: global data sections are not supported`);
  }
  if (r.type === R_BPF_64_32 && i.code === (Class.JMP | Jmp.CALL)) {
    if (sym.shndx !== ctx.textIndex) throw new ElfError(`${where}: call to ${sym.name} outside .text`);
    const target = textBase + sym.value / 8 + i.imm + 1;
    i.src = PseudoCall.LOCAL;
    i.imm = target - (slot + 1);
    return;
  }
  if (r.type === R_BPF_64_NODYLD32 || r.type === R_BPF_64_ABS32 || r.type === R_BPF_64_ABS64) return;
  throw new ElfError(`${where}: relocation type ${r.type} against ${sym.name} is not supported`);
}

function callsIntoText(ctx: LinkContext, sec: ElfSection): boolean {
  return (ctx.elf.relocations.get(sec.index) ?? []).some((r) => r.symbol.shndx === ctx.textIndex && r.type !== R_BPF_64_NODYLD32);
}

export function loadObject(bytes: Uint8Array): ObjectPrograms {
  const elf = readElf(bytes);
  const maps: MapSpec[] = [];
  const mapIndex: MapIndex = new Map();
  const legacy = elf.section('maps');
  if (legacy) legacyMaps(elf, legacy, maps, mapIndex);
  const dotMaps = elf.section('.maps');
  if (dotMaps) {
    const btfSec = elf.section('.BTF');
    if (!btfSec) throw new ElfError('.maps section without .BTF');
    btfMaps(elf, readBtf(btfSec.data), dotMaps, maps, mapIndex);
  }
  const text = elf.section('.text');
  const ctx: LinkContext = { elf, textIndex: text?.index ?? -1, mapIndex };
  const licenseSec = elf.section('license');
  const license = licenseSec ? new TextDecoder().decode(licenseSec.data).replace(/\0.*$/s, '') : undefined;
  const programs: ProgramSpec[] = [];
  for (const sec of elf.sections) {
    if (sec.type !== SHT_PROGBITS || !(sec.flags & SHF_EXECINSTR) || sec.name === '.text' || sec.size === 0) continue;
    if (sec.size % 8) throw new ElfError(`${sec.name}: ${sec.size} bytes is not a whole number of instructions`);
    let insns = decode(sec.data);
    const base = insns.length;
    const needsText = text !== undefined && callsIntoText(ctx, sec);
    relocate(ctx, sec, insns, base);
    if (needsText) {
      const sub = decode(text.data);
      relocate(ctx, text, sub, 0);
      insns.push(...sub);
      const starts = elf.symbols.filter((y) => y.shndx === text.index && y.type === STT_FUNC).map((y) => base + y.value / 8);
      insns = dropUnusedFunctions(insns, base, starts);
    }
    const fn = elf.symbols.find((s) => s.shndx === sec.index && s.type === STT_FUNC && s.value === 0);
    const { type, ctx: layout } = progTypeOf(sec.name);
    programs.push({ name: fn?.name ?? sec.name, type, insns, maps, ctx: layout, license });
  }
  return { programs, maps, license };
}

export { ElfError };
