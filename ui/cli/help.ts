// Renders `bpfsim --help` from the flag table, in the layout of `bpftrace --help`.
import { FLAGS, type FlagSection, type FlagSpec } from './flags';

const SECTIONS: readonly FlagSection[] = ['OPTIONS', 'TROUBLESHOOTING OPTIONS', 'SIMULATOR OPTIONS'];

const EXAMPLES: readonly [string, string][] = [];

function spelling(f: FlagSpec): string {
  const names = [f.short ? `-${f.short}` : '', f.long ? `--${f.long}` : ''].filter(Boolean).join(', ');
  if (f.arg === undefined) return names;
  return f.optionalArg ? `${names} [${f.arg}]` : `${names} ${f.arg}`;
}

export function helpText(): string {
  const out: string[] = [
    'USAGE:',
    '    bpfsim [options] filename',
    '    bpfsim [options] - <stdin input>',
    "    bpfsim [options] -e 'program'",
    '    bpfsim [options]                (interactive REPL)',
    '',
  ];
  for (const section of SECTIONS) {
    const flags = FLAGS.filter((f) => f.section === section);
    if (flags.length === 0) continue;
    out.push(`${section}:`);
    for (const f of flags) {
      const left = spelling(f);
      if (left.length <= 14) out.push(`    ${left.padEnd(15)}${f.help}`);
      else out.push(`    ${left}`, `${' '.repeat(19)}${f.help}`);
    }
    out.push('');
  }
  if (EXAMPLES.length > 0) {
    out.push('EXAMPLES:');
    for (const [cmd, what] of EXAMPLES) out.push(cmd, `    ${what}`);
    out.push('');
  }
  return out.join('\n');
}
