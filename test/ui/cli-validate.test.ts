// The command line end to end in process: every flag reaches the run request, bad values
// and conflicts give bpftrace's messages and exit codes, programs come from -e, files and
// stdin, and the REPL starts only on a terminal.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM } from '../../ui/cli/request';
import { cli } from './cli-harness';

const PROG = 'BEGIN { exit(); }';

describe('run requests', () => {
  it('resolves every default', async () => {
    const r = await cli(['-e', PROG]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ran ${PROG}\n`);
    expect(r.requests).toEqual([
      {
        program: { origin: 'inline', file: 'stdin', text: PROG },
        params: [],
        format: 'text',
        outputFile: undefined,
        buffering: 'line',
        quiet: false,
        verbose: false,
        warnings: 1,
        unsafe: false,
        dryRun: false,
        debug: [],
        pid: undefined,
        cmd: undefined,
        sim: { ...DEFAULT_SIM, speed: { kind: 'realtime' }, durationNs: undefined },
      },
    ]);
  });

  // Each flag, given on the command line, and the part of the request it sets.
  const flags: [string[], Record<string, unknown>][] = [
    [['-f', 'json'], { format: 'json' }],
    [['-f', 'text'], { format: 'text' }],
    [['-B', 'full'], { buffering: 'full' }],
    [['-B', 'none'], { buffering: 'none' }],
    [['-q'], { quiet: true }],
    [['--quiet'], { quiet: true }],
    [['-v'], { verbose: true }],
    [['-k'], { warnings: 2 }],
    [['--warnings'], { warnings: 2 }],
    [['--no-warnings'], { warnings: 0 }],
    [['--unsafe'], { unsafe: true }],
    [['--dry-run'], { dryRun: true }],
    [['-d', 'ast'], { debug: ['ast'] }],
    [['-d', 'jit', '--debug', 'bytecode,verifier'], { debug: ['bytecode', 'verifier', 'jit'] }],
    [['-d', 'all'], { debug: ['ast', 'types', 'bytecode', 'verifier', 'jit'] }],
    [['-p', '123'], { pid: 123 }],
    [['--pid=77'], { pid: 77 }],
    [['-c', '/bin/ls -l'], { cmd: '/bin/ls -l' }],
    [['--cmd', 'sleep 1'], { cmd: 'sleep 1' }],
    [['-c', ''], { cmd: undefined }],
    [['-o', 'out.txt'], { outputFile: 'out.txt' }],
    [['--output', 'o2'], { outputFile: 'o2' }],
  ];
  it.each(flags)('%j sets %j', async (extra, expected) => {
    const r = await cli(['-e', PROG, ...extra]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.requests[0]).toMatchObject(expected);
  });

  const sim: [string[], Record<string, unknown>][] = [
    [['--workload', 'io'], { workload: 'io' }],
    [['--seed', '7'], { seed: 7 }],
    [['--cpus', '8'], { cpus: 8 }],
    [['--no-jit'], { jit: false }],
    [['--speed', 'max'], { speed: { kind: 'max' } }],
    [['--speed', '10x'], { speed: { kind: 'factor', factor: 10 } }],
    // A bounded run goes as fast as possible unless told otherwise.
    [['--duration', '2s'], { durationNs: 2e9, speed: { kind: 'max' } }],
    [['--duration', '2s', '--speed', 'realtime'], { durationNs: 2e9, speed: { kind: 'realtime' } }],
  ];
  it.each(sim)('%j sets the world %j', async (extra, expected) => {
    const r = await cli(['-e', PROG, ...extra]);
    expect(r.code).toBe(0);
    expect(r.requests[0].sim).toMatchObject(expected);
  });

  it('reads the program from a file, with positional parameters', async () => {
    const r = await cli(['t.bt', 'a', '42'], { files: { 't.bt': PROG } });
    expect(r.code).toBe(0);
    expect(r.requests[0].program).toEqual({ origin: 'file', file: 't.bt', text: PROG });
    expect(r.requests[0].params).toEqual(['a', '42']);
  });

  it('takes every word after -e as a parameter, and -- protects dashes', async () => {
    const r = await cli(['-e', PROG, 'x', '--', '-5', '--name']);
    expect(r.requests[0].params).toEqual(['x', '-5', '--name']);
  });

  it('reads the program from stdin with -', async () => {
    const r = await cli(['-', 'p1'], { stdin: PROG });
    expect(r.requests[0].program).toEqual({ origin: 'stdin', file: 'stdin', text: PROG });
    expect(r.requests[0].params).toEqual(['p1']);
  });

  it('keeps the last -e, as getopt does', async () => {
    const r = await cli(['-e', 'BEGIN{}', '-e', PROG]);
    expect(r.requests[0].program.text).toBe(PROG);
  });

  it('writes program output to the -o file', async () => {
    const r = await cli(['-e', PROG, '-o', 'out.txt']);
    expect(r.stdout).toBe('');
    expect(r.files.get('out.txt')).toBe(`ran ${PROG}\n`);
  });
});

describe('refusals', () => {
  const errors: [string[], string, number][] = [
    [['-e', PROG, '-f', 'xml'], `ERROR: Invalid output format "xml"\nValid formats: 'text', 'json'\n`, 1],
    [['-e', PROG, '-B', 'x'], "ERROR: USAGE: -B must be either 'line', 'full', or 'none'.\n", 1],
    [['-e', PROG, '-d', 'ir'], 'ERROR: USAGE: invalid option for -d: ir\n', 1],
    [['-e', PROG, '-p', 'abc'], 'ERROR: Failed to parse pid: invalid integer: abc\n', 1],
    [['-e', PROG, '-p', '99999999'], 'ERROR: Pid out of range: 99999999\n', 1],
    [['-e', PROG, '-kk'], 'ERROR: USAGE: -kk has been deprecated. Use a single -k for runtime warnings for errors in map lookups and probe reads.\n', 1],
    [['-e', PROG, '-k', '--no-warnings'], 'ERROR: USAGE: -k, --warnings conflicts with --no-warnings\n', 1],
    [['-e', PROG, '--seed', 'x'], "ERROR: USAGE: --seed must be a non-negative integer (got 'x').\n", 1],
    [['-e', PROG, '--cpus', '0'], "ERROR: USAGE: --cpus must be an integer from 1 to 64 (got '0').\n", 1],
    [['-e', PROG, '--duration', 'soon'], "ERROR: USAGE: --duration must be a time such as 5s, 250ms or 2m (got 'soon').\n", 1],
    [['-e', PROG, '--speed', 'warp'], "ERROR: USAGE: --speed must be 'realtime', 'max' or a factor such as '10x' (got 'warp').\n", 1],
    [['-e', PROG, '--workload', 'a b'], "ERROR: USAGE: --workload must be a workload name (got 'a b').\n", 1],
    [['nosuchfile.bt'], "ERROR: failed to open file 'nosuchfile.bt': No such file or directory\n", 1],
    [['-q'], "ERROR: USAGE: filename or -e 'program' required.\n", 1],
    [['-e', ''], "ERROR: USAGE: filename or -e 'program' required.\n", 1],
  ];
  it.each(errors)('%j', async (argv, stderr, code) => {
    const r = await cli(argv);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
    expect(r.requests).toEqual([]);
  });

  it('prints the usage after getopt errors, -c with -p, and no arguments', async () => {
    for (const argv of [['-x'], ['--bogus'], ['-e'], ['-c', 'ls', '-p', '1', '-e', PROG], [], ['-l', 'a', 'b']]) {
      const r = await cli(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('USAGE:\n    bpfsim [options] filename');
    }
    expect((await cli(['-x'])).stderr).toMatch(/^bpfsim: invalid option -- 'x'\nUSAGE:/);
    expect((await cli(['-c', 'ls', '-p', '1', '-e', PROG])).stderr).toMatch(/^ERROR: USAGE: Cannot use both -c and -p\.\nUSAGE:/);
    expect((await cli([])).stderr).toMatch(/^USAGE:/);
  });

  it('reports an -o file that cannot be opened after the program compiled', async () => {
    const r = await cli(['-e', PROG, '-o', '/no/dir/x'], { unwritable: ['/no/dir/x'] });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ERROR: Failed to open output file: "/no/dir/x": No such file or directory\n');
  });
});

describe('commands', () => {
  it('help, version and info print to stdout and exit 0', async () => {
    expect(await cli(['-h'])).toMatchObject({ code: 0, stderr: '' });
    expect((await cli(['--version'])).stdout).toMatch(/^bpfsim v\d+\.\d+\.\d+\n$/);
    const info = await cli(['--info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^System\n {2}OS: Linux .*\(simulated\)\n/);
    expect(info.stdout).toContain('  map_lookup_elem: yes');
    expect(info.stdout).toContain('  kprobe: yes');
  });

  it('help wins over everything else, as in bpftrace', async () => {
    expect((await cli(['-e', PROG, '-f', 'xml', '-h'])).code).toBe(0);
  });

  it('lists probes for a search, and warns about a missing file', async () => {
    const r = await cli(['-l', 'kprobe:vfs_rea*']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('kprobe:vfs_read\nkprobe:vfs_readv\n');
    const w = await cli(['-l', 'tools.bt']);
    expect(w.stderr).toBe("WARNING: It appears that 'tools.bt' is a filename but the file does not exist. Treating 'tools.bt' as a search pattern.\n");
    const bad = await cli(['-l', 'nosuch:thing']);
    expect(bad).toMatchObject({ code: 1, stderr: 'ERROR: Invalid probe type: nosuch\n' });
  });

  it('lists arguments with -lv', async () => {
    const r = await cli(['-lv', 'kprobe:vfs_read']);
    expect(r.stdout).toBe('kprobe:vfs_read\n    struct file * arg0\n    char * arg1\n    size_t arg2\n    loff_t * arg3\n');
  });

  it('lists the probes of a program (-e or a file)', async () => {
    const r = await cli(['-l', '-e', 'kprobe:vfs_rea* { @ = count(); } BEGIN { }']);
    expect(r).toMatchObject({ code: 0, stdout: 'kprobe:vfs_read\nkprobe:vfs_readv\nBEGIN\n' });
    const f = await cli(['-l', 'p.bt'], { files: { 'p.bt': 'tracepoint:raw_syscalls:sys_enter { }' } });
    expect(f.stdout).toBe('tracepoint:raw_syscalls:sys_enter\n');
    const err = await cli(['-l', '-e', 'kprobe:nosuchfunction { }']);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/^stdin:1:1-22: ERROR: Unable to attach probe: kprobe:nosuchfunction/);
  });

  it('starts the REPL only on a terminal with no program', async () => {
    expect(await cli([], { interactive: true })).toMatchObject({ repl: true, code: 0 });
    expect(await cli(['--workload', 'io'], { interactive: true })).toMatchObject({ repl: true });
    expect(await cli([], { interactive: false })).toMatchObject({ repl: false, code: 1 });
    expect(await cli(['-e', PROG], { interactive: true })).toMatchObject({ repl: false, code: 0 });
    const none = await cli([], { interactive: true, repl: false });
    expect(none).toMatchObject({ repl: false, code: 1 });
    expect(none.stderr).toMatch(/^USAGE:/);
  });
});
