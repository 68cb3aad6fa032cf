// The bpfvm executable itself (the esbuild bundle npm ci builds): real process I/O, exit
// statuses, and a closed pipe ending output quietly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };

const BIN = new URL('../../../bin/bpfvm', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bpfvm-bin-'));
const prog = join(dir, 'p.s');
writeFileSync(prog, 'r0 = *(u8 *)(r1 + 1)\nr0 += r2\nexit\n');

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('bpfvm executable', () => {
  it('prints its version and usage', () => {
    expect(run(['--version']).stdout).toBe(`bpfvm v${pkg.version}\n`);
    expect(run(['--help']).stdout).toMatch(/^USAGE:\n {4}bpfvm asm FILE/);
  });
  it('runs a program and prints r0', () => {
    expect(run(['run', prog, '--mem', '00 07'])).toMatchObject({ status: 0, stdout: '0x9\n', stderr: '' });
  });
  it('fails with a one-line message and status 1', () => {
    const r = run(['run', join(dir, 'missing.s')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`bpfvm: cannot read ${join(dir, 'missing.s')}: ENOENT\n`);
  });
  it('stops quietly when its output pipe closes', () => {
    const big = join(dir, 'big.s');
    writeFileSync(big, 'r0 = 0\n'.repeat(20000) + 'exit\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" disasm "${big}" | head -1`], { encoding: 'utf8' });
    expect(r.stdout).toBe('       0:\tb7 00 00 00 00 00 00 00\tr0 = 0\n');
    expect(r.stderr).toBe('');
  });
});
