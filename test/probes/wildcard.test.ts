import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../probes/wildcard';

const CASES: [pattern: string, text: string, match: boolean][] = [
  ['vfs_read', 'vfs_read', true],
  ['vfs_read', 'vfs_readv', false],
  ['vfs_*', 'vfs_read', true],
  ['vfs_*', 'do_vfs_read', false],
  ['*read', 'vfs_read', true],
  ['*read', 'vfs_readv', false],
  ['*read*', 'ksys_readv', true],
  ['*', '', true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'acb', false],
  ['sys_enter_*', 'sys_enter_openat', true],
  ['*:sys_enter_open*', 'syscalls:sys_enter_openat2', true],
  ['ab*ba', 'aba', false],
];

describe('wildcard matching', () => {
  it.each(CASES)('%s vs %s -> %s', (p, t, m) => {
    expect(wildcardMatch(p, t)).toBe(m);
  });
});
