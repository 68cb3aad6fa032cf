// Compares the verifier's verdicts on every case, and on generated programs, with the
// Linux kernel's (the machine's own verifier, through BPF_PROG_LOAD). Opt-in: runs only
// with BPFSIM_KERNEL_ORACLE=1, as root, with a C compiler; otherwise it is skipped. Known
// disagreements are recorded in the case files with `@kernel VERDICT REASON` and checked
// to still be what they say; for generated programs the one known rule difference (a
// tracing program must return a scalar) is allowed.
import { describe, expect, it } from 'vitest';
import { verify } from '../../../vm/verifier/index';
import { loadAllCases } from './cases';
import { available, kernelVerify } from './oracle';
import { genProgram } from './generator';
import { cpus } from 'node:os';

const enabled = process.env.BPFSIM_KERNEL_ORACLE === '1' && available() !== null;
const cases = loadAllCases().filter((c) => c.linuxType !== undefined && c.kernel?.verdict !== 'skip');

describe.skipIf(!enabled)('verdicts agree with the Linux kernel', () => {
  for (const c of cases) {
    it(`${c.file}:${c.line} ${c.name}`, () => {
      const k = kernelVerify(c)!;
      if (c.kernel) {
        expect(k.ok ? 'accept' : 'reject', k.log).toBe(c.kernel.verdict);
        return;
      }
      const ours = verify(c.spec, { maxInsns: c.limit });
      expect(ours.ok ? 'accept' : `reject ${ours.error?.message}`, k.log).toBe(k.ok ? 'accept' : `reject ${k.message}`);
    });
  }
});

describe.skipIf(!enabled)('generated programs get the Linux kernel\'s verdict and message', () => {
  it('1,000 programs', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (let seed = 1; compared < 1000; seed++) {
      const spec = genProgram(seed);
      if (spec.insns.some((i) => i.code === 0x85 && i.imm === 164)) continue; // callbacks need BTF func_info in the kernel
      compared++;
      const ours = verify(spec, { nrCpus: cpus().length });
      if (ours.error?.message === 'R0 leaks addr as return value') continue;
      const k = kernelVerify({ spec, linuxType: 2 } as Parameters<typeof kernelVerify>[0])!;
      const o = ours.ok ? 'accept' : `reject ${ours.error?.message}`;
      const kv = k.ok ? 'accept' : `reject ${k.message}`;
      if (o !== kv) disagreements.push(`seed ${seed}: ours ${o}; kernel ${kv}`);
    }
    expect(disagreements).toEqual([]);
  });
});
