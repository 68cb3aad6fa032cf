// A reader for the parts of 64-bit little-endian ELF relocatable objects that eBPF
// loading needs: section headers and names, the symbol table, and REL relocation
// sections. It does not interpret any section's contents.

export class ElfError extends Error {}

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHF_EXECINSTR = 0x4;
export const STT_SECTION = 3;
export const STT_FUNC = 2;
export const EM_BPF = 247;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  data: Uint8Array;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: number;
  bind: number;
  /** Index of the section the symbol is defined in (0: undefined). */
  shndx: number;
}

export interface ElfRelocation {
  /** Byte offset in the section the relocation applies to. */
  offset: number;
  type: number;
  symbol: ElfSymbol;
}

export interface ElfObject {
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** Relocations by the index of the section they apply to. */
  relocations: Map<number, ElfRelocation[]>;
  section(name: string): ElfSection | undefined;
}

function cstr(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function readElf(bytes: Uint8Array): ElfObject {
  if (!isElf(bytes)) throw new ElfError('not an ELF file');
  if (bytes.length < 64) throw new ElfError('truncated ELF header');
  if (bytes[4] !== 2) throw new ElfError('not a 64-bit ELF object');
  if (bytes[5] !== 1) throw new ElfError('not a little-endian ELF object');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_BPF) throw new ElfError(`ELF machine ${machine} is not BPF (${EM_BPF})`);
  const shoff = Number(dv.getBigUint64(40, true));
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (shoff + shnum * shentsize > bytes.length || shentsize < 64) throw new ElfError('section headers outside the file');
  const sections: ElfSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    const type = dv.getUint32(at + 4, true);
    const offset = Number(dv.getBigUint64(at + 24, true));
    const size = Number(dv.getBigUint64(at + 32, true));
    if (type !== SHT_NOBITS && offset + size > bytes.length) throw new ElfError(`section ${i} runs past the end of the file`);
    sections.push({
      index: i,
      name: '',
      type,
      flags: Number(dv.getBigUint64(at + 8, true)),
      offset,
      size,
      link: dv.getUint32(at + 40, true),
      info: dv.getUint32(at + 44, true),
      entsize: Number(dv.getBigUint64(at + 56, true)),
      data: type === SHT_NOBITS ? new Uint8Array(size) : bytes.subarray(offset, offset + size),
      nameOff: dv.getUint32(at, true),
    } as ElfSection & { nameOff: number });
  }
  const shstr = sections[shstrndx]?.data;
  if (!shstr) throw new ElfError('no section name table');
  for (const s of sections) s.name = cstr(shstr, (s as ElfSection & { nameOff: number }).nameOff);

  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols: ElfSymbol[] = [];
  if (symtab) {
    const strtab = sections[symtab.link]?.data ?? new Uint8Array(0);
    const sdv = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    for (let at = 0; at + 24 <= symtab.size; at += 24) {
      const info = sdv.getUint8(at + 4);
      const shndx = sdv.getUint16(at + 6, true);
      const type = info & 0xf;
      let name = cstr(strtab, sdv.getUint32(at, true));
      if (type === STT_SECTION && !name) name = sections[shndx]?.name ?? '';
      symbols.push({ name, value: Number(sdv.getBigUint64(at + 8, true)), size: Number(sdv.getBigUint64(at + 16, true)), type, bind: info >> 4, shndx });
    }
  }

  const relocations = new Map<number, ElfRelocation[]>();
  for (const s of sections) {
    if (s.type !== SHT_REL) continue;
    const rdv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    const list: ElfRelocation[] = [];
    for (let at = 0; at + 16 <= s.size; at += 16) {
      const info = rdv.getBigUint64(at + 8, true);
      const symbol = symbols[Number(info >> 32n)];
      if (!symbol) throw new ElfError(`relocation in ${s.name} names a missing symbol`);
      list.push({ offset: Number(rdv.getBigUint64(at, true)), type: Number(info & 0xffffffffn), symbol });
    }
    relocations.set(s.info, list);
  }
  return { sections, symbols, relocations, section: (name) => sections.find((s) => s.name === name) };
}
