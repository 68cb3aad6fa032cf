// Map lifetimes in a session: a detached script's maps return their memory (the REPL
// attaches and detaches many scripts), maps shared with a running script stay until the
// last one detaches, and a map shared by name with a different layout is refused.
import { describe, expect, test } from 'vitest';
import { Session } from '../../runtime/session';

function session(): { s: Session; out: () => string } {
  let out = '';
  const s = new Session({ sink: { out: (t) => (out += t), err: () => undefined }, seed: 1 });
  return { s, out: () => out };
}

function attach(s: Session, text: string, share = false) {
  const r = s.compile(text, share ? { knownMaps: s.knownMaps() } : {});
  if (!r.ok) throw new Error(r.rendered);
  const a = s.attach(r.compiled, { announce: false, shareMapsWith: share ? s.attached : undefined });
  if (!a.ok) throw new Error(a.error);
  return a.script;
}

describe('freeing maps on detach', () => {
  test('attaching and detaching scripts many times keeps memory steady', () => {
    const { s } = session();
    // BEGIN only, so that the world (and its own memory) does not run between cycles.
    const PROG = 'BEGIN { $i = 0; while ($i < 64) { @h = hist($i * 1000); @c[comm, $i] = count(); @str[$i] = comm; $i++; } @s[kstack] = count(); }';
    const cycle = (): void => {
      const rs = attach(s, PROG);
      s.detach(rs, { printMaps: false });
      expect(rs.maps.every((m) => m.freed)).toBe(true);
    };
    cycle();
    const steady = s.machine.mem.mappedBytes;
    for (let i = 0; i < 8; i++) cycle();
    expect(s.machine.mem.mappedBytes).toBe(steady);
  });

  test('a map shared with a running script lives until the last one detaches', () => {
    const { s, out } = session();
    const a = attach(s, 'kprobe:vfs_read { @c = count(); }');
    s.runFor(20e6);
    const b = attach(s, 'kprobe:vfs_write { @c = count(); @w = count(); }', true);
    const shared = a.maps[a.userMap('c')!.index];
    expect(b.maps[b.userMap('c')!.index]).toBe(shared);
    s.runFor(20e6);
    s.detach(b, { printMaps: false });
    expect(shared.freed).toBe(false);
    expect(b.maps[b.userMap('w')!.index].freed).toBe(true);
    s.runFor(20e6);
    const firings = s.firings;
    s.detach(a);
    expect(out()).toMatch(/^@c: \d+$/m);
    expect(shared.freed).toBe(true);
    // The session lets go of detached scripts but keeps counting their firings.
    expect(s.attached).toEqual([]);
    expect(firings).toBeGreaterThan(0);
    expect(s.firings).toBe(firings);
  });
});

describe('maps shared by name', () => {
  test('two scripts write one map', () => {
    const { s, out } = session();
    attach(s, 'BEGIN { @n["a"] = 1; }');
    const b = attach(s, 'BEGIN { @n["b"] = 2; }', true);
    s.printMap(b, '@n');
    expect(out()).toBe('@n[a]: 1\n@n[b]: 2\n');
  });

  test('a map of the same name with another layout is refused', () => {
    const { s } = session();
    attach(s, 'BEGIN { @n[1] = 1; }');
    const r = s.compile('BEGIN { @n["x"] = 2; }');
    if (!r.ok) throw new Error(r.rendered);
    const a = s.attach(r.compiled, { announce: false, shareMapsWith: s.attached });
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.error).toMatch(/^map @n is already used by program \d+ with another type \(@n\[uint64\]: uint64 there, @n\[string\[2\]\]: uint64 here\): use another name or detach program \d+$/);
  });
});
