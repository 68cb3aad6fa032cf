// Every program of the bpf_conformance suite verifies as a 'raw' program (r1 = its input
// memory, r2 = the input length), so `bpfvm run` can verify before running and still pass
// the whole suite. Files whose expected outcome is an error may be rejected instead.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataFile } from '../../../vm/asm/data-file';
import { assemble } from '../../../vm/asm/assemble';
import { verify } from '../../../vm/verifier/index';

const DIR = join(import.meta.dirname, '..', 'conformance', 'bpf_conformance');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.data')).sort();

describe('bpf_conformance programs verify as raw programs', () => {
  it('finds the suite', () => expect(FILES.length).toBeGreaterThanOrEqual(313));
  it.each(FILES)('%s', (file) => {
    const data = parseDataFile(readFileSync(join(DIR, file), 'utf8'));
    const insns = data.asm !== undefined ? assemble(data.asm).insns : data.raw!;
    const v = verify({ name: file, type: 'raw', insns, maps: [], ctx: { name: 'input', size: data.mem.length, fields: [] } });
    if (data.error === undefined) expect(v.ok, v.log).toBe(true);
  });
});
