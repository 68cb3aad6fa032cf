// REPL entries share maps by name, as the probes of one bpftrace program do: a later
// entry reads and updates the map an earlier one made, `.print` and `@m[key]` see one
// map, a map of the same name with another type is a clear error, and a detached entry's
// maps stay while another entry uses them.
import { describe, expect, it } from 'vitest';
import { sessionBackends } from './session-backend-fixture';

const sessions = sessionBackends();
const make = () => {
  const m = sessions();
  return { b: m.b, out: m.texts, run: m.run };
};

describe('maps shared across REPL entries', () => {
  it('a later entry reads the count an earlier one keeps', async () => {
    const { b, out, run } = make();
    expect(await b.submit('kprobe:vfs_read { @reads = count(); }')).toMatchObject({ kind: 'attached' });
    run(300);
    expect(await b.submit('interval:ms:100 { printf("reads so far %d\\n", @reads); }')).toMatchObject({ kind: 'attached' });
    run(300);
    const seen = out.join('').match(/reads so far (\d+)/g) ?? [];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((l) => Number(l.split(' ').pop()) > 0)).toBe(true);
    expect(b.mapNames()).toEqual(['@reads']);
  });

  it('two entries write one map, which .print and @m[key] read', async () => {
    const { b } = make();
    await b.submit('BEGIN { @m["a"] = 1; }');
    await b.submit('BEGIN { @m["b"] = 2; }');
    const p = b.printMap('@m');
    expect(p.ok && p.value).toBe('@m[a]: 1\n@m[b]: 2\n');
    expect(await b.submit('@m["a"]')).toEqual({ kind: 'value', text: '1\n' });
    expect(await b.submit('@m["a"] = 5')).toEqual({ kind: 'value', text: '@m[b]: 2\n@m[a]: 5\n' });
    expect(await b.submit('@m["a"] + @m["b"]')).toEqual({ kind: 'value', text: '7\n' });
  });

  it('a map of the same name with another type is an error', async () => {
    const { b } = make();
    await b.submit('BEGIN { @m["a"] = 1; }');
    const r = await b.submit('BEGIN { @m[1] = "x"; }');
    expect(r.kind).toBe('error');
    // The errors one bpftrace program with both statements gets.
    if (r.kind === 'error') {
      expect(r.text).toContain("ERROR: Argument mismatch for @m: trying to access with arguments: 'uint8' when map expects arguments: 'string[2]'");
      expect(r.text).toContain("ERROR: Type mismatch for @m: trying to assign value of type 'string[2]' when map already contains a value of type 'uint64'");
    }
    expect(b.programs()).toHaveLength(1);
  });

  it('a detached entry leaves the shared map to the entries still running', async () => {
    const { b, run } = make();
    const first = await b.submit('kprobe:vfs_read { @c = count(); }');
    await b.submit('kprobe:vfs_write { @c = count(); }');
    run(200);
    if (first.kind !== 'attached') throw new Error('not attached');
    const d = await b.detach(first.program.id);
    expect(d.ok && d.value).toMatch(/@c: \d+/);
    run(200);
    const p = b.printMap('@c');
    expect(p.ok && p.value).toMatch(/^@c: \d+\n$/);
  });
});
