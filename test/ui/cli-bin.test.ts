// The real `bpfsim` executable (the esbuild bundle): exit codes, the stdout/stderr split,
// no stack trace for bad input, and Ink kept out of the non-interactive path. Program
// runs through the executable (stdin, shebang scripts, SIGINT) are in cli-session.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('keeps Ink out of the modules the non-interactive path loads', () => {
    // Follow the static imports of the entry chunk: none may contain Ink, React or Yoga;
    // the REPL's chunk is reached only through a dynamic import().
    const dist = join(dirname(BIN), '..', 'dist');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(dist, file), 'utf8');
      for (const m of text.matchAll(/(?:from\s*|import\s*)"\.\/([^"]+\.mjs)"/g)) visit(m[1]);
    };
    visit('bpfsim.mjs');
    expect(seen.size).toBeGreaterThan(1);
    for (const f of seen) expect(readFileSync(join(dist, f), 'utf8')).not.toMatch(/yoga-layout|react-reconciler|useInput/);
    const entry = readFileSync(join(dist, 'bpfsim.mjs'), 'utf8');
    const dynamic = [...entry.matchAll(/import\("\.\/([^"]+\.mjs)"\)/g)].map((m) => m[1]);
    expect(dynamic.some((f) => /useInput/.test(readFileSync(join(dist, f), 'utf8')))).toBe(true);
  });
});
