// The argument parsers of the simulated chmod and kill: symbolic and octal modes applied
// to a file's mode as coreutils' chmod does, and kill's signal and target arguments.
import { describe, expect, it } from 'vitest';
import { chmodMode } from '../../workloads/programs/coreutils';
import { killArgs, parseSignal } from '../../workloads/programs/proctools';

describe('chmod modes', () => {
  it.each([
    ['755', 0o644, 0o755],
    ['0600', 0o644, 0o600],
    ['+x', 0o644, 0o755],
    ['u+x', 0o644, 0o744],
    ['a+x', 0o600, 0o711],
    ['go-w', 0o666, 0o644],
    ['u=rwx,go=rx', 0o600, 0o755],
    ['a=r', 0o755, 0o444],
    ['o-rwx', 0o777, 0o770],
    ['u+s', 0o755, 0o4755],
    ['+t', 0o777, 0o1777],
    ['a+X', 0o644, 0o644],
    ['a+X', 0o40700, 0o40711 & 0o7777],
  ] as const)('%s on %o gives %o', (spec, current, want) => {
    expect(chmodMode(spec, current)).toBe(want);
  });

  it('+x without a who leaves out the umask bits', () => {
    expect(chmodMode('+w', 0o444, 0o022)).toBe(0o644);
    expect(chmodMode('+w', 0o444, 0o002)).toBe(0o664);
  });

  it.each(['x+', 'u+q', '999', 'rwx'])('refuses %s', (spec) => {
    expect(chmodMode(spec, 0o644)).toBeUndefined();
  });
});

describe('kill arguments', () => {
  it.each([
    ['HUP', 1],
    ['-HUP', 1],
    ['SIGTERM', 15],
    ['-9', 9],
    ['kill', 9],
    ['usr1', 10],
    ['NOPE', undefined],
    ['65', undefined],
  ] as const)('signal %s is %s', (text, sig) => {
    expect(parseSignal(text)).toBe(sig);
  });

  it.each([
    [['123'], 15, [123], []],
    [['-HUP', '800'], 1, [800], []],
    [['-s', 'QUIT', '1', '2'], 3, [1, 2], []],
    [['-9', '%1'], 9, [4242], []],
    [['%2', 'abc'], 15, [], ['%2', 'abc']],
  ] as const)('%j', (args, sig, pids, bad) => {
    const r = killArgs(args, (n) => (n === 1 ? 4242 : undefined));
    expect(r).toEqual({ sig, pids, bad });
  });
});
