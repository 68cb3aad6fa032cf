// A dry run or a -d stage compiles without running the world, yet kaddr() of a kernel
// data symbol (avenrun lives in the booted kernel's memory, not in the static kallsyms)
// resolves to the address a real run of the same world uses.
import { describe, expect, test } from 'vitest';
import { type RunSpec, runProgram } from '../../runtime/run';

async function run(spec: RunSpec): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await runProgram(spec, { out: (t) => void (out += t), err: (t) => void (err += t), sleep: async () => undefined });
  return { out, err, code };
}

const KADDR = 'BEGIN { printf("%p\\n", kaddr("avenrun")); exit(); }';

describe('kaddr of a data symbol', () => {
  test('a real run prints its address', async () => {
    const r = await run({ program: { file: 'stdin', text: KADDR }, quiet: true, sim: { speed: { kind: 'max' } } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^0xffff[0-9a-f]{12}\n/);
  });
  test('a dry run compiles it', async () => {
    const r = await run({ program: { file: 'stdin', text: KADDR }, dryRun: true });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
  test('-d bytecode loads the same address as the run', async () => {
    const live = await run({ program: { file: 'stdin', text: KADDR }, quiet: true, sim: { speed: { kind: 'max' } } });
    const addr = live.out.trim();
    const dump = await run({ program: { file: 'stdin', text: KADDR }, debug: ['bytecode'] });
    expect(dump.code).toBe(0);
    expect(dump.out).toContain(`= ${addr} ll`);
  });
  test('an unknown symbol is still an error', async () => {
    const r = await run({ program: { file: 'stdin', text: 'BEGIN { printf("%p\\n", kaddr("no_such_symbol")); }' }, dryRun: true });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Failed to resolve kernel symbol: no_such_symbol/);
  });
});
