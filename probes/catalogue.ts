// Builds the real catalogue the compiler, the verifier (tracepoint ctx), `-l` listing and
// REPL completion read: probe kinds, kernel functions, tracepoint formats, user binaries,
// perf events, the kernel type table and helper prototypes. Each table is built from the
// simulated kernel's static tables when first read; no kernel instance is needed.
import type { Catalogue } from '../lang/catalogue';
import { HELPERS } from '../vm/helpers/protos';
import { kernelTypes } from '../workloads/btf/table';
import { kernelFuncs } from '../workloads/kernel/kfuncs';
import { tracepoints } from '../workloads/kernel/tracepoints';
import { binaries } from '../workloads/user/binaries';
import { PROBE_KINDS } from './kinds';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS, perfEventNames } from './perf-events';

let cached: Catalogue | undefined;

/** `obj` with property `key` computed by `make` on first read (then a plain value). */
function lazy<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): void {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get(): T[K] {
      const v = make();
      Object.defineProperty(obj, key, { value: v, enumerable: true, writable: false });
      return v;
    },
  });
}

/** The catalogue; each table in it is built the first time it is read. */
export function catalogue(): Catalogue {
  if (!cached) {
    const probes = { kinds: PROBE_KINDS } as Catalogue['probes'];
    lazy(probes, 'kernelFuncs', kernelFuncs);
    lazy(probes, 'tracepoints', tracepoints);
    lazy(probes, 'binaries', binaries);
    lazy(probes, 'softwareEvents', () => perfEventNames(SOFTWARE_EVENTS));
    lazy(probes, 'hardwareEvents', () => perfEventNames(HARDWARE_EVENTS));
    const c = { probes, helpers: HELPERS } as Catalogue;
    lazy(c, 'types', kernelTypes);
    cached = c;
  }
  return cached;
}
