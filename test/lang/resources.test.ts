// The resource summary: maps with their Linux types and layouts, format ids, run-time
// helpers, stacks, and per-probe variables and stack use.
import { describe, expect, test } from 'vitest';
import { type Call, type Resources, frontEnd, tyToString } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';

function resources(source: string, opts: Record<string, unknown> = {}): Resources {
  const r = frontEnd(source, { catalogue: CATALOGUE, ...opts });
  if (!r.ok) throw new Error(r.rendered);
  return r.resources!;
}

describe('maps', () => {
  const res = resources(`
    kprobe:vfs_read { @reads[comm, pid] = count(); @bytes = hist(arg2); @lat = lhist(arg2, 0, 100, 10); @last[tid] = nsecs; @name[tid] = comm; }
    kretprobe:vfs_read { @total = sum(retval); @avg = avg(retval); @s = stats(retval); @mx = max(retval); }
  `);
  const m = Object.fromEntries(res.maps.map((x) => [x.name, x]));

  test('in name order', () => expect(res.maps.map((x) => x.name)).toEqual(['avg', 'bytes', 'last', 'lat', 'mx', 'name', 'reads', 's', 'total']));

  test('key and value types, with integer keys and values widened', () => {
    expect(tyToString(m.reads.key!)).toBe('(string[16],uint64)');
    expect(tyToString(m.reads.value)).toBe('count_t');
    expect(tyToString(m.last.key!)).toBe('uint64');
    expect(tyToString(m.last.value)).toBe('uint64');
    expect(tyToString(m.name.value)).toBe('string[16]');
    expect(m.bytes.key).toBeUndefined();
  });

  test('aggregations and their parameters', () => {
    expect(m.bytes.agg).toEqual({ fn: 'hist', bits: 0 });
    expect(m.lat.agg).toEqual({ fn: 'lhist', min: 0, max: 100, step: 10 });
    expect(m.total.agg?.fn).toBe('sum');
    expect(tyToString(m.total.value)).toBe('usum_t');
    expect(tyToString(m.avg.value)).toBe('avg_t');
  });

  test('Linux map types: per-CPU hashes for aggregations, hashes otherwise', () => {
    expect(m.reads.mapType).toBe(5);
    expect(m.bytes.mapType).toBe(5);
    expect(m.last.mapType).toBe(1);
    expect(m.last.maxEntries).toBe(4096);
  });

  test('layouts: key and value sizes, bucket index in histogram keys', () => {
    expect(m.reads).toMatchObject({ keySize: 24, valueSize: 8 });
    expect(m.bytes).toMatchObject({ keySize: 16, valueSize: 8 });
    expect(m.s.valueSize).toBe(16);
    expect(m.name).toMatchObject({ keySize: 8, valueSize: 16 });
  });

  test('probes using each map', () => {
    expect(m.reads.probes).toEqual([0]);
    expect(m.total.probes).toEqual([1]);
  });

  test('declared maps keep their kind and size', () => {
    const r = resources('let @a = lruhash(100); let @b = percpuhash(8); BEGIN { @a[1] = 1; @b[2] = count(); }', { config: { unstable_map_decl: 'enable' } });
    expect(r.maps[0]).toMatchObject({ name: 'a', mapType: 9, maxEntries: 100, decl: { kind: 'lruhash', maxEntries: 100 } });
    expect(r.maps[1]).toMatchObject({ name: 'b', mapType: 5, maxEntries: 8 });
  });

  test('max_map_keys sets the default size', () => {
    const r = resources('config = { max_map_keys = 123 } BEGIN { @x[1] = 1; }');
    expect(r.maps[0].maxEntries).toBe(123);
  });
});

describe('formats and run-time help', () => {
  const r = frontEnd(
    `kprobe:vfs_read { printf("%s %d\\n", comm, arg2); printf("again %d\\n", 1); time("%H "); print((1, "x")); @[ksym(arg0)] = count(); }
     END { printf("%s\\n", strftime("%H:%M", nsecs)); print(@); clear(@); }`,
    { catalogue: CATALOGUE },
  );
  const res = r.resources!;

  test('every printf-like call gets an id and its argument types', () => {
    expect(res.formats.map((f) => [f.fn, f.format])).toEqual([
      ['printf', '%s %d\n'],
      ['printf', 'again %d\n'],
      ['time', '%H '],
      ['print', ''],
      ['printf', '%s\n'],
      ['strftime', '%H:%M'],
    ]);
    expect(res.formats[0].args.map(tyToString)).toEqual(['string[16]', 'uint64']);
    expect(res.formats[3].args.map(tyToString)).toEqual(['(uint8,string[2])']);
    // id, then comm (16 bytes) and arg2 widened to 8 bytes, aligned.
    expect([res.formats[0].argOffsets, res.formats[0].recordSize]).toEqual([[8, 24], 32]);
    expect([res.formats[1].argOffsets, res.formats[1].recordSize]).toEqual([[8], 16]);
    expect(res.formats.every((f, i) => f.id === i)).toBe(true);
  });

  test('calls know their format id', () => {
    const probe = r.program!.items.find((i) => i.kind === 'probe');
    if (probe?.kind !== 'probe' || probe.body.stmts[0].kind !== 'exprStmt') throw new Error('shape');
    expect((probe.body.stmts[0].expr as Call).formatId).toBe(0);
  });

  test('builtins and functions that need user space are listed', () => {
    expect([...new Set(res.runtime.map((u) => u.name))].sort()).toEqual(['clear', 'ksym', 'print', 'printf', 'strftime', 'time']);
    expect(res.needsRingbuf).toBe(true);
  });

  test('a program without output needs no ring buffer', () => {
    expect(resources('kprobe:vfs_read { @x = count(); }').needsRingbuf).toBe(false);
  });
});

describe('stacks and probes', () => {
  test('stack traces to collect, by kind, mode and limit', () => {
    const res = resources('kprobe:vfs_read { @a[kstack] = count(); @b[ustack(perf, 3)] = count(); @c[kstack(raw, 5)] = count(); }');
    expect(res.stacks).toEqual([
      { kernel: true, mode: 'bpftrace', limit: 127 },
      { kernel: false, mode: 'perf', limit: 3 },
      { kernel: true, mode: 'raw', limit: 5 },
    ]);
  });

  test('per probe: concrete probes, variables with ids and stack bytes', () => {
    const res = resources('kprobe:vfs_read,kprobe:vfs_write { $a = 1; if ($a) { $b = comm; } if (1) { $b = 2; } $c = (arg0, arg1); }');
    const [p] = res.probes;
    expect(p.concrete.map((c) => c.name)).toEqual(['kprobe:vfs_read', 'kprobe:vfs_write']);
    expect(p.vars.map((v) => [v.id, tyToString(v.ty)])).toEqual([
      ['a', 'uint8'],
      ['b', 'string[16]'],
      ['b_2', 'uint8'],
      ['c', '(uint64,uint64)'],
    ]);
    expect(p.stackBytes).toBe(8 + 16 + 8 + 16);
    expect(p.scratchBytes).toBe(0);
  });

  test('objects over on_stack_limit go to scratch memory', () => {
    const res = resources('kprobe:vfs_read { $s = str(arg0); }');
    expect(res.probes[0].scratchBytes).toBeGreaterThanOrEqual(1024);
    expect(res.probes[0].stackBytes).toBe(0);
  });

  test('named parameters from getopt', () => {
    const res = resources('BEGIN { print(getopt("n", 5)); if (getopt("verbose")) { } }');
    expect(res.namedParams.map((p) => [p.name, tyToString(p.ty), p.default])).toEqual([
      ['n', 'int64', 5n],
      ['verbose', 'bool', false],
    ]);
  });
});
