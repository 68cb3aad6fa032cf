// Reading a program file in any of the forms bpfvm accepts: a conformance `.data` file,
// raw bytecode (binary, a multiple of 8 bytes), bytecode as hex text, assembler text in
// either syntax, or an ELF object from clang -target bpf (every program in it, with its
// maps).
import { decode, type Insn } from '../isa/insn';
import type { MapSpec } from '../maps/types';
import { isElf, ElfError } from '../elf/elf';
import { BtfError } from '../elf/btf';
import { loadObject } from '../elf/load-object';
import { assemble, AsmError } from '../asm/assemble';
import { DataFileError, parseDataFile } from '../asm/data-file';
import { CliError } from './command';

export interface ProgramInput {
  /** The (first) program. */
  insns: Insn[];
  /** Map names referenced by the text (assembler input) or declared by the object (ELF). */
  maps: string[];
  /** Every program of an ELF object, by function name. */
  programs?: { name: string; insns: Insn[] }[];
  /** The maps an ELF object declares. */
  mapSpecs?: MapSpec[];
  /** Input memory from a `.data` file's `-- mem` section. */
  mem?: Uint8Array;
  /** Expected r0 from a `.data` file. */
  result?: bigint;
  kind: 'data' | 'binary' | 'hex' | 'asm' | 'elf';
}

const isText = (b: Uint8Array): boolean => b.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128);

export function parseHexBytes(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s,]+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new CliError(`'${text.length > 40 ? text.slice(0, 40) + '...' : text}' is not hex bytes`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function fromBytes(bytes: Uint8Array, what: string): Insn[] {
  if (bytes.length % 8 !== 0) throw new CliError(`${what}: ${bytes.length} bytes is not a whole number of 8-byte instructions`);
  return decode(bytes);
}

export function readProgram(path: string, bytes: Uint8Array): ProgramInput {
  if (isElf(bytes)) {
    try {
      const obj = loadObject(bytes);
      if (!obj.programs.length) throw new CliError(`${path}: no program sections`);
      const programs = obj.programs.map((p) => ({ name: p.name, insns: p.insns }));
      return { insns: programs[0].insns, maps: obj.maps.map((m) => m.name), programs, mapSpecs: obj.maps, kind: 'elf' };
    } catch (e) {
      if (e instanceof ElfError || e instanceof BtfError) throw new CliError(`${path}: ${e.message}`);
      throw e;
    }
  }
  if (!isText(bytes)) return { insns: fromBytes(bytes, path), maps: [], kind: 'binary' };
  const text = new TextDecoder().decode(bytes);
  try {
    if (path.endsWith('.data') || /^-- (asm|raw)\s*$/m.test(text)) {
      const d = parseDataFile(text);
      const insns = d.asm !== undefined ? assemble(d.asm).insns : d.raw!;
      return { insns, maps: [], mem: d.mem, result: d.result, kind: 'data' };
    }
    if (/^[\s0-9a-fA-F,x]*$/.test(text) && /[0-9a-f]{2}/i.test(text) && !/^\s*$/.test(text)) {
      return { insns: fromBytes(parseHexBytes(text), path), maps: [], kind: 'hex' };
    }
    const a = assemble(text);
    return { insns: a.insns, maps: a.maps, kind: 'asm' };
  } catch (e) {
    if (e instanceof AsmError || e instanceof DataFileError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
}

export function readProgramFile(path: string, read: (p: string) => Uint8Array): ProgramInput {
  let bytes: Uint8Array;
  try {
    bytes = read(path);
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return readProgram(path, bytes);
}
