// Builds the real catalogue the compiler, the verifier (tracepoint ctx), `-l` listing and
// REPL completion read: probe kinds, kernel functions, tracepoint formats, user binaries,
// perf events, the kernel type table and helper prototypes. Built once from the simulated
// kernel's static tables; no kernel instance is needed.
import type { Catalogue } from '../lang/catalogue';
import { HELPERS } from '../vm/helpers/protos';
import { kernelTypes } from '../workloads/btf/table';
import { kernelFuncs } from '../workloads/kernel/kfuncs';
import { tracepoints } from '../workloads/kernel/tracepoints';
import { binaries } from '../workloads/user/binaries';
import { PROBE_KINDS } from './kinds';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS, perfEventNames } from './perf-events';

let cached: Catalogue | undefined;

export function catalogue(): Catalogue {
  if (!cached) {
    cached = {
      probes: {
        kinds: PROBE_KINDS,
        kernelFuncs: kernelFuncs(),
        tracepoints: tracepoints(),
        binaries: binaries(),
        softwareEvents: perfEventNames(SOFTWARE_EVENTS),
        hardwareEvents: perfEventNames(HARDWARE_EVENTS),
      },
      types: kernelTypes(),
      helpers: HELPERS,
    };
  }
  return cached;
}
