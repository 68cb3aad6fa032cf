// Programs running on the simulated machine through the command line: output on stdout
// and messages on stderr, -q, -f json, -o, --duration, exit codes from exit(), positional
// parameters; in process through runCli with the session runner, and through the real
// executable for stdin, shebang scripts and Ctrl-C (SIGINT) ending a paced run.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionRunner } from '../../ui/cli/session-runner';
import { cli } from './cli-harness';

const BIN = new URL('../../bin/bpfsim', import.meta.url).pathname;
const HI = 'BEGIN { printf("hi\\n"); exit(); }';
const COUNT = 'kprobe:vfs_read { @[comm] = count(); }';
const run = (argv: string[], opts: Parameters<typeof cli>[1] = {}) => cli(argv, { ...opts, runner: sessionRunner });

describe('running programs (in process)', () => {
  it('prints program output on stdout and messages on stderr', async () => {
    const r = await run(['-e', HI]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi\n\n\n');
    expect(r.stderr).toBe('Attached 1 probe\n');
  });

  it('keeps quiet with -q and writes NDJSON with -f json', async () => {
    expect((await run(['-q', '-e', HI])).stderr).toBe('');
    const j = await run(['-f', 'json', '-e', HI]);
    const types = j.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['attached_probes', 'printf']);
  });

  it('exits with the code given to exit()', async () => {
    expect((await run(['-e', 'BEGIN { exit(3); }'])).code).toBe(3);
  });

  it('runs for a --duration of simulated time and prints the maps', async () => {
    const r = await run(['--duration', '300ms', '-e', COUNT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\n\n(@\[[\w.-]+\]: \d+\n)+$/);
  });

  it('writes program output to -o FILE, and nothing when the program does not compile', async () => {
    const r = await run(['-o', 'out.txt', '-e', HI]);
    expect(r.stdout).toBe('');
    expect(r.files.get('out.txt')).toBe('hi\n\n\n');
    const bad = await run(['-o', 'bad.txt', '-e', 'BEGIN { nope }']);
    expect(bad.code).toBe(1);
    expect(bad.files.has('bad.txt')).toBe(false);
    const closed = await run(['-o', '/no/dir/x', '-e', HI], { unwritable: ['/no/dir/x'] });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('ERROR: Failed to open output file: "/no/dir/x": No such file or directory');
  });

  it('passes positional parameters', async () => {
    expect((await run(['-e', 'BEGIN { printf("%s %d\\n", str($1), $#); exit(); }', 'abc', 'd'])).stdout).toMatch(/^abc 2\n/);
  });

  it('prints diagnostics, naming the script file', async () => {
    const e = await run(['-e', 'BEGIN { @x = fake; }']);
    expect(e).toMatchObject({ code: 1, stdout: '', stderr: "stdin:1:14-18: ERROR: Unknown identifier: 'fake'\nBEGIN { @x = fake; }\n             ~~~~\n" });
    const f = await run(['tools/bad.bt'], { files: { 'tools/bad.bt': '#!/usr/bin/env bpfsim\nBEGIN { @x = missing; }\n' } });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/^tools\/bad\.bt:2:14-21: ERROR: Unknown identifier: 'missing'\n/);
    const syntax = await run(['-e', 'BEGIN { exit(); ']);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^stdin:1:\d+(-\d+)?: ERROR: /);
  });

  it('prints the -d stages, to stdout or the -o file, and stops there with --dry-run', async () => {
    const d = await run(['-d', 'bytecode,verifier', '--dry-run', '-e', COUNT]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('Program: kprobe:vfs_read');
    expect(d.stdout).toContain(`; 1: ${COUNT}`);
    expect(d.stdout).toContain('Verifier log: kprobe:vfs_read');
    expect(d.stderr).toBe('');
    const o = await run(['-d', 'ast', '--dry-run', '-o', 'ast.txt', '-e', COUNT]);
    expect(o.stdout).toBe('');
    expect(o.files.get('ast.txt')).toContain('AST after: parser');
  });

  it('prints the -d stages and then runs the program, as bpftrace 0.26 does', async () => {
    const d = await run(['-d', 'bytecode', '-e', HI]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^\nProgram: BEGIN[\s\S]*\nhi\n\n\n$/);
    expect(d.stderr).toBe('Attached 1 probe\n');
  });

  it('compiles, verifies and stops with --dry-run', async () => {
    expect(await run(['--dry-run', '-e', COUNT])).toMatchObject({ code: 0, stdout: '' });
    const bad = await run(['--dry-run', '-e', 'kprobe:vfs_read { @ = count(; }']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^stdin:1:\d+(-\d+)?: ERROR: /);
  });
});

describe('running programs (the executable)', () => {
  it('reads a program from stdin and runs a shebang script with its parameters', () => {
    const r = spawnSync(BIN, ['-', 'x'], { encoding: 'utf8', input: 'BEGIN { printf("%s\\n", str($1)); exit(); }' });
    expect(r.stdout).toMatch(/^x\n/);
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-sh-'));
    const script = join(dir, 'hello.bt');
    writeFileSync(script, '#!/usr/bin/env bpfsim\nBEGIN { printf("hello %s\\n", str($1)); exit(); }\n');
    chmodSync(script, 0o755);
    const s = spawnSync(script, ['world'], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(BIN)}:${process.env.PATH}` } });
    expect(s.status).toBe(0);
    expect(s.stdout).toMatch(/^hello world\n/);
    expect(s.stderr).toBe('Attached 1 probe\n');
  });

  it('ends a paced run on Ctrl-C (SIGINT) with the maps printed', async () => {
    const child = spawn(BIN, ['--speed', 'realtime', '-e', COUNT]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Attached')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^@\[[\w.-]+\]: \d+$/m);
  });
});
