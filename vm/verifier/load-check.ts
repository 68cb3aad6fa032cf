// The verifier as a loader check (vm/loader.ts LoadCheck): a program the verifier
// rejects is not loaded, and the rejection carries the kernel-style log.
import type { LoadCheck } from '../loader';
import { verify } from './index';

export function verifierCheck(logLevel: 0 | 1 | 2 = 1): LoadCheck {
  return (spec) => {
    const r = verify(spec, { logLevel });
    return r.ok ? null : `${spec.name}: the verifier rejected the program (insn ${r.error?.insn}: ${r.error?.message})\n${r.log.trimEnd()}`;
  };
}
