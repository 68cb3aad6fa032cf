// Loading clang -target bpf objects: BTF-defined and legacy maps, map relocations,
// static subprograms, callbacks, program types from section names, and refusals. The
// objects are checked in beside their sources; when clang is installed they are also
// rebuilt from source and must load the same way.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadObject } from '../../../vm/elf/load-object';
import { ElfError, readElf } from '../../../vm/elf/elf';
import { Machine } from '../../../vm/machine';
import { loadPrograms } from '../../../vm/loader';
import { FixedEnv } from '../../../vm/helpers/fixed-env';
import { MapType } from '../../../vm/maps/types';
import { Region } from '../../../vm/memory/memory';
import { ptRegsOffset } from '../../../vm/ctx/layouts';
import { disassemble } from '../../../vm/asm/disassemble';

const FIX = join(__dirname, 'fixtures');

function hasClang(): boolean {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function objects(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [['checked-in', new Uint8Array(readFileSync(join(FIX, 'counters.o')))]];
  if (hasClang()) {
    const dir = mkdtempSync(join(tmpdir(), 'bpfvm-elf-'));
    execFileSync('clang', ['-target', 'bpf', '-O2', '-g', '-c', join(FIX, 'counters.c'), '-o', join(dir, 'counters.o')]);
    out.push(['rebuilt with clang', new Uint8Array(readFileSync(join(dir, 'counters.o')))]);
  }
  return out;
}

describe.each(objects())('counters.o (%s)', (_how, bytes) => {
  it('finds the programs, their types and the BTF-defined maps', () => {
    const obj = loadObject(bytes);
    expect(obj.programs.map((p) => [p.name, p.type])).toEqual([
      ['count_calls', 'kprobe'],
      ['sum_counts', 'kprobe'],
    ]);
    expect(obj.maps).toEqual([
      { name: 'counts', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 64, flags: 0 },
      { name: 'totals', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 },
    ]);
    expect(obj.license).toBe('GPL');
    expect(obj.programs[0].maps).toBe(obj.programs[1].maps);
  });

  it('links the subprogram and the map references, and runs', () => {
    const obj = loadObject(bytes);
    const text = disassemble(obj.programs[0].insns, { layout: 'plain', mapNames: obj.maps.map((m) => m.name) });
    expect(text).toContain('r1 = map[counts] ll');
    expect(text).toContain('r1 = map[totals] ll');
    expect(text).toMatch(/call \+\d+/);
    const machine = new Machine();
    const r = loadPrograms(machine, obj.programs);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const [count, sum] = r.programs;
    const ctx = machine.mem.alloc(21 * 8, Region.CTX);
    for (const di of [3, 11, 3, 5]) {
      machine.mem.writeU64(ctx + ptRegsOffset('di'), BigInt(di));
      expect(count.run(machine.mem.addr(ctx), new FixedEnv())).toMatchObject({ ok: true, r0: 0n });
    }
    const [counts, totals] = r.maps.get(obj.maps)!;
    const key = (k: number) => new Uint8Array(new Uint32Array([k]).buffer);
    expect(counts.lookup(key(3))![0]).toBe(3); // 3 and 11 share bucket 3
    expect(counts.lookup(key(5))![0]).toBe(1);
    expect(totals.lookup(key(0))![0]).toBe(4);
    expect(sum.run(0n, new FixedEnv())).toMatchObject({ ok: true, r0: 4n }); // for_each_map_elem callback
  });
});

describe('legacy.o', () => {
  const bytes = new Uint8Array(readFileSync(join(FIX, 'legacy.o')));
  it('reads struct bpf_map_def from the maps section', () => {
    const obj = loadObject(bytes);
    expect(obj.maps).toEqual([{ name: 'hits', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 2, flags: 0 }]);
    expect(obj.programs.map((p) => [p.name, p.type])).toEqual([['on_switch', 'tracepoint']]);
    const machine = new Machine();
    const r = loadPrograms(machine, obj.programs);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.programs[0].run(0n, null)).toMatchObject({ ok: true, r0: 0n });
    expect(r.maps.get(obj.maps)![0].lookup(new Uint8Array([1, 0, 0, 0]))![0]).toBe(10);
  });
});

describe('refusals', () => {
  const counters = new Uint8Array(readFileSync(join(FIX, 'counters.o')));
  const ROWS: [string, Uint8Array, RegExp][] = [
    ['not ELF', new Uint8Array([1, 2, 3, 4]), /not an ELF file/],
    ['truncated', counters.slice(0, 40), /truncated/],
    ['32-bit', Uint8Array.from(counters, (b, i) => (i === 4 ? 1 : b)), /not a 64-bit/],
    ['not BPF', Uint8Array.from(counters, (b, i) => (i === 18 ? 62 : i === 19 ? 0 : b)), /is not BPF/],
  ];
  it.each(ROWS)('%s', (_n, bytes, msg) => {
    expect(() => loadObject(bytes)).toThrow(ElfError);
    expect(() => loadObject(bytes)).toThrow(msg);
  });
  it('reads sections and symbols', () => {
    const elf = readElf(counters);
    expect(elf.section('.BTF')).toBeDefined();
    expect(elf.symbols.some((s) => s.name === 'count_calls')).toBe(true);
  });
});
