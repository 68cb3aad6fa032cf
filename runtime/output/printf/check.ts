// The compile-time check of a printf format against its arguments' types, with
// bpftrace's error texts. Pure: the compiler's semantic pass calls it with the format
// string and one descriptor per argument and reports what comes back at the call.
import { parseFormat } from './format-string';

/**
 * What the check needs to know about an argument's type: its category and its name as
 * bpftrace writes it in messages (`int64`, `uint8`, `string`, `buffer`, `kstack`, ...).
 */
export interface FormatArgType {
  kind: 'integer' | 'boolean' | 'pointer' | 'buffer' | 'none' | 'void' | 'other';
  name: string;
}

type Category = FormatArgType['kind'];
const ANY_INTEGER: readonly Category[] = ['integer', 'boolean', 'pointer'];

/** Specifiers bpftrace accepts and the argument categories each takes (empty: any). */
export const SPECIFIER_TYPES: ReadonlyMap<string, readonly Category[]> = new Map([
  ['d', ANY_INTEGER],
  ['i', ANY_INTEGER],
  ['u', ANY_INTEGER],
  ['o', ANY_INTEGER],
  ['x', ANY_INTEGER],
  ['X', ANY_INTEGER],
  ['c', ANY_INTEGER],
  ['r', ['buffer']],
  ['rx', ['buffer']],
  ['rh', ['buffer']],
  ['gr', ANY_INTEGER],
  ['s', []],
  ['p', ANY_INTEGER],
]);

/**
 * Checks a format against argument types. Returns the errors (bpftrace stops at the
 * first, so at most one), empty when the call is valid.
 */
export function checkFormat(format: string, args: readonly FormatArgType[]): string[] {
  const { specs } = parseFormat(format);
  if (args.length < specs.length) {
    return [`not enough arguments for format string (${args.length} supplied, ${specs.length} expected)`];
  }
  if (args.length > specs.length) {
    return [`too many arguments for format string (${args.length} supplied, ${specs.length} expected)`];
  }
  for (let i = 0; i < specs.length; i++) {
    const { specifier } = specs[i];
    const arg = args[i];
    if (arg.kind === 'none' || arg.kind === 'void') return [`unable to print none type for specifier: ${specifier}`];
    const allowed = SPECIFIER_TYPES.get(specifier);
    if (!allowed) return [`unsupported format specifier: ${specifier}`];
    if (allowed.length > 0 && !allowed.includes(arg.kind)) {
      return [`unsupported format specifier for type '${arg.name}': ${specifier}`];
    }
  }
  return [];
}
