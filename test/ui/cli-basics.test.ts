import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../ui/cli/args';
import { helpText } from '../../ui/cli/help';
import { FLAGS } from '../../ui/cli/flags';
import pkg from '../../package.json' with { type: 'json' };

const BIN = new URL('../../bin/bpfsim', import.meta.url).pathname;

describe('bpfsim executable', () => {
  it('prints its version', () => {
    expect(execFileSync(BIN, ['--version'], { encoding: 'utf8' })).toBe(`bpfsim v${pkg.version}\n`);
    expect(execFileSync(BIN, ['-V'], { encoding: 'utf8' })).toBe(`bpfsim v${pkg.version}\n`);
  });

  it('prints usage for --help, listing every flag', () => {
    const out = execFileSync(BIN, ['--help'], { encoding: 'utf8' });
    expect(out).toMatch(/^USAGE:\n {4}bpfsim \[options\] filename/);
    for (const f of FLAGS) {
      if (f.short) expect(out).toContain(`-${f.short}`);
      if (f.long) expect(out).toContain(`--${f.long}`);
    }
  });

  it('rejects an unknown flag with a message and exit code 1', () => {
    const r = spawnSync(BIN, ['--no-such-flag'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unrecognized option '--no-such-flag'");
    expect(r.stderr).not.toMatch(/at .*\.(m?js|ts):\d+/);
  });
});

describe('argument parser', () => {
  const cases: [string[], Record<string, string | number>, string[]][] = [
    [['-V'], { version: 1 }, []],
    [['--help'], { help: 1 }, []],
    [['-hV'], { help: 1, version: 1 }, []],
    [['script.bt', 'a', '-b'], {}, ['script.bt', 'a', '-b']],
    [['--', '-V'], {}, ['-V']],
  ];
  it.each(cases)('parses %j', (argv, flags, positional) => {
    const r = parseArgs(argv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.args.flags)).toEqual(flags);
    expect(r.args.positional).toEqual(positional);
  });

  it.each([
    [['-x'], "invalid option -- 'x'"],
    [['--bogus'], "unrecognized option '--bogus'"],
    [['--version=3'], "option '--version' doesn't allow an argument"],
  ])('rejects %j', (argv, message) => {
    const r = parseArgs(argv);
    expect(r).toEqual({ ok: false, error: message });
  });

  it('lays help out in bpftrace columns', () => {
    expect(helpText()).toContain('    -V, --version  bpfsim version');
  });
});
