// Renders `bpfsim --help` from the flag table, in the layout of `bpftrace --help`. Only
// flags that are wired in this build are listed (see `isWired`), so the help never
// promises what the binary cannot do; the examples follow the same rule.
import { FLAGS, type FlagSection, type FlagSpec } from './flags';

/** What this build can do beyond parsing the command line. */
export interface Capabilities {
  /** The runtime session is connected: programs compile, load, attach and run. */
  session: boolean;
}

const SECTIONS: readonly FlagSection[] = ['OPTIONS', 'TROUBLESHOOTING OPTIONS', 'SIMULATOR OPTIONS'];

interface Example {
  cmd: string;
  what: string;
  needs: FlagSpec['needs'];
}

const EXAMPLES: readonly Example[] = [
  { cmd: "bpfsim -l '*sleep*'", what: 'list probes containing "sleep"', needs: 'cli' },
  { cmd: "bpfsim -lv 'kprobe:do_nanosleep'", what: 'show the arguments of the do_nanosleep kprobe', needs: 'cli' },
  { cmd: "bpfsim --dry-run -d bytecode -e 'kprobe:vfs_read { @[comm] = count(); }'", what: 'the eBPF bytecode of a one-liner, with its source lines, without running it', needs: 'compiler' },
  { cmd: `bpfsim -e 'kprobe:do_nanosleep { printf("PID %d sleeping...\\n", pid); }'`, what: 'trace processes calling sleep', needs: 'session' },
  { cmd: "bpfsim -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'", what: 'count syscalls by process name', needs: 'session' },
  { cmd: "bpfsim --workload io --duration 10s -e 'tracepoint:block:block_rq_issue { @ = hist(args.bytes); }'", what: 'histogram of block I/O sizes over 10 simulated seconds', needs: 'session' },
  { cmd: 'bpfsim', what: 'the interactive REPL (on a terminal)', needs: 'session' },
];

export function isWired(f: { needs: FlagSpec['needs'] }, caps: Capabilities): boolean {
  switch (f.needs) {
    case 'cli':
    case 'compiler':
      return true;
    case 'session':
      return caps.session;
    default: {
      const never: never = f.needs;
      return never;
    }
  }
}

function spelling(f: FlagSpec): string {
  const names = [f.short ? `-${f.short}` : '', f.long ? `--${f.long}` : ''].filter(Boolean).join(', ');
  return f.arg === undefined ? names : `${names} ${f.arg}`;
}

export function helpText(caps: Capabilities): string {
  const out: string[] = ['USAGE:', '    bpfsim [options] filename', '    bpfsim [options] - <stdin input>', "    bpfsim [options] -e 'program'"];
  if (caps.session) out.push('    bpfsim [options]                (interactive REPL on a terminal)');
  out.push('');
  for (const section of SECTIONS) {
    const flags = FLAGS.filter((f) => f.section === section && isWired(f, caps));
    if (flags.length === 0) continue;
    out.push(`${section}:`);
    for (const f of flags) {
      const left = spelling(f);
      if (left.length <= 14) out.push(`    ${left.padEnd(15)}${f.help}`);
      else out.push(`    ${left}`, `${' '.repeat(19)}${f.help}`);
    }
    out.push('');
  }
  const examples = EXAMPLES.filter((e) => isWired(e, caps));
  if (examples.length > 0) {
    out.push('EXAMPLES:');
    for (const e of examples) out.push(e.cmd, `    ${e.what}`);
    out.push('');
  }
  return out.join('\n');
}
