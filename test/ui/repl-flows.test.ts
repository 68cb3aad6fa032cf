// REPL flows over the fake backend: programs, expressions, errors, Ctrl-C, every
// dot-command, and inputs that must not break anything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOT_COMMANDS, findCommand } from '../../ui/repl/commands/index';
import { MAX_ENTRY_LINES } from '../../ui/repl/controller';
import { savedScript } from '../../ui/repl/commands/save';
import { makeRepl } from './repl-harness';

const COUNT = 'kprobe:vfs_read { @[comm] = count(); }';

describe('programs and expressions', () => {
  it('attaches a program, streams its output and prints its maps on Ctrl-C', async () => {
    const r = makeRepl();
    await r.controller.submit('kprobe:vfs_read { printf("read by %s\\n"); @[comm] = count(); }');
    expect(r.take()).toEqual(['input: kprobe:vfs_read { printf("read by %s\\n"); @[comm] = count(); }', 'stderr: Attached 1 probe']);
    r.backend.tick();
    r.backend.tick();
    expect(r.take()).toEqual(['stdout: read by bash\nread by bash']);
    expect(r.controller.stats?.programs.map((p) => p.id)).toEqual([1]);
    await r.controller.interrupt();
    expect(r.take()).toEqual(['stdout: @[bash]: 2\n@[sshd]: 4\n@[nginx]: 6\n@[postgres]: 8\n@[cron]: 10']);
    expect(r.backend.programs()).toEqual([]);
  });

  it('runs several programs at once and lists them', async () => {
    const r = makeRepl();
    await r.controller.submit(COUNT);
    await r.controller.submit('tracepoint:raw_syscalls:sys_enter {\n  @lat = hist(1);\n}');
    r.take();
    await r.controller.submit('.list');
    expect(r.take()).toEqual([
      'input: .list',
      'value: [1] kprobe:vfs_read { @[comm] = count(); }  (1 probe)\n[2] tracepoint:raw_syscalls:sys_enter { ...  (1 probe)',
    ]);
    await r.controller.submit('.maps');
    expect(r.take()).toEqual(['input: .maps', 'value: @\n@lat']);
  });

  it('prints the value of an expression', async () => {
    const r = makeRepl();
    await r.controller.submit('1 << 10');
    await r.controller.submit('(3 + 4) * 2');
    await r.controller.submit('comm');
    expect(r.take()).toEqual(['input: 1 << 10', 'value: 1024', 'input: (3 + 4) * 2', 'value: 14', 'input: comm', 'value: bpfsim']);
  });

  it('shows errors as diagnostics with the underline and carries on', async () => {
    const r = makeRepl();
    await r.controller.submit('nsecs + fake');
    await r.controller.submit('bogus:x { }');
    await r.controller.submit('1 + 1');
    expect(r.take()).toEqual([
      'input: nsecs + fake',
      "error: stdin:1:9-13: ERROR: Unknown identifier: 'fake'\nnsecs + fake\n        ~~~~",
      'input: bogus:x { }',
      'error: stdin:1:1-8: ERROR: Invalid probe type: bogus\nbogus:x { }\n~~~~~~~',
      'input: 1 + 1',
      'value: 2',
    ]);
  });

  it('says how to leave when Ctrl-C has nothing to stop', async () => {
    const r = makeRepl();
    await r.controller.interrupt();
    expect(r.take()).toEqual(['info: (To leave, press Ctrl-D or type .quit)']);
  });

  it('ends a program that calls exit() and prints its maps', async () => {
    const r = makeRepl();
    await r.controller.submit('BEGIN { printf("hi\\n"); @n = count(); exit(); }');
    expect(r.take()).toEqual(['input: BEGIN { printf("hi\\n"); @n = count(); exit(); }', 'stderr: Attached 1 probe', 'stdout: hi\n\n']);
    expect(r.backend.programs()).toEqual([]);
  });

  it('leaves with .quit, detaching everything', async () => {
    const r = makeRepl();
    await r.controller.submit(COUNT);
    r.backend.tick();
    r.take();
    expect(await r.controller.submit('.quit')).toBe('quit');
    expect(r.take()).toEqual(['input: .quit', 'stdout: @[bash]: 1\n@[sshd]: 2\n@[nginx]: 3\n@[postgres]: 4\n@[cron]: 5']);
    expect(r.backend.closed).toBe(true);
  });
});

describe('dot-commands', () => {
  it('each lives in the table with help, and .help lists them all', async () => {
    const r = makeRepl();
    await r.controller.submit('.help');
    const [, help] = r.take();
    for (const c of DOT_COMMANDS) expect(help).toContain(`.${c.name}`);
    expect(DOT_COMMANDS.map((c) => c.name)).toEqual(['help', 'probes', 'list', 'attach', 'detach', 'maps', 'print', 'clear', 'workload', 'seed', 'speed', 'ast', 'bytecode', 'verifier', 'jit', 'save', 'quit']);
  });

  it('finds commands by unique prefix', () => {
    expect(findCommand('pri')).toMatchObject({ ok: true, command: { name: 'print' } });
    expect(findCommand('p')).toEqual({ ok: false, error: "ambiguous command '.p': .probes, .print" });
    expect(findCommand('zz')).toEqual({ ok: false, error: "unknown command '.zz' (.help lists the commands)" });
  });

  const flows: [string, string[], string[]][] = [
    ['.probes vfs_*', [], ['value: kprobe:vfs_open\nkprobe:vfs_read\nkprobe:vfs_write\nkretprobe:vfs_read']],
    ['.probes nothing*', [], ["value: no probes match 'nothing*'"]],
    ['.list', [], ['value: no programs running']],
    ['.detach 1', [COUNT], ['value: @[bash]: 1\n@[sshd]: 2\n@[nginx]: 3\n@[postgres]: 4\n@[cron]: 5']],
    ['.detach 1', ['kprobe:vfs_read { }'], ['value: [1] detached']],
    ['.detach 7', [], ['error: no program 7 is running (see .list)']],
    ['.detach x', [], ["error: .detach takes a program number (see .list), not 'x'"]],
    ['.detach', [], ['error: usage: .detach N']],
    ['.maps', [], ['value: no maps']],
    ['.print @', [COUNT], ['value: @[bash]: 1\n@[sshd]: 2\n@[nginx]: 3\n@[postgres]: 4\n@[cron]: 5']],
    ['.print nothing', [], ['error: Undefined map: @nothing']],
    ['.print @a b', [], ["error: not a map name: '@a b'"]],
    ['.clear @', [COUNT], ['value: @ cleared']],
    ['.workload', [], ['value: * default\n  web\n  db\n  build\n  io\n  net\n  containers']],
    ['.workload io', [], ['value: world restarted: workload io, seed 1']],
    ['.workload nope', [], ["error: unknown workload 'nope'. Valid workloads: 'default', 'web', 'db', 'build', 'io', 'net', 'containers'"]],
    ['.seed', [], ['value: seed 1']],
    ['.seed 42', [], ['value: world restarted: workload default, seed 42']],
    ['.seed -1', [], ["error: .seed takes a non-negative integer, not '-1'"]],
    ['.speed', [], ['value: speed realtime']],
    ['.speed 10x', [], ['value: speed 10x']],
    ['.speed warp', [], ["error: .speed takes 'realtime', 'max' or a factor such as '10x', not 'warp'"]],
    ['.ast', [], ['error: no program compiled yet']],
    ['.ast', [COUNT], ['value: Program\n kprobe:vfs_read']],
    ['.bytecode', [COUNT], ['value: kprobe:vfs_read:\n   0: r0 = 0\n   1: exit']],
    ['.verifier', [COUNT], ['value: processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0']],
    ['.jit', [COUNT], ['value: (module\n  (func $prog (result i64)\n    i64.const 0))']],
    ['.bytecode', ['1 + 1'], ['error: the last entry has no bytecode stage']],
    ['.save', [], ['error: usage: .save FILE']],
    ['.save out.bt', [], ['error: no programs to save: attach one first']],
    ['.save /readonly/x.bt', [COUNT], ["error: failed to write '/readonly/x.bt': Permission denied"]],
    ['.attach missing.bt', [], ["error: failed to open file 'missing.bt': No such file or directory"]],
    ['.nope', [], ["error: unknown command '.nope' (.help lists the commands)"]],
  ];
  it.each(flows)('%s (after %j)', async (command, before, expected) => {
    const r = makeRepl();
    for (const b of before) await r.controller.submit(b);
    if (/^\.(print|clear|detach)/.test(command)) r.backend.tick();
    r.take();
    await r.controller.submit(command);
    expect(r.take().slice(1)).toEqual(expected);
  });

  it('.attach reads a script and .save writes the session back as an executable script', async () => {
    const r = makeRepl({ 'tools/reads.bt': 'kprobe:vfs_read {\n  @reads = count();\n}\n' });
    await r.controller.submit('.attach tools/reads.bt');
    await r.controller.submit(COUNT);
    expect(r.take()).toEqual(['input: .attach tools/reads.bt', 'stderr: Attached 1 probe', `input: ${COUNT}`, 'stderr: Attached 1 probe']);
    expect(r.backend.programs().map((p) => p.file)).toEqual(['tools/reads.bt', 'stdin']);
    await r.controller.submit('.save all.bt');
    expect(r.take()).toEqual(['input: .save all.bt', 'value: saved 2 programs to all.bt']);
    expect(r.files.get('all.bt')).toBe(`#!/usr/bin/env bpfsim\n\n// from tools/reads.bt\nkprobe:vfs_read {\n  @reads = count();\n}\n\n${COUNT}\n`);
    expect(savedScript([{ source: 'BEGIN { }', file: 'stdin' }])).toBe('#!/usr/bin/env bpfsim\n\nBEGIN { }\n');
  });

  it('completes through the backend: probes, maps, commands', async () => {
    const r = makeRepl();
    await r.controller.submit(COUNT);
    expect(r.controller.complete('kprobe:vfs_wr', 13)).toEqual({ text: 'kprobe:vfs_write ', cursor: 17, candidates: [] });
    expect(r.controller.complete('.print ', 7).text).toBe('.print @ ');
    expect(r.controller.complete('.wo', 3).text).toBe('.workload ');
    expect(r.controller.complete('BEGIN { @x = his', 16).text).toBe('BEGIN { @x = hist(');
  });
});

describe('robustness', () => {
  it('records entries in the history, not blank ones', async () => {
    const r = makeRepl();
    await r.controller.submit('1');
    await r.controller.submit('   ');
    await r.controller.submit('.seed');
    expect(r.controller.history.all()).toEqual(['1', '.seed']);
  });

  it('keeps the newest lines of a flood of output and says how many it skipped', async () => {
    const r = makeRepl();
    await r.controller.submit('kprobe:vfs_read { printf("line %d\\n"); }');
    r.take();
    for (let i = 0; i < MAX_ENTRY_LINES + 100; i++) r.backend.tick();
    const [entry] = r.take();
    const lines = entry.split('\n');
    expect(lines[0]).toBe('stdout: ... (100 lines of output skipped)');
    expect(lines).toHaveLength(MAX_ENTRY_LINES + 1);
    expect(lines.at(-1)).toBe(`line ${MAX_ENTRY_LINES + 100}`);
  });

  it('turns a backend failure into an error entry', async () => {
    const r = makeRepl();
    r.backend.submit = async () => {
      throw new Error('boom');
    };
    await r.controller.submit('1');
    expect(r.take()).toEqual(['input: 1', 'error: internal error: boom']);
    expect(r.controller.busy).toBe(false);
  });

  it('survives any input', async () => {
    const r = makeRepl();
    const alphabet = ['{', '}', '(', ')', '"', '\\', '@', '.', ':', '*', '/', ' ', '\n', 'a', '1', 'kprobe:vfs_read', 'BEGIN', 'count()', 'exit()', '.print', '.detach', '.save', '$1', '<<', '%'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }), async (parts) => {
        const entry = parts.join('');
        const before = r.controller.transcript.length;
        const out = await r.controller.submit(entry.startsWith('.q') ? entry.slice(2) : entry);
        expect(out).toBeUndefined();
        expect(r.controller.transcript.length).toBeGreaterThan(before);
        expect(r.controller.transcript.some((e) => e.text.startsWith('internal error'))).toBe(false);
        r.controller.complete(entry, entry.length);
        r.backend.tick();
      }),
      { numRuns: 300 },
    );
    await r.controller.interrupt();
  });
});
