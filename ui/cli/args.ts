// Parses bpfsim's argv as bpftrace does, with GNU getopt_long rules: options may appear
// anywhere (a word starting with `-` is an option even after the script file, as
// `bpftrace script.bt -q` shows), `--` ends the options, short switches bundle (`-lv`),
// values attach or follow (`-eBEGIN{}` / `-e 'BEGIN{}'`, and a following value may start
// with `-`), long flags take `--name value` or `--name=value` and may be abbreviated to
// any unambiguous prefix. Messages are glibc's wording. It reports errors; it never
// exits and it does not judge values (validate.ts does).
import { FLAGS, findShort, type FlagSpec } from './flags';

export interface ParsedArgs {
  /** Switches count how often they were given (`-kk` gives 2); valued flags keep every value in order. */
  flags: Map<string, number | string[]>;
  /** Non-option words in order: the script file (unless -e), then its parameters. */
  positional: string[];
}

export type ParseResult = { ok: true; args: ParsedArgs } | { ok: false; error: string };

function findLongPrefix(name: string): { spec?: FlagSpec; error?: string } {
  const exact = FLAGS.find((f) => f.long === name);
  if (exact) return { spec: exact };
  const candidates = FLAGS.filter((f) => f.long !== undefined && name !== '' && f.long.startsWith(name));
  if (candidates.length === 1) return { spec: candidates[0] };
  if (candidates.length > 1) {
    return { error: `option '--${name}' is ambiguous; possibilities: ${candidates.map((f) => `'--${f.long}'`).join(' ')}` };
  }
  return {};
}

export function parseArgs(argv: readonly string[]): ParseResult {
  const flags = new Map<string, number | string[]>();
  const positional: string[] = [];
  const set = (spec: FlagSpec, value: string | undefined): void => {
    if (spec.arg === undefined) {
      const n = flags.get(spec.key);
      flags.set(spec.key, (typeof n === 'number' ? n : 0) + 1);
    } else {
      const prev = flags.get(spec.key);
      flags.set(spec.key, [...(Array.isArray(prev) ? prev : []), value ?? '']);
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const found = findLongPrefix(name);
      if (found.error) return { ok: false, error: found.error };
      const spec = found.spec;
      if (!spec) return { ok: false, error: `unrecognized option '${word}'` };
      if (spec.arg === undefined) {
        if (eq >= 0) return { ok: false, error: `option '--${spec.long}' doesn't allow an argument` };
        set(spec, undefined);
        continue;
      }
      let value = eq >= 0 ? word.slice(eq + 1) : undefined;
      if (value === undefined) {
        if (i + 1 >= argv.length) return { ok: false, error: `option '--${spec.long}' requires an argument` };
        value = argv[++i];
      }
      set(spec, value);
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const spec = findShort(word[j]);
        if (!spec) return { ok: false, error: `invalid option -- '${word[j]}'` };
        if (spec.arg === undefined) {
          set(spec, undefined);
          continue;
        }
        let value = word.slice(j + 1);
        if (value === '') {
          if (i + 1 >= argv.length) return { ok: false, error: `option requires an argument -- '${word[j]}'` };
          value = argv[++i];
        }
        set(spec, value);
        break;
      }
      continue;
    }
    positional.push(word);
  }
  return { ok: true, args: { flags, positional } };
}

/** The number of times a switch was given (0 when absent). */
export function count(args: ParsedArgs, key: string): number {
  const v = args.flags.get(key);
  return typeof v === 'number' ? v : 0;
}

/** The last value given to a valued flag, as getopt callers keep it. */
export function lastValue(args: ParsedArgs, key: string): string | undefined {
  const v = args.flags.get(key);
  return Array.isArray(v) ? v[v.length - 1] : undefined;
}

/** Every value given to a valued flag, in order. */
export function allValues(args: ParsedArgs, key: string): string[] {
  const v = args.flags.get(key);
  return Array.isArray(v) ? v : [];
}

/** Every known flag spelled as the user would type it, for suggestions. */
export function flagSpellings(): string[] {
  return FLAGS.flatMap((f) => [f.short ? `-${f.short}` : '', f.long ? `--${f.long}` : ''].filter(Boolean));
}
