// Reader for the bpf_conformance suite's `.data` files: `-- asm` (program text), `-- raw`
// (one little-endian u64 per slot), `-- mem` (input bytes in hex), `-- result` (expected
// r0), `-- error` (expected failure text); `-- c` holds the C source and is ignored;
// any other section (`-- no register offset`) is a runner note kept as informational.
import type { Insn } from '../isa/insn';

export interface DataFile {
  asm?: string;
  /** Slots given as raw u64 values. */
  raw?: Insn[];
  mem: Uint8Array;
  result?: bigint;
  error?: string;
  /** Sections this reader keeps only for information, with their text. */
  notes: { name: string; text: string }[];
}

export class DataFileError extends Error {}

function slotOf(v: bigint): Insn {
  const lo = Number(v & 0xffffffffn);
  return { code: lo & 0xff, dst: (lo >>> 8) & 0xf, src: (lo >>> 12) & 0xf, off: (lo >>> 16) << 16 >> 16, imm: Number(BigInt.asIntN(32, v >> 32n)) };
}

function parseHexBytes(text: string): Uint8Array {
  const tokens = text.replace(/#.*$/gm, '').split(/\s+/).filter(Boolean);
  return Uint8Array.from(tokens, (t) => {
    if (!/^[0-9a-f]{2}$/i.test(t)) throw new DataFileError(`bad byte '${t}' in -- mem`);
    return parseInt(t, 16);
  });
}

export function parseDataFile(text: string): DataFile {
  const out: DataFile = { mem: new Uint8Array(0), notes: [] };
  const sections: { name: string; lines: string[] }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^--\s+(.*?)\s*$/.exec(line);
    if (m) sections.push({ name: m[1], lines: [] });
    else if (sections.length) sections[sections.length - 1].lines.push(line);
  }
  if (!sections.length) throw new DataFileError('no `-- asm` or `-- raw` section');
  for (const { name, lines } of sections) {
    const body = lines.join('\n');
    switch (name) {
      case 'asm':
        out.asm = body;
        break;
      case 'raw':
        out.raw = lines
          .map((l) => l.replace(/#.*$/, '').trim())
          .filter(Boolean)
          .map((l) => {
            if (!/^0x[0-9a-f]{1,16}$/i.test(l)) throw new DataFileError(`bad slot '${l}' in -- raw`);
            return slotOf(BigInt(l));
          });
        break;
      case 'mem':
        out.mem = parseHexBytes(body);
        break;
      case 'result': {
        const v = body.replace(/#.*$/gm, '').trim();
        if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new DataFileError(`bad -- result '${v}'`);
        out.result = BigInt(v);
        break;
      }
      case 'error':
        out.error = body.trim();
        break;
      case 'c':
        break;
      default:
        out.notes.push({ name, text: body.trim() });
    }
  }
  if (out.asm === undefined && out.raw === undefined) throw new DataFileError('no `-- asm` or `-- raw` section');
  return out;
}
