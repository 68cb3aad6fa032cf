// The real `bpfsim` executable (the esbuild bundle): exit codes, the stdout/stderr split,
// no stack trace for bad input, and Ink kept out of the non-interactive path. Program
// runs through the executable (stdin, shebang scripts, SIGINT) are in cli-session.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const BIN = new URL('../../bin/bpfsim', import.meta.url).pathname;
const STACK = /\n\s+at .*(\.m?js|\.ts):\d+/;

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(BIN, args, { encoding: 'utf8', input: input ?? '', env });
}

describe('bpfsim executable', () => {
  it('prints its version', () => {
    expect(execFileSync(BIN, ['--version'], { encoding: 'utf8' })).toBe(`bpfsim v${pkg.version}\n`);
    expect(execFileSync(BIN, ['-V'], { encoding: 'utf8' })).toBe(`bpfsim v${pkg.version}\n`);
  });

  it('prints usage on stdout for --help, and on stderr with exit 1 when given nothing', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^USAGE:\n {4}bpfsim \[options\] filename/);
    const none = run([]);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^USAGE:/);
  });

  const bad: [string[], RegExp][] = [
    [['--no-such-flag'], /^bpfsim: unrecognized option '--no-such-flag'\nUSAGE:/],
    [['-x'], /^bpfsim: invalid option -- 'x'\n/],
    [['-e'], /^bpfsim: option requires an argument -- 'e'\n/],
    [['nosuchfile.bt'], /^ERROR: failed to open file 'nosuchfile.bt': No such file or directory\n$/],
    [['/'], /^ERROR: failed to open file '\/': Is a directory\n$/],
    [['-f', 'xml', '-e', 'BEGIN{}'], /^ERROR: Invalid output format "xml"\nValid formats: 'text', 'json'\n$/],
    [['-d', 'nope', '-e', 'BEGIN{}'], /^ERROR: USAGE: invalid option for -d: nope\n$/],
    [['-l', 'bogus:x'], /^ERROR: Invalid probe type: bogus\n$/],
    [['-e', 'BEGIN { @x = fake; }'], /^stdin:1:14-18: ERROR: Unknown identifier: 'fake'\nBEGIN \{ @x = fake; \}\n {13}~~~~\n/],
  ];
  it.each(bad)('refuses %j with a clear message, exit 1 and no stack trace', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe('');
  });

  it('lists probes on stdout, so the output pipes', () => {
    const r = run(['-l', 'tracepoint:syscalls:sys_enter_open*']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toContain('tracepoint:syscalls:sys_enter_openat');
    expect(r.stderr).toBe('');
  });

  it('keeps Ink out of the bundles the non-interactive path loads', () => {
    // The command line and its engine are CommonJS bundles; the REPL's ES module bundle
    // (Ink, React, Yoga) is reached only through a dynamic import.
    const dist = join(dirname(BIN), '..', 'dist');
    const entry = readFileSync(join(dist, 'bpfsim.cjs'), 'utf8');
    const engine = readFileSync(join(dist, 'engine.cjs'), 'utf8');
    expect(entry).toMatch(/runCli/);
    expect(engine).toMatch(/sessionRunner/);
    for (const b of [entry, engine]) expect(b).not.toMatch(/yoga-layout|react-reconciler|useInput/);
    expect([...entry.matchAll(/__bpfsimImport\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['repl.mjs']);
    expect(readFileSync(join(dist, 'repl.mjs'), 'utf8')).toMatch(/useInput/);
  });

  it('keeps the engine out of the paths that do not run a program', () => {
    // The command line's bundle is small; the engine (compiler, machine) is a bundle of its own.
    const dist = join(dirname(BIN), '..', 'dist');
    expect(statSync(join(dist, 'bpfsim.cjs')).size).toBeLessThan(statSync(join(dist, 'engine.cjs')).size / 10);
    const entry = readFileSync(join(dist, 'bpfsim.cjs'), 'utf8');
    expect(entry).not.toMatch(/verifier rejected|bootKernel/);
    expect([...new Set([...entry.matchAll(/__bpfsimLoad\("([^"]+)"\)/g)].map((m) => m[1]))]).toEqual(['engine']);
  });

  it('runs with the code cache the build made, and without one', () => {
    const dist = join(dirname(BIN), '..', 'dist');
    expect(statSync(join(dist, 'bpfsim.cache')).size).toBeGreaterThan(10_000);
    expect(statSync(join(dist, 'engine.cache')).size).toBeGreaterThan(100_000);
    const program = ['-e', 'BEGIN { printf("%d\\n", 6 * 7); exit(); }'];
    const cached = run(program);
    expect(cached.stdout).toMatch(/^42\n/);
    // A cache V8 refuses (here: one made under other V8 flags) costs only time.
    const refused = spawnSync(process.execPath, ['--max-lazy', BIN, ...program], { encoding: 'utf8' });
    expect(refused.stdout).toMatch(/^42\n/);
  });
});
