// Loading ProgramSpecs: shared maps, map reference resolution and its errors, the check
// hook, bad map specs, engines, and environments per run. Also the hardening that keeps
// host exceptions out of results.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../vm/asm/assemble';
import { Machine } from '../../vm/machine';
import { loadPrograms, interpreterEngine, type Engine } from '../../vm/loader';
import { MapType, type MapSpec } from '../../vm/maps/types';
import type { ProgramSpec } from '../../vm/program';
import { FixedEnv } from '../../vm/helpers/fixed-env';
import { Memory } from '../../vm/memory/memory';
import { PseudoLd } from '../../vm/isa/opcodes';

const CTX = { name: 'ctx', size: 0, fields: [] };
const ARR: MapSpec = { name: 'arr', type: MapType.ARRAY, keySize: 4, valueSize: 16, maxEntries: 1 };
const HASH: MapSpec = { name: 'h', type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 4 };
const spec = (text: string, maps: readonly MapSpec[], name = 'p'): ProgramSpec => ({ name, type: 'kprobe', insns: assemble(text).insns, maps, ctx: CTX });

describe('loadPrograms', () => {
  it('creates the maps of a shared array once and resolves references to their addresses', () => {
    const maps = [ARR, HASH];
    const m = new Machine();
    const r = loadPrograms(m, [spec('r1 = map_fd(1) ll\nr0 = r1\nexit', maps, 'a'), spec('r1 = map_value(0) + 8 ll\nr2 = 5\n*(u64 *)(r1 + 0) = r2\nr0 = 0\nexit', maps, 'b')]);
    if (!r.ok) throw new Error(r.errors.join());
    const live = r.maps.get(maps)!;
    expect(r.maps.size).toBe(1);
    expect(r.programs[0].run(0n, null)).toMatchObject({ ok: true, r0: live[1].addr });
    expect(r.programs[0].insns[0].src).toBe(PseudoLd.IMM64);
    expect(r.programs[1].run(0n, null)).toMatchObject({ ok: true });
    expect(live[0].lookup(new Uint8Array(4))![8]).toBe(5);
    expect(r.programs[0].engine).toBe('interpreter');
  });

  const ERRORS: [string, ProgramSpec, RegExp][] = [
    ['map index out of range', spec('r1 = map_fd(3) ll\nexit', [ARR]), /map index 3 out of range \(1 maps\)/],
    ['value access on a hash', spec('r1 = map_value(0) + 0 ll\nexit', [HASH]), /direct value access needs an array map/],
    ['value offset outside the value', spec('r1 = map_value(0) + 16 ll\nexit', [ARR]), /value offset 16 outside arr's 16-byte value/],
    ['lddw cut in half', { ...spec('exit', []), insns: assemble('r1 = 1 ll').insns.slice(0, 1) }, /lddw without its second slot/],
    ['unknown lddw source', { ...spec('r1 = 1 ll\nexit', []), insns: assemble('r1 = 1 ll\nexit').insns.map((i, n) => (n === 0 ? { ...i, src: 9 } : i)) }, /unknown lddw source 9/],
    ['bad map spec', spec('exit', [{ ...ARR, keySize: 8 }]), /array maps need a 4-byte key/],
  ];
  it.each(ERRORS)('reports %s', (_n, s, msg) => {
    const r = loadPrograms(new Machine(), [s]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(msg);
  });

  it('shares the live maps of an earlier load', () => {
    const maps = [HASH];
    const m = new Machine();
    const first = loadPrograms(m, [spec('r0 = map_fd(0) ll\nexit', maps)]);
    if (!first.ok) throw new Error();
    const second = loadPrograms(m, [spec('r0 = map_fd(0) ll\nexit', maps)], { liveMaps: first.maps });
    if (!second.ok) throw new Error();
    expect(second.programs[0].run(0n, null)).toEqual(first.programs[0].run(0n, null));
    expect(second.maps.get(maps)).toBe(first.maps.get(maps));
  });

  it('runs the check first and reports its rejection', () => {
    const seen: string[] = [];
    const r = loadPrograms(new Machine(), [spec('exit', [], 'good'), spec('exit', [], 'bad')], { check: (s) => (seen.push(s.name), s.name === 'bad' ? 'R0 !read_ok' : null) });
    expect(seen).toEqual(['good', 'bad']);
    expect(r).toEqual({ ok: false, errors: ['R0 !read_ok'] });
  });

  it('uses the engine it is given', () => {
    const calls: string[] = [];
    const engine: Engine = { name: 'recording', prepare: (insns, machine, s) => (calls.push(s.name), interpreterEngine.prepare(insns, machine, s)), dump: () => 'compiled' };
    const r = loadPrograms(new Machine(), [spec('r0 = 3\nexit', [])], { engine });
    if (!r.ok) throw new Error();
    expect(calls).toEqual(['p']);
    expect(r.programs[0].engine).toBe('recording');
    expect(r.programs[0].dump()).toBe('compiled');
    expect(r.programs[0].run(0n, null)).toMatchObject({ ok: true, r0: 3n });
  });

  it('sets the environment for one run and restores it', () => {
    const m = new Machine();
    const r = loadPrograms(m, [spec('call bpf_get_smp_processor_id\nexit', [])]);
    if (!r.ok) throw new Error();
    expect(r.programs[0].run(0n, new FixedEnv({ cpu: 3 }))).toMatchObject({ r0: 3n });
    expect(m.helpers.env).toBeNull();
  });
});

describe('hardening', () => {
  it('turns a helper that throws into a helper fault', () => {
    const m = new Machine();
    m.helpers.define([{ id: 300, arity: 0, fn: () => { throw new TypeError('boom'); } }]);
    const r = loadPrograms(m, [spec('call 300\nexit', [])]);
    if (!r.ok) throw new Error();
    expect(r.programs[0].run(0n, null)).toMatchObject({ ok: false, fault: { kind: 'helper', pc: 0, message: 'helper 300 failed: boom' } });
  });
  it('a hash insert that finds the memory exhausted returns -ENOMEM', () => {
    const m = new Machine({ mem: new Memory({ initialBytes: 1 << 20, maxBytes: 1 << 20 }) });
    const big: MapSpec = { name: 'big', type: MapType.HASH, keySize: 8, valueSize: 256, maxEntries: 100_000 };
    const r = loadPrograms(m, [spec('*(u64 *)(r10 - 8) = r6\nr6 += 1\nr1 = map_fd(0) ll\nr2 = r10\nr2 += -8\nr3 = r10\nr3 += -512\nr4 = 0\ncall 2\nif r0 == 0 goto -11\nexit', [big])]);
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.programs[0].run(0n, null)).toMatchObject({ ok: true, r0: BigInt.asUintN(64, -12n) });
  });
});
