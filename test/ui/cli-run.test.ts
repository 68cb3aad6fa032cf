// The command line's side of a run: -B buffering of program output, the -o file opened
// on demand and closed at the end, interrupts forwarded to the runner.
import { describe, expect, it } from 'vitest';
import type { RunRequest } from '../../ui/cli/request';
import { bufferedStream, runRequest, type ProgramRunner, type RunIo } from '../../ui/cli/run';

describe('-B buffering', () => {
  // Pieces written, then a flush; what reaches the destination, in order.
  const cases: [string, 'line' | 'full' | 'none', string[]][] = [
    ['line writes whole lines as they complete', 'line', ['a\n', 'b\nc\n', '(flush)', 'd']],
    ['full holds everything until the flush', 'full', ['(flush)', 'a\nb\nc\nd']],
    ['none writes every piece at once', 'none', ['a', '\nb', '\nc\n', 'd', '(flush)']],
  ];
  it.each(cases)('%s', (_name, mode, expected) => {
    const writes: string[] = [];
    const s = bufferedStream((t) => writes.push(t), mode);
    for (const piece of ['a', '\nb', '\nc\n', 'd']) s.write(piece);
    writes.push('(flush)');
    s.flush();
    expect(writes).toEqual(expected);
  });
});

function request(extra: Partial<RunRequest> = {}): RunRequest {
  return {
    program: { origin: 'inline', file: 'stdin', text: 'BEGIN {}' },
    params: [],
    format: 'text',
    buffering: 'full',
    quiet: false,
    verbose: false,
    warnings: 1,
    unsafe: false,
    dryRun: false,
    debug: [],
    sim: { workload: 'default', seed: 1, cpus: 4, speed: { kind: 'max' }, jit: true },
    ...extra,
  };
}

function io(log: string[]): RunIo {
  let handler: (() => void) | undefined;
  return {
    stdout: (t) => log.push(`out:${t}`),
    stderr: (t) => log.push(`err:${t}`),
    openFile: (p) => {
      log.push(`open:${p}`);
      return { write: (t) => log.push(`file:${t}`), close: () => log.push('close') };
    },
    onInterrupt: (h) => {
      handler = h;
      setTimeout(() => handler?.(), 5);
      return () => {
        handler = undefined;
        log.push('off');
      };
    },
  };
}

describe('runRequest', () => {
  it('flushes held output at the end and closes the -o file', async () => {
    const log: string[] = [];
    const runner: ProgramRunner = {
      async run(_r, ctx) {
        ctx.openOutput();
        ctx.out.write('one\n');
        ctx.err('message\n');
        ctx.out.write('two');
        return 7;
      },
    };
    expect(await runRequest(request({ outputFile: 'f' }), runner, io(log), () => '')).toBe(7);
    expect(log).toEqual(['open:f', 'err:message\n', 'file:one\ntwo', 'close']);
  });

  it('forwards an interrupt to the runner', async () => {
    const log: string[] = [];
    const runner: ProgramRunner = {
      run: (_r, ctx) =>
        new Promise((resolve) => {
          const off = ctx.onInterrupt(() => {
            off();
            resolve(0);
          });
        }),
    };
    expect(await runRequest(request(), runner, io(log), () => '')).toBe(0);
    expect(log).toEqual(['off']);
  });

  it('reports an -o file that cannot be opened', async () => {
    const log: string[] = [];
    const failing: RunIo = { ...io(log), openFile: () => { throw Object.assign(new Error('x'), { code: 'EACCES' }); } };
    const runner: ProgramRunner = { run: async (_r, ctx) => (ctx.openOutput() ? 0 : 1) };
    expect(await runRequest(request({ outputFile: '/x' }), runner, failing, () => 'Permission denied')).toBe(1);
    expect(log).toEqual(['err:ERROR: Failed to open output file: "/x": Permission denied\n']);
  });
});
