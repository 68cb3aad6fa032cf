import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../ui/cli/args';

type Flags = Record<string, number | string[]>;

describe('getopt-style argument parser', () => {
  const accepted: [string[], Flags, string[]][] = [
    [['-V'], { version: 1 }, []],
    [['--help'], { help: 1 }, []],
    [['-hV'], { help: 1, version: 1 }, []],
    [['-lv'], { list: 1, verbose: 1 }, []],
    [['-l', 'kprobe:*'], { list: 1 }, ['kprobe:*']],
    [['-e', 'BEGIN{}'], { program: ['BEGIN{}'] }, []],
    [['-eBEGIN{}'], { program: ['BEGIN{}'] }, []],
    [['-qe', 'BEGIN{}'], { quiet: 1, program: ['BEGIN{}'] }, []],
    [['-e', '-1'], { program: ['-1'] }, []],
    [['-e', 'a', '-e', 'b'], { program: ['a', 'b'] }, []],
    [['-kk'], { warnings: 2 }, []],
    [['script.bt', 'a', 'b'], {}, ['script.bt', 'a', 'b']],
    // Options after the script file are still options (GNU permutation), as in bpftrace.
    [['script.bt', '-q', 'x'], { quiet: 1 }, ['script.bt', 'x']],
    [['script.bt', '--', '-q', 'x'], {}, ['script.bt', '-q', 'x']],
    [['--', '-V'], {}, ['-V']],
    [['-'], {}, ['-']],
    [['--output', 'f'], { output: ['f'] }, []],
    [['--output=f'], { output: ['f'] }, []],
    [['-o', 'f', '-f', 'json'], { output: ['f'], format: ['json'] }, []],
    [['--work', 'io'], { workload: ['io'] }, []],
    [['--vers'], { version: 1 }, []],
    [['--dry-run', '--no-jit', '--unsafe'], { dryRun: 1, noJit: 1, unsafe: 1 }, []],
    [['--seed=7', '--cpus', '2', '--speed', '10x', '--duration', '5s'], { seed: ['7'], cpus: ['2'], speed: ['10x'], duration: ['5s'] }, []],
    [['-d', 'ast,types', '--debug=jit'], { debug: ['ast,types', 'jit'] }, []],
  ];
  it.each(accepted)('parses %j', (argv, flags, positional) => {
    const r = parseArgs(argv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.args.flags)).toEqual(flags);
    expect(r.args.positional).toEqual(positional);
  });

  const rejected: [string[], string][] = [
    [['-x'], "invalid option -- 'x'"],
    [['-lx'], "invalid option -- 'x'"],
    [['script.bt', '-5'], "invalid option -- '5'"],
    [['--bogus'], "unrecognized option '--bogus'"],
    [['--bogus=3'], "unrecognized option '--bogus=3'"],
    [['--version=3'], "option '--version' doesn't allow an argument"],
    [['--output'], "option '--output' requires an argument"],
    [['-e'], "option requires an argument -- 'e'"],
    [['-qo'], "option requires an argument -- 'o'"],
    [['--ver'], "option '--ver' is ambiguous; possibilities: '--verbose' '--version'"],
    [['--no'], "option '--no' is ambiguous; possibilities: '--no-warnings' '--no-jit'"],
  ];
  it.each(rejected)('rejects %j', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ ok: false, error: message });
  });
});
