// Parses bpfsim's argv in getopt style (as bpftrace does): bundled short switches
// (`-lv`), values attached or separate (`-eBEGIN{}` / `-e 'BEGIN{}'`), long flags with
// `--name value` or `--name=value`, and positional words (the script file, then the
// script's own positional parameters). It reports errors; it never exits.
import { FLAGS, findLong, findShort, type FlagSpec } from './flags';

export interface ParsedArgs {
  /** Switches count how often they were given (`-dd` gives 2); valued flags keep the last value. */
  flags: Map<string, string | number>;
  positional: string[];
}

export type ParseResult = { ok: true; args: ParsedArgs } | { ok: false; error: string };

export function parseArgs(argv: readonly string[]): ParseResult {
  const flags = new Map<string, string | number>();
  const positional: string[] = [];
  const set = (spec: FlagSpec, value: string | undefined): void => {
    if (spec.arg === undefined) flags.set(spec.key, ((flags.get(spec.key) as number | undefined) ?? 0) + 1);
    else flags.set(spec.key, value ?? '');
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    // After the program is known, every further word belongs to the script.
    if (positional.length > 0 || (flags.has('program') && !word.startsWith('-'))) {
      positional.push(...argv.slice(i));
      break;
    }
    if (word === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const spec = findLong(name);
      if (!spec) return { ok: false, error: `unrecognized option '--${name}'` };
      if (spec.arg === undefined) {
        if (eq >= 0) return { ok: false, error: `option '--${name}' doesn't allow an argument` };
        set(spec, undefined);
        continue;
      }
      let value = eq >= 0 ? word.slice(eq + 1) : undefined;
      if (value === undefined && !spec.optionalArg) {
        if (i + 1 >= argv.length) return { ok: false, error: `option '--${name}' requires an argument` };
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
        let value: string | undefined = word.slice(j + 1);
        if (value === '') {
          const next = argv[i + 1];
          if (spec.optionalArg) value = next !== undefined && !next.startsWith('-') ? argv[++i] : undefined;
          else if (next === undefined) return { ok: false, error: `option requires an argument -- '${word[j]}'` };
          else value = argv[++i];
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

/** Every known flag spelled as the user would type it, for suggestions. */
export function flagSpellings(): string[] {
  return FLAGS.flatMap((f) => [f.short ? `-${f.short}` : '', f.long ? `--${f.long}` : ''].filter(Boolean));
}
