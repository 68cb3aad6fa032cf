// --help lists exactly the flags this build can honour, in bpftrace's columns.
import { describe, expect, it } from 'vitest';
import { FLAGS } from '../../ui/cli/flags';
import { helpText, isWired } from '../../ui/cli/help';

describe('--help', () => {
  it('lists every flag when a session is connected', () => {
    const out = helpText({ session: true });
    for (const f of FLAGS) {
      if (f.short) expect(out).toMatch(new RegExp(`^ {4}-${f.short}[ ,]`, 'm'));
      if (f.long) expect(out).toContain(`--${f.long}`);
    }
    expect(out).toContain('SIMULATOR OPTIONS:');
    expect(out).toContain('(interactive REPL on a terminal)');
  });

  it('lists only the flags that work without a session', () => {
    const out = helpText({ session: false });
    const shown = FLAGS.filter((f) => isWired(f, { session: false }));
    const hidden = FLAGS.filter((f) => !isWired(f, { session: false }));
    expect(shown.map((f) => f.key).sort()).toEqual(['debug', 'dryRun', 'help', 'info', 'list', 'noWarnings', 'output', 'program', 'unsafe', 'verbose', 'version', 'warnings']);
    for (const f of hidden) {
      if (f.long) expect(out).not.toContain(`--${f.long}`);
      if (f.short) expect(out).not.toMatch(new RegExp(`^ {4}-${f.short}[ ,]`, 'm'));
    }
    expect(out).not.toContain('SIMULATOR OPTIONS:');
    expect(out).not.toContain('count syscalls by process name');
    expect(out).toContain("bpfsim --dry-run -d bytecode -e '");
    expect(out).toContain("bpfsim -l '*sleep*'");
  });

  it('lays flags out in bpftrace columns', () => {
    const out = helpText({ session: true });
    expect(out).toContain('    -V, --version  bpfsim version\n');
    expect(out).toContain("    -e 'program'   execute this program\n");
    expect(out).toContain('    -o, --output FILE\n                   redirect program output to FILE\n');
    expect(out).toMatch(/^USAGE:\n {4}bpfsim \[options\] filename\n {4}bpfsim \[options\] - <stdin input>\n/);
  });

  it('has unique letters and names', () => {
    const shorts = FLAGS.flatMap((f) => (f.short ? [f.short] : []));
    const longs = FLAGS.flatMap((f) => (f.long ? [f.long] : []));
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(new Set(longs).size).toBe(longs.length);
    expect(new Set(FLAGS.map((f) => f.key)).size).toBe(FLAGS.length);
  });
});
