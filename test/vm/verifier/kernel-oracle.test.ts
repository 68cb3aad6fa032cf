// Compares the verifier's verdicts on every case with the Linux kernel's (the machine's
// own verifier, through BPF_PROG_LOAD). Opt-in: runs only with BPFSIM_KERNEL_ORACLE=1,
// as root, with a C compiler; otherwise it is skipped. Known disagreements are recorded
// in the case files with `@kernel VERDICT REASON` and checked to still be what they say.
import { describe, expect, it } from 'vitest';
import { verify } from '../../../vm/verifier/index';
import { loadAllCases } from './cases';
import { available, kernelVerify } from './oracle';

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
