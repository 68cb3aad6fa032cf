// The session API as the REPL and the CLI drive it: several scripts attached at once,
// detaching one (END and its maps), evaluating expressions (also over a running
// script's maps), printing and clearing maps, exit() and resume, the -d stages, lost
// events with a small ring buffer, verifier rejections pointing at the script.
import { describe, expect, test } from 'vitest';
import { compileScript } from '../../runtime/compile';
import { Session } from '../../runtime/session';
import { STAGES, stageText } from '../../runtime/stages';
import { catalogue } from '../../probes/catalogue';

function session(opts: { drainAt?: number } = {}): { s: Session; out: () => string; err: () => string; reset: () => void } {
  let out = '';
  let err = '';
  const s = new Session({ sink: { out: (t) => (out += t), err: (t) => (err += t) }, seed: 1, ...opts });
  return {
    s,
    out: () => out,
    err: () => err,
    reset: () => {
      out = '';
      err = '';
    },
  };
}

function attach(s: Session, text: string) {
  const r = s.compile(text);
  if (!r.ok) throw new Error(r.rendered);
  const a = s.attach(r.compiled);
  if (!a.ok) throw new Error(a.error);
  return a.script;
}

describe('session', () => {
  test('two scripts run at once and detach separately', () => {
    const t = session();
    const a = attach(t.s, 'kprobe:vfs_read { @reads = count(); } END { printf("end a\\n"); }');
    const b = attach(t.s, 'kprobe:vfs_write { @writes = count(); }');
    expect(t.err()).toBe('Attached 2 probes\nAttached 1 probe\n');
    t.s.runFor(200e6);
    expect(t.s.attached).toHaveLength(2);
    t.reset();
    t.s.detach(a);
    expect(t.out()).toMatch(/^end a\n\n\n@reads: \d+\n$/);
    expect(t.s.attached).toEqual([b]);
    expect(a.firings).toBeGreaterThan(0);
    t.reset();
    t.s.runFor(100e6);
    t.s.detach(b);
    expect(t.out()).toMatch(/^\n\n@writes: \d+\n$/);
  });

  test('exit() stops a run; resume() lets the next one go on', () => {
    const t = session();
    const a = attach(t.s, 'kprobe:vfs_read { exit(2); }');
    t.s.runFor(1e9);
    expect(t.s.done).toBe(true);
    expect(a.exitCode).toBe(2);
    expect(t.s.elapsedNs).toBeLessThan(1e9);
    t.s.detach(a);
    t.s.resume();
    expect(t.s.done).toBe(false);
    const before = t.s.elapsedNs;
    t.s.runFor(10e6);
    expect(t.s.elapsedNs).toBeGreaterThanOrEqual(before + 10e6);
  });

  test('expressions evaluate alone and over a running script\'s maps', () => {
    const t = session();
    attach(t.s, 'kprobe:vfs_read { @n = count(); @last[1] = arg2; }');
    t.s.runFor(100e6);
    for (const [src, want] of [
      ['1 << 10', /^1024\n$/],
      ['comm', /^bpfsim\n$/],
      ['@last[1] > 0', /^true\n$/],
      ['(1, "a")', /^\(1, a\)\n$/],
    ] as const) {
      t.reset();
      expect(t.s.evaluate(src)).toEqual({ ok: true });
      expect(t.out()).toMatch(want);
    }
    const bad = t.s.evaluate('@nosuch + 1');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.rendered).toContain('Undefined map: @nosuch');
  });

  test('maps print and clear on request', () => {
    const t = session();
    const a = attach(t.s, 'kprobe:vfs_read { @[comm] = count(); }');
    t.s.runFor(100e6);
    t.reset();
    expect(t.s.printMap(a, '@')).toBe(true);
    expect(t.out()).toMatch(/^@\[\S+\]: \d+$/m);
    expect(t.s.clearMap(a, '@')).toBe(true);
    t.reset();
    t.s.printMap(a, '@');
    expect(t.out()).toBe('');
    expect(t.s.printMap(a, '@nosuch')).toBe(false);
  });

  test('a full ring buffer loses events and says so', () => {
    let err = '';
    const s = new Session({ sink: { out: () => undefined, err: (t) => (err += t) }, drainAt: 1 });
    const r = s.compile('config = { perf_rb_pages = 1 } tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args.filename)); }');
    if (!r.ok) throw new Error(r.rendered);
    const a = s.attach(r.compiled);
    if (!a.ok) throw new Error(a.error);
    s.runFor(100e6, 100e6);
    s.detach(a.script);
    expect(err).toMatch(/^Lost \d+ events$/m);
  });
});

describe('compiling', () => {
  const cat = catalogue();

  test('every -d stage prints', () => {
    const r = compileScript('kprobe:vfs_read /pid > 1/ { @[comm] = count(); }', { catalogue: cat });
    if (!r.ok) throw new Error(r.rendered);
    const texts = Object.fromEntries(STAGES.map((st) => [st, stageText(st, r.compiled, cat)]));
    expect(texts.ast).toContain('AST after: parser');
    expect(texts.types).toContain('type[');
    expect(texts.bytecode).toMatch(/; 1: kprobe:vfs_read/);
    expect(texts.bytecode).toMatch(/call 1\b|call bpf_map_lookup_elem/);
    expect(texts.verifier).toMatch(/processed \d+ insns/);
    expect(texts.jit).toContain('(module');
  });

  test('lowering errors point at the script', () => {
    const r = compileScript('kprobe:tcp_sendmsg { @ = socket_cookie((struct sock *)arg0); }', { catalogue: cat });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.stage).toBe('lower');
      expect(r.rendered).toMatch(/^stdin:1:\d+-\d+: ERROR: socket_cookie\(\) is not supported by bpfsim: bpf_get_socket_cookie takes a BTF socket pointer, which only fentry\/fexit probes give, and bpfsim does not simulate them\n/);
    }
  });

  test('front-end errors come back rendered', () => {
    const r = compileScript('BEGIN { @x = nosuch; }', { catalogue: cat });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rendered).toContain("ERROR: Unknown identifier: 'nosuch'");
  });
});
