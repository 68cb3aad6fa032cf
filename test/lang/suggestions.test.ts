// "Did you mean" suggestions (nearestNames in lang/probes.ts): closest names first, ties
// broken by length then name, substrings as a last resort; asking again with the same
// name and another candidate list gives that list's answer.
import { describe, expect, test } from 'vitest';
import { nearestNames } from '../../lang/probes';

const FUNCS = ['vfs_read', 'vfs_write', 'vfs_readv', 'vfs_open', 'do_sys_open', 'tcp_sendmsg', 'tcp_recvmsg'];

const CASES: readonly { name: string; candidates: readonly string[]; want: string[] }[] = [
  { name: 'vfs_raed', candidates: FUNCS, want: ['vfs_read'] },
  { name: 'tcp_sendmsgg', candidates: FUNCS, want: ['tcp_sendmsg', 'tcp_recvmsg'] },
  { name: 'sys_open', candidates: FUNCS, want: ['vfs_open', 'do_sys_open'] },
  { name: 'xyz', candidates: FUNCS, want: [] },
  { name: 'vfs_raed', candidates: ['vfs_rename', 'vfs_readlink'], want: [] },
  { name: 'vfs_raed', candidates: ['vfs_rea', 'vfs_read'], want: ['vfs_rea', 'vfs_read'] },
  { name: 'vfs_raed', candidates: FUNCS, want: ['vfs_read'] },
  { name: 'vfs_rd', candidates: FUNCS, want: ['vfs_read'] },
];

describe('nearestNames', () => {
  test.each(CASES)('$name among $candidates', ({ name, candidates, want }) => {
    expect(nearestNames(name, candidates)).toEqual(want);
    expect(nearestNames(name, new Set(candidates))).toEqual(want);
  });

  test('a returned list is the caller\'s to change', () => {
    nearestNames('vfs_raed', FUNCS).push('extra');
    expect(nearestNames('vfs_raed', FUNCS)).toEqual(['vfs_read']);
  });
});
